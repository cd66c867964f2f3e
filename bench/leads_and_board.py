"""Benchmark: years of leads and front-desk visits in one store.

Creates N leads (one customer each, spread over three years, every grade and state) and N/10
visits, then prints the median time and query count of: my leads (page and API), the lead list
(page and API, first page and a filtered one), the front-desk board and the manager dashboard (this
month, and a custom period of the last year). Run:
    .venv/bin/python bench/leads_and_board.py [N]     (default 50,000; PostgreSQL via DATABASE_URL)
"""

import datetime as dt
import os
import random
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
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from leads.models import Lead
    from showroom.demo import fake_mobiles, fake_name
    from showroom.models import Customer, Membership, Role, Store, Visit
    from showroom.reference import ensure_reference_data
    from showroom.selectors.frontdesk import visit_sources_for
    from showroom.services.frontdesk import shift_open

    ensure_reference_data()
    store = Store.objects.create(code="bench", name="基准门店", kind="car")
    users = get_user_model().objects
    consultants = [users.create_user(f"c{i}", password="x") for i in range(8)]
    receptionist = users.create_user("desk", password="x")
    roles = {r.code: r for r in Role.objects.all()}
    for c in consultants:
        Membership.objects.create(user=c, store=store, role=roles["consultant"])
    Membership.objects.create(user=receptionist, store=store, role=roles["receptionist"])
    manager = users.create_user("boss", password="x")
    Membership.objects.create(user=manager, store=store, role=roles["showroom_manager"])
    rng = random.Random(7)
    now = timezone.now()
    t0 = time.perf_counter()
    customers = Customer.objects.bulk_create(
        Customer(store=store, name=fake_name(rng), mobile=mobile, consent_given=True, consent_at=now)
        for mobile in fake_mobiles(rng, n)
    )
    states = [s for s, _ in Lead.State.choices]
    leads = []
    for i, customer in enumerate(customers):
        state = rng.choice(states)
        leads.append(
            Lead(
                store=store,
                customer=customer,
                consultant=consultants[i % len(consultants)],
                created_by=consultants[i % len(consultants)],
                source="walk_in",
                grade=rng.choice("HABC"),
                state=state,
            )
        )
    Lead.objects.bulk_create(leads, batch_size=5000)
    # spread creation over three years
    Lead.objects.filter(store=store).update(created_at=now)
    with connection.cursor() as cursor:
        table = Lead._meta.db_table
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {table} SET created_at = created_at - (id % 1095) * interval '1 day'")
    shift = shift_open(store=store, user=receptionist)
    source = visit_sources_for(store=store)[0]
    Visit.objects.bulk_create(
        Visit(
            store=store,
            counted_shift=shift,
            current_shift=shift,
            arrived_at=now - dt.timedelta(days=i % 1000, minutes=i % 600),
            party_size=1,
            purpose="look",
            first_visit=True,
            source=source,
            customer=customers[i],
            consultant=consultants[i % len(consultants)],
            logged_by=receptionist,
            left_at=now - dt.timedelta(days=i % 1000) if i % 1000 else None,
        )
        for i in range(n // 10)
    )
    print(f"created {n} leads and {n // 10} visits in {time.perf_counter() - t0:.1f} s ({connection.vendor})")

    consultant = Client()
    consultant.force_login(consultants[0])
    desk = Client()
    desk.force_login(receptionist)
    boss = Client()
    boss.force_login(manager)
    today = timezone.localdate()
    year = f"period=custom&from={today - dt.timedelta(days=365):%Y-%m-%d}&to={today:%Y-%m-%d}"
    cases = [
        ("my leads page", consultant, "/leads/"),
        ("my leads API", consultant, "/api/v1/leads/leads/mine/"),
        ("lead list page", consultant, "/leads/all/"),
        ("lead list API, grade H", consultant, "/api/v1/leads/leads/?grade=H"),
        # a consultant's own leads: one in eight of the store's
        (
            f"lead list API, page {min(50, max(1, n // 400))}",
            consultant,
            f"/api/v1/leads/leads/?page={min(50, max(1, n // 400))}",
        ),
        ("front-desk board", desk, "/frontdesk/"),
        ("visits API today", desk, f"/api/v1/core/frontdesk-visits/?store={store.pk}"),
        ("dashboard, this month", boss, "/dashboard/?period=month"),
        ("dashboard, last year", boss, f"/dashboard/?{year}"),
    ]
    print(f"{'case':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, client, url in cases:
        first = client.get(url)
        if first.status_code != 200:
            print(f"{label:<28} HTTP {first.status_code}")
            continue
        timings = []
        for _ in range(15):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - t) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{label:<28} {statistics.median(timings):>10.1f} {p95:>8.1f} {len(ctx.captured_queries):>8}")
        FIGURES.append(Figure(f"{label} p50", statistics.median(timings), queries=len(ctx.captured_queries)))


SIZE_N = {"tiny": 200, "small": 10_000, "medium": 50_000, "large": 1_000_000}

if __name__ == "__main__":
    size, rest = size_from_argv("small")
    n = int(rest[0]) if rest else SIZE_N[size]
    main(n)
    emit(Path(__file__).stem, FIGURES)
