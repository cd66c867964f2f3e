"""The nightly report's benchmark runs at small scale, in a database of its own (no timing is
asserted: the figures are for people, bench/nightly_report.py at full size)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# The scale databases have fixed names: under xdist these run on one process, one at a time.
pytestmark = pytest.mark.xdist_group("scale-databases")


def test_the_benchmark_runs_at_small_scale_in_its_own_database():
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the benchmark seeds with generate_series (PostgreSQL)")
    # Named after the test database, so it never meets a bench run by hand next to it.
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    done = subprocess.run(
        [sys.executable, "bench/nightly_report.py", "--items", "300", "--moves", "6000"],
        cwd=Path(settings.BASE_DIR),
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "seeded 300 items and 6,000 moves" in out
    assert "plain GROUP BY of every move" in out
    assert "report figures" in out
    assert "whole report with PDF" in out
