"""A real Celery worker with its beat, on Redis: the beat schedules the follow-ups tick, the worker
runs it, and a reminder for a due follow-up lands in the database."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from showroom.models import FollowUp, Notification
from showroom.services.followups import followup_plan_schedule
from tests.conftest import wait_for
from tests.factories import CustomerFactory

# One Redis broker for every worker test: under xdist they run on one process, one at a time.
pytestmark = [pytest.mark.xdist_group("celery"), pytest.mark.worker]


def test_the_beat_fires_the_tick_and_a_due_followup_is_reminded_once(personas, celery_process, tmp_path):
    # given a follow-up that fell due a minute ago, and one due tomorrow
    customer = CustomerFactory(store=personas.store_a, name="王芳")
    common = {
        "plan_code": "manual",
        "target": customer,
        "store": personas.store_a,
        "assignee": personas.consultant,
        "kind": "call",
    }
    due = followup_plan_schedule(**common, due_at=timezone.now() - dt.timedelta(minutes=1), title="回电确认")
    later = followup_plan_schedule(**common, due_at=timezone.now() + dt.timedelta(days=1), title="明天回访")
    # when a worker runs with its beat (a test schedule: the tick every second)
    proc = celery_process(
        beat=True, app="tests.followup_worker_app", extra_env={"FOLLOWUP_TICK_SECONDS": "1"}, tmp=tmp_path
    )
    # then the reminder appears for the assignee, written by the worker
    found = wait_for(
        lambda: Notification.objects.filter(user=personas.consultant, key=f"followup:{due.pk}:due").exists(),
        timeout=90,
    )
    if not found:
        proc.terminate()
        print(proc.stdout.read() if proc.stdout else "")
    assert found
    # and later ticks (the beat keeps firing every second) never send it again
    first = Notification.objects.get(key=f"followup:{due.pk}:due")
    assert wait_for(lambda: FollowUp.objects.get(pk=due.pk).notified_at is not None, timeout=10)
    time.sleep(3)
    assert Notification.objects.filter(key=f"followup:{due.pk}:due").count() == 1
    assert Notification.objects.get(pk=first.pk).created_at == first.created_at
    assert not Notification.objects.filter(key=f"followup:{later.pk}:due").exists()
    assert FollowUp.objects.get(pk=later.pk).notified_at is None
