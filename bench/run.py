"""Run every benchmark at one size and print a summary table: ``make bench SIZE=small|medium|large``.

Discovers bench/*.py (not this file, not ``_*`` helpers nor the ``*_settings``/``*_urls`` server modules),
runs each as a script with ``--size SIZE`` and reads its last line, ``BENCH-JSON {...}`` (the
convention in bench/README.md). Before, makes sure the ``seed_scale`` databases the flat,
throughput and PDF benchmarks read exist (``showroom_scale_small`` and ``showroom_scale_<SIZE>``),
seeding them when missing, and a migrated template the other scripts copy their scratch
database from (``showroom_scale_template``: migrating from empty takes minutes).

Run: .venv/bin/python bench/run.py --size small [--only flat,pdf] [--template DB]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from _common import MARK, PG, SIZES  # noqa: E402

SKIP = {"run"}
# a benchmark's server modules (settings, URLconf for its gunicorn), not benchmarks: run as
# scripts they fail ("Apps aren't loaded yet")
SERVER_MODULES = ("_settings", "_urls")
# Order: the scale-database ones first, then the scripts that build their own data.
FIRST = ["flat", "throughput", "pdf"]


def discover() -> list[str]:
    names = [
        p.stem
        for p in sorted(BENCH.glob("*.py"))
        if not p.stem.startswith("_") and p.stem not in SKIP and not p.stem.endswith(SERVER_MODULES)
    ]
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def python() -> str:
    venv = ROOT / ".venv/bin/python"
    return str(venv) if venv.exists() else sys.executable


def database_exists(name: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        conn.close()


def ensure_template(name: str, env: dict) -> None:
    if database_exists(name):
        return
    print(f"creating the migrated template {name} (once; minutes on a busy machine) …", flush=True)
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", host="127.0.0.1", user="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    subprocess.run(
        [python(), "manage.py", "migrate", "-v0"], cwd=ROOT, env=dict(env, DATABASE_URL=PG + name), check=True
    )


def ensure_seeded(size: str, template: str, env: dict) -> str:
    name = f"showroom_scale_{size}"
    if database_exists(name) and _seeded(name):
        return PG + name
    print(f"seeding {name} …", flush=True)
    subprocess.run(
        [
            python(),
            "manage.py",
            "seed_scale",
            f"--size={size}",
            f"--database-url={PG + name}",
            f"--template={template}",
            "--fresh",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return PG + name


def _seeded(name: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(dbname=name, host="127.0.0.1", user="postgres")
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass('realestate_subscription') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT EXISTS (SELECT 1 FROM realestate_subscription)")
            return cursor.fetchone()[0]
    finally:
        conn.close()


def run_one(name: str, size: str, env: dict) -> tuple[dict | None, float, str]:
    start = time.perf_counter()
    process = subprocess.run(
        [python(), str(BENCH / f"{name}.py"), f"--size={size}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    took = time.perf_counter() - start
    lines = process.stdout.splitlines()
    for line in lines:
        if not line.startswith(MARK):
            print(f"  {line}")
    result = None
    if lines and lines[-1].startswith(MARK):
        result = json.loads(lines[-1][len(MARK) :])
    error = "" if process.returncode == 0 else (process.stderr.strip().splitlines() or ["failed"])[-1]
    return result, took, error


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def summary(results: list[tuple[str, dict | None, float, str]]) -> None:
    print("\nsummary")
    print(f"{'bench':<22} {'figure':<44} {'value':>10} {'unit':<6} {'baseline':>10} {'ratio':>6} {'goal':<8}")
    for name, result, took, error in results:
        if result is None:
            print(f"{name:<22} {'FAILED: ' + error[:100]}")
            continue
        for f in result["figures"]:
            print(
                f"{name:<22} {f['name'][:44]:<44} {_fmt(f['value']):>10} {f['unit']:<6} "
                f"{_fmt(f.get('baseline')):>10} {_fmt(f.get('ratio')):>6} {f.get('goal', ''):<8}"
            )
        print(f"{name:<22} {'(took ' + format(took, '.0f') + ' s)':<44}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, default=os.environ.get("SIZE") or "small")
    parser.add_argument("--only", help="comma-separated bench names")
    parser.add_argument("--template", default=os.environ.get("BENCH_TEMPLATE") or "showroom_scale_template")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", PG + "showroom_scale_template")
    ensure_template(args.template, env)
    baseline = "tiny" if args.size == "tiny" else "small"
    env["SCALE_SMALL_URL"] = ensure_seeded(baseline, args.template, env)
    env["SCALE_URL"] = ensure_seeded(args.size, args.template, env)
    env["BENCH_TEMPLATE"] = args.template
    env["DATABASE_URL"] = env["SCALE_URL"]  # the scripts switch to their own databases
    names = discover()
    if args.only:
        wanted = args.only.split(",")
        names = [n for n in names if n in wanted]
    results = []
    for name in names:
        print(f"== {name} ({args.size})", flush=True)
        result, took, error = run_one(name, args.size, env)
        if error:
            print(f"  failed: {error}")
        results.append((name, result, took, error))
    summary(results)
    return 0 if all(not e for *_, e in results) else 1


if __name__ == "__main__":
    sys.exit(main())
