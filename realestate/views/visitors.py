"""Visitors on site: the consultant's intention records and day's work log; the sales manager's
spot-check list of A customers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from realestate import selectors, services
from realestate.models import Intention
from realestate.selectors.visitors import a_customers, intention_get_for_user, intentions_for_user, work_log_today
from showroom import roles as r
from showroom.permissions import has_role, store_ids_for
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.transitions import TransitionConflict

from .sales import _error_text


def _projects(user):
    return list(selectors.projects_for_user(user=user))


@login_required
def visitors(request):
    """The consultant's day: record an intention (a known mobile finds the customer), today's
    records, and the work log to submit before leaving."""
    store_ids = store_ids_for(request.user, (r.CONSULTANT, r.SALES_SUPERVISOR, r.SALES_MANAGER))
    if not store_ids:
        raise PermissionDenied
    today = timezone.localdate()
    rows = intentions_for_user(user=request.user, day=today)
    logs = {sid: work_log_today(user=request.user, store_id=sid) for sid in store_ids}
    context = {
        "projects": [p for p in _projects(request.user) if p.store_id in store_ids],
        "rows": rows,
        "grades": Intention.Grade.choices,
        "today": today,
        "logs": logs,
        "may_log": any(has_role(request.user, sid, r.CONSULTANT) for sid in store_ids),
    }
    return render(request, "realestate/visitors.html", context)


@login_required
@require_POST
def intention_new(request):
    project = selectors.project_get_for_user(user=request.user, project_id=request.POST.get("project") or 0)
    customer = customer_find_by_mobile(store=project.store_id, mobile=request.POST.get("mobile", ""))
    try:
        if customer is None:
            raise ValidationError(
                {
                    "mobile": [
                        _("No customer of this store has that number: the front desk registers the visitor first.")
                    ]
                }
            )
        services.intention_record(
            user=request.user,
            project=project,
            customer=customer,
            grade=request.POST.get("grade", ""),
            layouts=request.POST.get("layouts", ""),
            area_from=request.POST.get("area_from", ""),
            area_to=request.POST.get("area_to", ""),
            budget=request.POST.get("budget", ""),
            notes=request.POST.get("notes", ""),
        )
        messages.success(request, _("Intention recorded; the follow-up is scheduled."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("realestate:visitors")


@login_required
@require_POST
def work_log(request, store_id: int):
    from showroom.selectors.stores import store_get_for_user

    store = store_get_for_user(user=request.user, store_id=store_id)
    try:
        services.work_log_submit(user=request.user, store=store, summary=request.POST.get("summary", ""))
        messages.success(request, _("Today's work log was submitted."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    return redirect("realestate:visitors")


@login_required
def a_customer_list(request, project_id: int):
    """The sales manager's spot-check list of the project's A customers (a tick and a note)."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    if not has_role(request.user, project.store_id, r.SALES_MANAGER):
        raise PermissionDenied
    return render(request, "realestate/a_customers.html", {"project": project, "rows": a_customers(project=project)})


@login_required
@require_POST
def spot_check(request, pk: int):
    intention = intention_get_for_user(user=request.user, pk=pk)
    if intention is None:
        raise Http404
    try:
        services.spot_check_record(
            user=request.user,
            intention=intention,
            confirmed=request.POST.get("confirmed") == "on",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Spot-check recorded."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    return redirect("realestate:a_customers", intention.project_id)


@login_required
@require_POST
def intention_checks(request, pk: int):
    """The credit and ownership checks recorded as done on a date."""
    import datetime as dt

    intention = intention_get_for_user(user=request.user, pk=pk)
    if intention is None:
        raise Http404

    def day(key):
        try:
            return dt.date.fromisoformat(request.POST.get(key, ""))
        except ValueError:
            return None

    try:
        services.intention_checks_record(
            user=request.user, intention=intention, credit_on=day("credit_on"), ownership_on=day("ownership_on")
        )
        messages.success(request, _("Checks recorded."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("realestate:visitors")
