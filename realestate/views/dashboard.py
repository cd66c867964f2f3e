"""The real-estate dashboard (sales manager, marketing director, general manager) and the record
lists its figures link to."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from realestate.models import Project, Unit
from realestate.selectors import dashboard as board
from showroom import roles as r
from showroom.approval_kinds import KINDS, quota_group
from showroom.permissions import store_ids_for

DASHBOARD_ROLES = (r.SALES_MANAGER, r.MARKETING_DIRECTOR, r.GENERAL_MANAGER)
RECORDS_LIMIT = 200


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if (value or "").isdigit() else None


def _scope(request) -> list[int]:
    """The stores of the user's dashboard roles; ``?store=`` narrows to one of them (another
    store is a 404)."""
    store_ids = store_ids_for(request.user, DASHBOARD_ROLES)
    if not store_ids:
        raise PermissionDenied
    wanted = request.GET.get("store", "")
    if wanted:
        if _int(wanted) not in store_ids:
            raise Http404
        return [int(wanted)]
    return list(store_ids)


def _period(request):
    get = request.GET
    return board.dashboard_period(
        period=get.get("period", "today"),
        day=_date(get.get("day", "")) or timezone.localdate(),
        start=_date(get.get("from", "")),
        end=_date(get.get("to", "")),
    )


@login_required
def dashboard(request):
    store_ids = _scope(request)
    period, start, end = _period(request)
    last = end - dt.timedelta(days=1)
    context = {
        "period": period,
        "periods": board.PERIODS,
        "start": start,
        "last": last,
        "end": end,
        "range": f"from={start.isoformat()}&to={last.isoformat()}",
        "store": request.GET.get("store", ""),
        **board.dashboard_build(store_ids=store_ids, start=start, end=end),
    }
    return render(request, "realestate/dashboard.html", context)


@login_required
def dashboard_records(request, what: str):
    store_ids = _scope(request)
    get = request.GET
    context = {"what": what}
    if what == "units":
        state = get.get("state", "")
        if state and state not in Unit.State.values:
            state = ""
        rows = board.dashboard_units(store_ids=store_ids, building_id=_int(get.get("building", "")), state=state)
        context["state_label"] = dict(Unit.State.choices).get(state, "")
    elif what in ("contracts", "receipts"):
        _period_name, start, end = board.dashboard_period(
            period="custom", day=timezone.localdate(), start=_date(get.get("from", "")), end=_date(get.get("to", ""))
        )
        func = board.dashboard_contracts if what == "contracts" else board.dashboard_receipts
        rows = func(store_ids=store_ids, start=start, end=end)
        context |= {"start": start, "last": end - dt.timedelta(days=1)}
    elif what == "lent":
        rows = board.dashboard_lent(store_ids=store_ids)
    elif what == "approved":
        project = Project.objects.filter(pk=_int(get.get("project", "")), store_id__in=store_ids).first()
        group = get.get("group", "")
        kinds = sorted(code for code in KINDS if code.startswith("realestate.") and quota_group(code) == group)
        if project is None or not kinds:
            raise Http404
        rows = board.dashboard_approved(
            store_ids=store_ids, project_id=project.pk, kinds=kinds, role_id=_int(get.get("role", ""))
        )
        context["project"] = project
    else:
        raise Http404
    context["rows"] = list(rows[:RECORDS_LIMIT])
    context["limit"] = RECORDS_LIMIT
    return render(request, "realestate/dashboard_records.html", context)
