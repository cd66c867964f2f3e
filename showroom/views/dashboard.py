"""The showroom manager dashboard and the drill-down lists of the records behind its figures
(walk-ins, calls, follow-ups). Reads only: ``showroom.selectors.dashboard``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from showroom.exports import list_export
from showroom.middleware import SESSION_KEY
from showroom.models import Store, VisitSource
from showroom.permissions import has_role
from showroom.selectors.dashboard import (
    DASHBOARD_ROLES,
    PERIODS,
    WEEKDAYS,
    Period,
    call_rows,
    dashboard_data,
    dashboard_period,
    dashboard_store_ids,
    visit_rows,
)
from showroom.selectors.dashboard_core import ON_TIME, OVERDUE, dashboard_calls, dashboard_followups, dashboard_visits

PAGE_SIZE = 25


def _int(value, lo: int, hi: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if lo <= number <= hi else None


def _dashboard_store(request) -> Store:
    """The store shown: ``?store=`` among the user's dashboard stores switches the current store
    (so the lists a figure links to show the same store); otherwise the current store."""
    allowed = dashboard_store_ids(user=request.user)
    wanted = _int(request.GET.get("store"), 1, 2**63 - 1)
    if wanted in allowed:
        request.session[SESSION_KEY] = wanted
        request.store = Store.objects.get(pk=wanted)
    store = request.store
    if store is None or not has_role(request.user, store, DASHBOARD_ROLES):
        raise PermissionDenied(_("The dashboard is for the store's managers."))
    return store


def _period(request) -> Period:
    return dashboard_period(
        code=request.GET.get("period") or "month",
        date_from=parse_date(request.GET.get("from") or "") if _valid_date(request.GET.get("from")) else None,
        date_to=parse_date(request.GET.get("to") or "") if _valid_date(request.GET.get("to")) else None,
    )


def _valid_date(raw) -> bool:
    try:
        return bool(raw) and parse_date(raw) is not None
    except ValueError:
        return False


def _list_period(request) -> Period:
    """The drill-down lists take the period as two local days (``from``, ``to``); default today."""
    today = timezone.localdate()
    first = parse_date(request.GET["from"]) if _valid_date(request.GET.get("from")) else today
    last = parse_date(request.GET["to"]) if _valid_date(request.GET.get("to")) else first
    return dashboard_period(code="custom", date_from=first, date_to=last)


@require_GET
@login_required
def dashboard_view(request):
    store = _dashboard_store(request)
    period = _period(request)
    data = dashboard_data(store_ids=[store.pk], period=period, store_kind=store.kind)
    stores = Store.objects.filter(pk__in=dashboard_store_ids(user=request.user), is_active=True).order_by("code")
    context = {
        **data,
        "store": store,
        "stores": stores,
        "periods": PERIODS,
        "chart": _chart_data(data),
    }
    return render(request, "showroom/dashboard/dashboard.html", context)


@require_GET
@login_required
def dashboard_pdf_view(request):
    from django.utils import translation

    from showroom.pdf import pdf_language, render_pdf

    store = _dashboard_store(request)
    period = _period(request)
    with translation.override(pdf_language()):
        data = dashboard_data(store_ids=[store.pk], period=period, store_kind=store.kind)
        context = {**data, "store": store, "title": _("Showroom dashboard")}
    content = render_pdf("pdf/showroom/dashboard.html", context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{store.code}-{period.first:%Y%m%d}.pdf"'
    return response


def _chart_data(data: dict) -> dict:
    traffic = data["traffic"]
    return {
        "hours": {
            "labels": [row["label"] for row in traffic["by_hour"]],
            "visits": [row["visits"] for row in traffic["by_hour"]],
            "calls": [row["calls"] for row in traffic["by_hour"]],
            "urls": [row["visits_url"] for row in traffic["by_hour"]],
        },
        "weekdays": {
            "labels": [row["label"] for row in traffic["by_weekday"]],
            "visits": [row["visits"] for row in traffic["by_weekday"]],
            "calls": [row["calls"] for row in traffic["by_weekday"]],
            "urls": [row["visits_url"] for row in traffic["by_weekday"]],
        },
        "sources": {
            "labels": [row["label"] for row in traffic["by_source"]],
            "visits": [row["visits"] for row in traffic["by_source"]],
            "urls": [row["url"] for row in traffic["by_source"]],
        },
        "funnel": {
            "labels": [row["label"] for row in data["funnel"]],
            "counts": [row["count"] for row in data["funnel"]],
            "last": [row["last_month"] for row in data["funnel"]],
            "urls": [row["url"] for row in data["funnel"]],
        },
        "labels": {"visits": _("Walk-ins"), "calls": _("Calls"), "period": _("This period"), "last": _("Last month")},
    }


# --- the records behind the figures -------------------------------------------------------------


def _list_store(request) -> Store:
    store = request.store
    if store is None or not has_role(request.user, store, DASHBOARD_ROLES):
        raise PermissionDenied(_("These lists are for the store's managers."))
    return store


def _filter_note(request, period: Period) -> list[str]:
    notes = [f"{period.first:%Y-%m-%d} – {period.last:%Y-%m-%d}"]
    hour = _int(request.GET.get("hour"), 0, 23)
    if hour is not None:
        notes.append(_("hour %(hour)02d:00") % {"hour": hour})
    weekday = _int(request.GET.get("weekday"), 1, 7)
    if weekday is not None:
        notes.append(str(WEEKDAYS[weekday - 1]))
    return notes


@require_GET
@login_required
def visit_list_view(request):
    store = _list_store(request)
    period = _list_period(request)
    first = {"1": True, "0": False}.get(request.GET.get("first", ""))
    source = (request.GET.get("source") or "")[:40]
    consultant_id = _int(request.GET.get("consultant"), 1, 2**63 - 1)
    qs = visit_rows(
        dashboard_visits(
            store_ids=[store.pk],
            start=period.start,
            end=period.end,
            first=first,
            source=source,
            hour=_int(request.GET.get("hour"), 0, 23),
            weekday=_int(request.GET.get("weekday"), 1, 7),
            consultant_id=consultant_id,
        )
    )
    export = list_export(request, code="dashboard.visits", queryset=qs)
    if export is not None:
        return export
    notes = _filter_note(request, period)
    if first is not None:
        notes.append(_("first visits") if first else _("return visits"))
    if source:
        found = VisitSource.objects.filter(code=source).order_by("store_id").first()
        notes.append(found.label if found else source)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "showroom/dashboard/visits.html",
        {"page": page, "notes": notes, "consultant_filter": consultant_id},
    )


@require_GET
@login_required
def call_list_view(request):
    store = _list_store(request)
    period = _list_period(request)
    qs = call_rows(
        dashboard_calls(
            store_ids=[store.pk],
            start=period.start,
            end=period.end,
            hour=_int(request.GET.get("hour"), 0, 23),
            weekday=_int(request.GET.get("weekday"), 1, 7),
        )
    )
    export = list_export(request, code="dashboard.calls", queryset=qs)
    if export is not None:
        return export
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "showroom/dashboard/calls.html", {"page": page, "notes": _filter_note(request, period)})


@require_GET
@login_required
def followup_list_view(request):
    store = _list_store(request)
    period = _list_period(request)
    timing = request.GET.get("timing", "")
    timing = timing if timing in (ON_TIME, OVERDUE) else ""
    qs = (
        dashboard_followups(
            store_ids=[store.pk],
            start=period.start,
            end=period.end,
            consultant_id=_int(request.GET.get("consultant"), 1, 2**63 - 1),
            timing=timing,
        )
        .select_related("assignee")
        .order_by("due_at", "id")
    )
    export = list_export(request, code="dashboard.followups", queryset=qs)
    if export is not None:
        return export
    notes = _filter_note(request, period)
    if timing:
        notes.append(_("done on time") if timing == ON_TIME else _("overdue"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "showroom/dashboard/followups.html",
        {"page": page, "notes": notes, "now": timezone.now()},
    )
