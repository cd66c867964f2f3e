"""CSV and XLSX export of exactly what a list page filtered, streamed row by row."""

import csv
from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO

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
