"""Benchmark: the global search (showroom/selectors/search.py) with many customers.

Creates N customers (default 200,000; the issue's million takes too long to create for a quick
run, pass it as N when you have the time) in one store of a scratch database, a walk-in with a
plate for every fifth customer, then prints the median time and the query count of a search by
the last four digits of a mobile, by name and by plate: first without the trigram indexes of
migration 0007, then with them, and the plan PostgreSQL picks for the customers' query.

PostgreSQL when DATABASE_URL points at one (the indexes exist only there), else a temporary
SQLite file (no indexes to compare; the scans are timed once).
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/showroom .venv/bin/python bench/search.py [N]
(the test runner creates and drops its own ``test_…`` database).
"""

import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _common import Figure, emit, scratch_database, size_from_argv  # noqa: E402

FIGURES: list[Figure] = []  # what this run measured, for bench/run.py's summary (bench/README.md)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showroom.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PROVINCES = "京沪粤苏浙川鲁豫鄂湘"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
REPEAT = 15
SUFFIX = [""]  # which half of the run the figures belong to


def main(n: int) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with scratch_database():
        run(n)


def fake_plate(rng) -> str:
    tail = "".join(rng.choice(LETTERS + "0123456789") for _ in range(5))
    return f"{rng.choice(PROVINCES)}{rng.choice(LETTERS)}{tail}"


def populate(n: int):
    import random

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from showroom.demo import fake_mobiles, fake_name
    from showroom.models import Customer, Membership, ReceptionShift, Role, Store, Visit, VisitSource
    from showroom.reference import ensure_reference_data

    ensure_reference_data()
    store = Store.objects.create(code="bench", name="基准门店", kind="car")
    user = get_user_model().objects.create_user("bench", password="x")
    Membership.objects.create(user=user, store=store, role=Role.objects.get(code="consultant"))
    source = VisitSource.objects.filter(store__isnull=True).first() or VisitSource.objects.create(
        code="bench", name="基准"
    )
    now = timezone.now()
    shift = ReceptionShift.objects.create(store=store, receptionist=user, opened_at=now)
    rng = random.Random(1)
    start = time.perf_counter()
    batch: list = []
    for mobile in fake_mobiles(rng, n):
        batch.append(Customer(store=store, name=fake_name(rng), mobile=mobile, consent_given=True, consent_at=now))
        if len(batch) == 5000:
            Customer.objects.bulk_create(batch)
            batch = []
    Customer.objects.bulk_create(batch)
    customer_ids = list(Customer.objects.filter(store=store).values_list("pk", flat=True))
    visits = [
        Visit(
            store=store,
            counted_shift=shift,
            current_shift=shift,
            arrived_at=now,
            left_at=now,
            source=source,
            licence_plate=fake_plate(rng),
            customer_id=customer_id,
            logged_by=user,
        )
        for customer_id in customer_ids[::5]
    ]
    Visit.objects.bulk_create(visits, batch_size=5000)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    took = time.perf_counter() - start
    print(f"created {n} customers and {len(visits)} walk-ins in {took:.1f} s ({connection.vendor})")
    sample = Customer.objects.filter(store=store).order_by("pk")[n // 2]
    three = next(c for c in Customer.objects.filter(store=store).order_by("pk")[n // 3 :] if len(c.name) >= 3)
    plate = visits[len(visits) // 2].licence_plate
    return user, {
        "last four digits": sample.mobile[-4:],
        "name (two chars)": sample.name[:2],
        "name (contains)": three.name,
        "plate (whole)": plate,
        "plate (part)": plate[1:5],
    }


def time_cases(user, cases: dict[str, str]) -> None:
    from django.contrib.auth import get_user_model

    from showroom.selectors.search import search_everything

    print(f"{'case':<20} {'q':<12} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'customers':>10}")
    for label, q in cases.items():
        timings = []
        for _ in range(REPEAT):
            fresh = get_user_model().objects.get(pk=user.pk)  # memberships read as in a request
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                results = search_everything(user=fresh, q=q)
                timings.append((time.perf_counter() - t0) * 1000)
        timings.sort()
        print(
            f"{label:<20} {q:<12} {statistics.median(timings):>10.1f} {timings[int(len(timings) * 0.95) - 1]:>8.1f} "
            f"{len(ctx.captured_queries):>8} {len(results.get('customers', [])):>10}"
        )
        FIGURES.append(Figure(f"{label} p50{SUFFIX[0]}", statistics.median(timings), queries=len(ctx.captured_queries)))


def explain(user, cases: dict[str, str]) -> None:
    """The plans of the customers' and the walk-ins' queries for each case."""
    from django.contrib.auth import get_user_model

    from showroom.selectors.search import search_everything

    for label, q in cases.items():
        fresh = get_user_model().objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as ctx:
            search_everything(user=fresh, q=q)
        for query in ctx.captured_queries:
            if 'FROM "showroom_customer"' in query["sql"] or 'FROM "showroom_visit"' in query["sql"]:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN {query['sql']}")
                    plan = [row[0] for row in cursor.fetchall()]
                used = sorted({word for line in plan for word in line.split() if word.endswith(("_trgm", "_prefix"))})
                table = "visits" if 'FROM "showroom_visit"' in query["sql"] else "customers"
                print(f"  {label:<18} {table:<10} search indexes used: {', '.join(used) or 'none'}")
                print("    " + "\n    ".join(plan[:6]))


def run(n: int) -> None:
    user, cases = populate(n)
    if connection.vendor != "postgresql":
        print("SQLite: no trigram indexes; every search scans.")
        time_cases(user, cases)
        return
    migration = importlib.import_module("showroom.migrations.0007_search_indexes")
    with connection.schema_editor() as editor:
        migration.drop_search_indexes(None, editor)
    print("\nwithout the trigram indexes")
    SUFFIX[0] = " (no trigram indexes)"
    time_cases(user, cases)
    with connection.schema_editor() as editor:
        migration.create_search_indexes(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print("\nwith the trigram indexes")
    SUFFIX[0] = ""
    time_cases(user, cases)
    print("\nplans")
    explain(user, cases)


SIZE_N = {"tiny": 500, "small": 20_000, "medium": 200_000, "large": 1_000_000}

if __name__ == "__main__":
    size, rest = size_from_argv("small")
    n = int(rest[0]) if rest else SIZE_N[size]
    main(n)
    emit(Path(__file__).stem, FIGURES)
