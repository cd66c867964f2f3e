"""The per-store jobs tick."""

from celery import shared_task

from showroom.services.jobs import jobs_tick
from showroom.tasks.retry import DATABASE_RETRY


@shared_task(name="showroom.jobs_tick", ignore_result=True, **DATABASE_RETRY)
def jobs_tick_task() -> int:
    return jobs_tick()


__all__ = ["jobs_tick_task"]
