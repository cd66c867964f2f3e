"""Subscriptions: the race for a unit, the review that makes them binding, the signing deadline,
and the price-list version each one keeps."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from realestate import services
from realestate.models import Subscription, Unit
from showroom.models import Notification
from showroom.services.jobs import jobs_tick
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory, MembershipFactory, UserFactory
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import price_list_make, site_make

TZ = timezone.get_default_timezone()


@pytest.mark.django_db(transaction=True)
def test_two_consultants_racing_for_one_unit_one_wins_the_other_is_told_who_holds_it(personas):
    # given two consultants and two buyers, and one available unit (PostgreSQL row lock)
    _project, _building, units, _pl = site_make(personas)
    unit = units[0]
    rival = UserFactory(username="a_consultant_2", first_name="李", last_name="")
    MembershipFactory(user=rival, store=personas.store_a, role_code="consultant")
    buyers = [CustomerFactory(store=personas.store_a), CustomerFactory(store=personas.store_a)]
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def attempt(key, user, buyer):
        try:
            barrier.wait()
            results[key] = services.subscription_create(
                user=user, unit=unit, customer=buyer, payment_method="full", deposit="50000"
            )
        except TransitionConflict as exc:
            results[key] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=("a", personas.consultant, buyers[0])),
        threading.Thread(target=attempt, args=("b", rival, buyers[1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one subscription exists and the other caller got a 409 naming the holder
    wins = [v for v in results.values() if isinstance(v, Subscription)]
    refusals = [v for v in results.values() if isinstance(v, TransitionConflict)]
    assert len(wins) == 1 and len(refusals) == 1
    assert Subscription.objects.filter(unit=unit).count() == 1
    winner = wins[0].consultant
    assert (winner.get_full_name() or winner.get_username()) in refusals[0].message
    locked = Unit.objects.get(pk=unit.pk)
    assert locked.state == Unit.State.SUBSCRIBED and locked.holder_id == winner.pk


@pytest.mark.django_db
def test_a_held_unit_cannot_be_sold_and_only_the_manager_holds(personas, site, buyer):
    unit = site["units"][0]
    with pytest.raises(PermissionDenied):
        services.unit_hold(user=personas.consultant, unit=unit)
    services.unit_hold(user=personas.sales_manager, unit=unit)
    with pytest.raises(TransitionConflict, match="held by"):
        services.subscription_create(
            user=personas.consultant, unit=unit, customer=buyer, payment_method="full", deposit="1000"
        )
    services.unit_release(user=personas.sales_manager, unit=Unit.objects.get(pk=unit.pk))
    sub = services.subscription_create(
        user=personas.consultant, unit=unit, customer=buyer, payment_method="full", deposit="1000"
    )
    assert sub.state == Subscription.State.REQUESTED


@pytest.mark.django_db
def test_a_subscription_binds_only_after_the_managers_review(personas, site, buyer):
    unit = site["units"][0]
    sub = subscribe_through(personas, unit, buyer, upto="pay")
    # paid but not reviewed: not binding, no agreement, no deadline; cancelling frees the unit
    assert sub.state == Subscription.State.PAID and not sub.is_binding and sub.sign_due_on is None
    with pytest.raises(PermissionDenied):
        services.subscription_approve(user=personas.sales_assistant, subscription=sub)
    approved = services.subscription_approve(user=personas.sales_manager, subscription=sub)
    assert approved.is_binding and approved.number.startswith("SA-")
    assert approved.sign_due_on == timezone.localdate() + dt.timedelta(days=7)
    # bound: the consultant cannot simply cancel it any more (it needs an approval, part 2)
    with pytest.raises(TransitionConflict):
        services.subscription_cancel(user=personas.consultant, subscription=approved, reason="客户反悔")


@pytest.mark.django_db
def test_cancelling_before_the_review_frees_the_unit(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
    services.subscription_cancel(user=personas.consultant, subscription=sub, reason="客户改选")
    assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.AVAILABLE
    assert Subscription.objects.get(pk=sub.pk).state == Subscription.State.CANCELLED


@pytest.mark.django_db
def test_price_follows_the_price_list_and_payment_method(personas, site, buyer):
    # floor 2 south, 100 m²: (20,000 + 100 + 500) × 100 = 2,060,000; full payment −3 %
    unit = next(u for u in site["units"] if u.floor == 2)
    sub = services.subscription_create(
        user=personas.consultant, unit=unit, customer=buyer, payment_method="full", deposit="50000"
    )
    assert sub.list_price_per_m2 == Decimal("20600.00")
    assert sub.list_total == Decimal("2060000.00")
    assert sub.total_price == Decimal("1998200.00")
    assert sub.price_list_id == site["price_list"].pk


@pytest.mark.django_db
def test_a_new_price_list_version_affects_only_subscriptions_after_its_approval_and_date(personas, buyer):
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0), TZ)
    with time_machine.travel(start, tick=False):
        # given v1 in force; v2 approved now but effective from 5 March; v3 effective since the
        # 1st but approved only on the 4th
        project, _building, units, v1 = site_make(personas)
        v2 = price_list_make(
            project=project,
            user=personas.sales_manager,
            base=Decimal("22000"),
            effective_from=dt.date(2026, 3, 5),
            approved_at=start - dt.timedelta(hours=1),
        )
        v3 = price_list_make(
            project=project,
            user=personas.sales_manager,
            base=Decimal("23000"),
            effective_from=dt.date(2026, 3, 1),
            approved_at=timezone.make_aware(dt.datetime(2026, 3, 4, 9), TZ),
        )
        before = services.subscription_create(
            user=personas.consultant, unit=units[0], customer=buyer, payment_method="full", deposit="1000"
        )
    with time_machine.travel(start + dt.timedelta(days=2, hours=1), tick=False):  # 4 March, 11:00
        middle = services.subscription_create(
            user=personas.consultant, unit=units[1], customer=buyer, payment_method="full", deposit="1000"
        )
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):  # 5 March
        after = services.subscription_create(
            user=personas.consultant, unit=units[2], customer=buyer, payment_method="full", deposit="1000"
        )
    # then each subscription used the version in force when it was made, and keeps it
    assert before.price_list_id == v1.pk  # v2 not effective yet, v3 not approved yet
    assert middle.price_list_id == v3.pk  # v3 approved on the 4th
    assert after.price_list_id == v2.pk  # from the 5th, v2 (the newest effective date)
    before.refresh_from_db()
    assert before.price_list_id == v1.pk and before.list_price_per_m2 == Decimal("20500.00")  # floor 1, +500 south
    assert middle.list_price_per_m2 == Decimal("23500.00")  # floor 1: 23,000 + 500 south


@pytest.mark.django_db
def test_day_5_reminder_and_day_8_overdue_with_time_travel(personas, buyer):
    project, _building, units, _pl = site_make(personas)
    approved_at = timezone.make_aware(dt.datetime(2026, 4, 1, 10, 0), TZ)
    with time_machine.travel(approved_at, tick=False):
        price_list_make(project=project, user=personas.sales_manager)
        sub = subscribe_through(personas, units[0], buyer)
    assert sub.sign_due_on == dt.date(2026, 4, 8)
    for day, reminded, overdue in [(4, False, False), (5, True, False), (7, True, False), (8, True, True)]:
        with time_machine.travel(timezone.make_aware(dt.datetime(2026, 4, 1 + day, 9, 30), TZ), tick=False):
            jobs_tick()
        sub.refresh_from_db()
        assert (sub.reminded_at is not None, sub.overdue_at is not None) == (reminded, overdue), day
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"realestate.sign_reminder.{sub.pk}" in keys
    assert Notification.objects.filter(key=f"realestate.sign_overdue.{sub.pk}", user=personas.sales_manager).exists()
