"""The front-desk reports: the daily and monthly page, and their PDF and XLSX downloads."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from showroom.models import FrontDeskReport
from showroom.selectors.frontdesk import (
    frontdesk_day_counts,
    frontdesk_may_read_reports,
    frontdesk_month_counts,
    local_today,
    month_bounds,
    report_context,
    report_list,
    report_pdf_bytes,
    report_xlsx_bytes,
)
from showroom.views.frontdesk.common import _day, _store_for

# --- reports -----------------------------------------------------------------------------------


def _period(request) -> tuple[str, dt.date]:
    """``?month=YYYY-MM`` for a monthly summary, else ``?day=YYYY-MM-DD`` (default today)."""
    month = request.GET.get("month", "")
    if month:
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise Http404 from exc
        return FrontDeskReport.Kind.MONTHLY, first
    return FrontDeskReport.Kind.DAILY, _day(request, default=local_today())


def _period_data(store, kind: str, day: dt.date) -> dict:
    if kind == FrontDeskReport.Kind.MONTHLY:
        return frontdesk_month_counts(store=store, day=day)
    return frontdesk_day_counts(store=store, day=day)


@require_GET
@login_required
def reports_view(request):
    store = _store_for(request, frontdesk_may_read_reports)
    kind, day = _period(request)
    context = report_context(store=store, kind=kind, day=day, data=_period_data(store, kind, day))
    first, _last = month_bounds(day)
    context |= {
        "is_monthly": kind == FrontDeskReport.Kind.MONTHLY,
        "day_value": day.strftime("%Y-%m-%d"),
        "month_value": first.strftime("%Y-%m"),
        "query": f"month={first:%Y-%m}" if kind == FrontDeskReport.Kind.MONTHLY else f"day={day:%Y-%m-%d}",
        "stored": report_list(store=store),
        "previous": day - dt.timedelta(days=1) if kind == FrontDeskReport.Kind.DAILY else None,
        "following": day + dt.timedelta(days=1) if kind == FrontDeskReport.Kind.DAILY and day < local_today() else None,
    }
    return render(request, "showroom/frontdesk/reports.html", context)


@require_GET
@login_required
def report_download_view(request, fmt):
    store = _store_for(request, frontdesk_may_read_reports)
    kind, day = _period(request)
    data = _period_data(store, kind, day)
    name = f"frontdesk-{kind}-{day:%Y%m%d}" if kind == FrontDeskReport.Kind.DAILY else f"frontdesk-{kind}-{day:%Y%m}"
    if fmt == "pdf":
        content = report_pdf_bytes(store=store, kind=kind, day=day, data=data)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        content = report_xlsx_bytes(store=store, kind=kind, day=day, data=data)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404
