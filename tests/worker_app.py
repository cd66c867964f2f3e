"""The Celery app a test worker process runs: the real showroom app, plus a scheduled job the
worker tests register so the tick has something observable to do."""

import django

from showroom.celery import app

django.setup()

from showroom.registry import ScheduledJob, register_scheduled_job  # noqa: E402


def _noop(*, store, day):
    """The JobRun row the tick writes is the effect the test looks for."""


register_scheduled_job(ScheduledJob(code="test.worker", label="worker test", func=_noop, at="00:00"))

__all__ = ["app"]
