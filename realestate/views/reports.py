"""The sales report page: a day, a week or a month."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from realestate.selectors.reports import PERIODS, period_bounds, sales_report
from showroom import roles as r
from showroom.permissions import store_ids_for

REPORT_ROLES = (r.SALES_MANAGER, r.SALES_SUPERVISOR, r.MARKETING_DIRECTOR, r.GENERAL_MANAGER, r.FINANCE)


@login_required
def report(request):
    store_ids = store_ids_for(request.user, REPORT_ROLES)
    if not store_ids:
        raise PermissionDenied
    period = request.GET.get("period", "day")
    if period not in PERIODS:
        period = "day"
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    start, end = period_bounds(period=period, day=day)
    context = {
        "period": period,
        "periods": PERIODS,
        "day": day,
        "start": start,
        "last": end - dt.timedelta(days=1),
        "previous": (start - dt.timedelta(days=1)).isoformat(),
        "next": end.isoformat(),
        **sales_report(store_ids=store_ids, start=start, end=end),
    }
    return render(request, "realestate/report.html", context)
