"""Per-store scheduled jobs and the registry's seeders."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from showroom.models import JobRun
from showroom.registry import (
    ScheduledJob,
    register_scheduled_job,
    register_seeder,
    registry,
    seeders_in_order,
    unregister,
)
from showroom.services.jobs import jobs_tick

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def only_test_jobs():
    """The apps register real jobs (front-desk reports, leads); these tests count their own."""
    saved = dict(registry.scheduled_jobs)
    registry.scheduled_jobs.clear()
    yield
    registry.scheduled_jobs.clear()
    registry.scheduled_jobs.update(saved)


@pytest.fixture
def counting_job():
    calls = []

    def work(*, store, day):
        calls.append((store.pk, day))

    register_scheduled_job(ScheduledJob(code="test.close", label="close", func=work, at="closing"))
    yield calls
    unregister("scheduled_jobs", "test.close")


@pytest.mark.django_db
class TestJobRun:
    def test_tick_twice_at_the_same_minute_runs_once(self, personas, counting_job):
        now = dt.datetime(2026, 11, 27, 18, 5, tzinfo=SHANGHAI)
        assert jobs_tick(now=now) == 2  # stores A and B close at 18:00
        assert jobs_tick(now=now) == 0
        assert len(counting_job) == 2
        assert JobRun.objects.filter(job="test.close", status="done").count() == 2

    def test_not_before_the_stores_local_time(self, personas, counting_job):
        assert jobs_tick(now=dt.datetime(2026, 11, 27, 17, 55, tzinfo=SHANGHAI)) == 0
        assert not JobRun.objects.exists()

    def test_a_failed_job_is_retried_at_the_next_tick(self, personas):
        attempts = []

        def flaky(*, store, day):
            attempts.append(store.pk)
            if len(attempts) == 1:
                raise RuntimeError("printer jammed")

        register_scheduled_job(
            ScheduledJob(code="test.flaky", label="flaky", func=flaky, at="02:00", store_kinds=("car",))
        )
        try:
            personas.store_b.kind = "warehouse"
            personas.store_b.save()
            now = dt.datetime(2026, 11, 27, 2, 5, tzinfo=SHANGHAI)
            jobs_tick(now=now)
            run = JobRun.objects.get(job="test.flaky")
            assert (run.status, run.message) == ("failed", "printer jammed")
            jobs_tick(now=now)
            run.refresh_from_db()
            assert (run.status, run.attempts) == ("done", 2)
            assert attempts == [personas.store_a.pk, personas.store_a.pk]
        finally:
            unregister("scheduled_jobs", "test.flaky")


@pytest.mark.django_db(transaction=True)
def test_two_ticks_racing_run_each_job_once(personas, counting_job):
    now = dt.datetime(2026, 11, 27, 18, 5, tzinfo=SHANGHAI)
    barrier = threading.Barrier(2)
    results = []

    def tick():
        try:
            barrier.wait()
            results.append(jobs_tick(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 2
    assert len(counting_job) == 2
    assert JobRun.objects.count() == 2


class TestSeeders:
    def test_run_in_dependency_order_and_a_cycle_is_refused(self):
        saved = dict(registry.seeders)
        try:
            registry.seeders.clear()
            register_seeder("b", lambda *, stdout: None, depends_on=["a"])
            register_seeder("a", lambda *, stdout: None, depends_on=["core"])
            register_seeder("core", lambda *, stdout: None)
            assert [s.code for s in seeders_in_order()] == ["core", "a", "b"]
            register_seeder("core", lambda *, stdout: None, depends_on=["b"])
            with pytest.raises(ValueError, match="cycle"):
                seeders_in_order()
        finally:
            registry.seeders.clear()
            registry.seeders.update(saved)


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_runs_a_registered_seeder():
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from showroom.models import Customer, Store

    ran = []
    register_seeder("test.fake", lambda *, stdout: ran.append(Store.objects.count()), depends_on=["core"])
    try:
        call_command("seed_demo", stdout=StringIO())
        counts = (Store.objects.count(), get_user_model().objects.count(), Customer.objects.count())
        call_command("seed_demo", stdout=StringIO())
        assert (Store.objects.count(), get_user_model().objects.count(), Customer.objects.count()) == counts
    finally:
        unregister("seeders", "test.fake")
    assert counts[0] == 5
    assert ran == [5, 5]  # after the core seeder, both times


def test_a_failed_condition_is_a_conflict_not_a_refusal_of_the_person(personas):
    """The runner answers 409 when the person may run the step but its conditions are not met
    (django-fsm's has_transition_perm would also evaluate the conditions and answer 403)."""
    from leads.models import Lead
    from showroom.services.transitions import TransitionConflict, transition_run
    from tests.leads.factories import LeadFactory

    lead = LeadFactory(store=personas.store_a, consultant=personas.consultant, state=Lead.State.VISITED)
    # "lose" is allowed to a manager but its condition (an approved lost request) is not met
    with pytest.raises(TransitionConflict):
        transition_run(instance=lead, name="lose", user=personas.showroom_manager)
    # and a person without the permission is still refused
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        transition_run(instance=lead, name="lose", user=personas.receptionist)
    lead.refresh_from_db()
    assert lead.state == Lead.State.VISITED
