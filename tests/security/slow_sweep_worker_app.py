"""The Celery app of the killed-worker test: the real showroom app, with every follow-up of the
sweep taking SLOW_SWEEP_SECONDS longer, so the test can kill the worker in the middle."""

import os
import time

import django

from showroom.celery import app

django.setup()

from showroom.services import followups  # noqa: E402

_notify_due = followups._notify_due


def _slow_notify_due(*, pk, now):
    done = _notify_due(pk=pk, now=now)
    time.sleep(float(os.environ.get("SLOW_SWEEP_SECONDS", "0.3")))
    return done


followups._notify_due = _slow_notify_due

__all__ = ["app"]
