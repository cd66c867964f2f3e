"""Booking rules: two routes before bookings open, the 409 naming the holder, alternatives."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leads.models import Lead
from showroom.services.transitions import TransitionConflict
from testdrive.models import Booking, Route
from testdrive.selectors import booking_alternatives, calendar
from testdrive.services import booking_book, booking_no_show, booking_request, booking_schedule
from tests.testdrive.conftest import next_hour


def test_booking_from_a_lead_schedules_it_and_records_the_offer(scheduled, lead):
    assert scheduled.state == Booking.State.SCHEDULED
    assert scheduled.slot_end - scheduled.slot_start == dt.timedelta(minutes=60)
    assert Lead.objects.get(pk=lead.pk).test_drive == Lead.TestDrive.ACCEPTED


def test_bookings_open_with_two_routes(personas, fleet, lead):
    Route.objects.filter(pk=fleet["routes"][1].pk).update(is_active=False)
    with pytest.raises(TransitionConflict) as exc:
        booking_book(
            lead=lead, user=personas.consultant, vehicle=fleet["car"], route=fleet["routes"][0], start=next_hour(2)
        )
    assert "at least two routes" in exc.value.message
    assert not Booking.objects.exists()


def test_an_overlapping_booking_is_a_conflict_naming_the_holder_and_alternatives_are_offered(
    personas, fleet, scheduled, lead
):
    start = scheduled.slot_start + dt.timedelta(minutes=30)
    request = booking_request(lead=lead, user=personas.consultant)
    with pytest.raises(TransitionConflict) as exc:
        booking_schedule(
            booking=request, user=personas.consultant, vehicle=fleet["car"], route=fleet["routes"][0], start=start
        )
    assert f"booking #{scheduled.pk}" in exc.value.message
    assert Booking.objects.get(pk=request.pk).state == Booking.State.REQUESTED
    # the other GL8 is free then, and the wanted car later that day
    found = booking_alternatives(
        user=personas.consultant,
        store=personas.store_a,
        vehicle_model_id=fleet["model"].pk,
        start=start,
        end=start + dt.timedelta(hours=1),
    )
    assert found[0].vehicle == fleet["other"] and found[0].start == start


def test_a_slot_in_the_past_or_of_another_store_is_refused(personas, fleet, lead):
    from tests.testdrive.factories import DemoVehicleFactory

    with pytest.raises(ValidationError) as exc:
        booking_book(
            lead=lead, user=personas.consultant, vehicle=fleet["car"], route=fleet["routes"][0], start=next_hour(-3)
        )
    assert "start" in exc.value.message_dict
    foreign = DemoVehicleFactory(store=personas.store_b)
    with pytest.raises(ValidationError) as exc:
        booking_book(lead=lead, user=personas.consultant, vehicle=foreign, route=fleet["routes"][0], start=next_hour(2))
    assert "vehicle" in exc.value.message_dict
    assert not Booking.objects.filter(state=Booking.State.SCHEDULED).exists()


def test_a_no_show_waits_for_the_slot(personas, scheduled):
    with pytest.raises(TransitionConflict):
        booking_no_show(booking=scheduled, user=personas.consultant)
    Booking.objects.filter(pk=scheduled.pk).update(
        slot_start=scheduled.slot_start - dt.timedelta(hours=3), slot_end=scheduled.slot_end - dt.timedelta(hours=3)
    )
    assert booking_no_show(booking=scheduled, user=personas.consultant).state == Booking.State.NO_SHOW


def test_the_calendar_shows_the_booking_and_free_slots(personas, fleet, lead):
    # given a booking tomorrow at ten, inside opening hours whatever the hour the suite runs
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10)))
    scheduled = booking_book(
        lead=lead, user=personas.consultant, vehicle=fleet["car"], route=fleet["routes"][0], start=start
    )
    day = scheduled.slot_start.astimezone().date()
    rows = calendar(user=personas.consultant, store=personas.store_a, start_day=day, vehicle_id=fleet["car"].pk)
    slots = rows[0].days[0].slots
    held = [s for s in slots if not s.free]
    assert [s.booking.pk for s in held] == [scheduled.pk]
