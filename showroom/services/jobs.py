"""Per-store daily jobs driven by one beat tick every five minutes.

Each (store, job, local day) runs once: the JobRun row is created and the job's work done in one
transaction, so a second tick waits on the row and then sees it done, and a worker that dies
mid-job leaves nothing behind and the next tick runs it again.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from showroom.models import JobRun, Store
from showroom.registry import ScheduledJob, scheduled_jobs

logger = logging.getLogger(__name__)


def _due_time(job: ScheduledJob, store: Store) -> dt.time:
    if job.at == "closing":
        return store.closing_time
    hours, minutes = (int(part) for part in job.at.split(":"))
    return dt.time(hours, minutes)


def job_is_due(*, job: ScheduledJob, store: Store, now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    if job.store_kinds and store.kind not in job.store_kinds:
        return False
    if job.on_day is not None and not job.on_day(local.date()):
        return False
    return local.time() >= _due_time(job, store)


def job_run_once(*, job: ScheduledJob, store: Store, day: dt.date) -> bool:
    """Run ``job`` for ``store`` and ``day`` unless it already ran. True when it ran now."""
    try:
        with transaction.atomic():
            run, created = JobRun.objects.get_or_create(
                store=store,
                job=job.code,
                day=day,
                defaults={"status": JobRun.Status.DONE, "started_at": timezone.now()},
            )
            if not created:
                run = JobRun.objects.select_for_update().get(pk=run.pk)
                if run.status == JobRun.Status.DONE:
                    return False
                run.attempts += 1
                run.started_at = timezone.now()
            job.func(store=store, day=day)
            run.status = JobRun.Status.DONE
            run.finished_at = timezone.now()
            run.message = ""
            run.save()
            return True
    except IntegrityError:
        return False  # another tick created the row between our read and our insert
    except Exception as exc:
        logger.exception("scheduled job %s failed for store %s on %s", job.code, store.pk, day)
        with transaction.atomic():
            run, created = JobRun.objects.get_or_create(
                store=store,
                job=job.code,
                day=day,
                defaults={
                    "status": JobRun.Status.FAILED,
                    "started_at": timezone.now(),
                    "message": str(exc)[:2000],
                },
            )
            if not created and run.status != JobRun.Status.DONE:
                JobRun.objects.filter(pk=run.pk).update(
                    status=JobRun.Status.FAILED, attempts=run.attempts + 1, message=str(exc)[:2000]
                )
        return False


def jobs_tick(*, now: dt.datetime | None = None) -> int:
    """Run every job that is due now and has not run today, for every active store."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    ran = 0
    jobs = scheduled_jobs()
    if not jobs:
        return 0
    for store in Store.objects.filter(is_active=True).order_by("pk"):
        for job in jobs:
            if job_is_due(job=job, store=store, now=now) and job_run_once(job=job, store=store, day=day):
                ran += 1
    return ran
