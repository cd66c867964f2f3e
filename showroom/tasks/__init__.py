"""Thin Celery tasks, one module per engine (Celery discovers this package)."""

from showroom.tasks.documents import *  # noqa: F403
from showroom.tasks.exports import *  # noqa: F403
from showroom.tasks.followups import *  # noqa: F403
from showroom.tasks.jobs import *  # noqa: F403
