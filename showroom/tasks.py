"""Thin Celery tasks: they take ids (or nothing), call a service, and are safe to run twice."""

from celery import shared_task

from showroom.services.jobs import jobs_tick


@shared_task(name="showroom.jobs_tick", ignore_result=True)
def jobs_tick_task() -> int:
    return jobs_tick()
