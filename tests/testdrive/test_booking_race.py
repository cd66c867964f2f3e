"""No car booked twice for overlapping times, on PostgreSQL with real transactions: two
consultants booking the same car at the same moment, and the exclusion constraint on its own."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from leads.services import lead_create
from showroom.services.transitions import TransitionConflict
from testdrive.models import Booking
from testdrive.services import booking_book
from tests.factories import CustomerFactory, MembershipFactory, UserFactory
from tests.testdrive.conftest import next_hour

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_threads_booking_the_same_car_for_overlapping_times_one_wins(personas, fleet):
    if connection.vendor != "postgresql":
        pytest.skip("the race is run on PostgreSQL")
    # given two consultants, each with a lead, wanting the same car for overlapping slots
    second = UserFactory(username="a_consultant_2", first_name="李强")
    MembershipFactory(user=second, store=personas.store_a, role_code="consultant")
    leads = [
        lead_create(
            user=user,
            store=personas.store_a,
            customer=CustomerFactory(store=personas.store_a),
            vehicle_model=fleet["model"],
        )
        for user in (personas.consultant, second)
    ]
    starts = [next_hour(3), next_hour(3).replace(minute=30)]
    barrier = threading.Barrier(2)
    results, errors = [], []
    lock = threading.Lock()

    def book(index):
        try:
            barrier.wait(timeout=30)
            booking = booking_book(
                lead=leads[index],
                user=(personas.consultant, second)[index],
                vehicle=fleet["car"],
                route=fleet["routes"][0],
                start=starts[index],
            )
            with lock:
                results.append(booking.pk)
        except Exception as exc:  # collected and asserted below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then exactly one booking holds the car, and the loser was told which one
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], TransitionConflict)
    assert f"booking #{results[0]}" in errors[0].message
    live = Booking.objects.filter(vehicle=fleet["car"], state__in=Booking.LIVE_STATES)
    assert list(live.values_list("pk", flat=True)) == results
    # and the loser's request was rolled back with it
    assert Booking.objects.count() == 1


def test_the_database_refuses_an_overlapping_live_booking_written_directly(personas, fleet, lead):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    # given a scheduled booking of the car
    first = booking_book(
        lead=lead, user=personas.consultant, vehicle=fleet["car"], route=fleet["routes"][0], start=next_hour(2)
    )

    # when a row overlapping it is written past the service
    def overlapping(state):
        return Booking(
            store=first.store,
            lead=first.lead,
            customer=first.customer,
            consultant=first.consultant,
            vehicle=first.vehicle,
            route=first.route,
            slot_start=first.slot_start.replace(minute=30),
            slot_end=first.slot_end.replace(minute=30),
            state=state,
            created_by=first.created_by,
        )

    # then PostgreSQL refuses it
    with pytest.raises(IntegrityError, match="booking_no_overlap"), transaction.atomic():
        overlapping(Booking.State.SCHEDULED).save()
    # while a cancelled (not live) booking may overlap, and the adjacent slot is free
    overlapping(Booking.State.CANCELLED).save()
    adjacent = booking_book(
        lead=lead, user=personas.consultant, vehicle=fleet["car"], route=fleet["routes"][0], start=first.slot_end
    )
    assert adjacent.state == Booking.State.SCHEDULED
