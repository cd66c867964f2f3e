"""Loaded with ``-p tests.xdist_env`` before Django's settings: under pytest-xdist each process gets
a Redis broker database of its own, so a transactional test's on_commit tasks published by one
process never reach the real Celery worker that another process's test started. gw0 keeps the
configured database, gw1 takes the one below it, and so on. (The settings module reads the
environment once, at import; Celery's configuration cannot be changed reliably afterwards.)"""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_broker = os.environ.get("CELERY_BROKER_URL", "")
_base, _, _number = _broker.rpartition("/")
if _worker.startswith("gw") and _broker.startswith("redis://") and _number.isdigit():
    os.environ["CELERY_BROKER_URL"] = f"{_base}/{int(_number) - int(_worker.removeprefix('gw'))}"
