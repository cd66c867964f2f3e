"""A real Celery worker on Redis (not eager) runs a task and its effect lands in the database."""

import pytest

from showroom.models import JobRun
from showroom.tasks import jobs_tick_task
from tests.conftest import wait_for

# One Redis broker for every worker test: under xdist they run on one process, one at a time.
pytestmark = [pytest.mark.xdist_group("celery"), pytest.mark.worker]


def test_worker_runs_the_jobs_tick_and_writes_job_runs(personas, celery_process):
    # given a worker process consuming from Redis
    proc = celery_process()
    # when the tick is sent through the broker (not run eagerly)
    result = jobs_tick_task.apply_async()
    assert result.id
    # then the worker's JobRun rows appear in the test database, once per store
    found = wait_for(lambda: JobRun.objects.filter(job="test.worker").count() == 2, timeout=60)
    if not found:
        proc.terminate()
        print(proc.stdout.read() if proc.stdout else "")
    assert found
    assert set(JobRun.objects.filter(job="test.worker").values_list("store_id", flat=True)) == {
        personas.store_a.pk,
        personas.store_b.pk,
    }
