"""The Celery app a follow-up test worker runs with ``--beat``: the real showroom app, with a
test-only beat schedule that fires the real follow-ups tick every second (seconds from the
FOLLOWUP_TICK_SECONDS environment variable) instead of every five minutes."""

import os

import django

from showroom.celery import app

django.setup()

app.conf.beat_schedule = {
    "showroom-followups-tick": {
        "task": "showroom.followups_tick",
        "schedule": float(os.environ.get("FOLLOWUP_TICK_SECONDS", "1")),
    },
}

__all__ = ["app"]
