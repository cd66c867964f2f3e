"""bench/run.py at the tiny size: it prepares its databases, runs a bench script and reports its
figures through the last-line JSON convention (no timing is asserted). One fast script only: every
script at once takes longer than the suite's budget on a two-core machine; `make bench` runs them
all, and the opening and nightly benches have tiny-scale tests of their own. It builds its own databases
(showroom_scale_template, showroom_scale_tiny and scratch copies), not the test database."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The scale databases have fixed names: under xdist these run on one process, one at a time.
pytestmark = pytest.mark.xdist_group("scale-databases")


@pytest.mark.skipif(
    "postgres" not in __import__("os").environ.get("DATABASE_URL", ""), reason="the benchmarks need PostgreSQL"
)
def test_bench_run_reports_every_script_at_the_tiny_size():
    # when bench/run.py runs at the tiny size
    process = subprocess.run(
        [sys.executable, str(ROOT / "bench/run.py"), "--size=tiny", "--only=customers_list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    # then it ends well and its summary lists the figures of the script it ran
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    summary = process.stdout.split("\nsummary\n", 1)[1]
    sys.path.insert(0, str(ROOT / "bench"))
    import run

    assert "customers_list" in run.discover() and {"realestate_opening", "nightly_report"} <= set(run.discover())
    assert "\ncustomers_list " in "\n" + summary
    assert "FAILED" not in summary
