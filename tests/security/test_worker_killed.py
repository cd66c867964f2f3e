"""A worker killed in the middle of the follow-up sweep loses nothing and repeats nothing.

Given thirty due follow-ups and a worker whose sweep takes a moment per follow-up, when the
worker is killed (SIGKILL, as the kernel's OOM killer or a pulled plug would) after it has
reminded some of them, and the next sweep runs on a new worker, then every follow-up is reminded
exactly once. The tasks are acknowledged late and given back if their worker is lost; the sweep
claims each follow-up in its own transaction, so a rerun skips those already done.
"""

import datetime as dt
import signal

import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from showroom.celery import app as showroom_app
from showroom.models import FollowUp, Notification
from showroom.services.followups import followup_plan_schedule
from tests.conftest import wait_for
from tests.factories import CustomerFactory

# One Redis broker for every worker test: under xdist they run on one process, one at a time.
pytestmark = [pytest.mark.xdist_group("celery"), pytest.mark.worker]
COUNT = 30


def test_tasks_are_acknowledged_late_and_retried_on_database_errors():
    from django.db import InterfaceError, OperationalError

    import showroom.tasks  # noqa: F401  (the worker discovers them; a test process imports them)

    assert showroom_app.conf.task_acks_late is True
    assert showroom_app.conf.task_reject_on_worker_lost is True
    for name in (
        "showroom.followups_tick",
        "showroom.jobs_tick",
        "showroom.document_render",
        "showroom.export_job_run",
    ):
        task = showroom_app.tasks[name]
        assert set(task.autoretry_for) >= {OperationalError, InterfaceError}, name
        assert task.retry_backoff, name
        assert task.acks_late and task.reject_on_worker_lost, name


def test_a_sweep_cut_short_by_a_killed_worker_is_finished_by_the_next_with_no_reminder_twice(
    personas, celery_process, tmp_path
):
    customer = CustomerFactory(store=personas.store_a)
    due = [
        followup_plan_schedule(
            plan_code="manual",
            target=customer,
            store=personas.store_a,
            assignee=personas.consultant,
            kind="call",
            due_at=timezone.now() - dt.timedelta(minutes=1),
            title=f"回电 {n}",
        )
        for n in range(COUNT)
    ]
    keys = [f"followup:{f.pk}:due" for f in due]
    broker = Celery(broker=settings.CELERY_BROKER_URL)
    # when a worker starts the sweep and is killed after a few reminders
    worker = celery_process(app="tests.security.slow_sweep_worker_app", extra_env={"SLOW_SWEEP_SECONDS": "0.5"})
    broker.send_task("showroom.followups_tick")
    started = wait_for(lambda: Notification.objects.filter(key__in=keys).count() >= 3, timeout=120)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    assert started, "the first worker never started the sweep"
    halfway = Notification.objects.filter(key__in=keys).count()
    assert halfway < COUNT, "the sweep finished before the kill: slow it down"
    # then the next sweep, on a new worker, reminds the rest
    celery_process(app="tests.security.slow_sweep_worker_app", extra_env={"SLOW_SWEEP_SECONDS": "0"})
    broker.send_task("showroom.followups_tick")
    assert wait_for(lambda: Notification.objects.filter(key__in=keys).count() == COUNT, timeout=120)
    assert not FollowUp.objects.filter(pk__in=[f.pk for f in due], notified_at__isnull=True).exists()
    # and a third sweep sends nothing again
    broker.send_task("showroom.followups_tick")
    wait_for(lambda: False, timeout=3)
    assert Notification.objects.filter(key__in=keys).count() == COUNT
    assert sorted(Notification.objects.filter(key__in=keys).values_list("key", flat=True)) == sorted(keys)
