"""Benchmark: the customer list (page and API) and search with many customers.

Creates N customers in one store of a scratch database (PostgreSQL when DATABASE_URL points at
one, else a temporary SQLite file), then prints the median time and query count of the first
page, a name search and a phone-digits search. Run: .venv/bin/python bench/customers_list.py [N]
"""

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


def main(n: int) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with scratch_database():
        run(n)


def run(n: int) -> None:
    import random

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from showroom.demo import fake_mobiles, fake_name
    from showroom.models import Customer, Membership, Role, Store
    from showroom.reference import ensure_reference_data

    ensure_reference_data()
    store = Store.objects.create(code="bench", name="基准门店", kind="car")
    user = get_user_model().objects.create_user("bench", password="x")
    Membership.objects.create(user=user, store=store, role=Role.objects.get(code="consultant"))
    rng = random.Random(1)
    now = timezone.now()
    start = time.perf_counter()
    batch = []
    for mobile in fake_mobiles(rng, n):
        batch.append(Customer(store=store, name=fake_name(rng), mobile=mobile, consent_given=True, consent_at=now))
        if len(batch) == 5000:
            Customer.objects.bulk_create(batch)
            batch = []
    Customer.objects.bulk_create(batch)
    print(f"created {n} customers in {time.perf_counter() - start:.1f} s ({connection.vendor})")
    client = Client()
    client.force_login(user)
    cases = {
        "page, first page": "/customers/",
        "page, search name": "/customers/?q=王",
        "page, search phone digits": "/customers/?q=5678",
        "api, first page": "/api/v1/core/customers/",
        f"api, page {min(100, max(1, n // 50))}": f"/api/v1/core/customers/?page={min(100, max(1, n // 50))}",
    }
    print(f"{'case':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in cases.items():
        client.get(url)
        timings = []
        for _ in range(15):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings.sort()
        print(
            f"{label:<28} {statistics.median(timings):>10.1f} {timings[int(len(timings) * 0.95) - 1]:>8.1f} "
            f"{len(ctx.captured_queries):>8}"
        )
        FIGURES.append(
            Figure(f"{label} p50", statistics.median(timings), queries=len(ctx.captured_queries), goal=f"n={n}")
        )


SIZE_N = {"tiny": 200, "small": 10_000, "medium": 100_000, "large": 500_000}

if __name__ == "__main__":
    size, rest = size_from_argv("small")
    n = int(rest[0]) if rest else SIZE_N[size]
    main(n)
    emit(Path(__file__).stem, FIGURES)
