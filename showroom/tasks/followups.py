"""Celery tasks of the followups engine: thin, take ids, safe to run twice."""

from celery import shared_task

from showroom.services.followups import followups_tick
from showroom.tasks.retry import DATABASE_RETRY


@shared_task(name="showroom.followups_tick", ignore_result=True, **DATABASE_RETRY)
def followups_tick_task() -> dict[str, int]:
    """Every five minutes (beat entry "showroom-followups-tick"): remind the assignees of due
    follow-ups and escalate overdue ones. Running it twice notifies and escalates once."""
    return followups_tick()


__all__ = ["followups_tick_task"]
