"""The showroom manager's lead views: the created-vs-assigned check, today's unrecorded contacts,
plans waiting for confirmation, and the lost-lead confirmations (the approvals inbox)."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from leads.forms import CheckForm, DayForm
from leads.models import LEAD_MANAGERS
from leads.selectors import (
    consultants_of_store,
    lead_created_vs_assigned,
    lead_plans_to_confirm,
    leads_unrecorded_contacts,
)
from leads.services import LOST_KIND
from leads.services.grades import PLAN_CONFIRMERS
from showroom.permissions import has_role


def _manager_store(request):
    store = request.store
    if store is None or not has_role(request.user, store, LEAD_MANAGERS):
        raise PermissionDenied(_("Only the store's managers see this page."))
    return store


@require_GET
@login_required
def lead_check_view(request):
    """Per consultant and period: leads assigned to him against leads he created, and the leads
    that differ, one by one."""
    store = _manager_store(request)
    consultants = list(consultants_of_store(store_id=store.pk))
    today = timezone.localdate()
    initial = {"start": today - dt.timedelta(days=29), "end": today}
    form = CheckForm(request.GET or None, consultants=consultants, initial=initial)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        consultant_id = form.cleaned_data.get("consultant")
    else:
        start, end, consultant_id = initial["start"], initial["end"], None
    rows = lead_created_vs_assigned(store_id=store.pk, start=start, end=end, consultant_id=consultant_id)
    return render(
        request,
        "leads/manage/check.html",
        {"form": form, "rows": rows, "start": start, "end": end},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def lead_unrecorded_view(request):
    """The leads each consultant touched on a day without recording the contact (today by
    default): what the closing-time job sends the showroom manager."""
    store = _manager_store(request)
    form = DayForm(request.GET or None)
    day = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("day"):
        day = form.cleaned_data["day"]
    groups = leads_unrecorded_contacts(store_id=store.pk, day=day)
    return render(
        request,
        "leads/manage/unrecorded.html",
        {"form": form, "groups": groups, "day": day, "is_today": day == timezone.localdate()},
    )


@require_GET
@login_required
def lead_plans_view(request):
    store = _manager_store(request)
    leads = lead_plans_to_confirm(user=request.user, store_id=store.pk)
    return render(
        request,
        "leads/manage/plans.html",
        {"leads": leads, "can_confirm": has_role(request.user, store, PLAN_CONFIRMERS)},
    )


@require_GET
@login_required
def lead_lost_confirmations_view(request):
    """The approvals inbox, filtered to lost-lead requests (one inbox for every approval)."""
    _manager_store(request)
    return redirect(f"{reverse('approvals:inbox')}?{urlencode({'kind': LOST_KIND})}")
