"""Opening day (开盘): many buyers choose at once. Each unit goes to one buyer; a loser gets a 409
at once; nobody waits on a unit's lock longer than the configured lock timeout."""

import threading
import time

import pytest
from django.db import connection, transaction

from realestate import services
from realestate.models import Subscription, Unit
from realestate.services import UnitUnavailable
from tests.factories import CustomerFactory
from tests.realestate.factories import site_make

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and lock_timeout are PostgreSQL's"
)


def _buyers(personas, n):
    return [CustomerFactory(store=personas.store_a, mobile=f"+86137{i:08d}") for i in range(n)]


def _in_thread(func, results, index, barrier=None):
    def run():
        try:
            if barrier is not None:
                barrier.wait()
            started = time.perf_counter()
            try:
                func()
                results[index] = ("won", time.perf_counter() - started)
            except UnitUnavailable as exc:
                results[index] = ("409", time.perf_counter() - started, exc.message)
            except Exception as exc:
                results[index] = ("error", repr(exc))
        finally:
            connection.close()

    return threading.Thread(target=run)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_20_buyers_on_5_units_make_exactly_5_subscriptions(personas, settings):
    settings.SHOWROOM = {**settings.SHOWROOM, "REALESTATE_LOCK_TIMEOUT": 1.0}
    _project, _building, units, _pl = site_make(personas, floors=5, per_floor=1)
    buyers = _buyers(personas, 20)
    results: list = [None] * 20
    barrier = threading.Barrier(20)
    threads = [
        _in_thread(
            lambda i=i: services.subscription_create(
                user=personas.consultant, unit=units[i % 5], customer=buyers[i], payment_method="full", deposit="50000"
            ),
            results,
            i,
            barrier,
        )
        for i in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [r for r in results if r is None or r[0] == "error"] == []
    assert sum(1 for r in results if r[0] == "won") == 5
    losers = [r for r in results if r[0] == "409"]
    assert len(losers) == 15
    assert Subscription.objects.count() == 5
    assert Subscription.objects.values("unit").distinct().count() == 5
    assert set(Unit.objects.values_list("state", flat=True)) == {Unit.State.SUBSCRIBED}


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_buyer_is_answered_with_409_instead_of_waiting_for_a_held_lock(personas, settings):
    # given another request holds unit 101's row for 4 s (far beyond the 0.3 s lock timeout)
    settings.SHOWROOM = {**settings.SHOWROOM, "REALESTATE_LOCK_TIMEOUT": 0.3}
    _project, _building, units, _pl = site_make(personas, floors=1, per_floor=1)
    buyer = _buyers(personas, 1)[0]
    locked = threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Unit.objects.select_for_update().get(pk=units[0].pk)
                locked.set()
                time.sleep(4)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    results: list = [None]
    # when a buyer chooses the unit
    challenger = _in_thread(
        lambda: services.subscription_create(
            user=personas.consultant, unit=units[0], customer=buyer, payment_method="full", deposit="50000"
        ),
        results,
        0,
    )
    challenger.start()
    challenger.join(10)
    holder_was_still_holding = holder.is_alive()
    holder.join(10)
    # then he was answered with 409 while the other request still held the lock
    assert results[0][0] == "409", results
    assert holder_was_still_holding
    assert "right now" in results[0][2]
    assert not Subscription.objects.exists()


@pytest.mark.urls("bench.realestate_opening_urls")
@pytest.mark.django_db(transaction=True)
def test_the_opening_benchmark_runs_at_a_tiny_scale(live_server):
    from bench.realestate_opening import replay

    figures = replay(base_url=live_server.url, buyers=6, units=3, clients=3, prepare=True)
    assert figures["double_sales"] == 0
    assert figures["sold"] == 3
    assert "p95" in figures and "baseline_p50" in figures
