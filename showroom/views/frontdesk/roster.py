"""The managers' duty-roster page: the day's order and the override."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from showroom.models import RosterEntry
from showroom.permissions import has_role
from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import (
    DISTRIBUTION_EDITORS,
    frontdesk_may_manage,
    frontdesk_settings_get,
    local_today,
    store_consultants,
    visit_get,
    visit_list,
)
from showroom.selectors.roster import roster_get, roster_rotation, roster_section
from showroom.services.roster import roster_assign, roster_set
from showroom.services.transitions import TransitionConflict
from showroom.views.frontdesk.common import _current_store, _day, _error_text, _store_for, add_service_errors
from showroom.views.frontdesk.forms import OverrideForm, SettingsForm

# --- the roster (managers) ---------------------------------------------------------------------


def _roster_context(request, store, day: dt.date, **forms_given) -> dict:
    roster = roster_get(store=store, day=day)
    entries = list(roster.entries.all()) if roster is not None else []
    consultants = list(store_consultants(store=store))
    positions = {e.consultant_id: e.position for e in entries}
    candidates = sorted(
        consultants, key=lambda c: (c.pk not in positions, positions.get(c.pk, 0), c.get_full_name() or c.username)
    )
    today = local_today()
    next_up, skips = (None, [])
    if day == today:
        next_up, skips = roster_rotation(store=store, day=day, entries=entries)
    open_visits = list(visit_list(user=request.user, store=store, day=day, open_only=True)) if day == today else []
    settings = frontdesk_settings_get(store=store)
    settings_form = forms_given.get("settings_form") or SettingsForm(
        initial={
            "shift_minutes": settings.shift_minutes,
            "overdue_skip_hours": settings.overdue_skip_hours,
            "distribution_rule": settings.distribution_rule,
        }
    )
    may_set_distribution = has_role(request.user, store, DISTRIBUTION_EDITORS)
    if not may_set_distribution:
        settings_form.fields["distribution_rule"].disabled = True
    return {
        "store": store,
        "day": day,
        "is_today": day == today,
        "editable": day >= today,
        "roster": roster,
        "entries": entries,
        "candidates": [{"user": c, "position": positions.get(c.pk)} for c in candidates],
        "next_up": next_up,
        "skips": skips,
        **roster_section(store=store, day=day),
        "override_form": forms_given.get("override_form") or OverrideForm(visits=open_visits, entries=entries),
        "settings_form": settings_form,
        "status_choices": RosterEntry.Status.choices,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "settings": settings,
    }


@require_GET
@login_required
def roster_view(request):
    store = _store_for(request, frontdesk_may_manage)
    day = _day(request, default=local_today())
    return render(request, "showroom/frontdesk/roster.html", _roster_context(request, store, day))


def _roster_url(day: dt.date) -> str:
    return f"{reverse('frontdesk:roster')}?day={day:%Y-%m-%d}"


@require_POST
@login_required
def roster_set_view(request):
    """The order: each consultant on duty ticked, with a position number (ties keep the list's
    order)."""
    store = _current_store(request)
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        day = None
    picked = []
    for index, raw in enumerate(request.POST.getlist("on_duty")):
        user = user_by_id(raw)
        if user is None:
            continue
        try:
            position = int(request.POST.get(f"position_{user.pk}") or 0)
        except ValueError:
            position = 0
        picked.append((position or 1000 + index, index, user))
    picked.sort(key=lambda row: (row[0], row[1]))
    try:
        roster_set(store=store, day=day, consultants=[row[2] for row in picked], user=request.user)
    except PermissionDenied:
        raise
    except (ValidationError, TransitionConflict) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The duty order is saved."))
    return redirect(_roster_url(day or local_today()))


@require_POST
@login_required
def roster_override_view(request):
    store = _current_store(request)
    if not frontdesk_may_manage(user=request.user, store=store):
        raise PermissionDenied(_("Only a manager may override the duty order."))
    day = local_today()
    roster = roster_get(store=store, day=day)
    entries = list(roster.entries.all()) if roster is not None else []
    open_visits = list(visit_list(user=request.user, store=store, day=day, open_only=True))
    form = OverrideForm(request.POST, visits=open_visits, entries=entries)
    if form.is_valid():
        data = form.cleaned_data
        visit = visit_get(user=request.user, pk=data["visit"]) if data["visit"] else None
        try:
            assignment = roster_assign(
                store=store,
                user=request.user,
                visit=visit,
                consultant=user_by_id(data["consultant"]),
                reason=data["reason"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            form.add_error(None, exc.message)
        else:
            name = assignment.consultant.get_full_name() or assignment.consultant.username
            messages.success(request, _("Assigned to %(name)s by override.") % {"name": name})
            return redirect(_roster_url(day))
    context = _roster_context(request, store, day, override_form=form)
    return render(request, "showroom/frontdesk/roster.html", context, status=400)
