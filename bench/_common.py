"""What the bench scripts share: the figure they report, the last-line JSON convention that
``bench/run.py`` reads (see bench/README.md), sizes, percentiles, and scratch databases copied from
a migrated template instead of migrating from empty (minutes on a busy two-core machine)."""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "BENCH-JSON "
SIZES = ("tiny", "small", "medium", "large")
PG = "postgres://postgres@127.0.0.1:5432/"


@dataclass
class Figure:
    """One measured figure, with the baseline measured beside it in the same run when there is one."""

    name: str
    value: float
    unit: str = "ms"
    baseline: float | None = None
    baseline_name: str = ""
    ratio: float | None = None
    goal: str = ""
    queries: int | None = None


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showroom.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def size_from_argv(default: str = "small") -> tuple[str, list[str]]:
    """``--size`` (or BENCH_SIZE) and the remaining positional arguments (the scripts' old N)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--size", choices=SIZES, default=os.environ.get("BENCH_SIZE", default))
    known, rest = parser.parse_known_args()
    return known.size, rest


def emit(bench: str, figures: list[Figure]) -> None:
    """The last line of a bench script's output: what run.py's summary shows."""
    print(MARK + json.dumps({"bench": bench, "figures": [asdict(f) for f in figures]}, ensure_ascii=False))
    sys.stdout.flush()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed_get(client, url: str, rounds: int, expect: int = 200) -> tuple[float, float, int]:
    """p50 and p95 in ms of ``rounds`` GETs after one warm-up, and the queries of the last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == expect, (url, response.status_code)
    timings = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    return statistics.median(timings), percentile(timings, 95), len(ctx.captured_queries)


@contextmanager
def scratch_database():
    """A throw-away database for the scripts that build their own data: a copy of BENCH_TEMPLATE
    (a migrated database, set by run.py) when given, else Django's test database (migrated)."""
    from django.conf import settings
    from django.test.utils import get_runner

    template = os.environ.get("BENCH_TEMPLATE")
    if not template:
        runner = get_runner(settings)(verbosity=0)
        old = runner.setup_databases()
        try:
            yield
        finally:
            runner.teardown_databases(old)
        return
    from showroom.scale.database import scale_connection_use, scale_database_create, scale_target

    # "scale" in the name: a bench database is told apart from anybody else's at a glance
    name = f"bench_scale_{Path(sys.argv[0]).stem}_{os.getpid()}"
    target = scale_target(database_url=PG + name)
    scale_database_create(target=target, fresh=True, template=template)
    scale_connection_use(target=target)
    try:
        yield
    finally:
        from django.db import connection

        connection.close()
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()
