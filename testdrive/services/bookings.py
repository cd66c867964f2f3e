"""Booking a test drive: a request from a lead, scheduling it on a car, a route and a slot,
cancelling and the no-show.

No car is booked twice for overlapping times. The service locks the car's row and looks for a
live booking that overlaps (correct on SQLite and PostgreSQL); on PostgreSQL the exclusion
constraint ``booking_no_overlap`` (migration 0002) refuses an overlapping row whatever wrote it.
Either way the loser gets a 409 naming the booking that holds the car.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.models import Lead, VehicleModel, lead_may_work
from leads.services import lead_test_drive_offer
from showroom.services.transitions import TransitionConflict, transition_run
from testdrive.models import Booking, DemoVehicle, Route
from testdrive.services._common import booking_lock, precheck, slot_minutes

EXCLUSION_CONSTRAINT = "booking_no_overlap"
MIN_ROUTES = 2
MAX_SLOT = dt.timedelta(hours=4)
PAST_GRACE = dt.timedelta(minutes=15)


def _who(user) -> str:
    return user.get_full_name() or user.get_username()


def booking_holder(
    *, vehicle_id: int, start: dt.datetime, end: dt.datetime, exclude_pk: int | None = None
) -> Booking | None:
    """The live booking of the car that overlaps [start, end), if any."""
    qs = Booking.objects.filter(
        vehicle_id=vehicle_id, state__in=Booking.LIVE_STATES, slot_start__lt=end, slot_end__gt=start
    ).select_related("consultant")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("slot_start").first()


def holder_conflict(holder: Booking, *, state: str = "") -> TransitionConflict:
    start, end = timezone.localtime(holder.slot_start), timezone.localtime(holder.slot_end)
    return TransitionConflict(
        _(
            "This car is already booked from %(start)s to %(end)s: booking #%(number)s of %(consultant)s."
            " Choose another car or time."
        )
        % {
            "start": f"{start:%Y-%m-%d %H:%M}",
            "end": f"{end:%H:%M}",
            "number": holder.pk,
            "consultant": _who(holder.consultant),
        },
        state=state,
    )


@transaction.atomic
def booking_request(*, lead: Lead, user, wanted_model: VehicleModel | None = None, note: str = "") -> Booking:
    """A test drive the customer asked for, not yet on a car and a slot (state "requested").
    The lead records that a test drive was offered and accepted."""
    lead = Lead.objects.select_for_update().select_related("customer").get(pk=lead.pk)
    if not lead_may_work(lead, user):
        raise PermissionDenied(_("Only the lead's consultant or a manager may book a test drive."))
    if not lead.is_open:
        raise TransitionConflict(
            _("This lead is %(state)s: a test drive is booked for an open lead.")
            % {"state": lead.get_state_display().lower()},
            state=lead.state,
        )
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep the note under 500 characters.")]})
    booking = Booking.objects.create(
        store_id=lead.store_id,
        lead=lead,
        customer_id=lead.customer_id,
        consultant_id=lead.consultant_id,
        wanted_model=wanted_model or lead.vehicle_model,
        note=note,
        created_by=user,
    )
    if lead.test_drive != Lead.TestDrive.ACCEPTED:
        lead_test_drive_offer(lead=lead, user=user, accepted=True)
    return booking


def _slot_errors(*, booking: Booking, vehicle, route, start, end) -> dict[str, list]:
    errors: dict[str, list] = {}
    if vehicle is None or vehicle.store_id != booking.store_id:
        errors["vehicle"] = [_("Choose a demo car of this store.")]
    elif vehicle.status == DemoVehicle.Status.OUT_OF_SERVICE:
        errors["vehicle"] = [_("This car is out of service.")]
    if route is None or route.store_id != booking.store_id or not route.is_active:
        errors["route"] = [_("Choose one of the store's routes.")]
    if start is None:
        errors["start"] = [_("Choose the time of the drive.")]
    elif end is not None and end <= start:
        errors["end"] = [_("The drive must end after it starts.")]
    elif end is not None and end - start > MAX_SLOT:
        errors["end"] = [_("A test drive is booked for at most four hours.")]
    elif start < timezone.now() - PAST_GRACE:
        errors["start"] = [_("This time has passed: choose a time from now on.")]
    return errors


@transaction.atomic
def booking_schedule(
    *,
    booking: Booking,
    user,
    vehicle: DemoVehicle | None,
    route: Route | None,
    start: dt.datetime | None,
    end: dt.datetime | None = None,
    note: str = "",
) -> Booking:
    """Put a requested booking on a car, a route and a slot (``end`` defaults to the slot length).
    Refused (409) while the store has fewer than two routes, and when the car is booked then."""
    booking = booking_lock(booking)
    precheck(booking, "schedule", user)
    if start is not None and end is None:
        end = start + dt.timedelta(minutes=slot_minutes())
    errors = _slot_errors(booking=booking, vehicle=vehicle, route=route, start=start, end=end)
    if errors:
        raise ValidationError(errors)
    routes = Route.objects.filter(store_id=booking.store_id, is_active=True).count()
    if routes < MIN_ROUTES:
        raise TransitionConflict(
            _("Bookings open when the store has at least two routes for the customer to choose from."),
            state=booking.state,
        )
    # The car's row is the lock every booking of it takes: a second consultant waits here and
    # then sees the first one's booking.
    DemoVehicle.objects.select_for_update().filter(pk=vehicle.pk).first()
    holder = booking_holder(vehicle_id=vehicle.pk, start=start, end=end, exclude_pk=booking.pk)
    if holder is not None:
        raise holder_conflict(holder, state=booking.state)

    def fill(obj: Booking) -> None:
        obj.vehicle, obj.route, obj.slot_start, obj.slot_end = vehicle, route, start, end

    try:
        with transaction.atomic():
            return transition_run(instance=booking, name="schedule", user=user, note=note, lock=False, before_save=fill)
    except IntegrityError as exc:
        if EXCLUSION_CONSTRAINT not in str(exc):
            raise
        holder = booking_holder(vehicle_id=vehicle.pk, start=start, end=end, exclude_pk=booking.pk)
        if holder is None:
            raise TransitionConflict(_("This car was just booked for this time. Choose another car or time.")) from exc
        raise holder_conflict(holder, state=Booking.State.REQUESTED) from exc


@transaction.atomic
def booking_book(
    *,
    lead: Lead,
    user,
    vehicle: DemoVehicle | None,
    route: Route | None,
    start: dt.datetime | None,
    end: dt.datetime | None = None,
    note: str = "",
) -> Booking:
    """Book a drive from a lead in one step: the request and its slot, or nothing."""
    booking = booking_request(
        lead=lead, user=user, wanted_model=vehicle.vehicle_model if vehicle is not None else None, note=note
    )
    return booking_schedule(booking=booking, user=user, vehicle=vehicle, route=route, start=start, end=end)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why.")]})
    if len(reason) > 300:
        raise ValidationError({"reason": [_("Keep the reason under 300 characters.")]})
    return reason


@transaction.atomic
def booking_cancel(*, booking: Booking, user, reason: str) -> Booking:
    """Cancel a booking before the drive starts; the slot is free again."""
    booking = booking_lock(booking)
    precheck(booking, "cancel", user)
    reason = _reason(reason)

    def fill(obj: Booking) -> None:
        obj.cancel_reason = reason

    return transition_run(instance=booking, name="cancel", user=user, note=reason, lock=False, before_save=fill)


@transaction.atomic
def booking_no_show(*, booking: Booking, user, note: str = "") -> Booking:
    """The customer did not come: only once the slot has begun."""
    booking = booking_lock(booking)
    precheck(booking, "no_show", user)
    if booking.slot_start and booking.slot_start > timezone.now():
        raise TransitionConflict(
            _("The drive is booked for %(start)s: a no-show is recorded once that time has come.")
            % {"start": f"{timezone.localtime(booking.slot_start):%Y-%m-%d %H:%M}"},
            state=booking.state,
        )
    return transition_run(instance=booking, name="no_show", user=user, note=note, lock=False)
