"""CSV and XLSX export of exactly what a list page filtered, streamed row by row."""

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone


class _Echo:
    def write(self, value):
        return value


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return "" if value is None else value


def export_response(fmt: str, basename: str, headers: Sequence, rows: Iterable[Sequence]):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"  # Excel opens UTF-8 CSV with Chinese text correctly only with a BOM
            yield writer.writerow([str(h) for h in headers])
            for row in rows:
                yield writer.writerow([_cell(v) for v in row])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(basename[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.xlsx"'
    return response


# --- one export mechanism for every list page ---------------------------------------------------
# A list page registers how a row exports (``register_list_export``) and calls
# ``list_export(request, code=…, queryset=…)`` with the queryset it shows (filters applied): with
# ``?export=csv|xlsx`` it answers the file — streamed at once, or, above
# ``SHOWROOM_EXPORT_ASYNC_ROWS`` rows, as a Celery job with a progress page and a download link.
EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ListExport:
    code: str
    basename: str
    headers: Callable[[], Sequence]  # called in the reader's language
    row: Callable[[Any], Sequence]


_LIST_EXPORTS: dict[str, ListExport] = {}


def register_list_export(entry: ListExport) -> ListExport:
    _LIST_EXPORTS[entry.code] = entry
    return entry


def _path_value(obj, path: str):
    """``"account.customer.name"`` read off ``obj``; a method on the way (``get_state_display``,
    ``get_full_name``) is called; a missing link gives an empty cell."""
    value = obj
    for part in path.split("."):
        if value is None:
            return ""
        value = getattr(value, part)
        if callable(value):
            value = value()
    return value


def register_columns_export(*, code: str, basename: str, columns: Sequence[tuple[Any, str | Callable]]) -> ListExport:
    """The common case of a list export: one (header, value) pair per column shown on the page,
    the value a dotted path on the row or a callable taking it. Headers may be lazy translations:
    they are rendered in the reader's language when the file is made."""
    columns = tuple(columns)

    def row(obj) -> list:
        return [value(obj) if callable(value) else _path_value(obj, value) for _header, value in columns]

    return register_list_export(
        ListExport(code=code, basename=basename, headers=lambda: [str(h) for h, _v in columns], row=row)
    )


def list_export_entry(code: str) -> ListExport:
    if code not in _LIST_EXPORTS:
        # Lists register their export next to their view; a Celery worker has not imported the
        # views, so load the URLconf (which imports every view module) before giving up.
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018
    return _LIST_EXPORTS[code]


def export_format(request) -> str | None:
    fmt = request.GET.get("export")
    return fmt if fmt in EXPORT_FORMATS else None


def list_export(request, *, code: str, queryset):
    """``None`` when the request asks for no export; otherwise the response: the file, or a
    redirect to the progress page of a background export for a large list."""
    from django.conf import settings

    fmt = export_format(request)
    if fmt is None:
        return None
    entry = _LIST_EXPORTS[code]
    limit = getattr(settings, "SHOWROOM_EXPORT_ASYNC_ROWS", 2000)
    if queryset.count() > limit:
        from django.shortcuts import redirect

        from showroom.services.exports import export_job_start

        job = export_job_start(user=request.user, code=code, fmt=fmt, queryset=queryset)
        return redirect("dashboard:export", pk=job.pk)
    rows = (entry.row(obj) for obj in queryset.iterator(chunk_size=1000))
    return export_response(fmt, entry.basename, entry.headers(), rows)


def export_write(fmt: str, basename: str, headers: Sequence, rows: Iterable[Sequence], target, progress=None) -> int:
    """Write the export to the binary file ``target`` (the background job); ``progress(n)`` is
    called every 500 rows. Returns the number of rows."""
    count = 0
    if fmt == "csv":
        import io

        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow([str(h) for h in headers])
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
            if progress and count % 500 == 0:
                progress(count)
        text.flush()
        text.detach()
        return count
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(basename[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_cell(v) for v in row])
        count += 1
        if progress and count % 500 == 0:
            progress(count)
    workbook.save(target)
    return count
