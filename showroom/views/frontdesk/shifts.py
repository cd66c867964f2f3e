"""The receptionist's shifts: open, close or hand over, and the shift page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import (
    frontdesk_may_read,
    frontdesk_may_work,
    shift_counts,
    shift_get,
    shift_visits,
    store_front_desk_staff,
)
from showroom.services.frontdesk import shift_close, shift_open
from showroom.services.transitions import TransitionConflict
from showroom.views.frontdesk.common import _current_store, _error_text, _field_errors
from showroom.views.frontdesk.forms import HandoverForm

# --- shifts ------------------------------------------------------------------------------------


@require_POST
@login_required
def shift_open_view(request):
    store = _current_store(request)
    try:
        shift_open(store=store, user=request.user)
    except PermissionDenied:
        raise
    except (TransitionConflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Your shift is open."))
    return redirect("frontdesk:board")


@require_POST
@login_required
def shift_close_view(request, pk):
    """Close, or hand over: to the person chosen, or (``take_over``) to the user himself."""
    shift = shift_get(user=request.user, pk=pk)
    staff = list(store_front_desk_staff(store=shift.store))
    form = HandoverForm(request.POST, staff=staff)
    if not form.is_valid():
        messages.error(request, " ".join(_field_errors(form)))
        return redirect("frontdesk:board")
    following = None
    if request.POST.get("take_over"):
        following = request.user
    elif form.cleaned_data["next_receptionist"]:
        following = user_by_id(form.cleaned_data["next_receptionist"])
    try:
        counts = shift_close(
            shift=shift, user=request.user, next_receptionist=following, note=form.cleaned_data["note"]
        )
    except PermissionDenied:
        raise
    except (TransitionConflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("frontdesk:board")
    text = (
        _("Shift closed: %(visits)s visits (%(first)s first), %(calls)s calls; %(open)s visitors handed on.") % counts
    )
    messages.success(request, text)
    return redirect("frontdesk:shift", pk=shift.pk)


@require_GET
@login_required
def shift_detail_view(request, pk):
    shift = shift_get(user=request.user, pk=pk)
    if not frontdesk_may_read(user=request.user, store=shift.store):
        raise PermissionDenied
    counts = shift.counts if shift.closed_at else shift_counts(shift=shift)
    visits = list(shift_visits(shift=shift))
    for visit in visits:
        visit.received = visit.counted_shift_id != shift.pk
    previous = list(shift.handed_from.select_related("receptionist"))
    return render(
        request,
        "showroom/frontdesk/shift.html",
        {
            "shift": shift,
            "counts": counts,
            "visits": visits,
            "previous_shifts": previous,
            "may_work": frontdesk_may_work(user=request.user, store=shift.store) and shift.closed_at is None,
            "handover_form": HandoverForm(
                staff=[u for u in store_front_desk_staff(store=shift.store) if u.pk != request.user.pk]
            ),
        },
    )
