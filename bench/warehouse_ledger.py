"""Benchmark: the stock ledger's append service and the stock-on-hand list at volume.

Creates a scratch database (PostgreSQL when DATABASE_URL points at one, else a temporary SQLite
file) with N items in stock (levels and bin balances bulk-created, default 20,000), then prints
the median time and query count of stock on hand (page and API, first page and a filtered one)
and the time per move of M appends through ``stock_move_append`` (receipts and issues, default
2,000). Run: .venv/bin/python bench/warehouse_ledger.py [N] [M]
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


def main(n: int, m: int) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with scratch_database():
        run(n, m)


def timed(client, url, repeat: int = 7) -> tuple[float, int]:
    client.get(url)
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


def run(n: int, m: int) -> None:
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from showroom.models import Membership, Role, Store
    from showroom.reference import ensure_reference_data
    from warehouse.models import Bin, BinBalance, Item, ItemCategory, StockLevel, Warehouse
    from warehouse.services import stock_move_append

    ensure_reference_data()
    store = Store.objects.create(code="bench", name="Bench", kind=Store.Kind.WAREHOUSE)
    user = get_user_model().objects.create_user("bench_keeper", password="x")
    Membership.objects.create(user=user, store=store, role=Role.objects.get(code="warehouse_keeper"))
    warehouse = Warehouse.objects.create(store=store, code="main", name="Main")
    bin = Bin.objects.create(warehouse=warehouse, code="A-01")
    categories = [ItemCategory.objects.create(code=f"c{i}", name=f"类别{i}") for i in range(10)]
    start = time.perf_counter()
    items = Item.objects.bulk_create(
        Item(code=f"B{i:06d}", name=f"商品{i}", category=categories[i % 10], reorder_point=Decimal(i % 30))
        for i in range(n)
    )
    StockLevel.objects.bulk_create(
        StockLevel(item=item, warehouse=warehouse, quantity=Decimal(i % 50 + 1), value=Decimal(i % 50 + 1) * 10)
        for i, item in enumerate(items)
    )
    BinBalance.objects.bulk_create(
        BinBalance(item=item, warehouse=warehouse, bin=bin, quantity=Decimal(i % 50 + 1))
        for i, item in enumerate(items)
    )
    print(f"{n} items in stock created in {time.perf_counter() - start:.1f} s ({connection.vendor})")
    web, api = Client(), Client()
    web.force_login(user)
    api.force_login(user)
    for label, client, url in (
        ("page, first page", web, reverse("warehouse:stock")),
        (
            "page, category + below reorder",
            web,
            reverse("warehouse:stock") + f"?category={categories[3].pk}&below_reorder=on",
        ),
        ("page, code search", web, reverse("warehouse:stock") + "?q=B0123"),
        ("API, first page", api, reverse("wh-stock-list")),
        ("API, category", api, reverse("wh-stock-list") + f"?category={categories[3].pk}"),
    ):
        ms, queries = timed(client, url)
        print(f"  stock on hand {label:<34} {ms:7.1f} ms  {queries} queries")
        FIGURES.append(Figure(f"stock on hand {label} median", ms, queries=queries))
    target = items[:20]
    start = time.perf_counter()
    for k in range(m):
        item = target[(k // 2) % len(target)]
        if k % 2 == 0:
            stock_move_append(
                item=item,
                warehouse=warehouse,
                bin=bin,
                quantity=3,
                kind="receipt",
                user=user,
                unit_cost=Decimal(10 + k % 7),
            )
        else:
            stock_move_append(item=item, warehouse=warehouse, bin=bin, quantity=-2, kind="issue", user=user)
    per_move = (time.perf_counter() - start) / m * 1000
    print(f"  stock_move_append: {m} moves, {per_move:.2f} ms per move (each in its own transaction)")
    FIGURES.append(Figure("stock_move_append per move", per_move))


SIZE_N = {"tiny": 100, "small": 20_000, "medium": 100_000, "large": 100_000}

if __name__ == "__main__":
    size, rest = size_from_argv("small")
    n = int(rest[0]) if rest else SIZE_N[size]
    m = int(rest[1]) if len(rest) > 1 else (50 if size == "tiny" else 2_000)
    main(n, m)
    emit(Path(__file__).stem, FIGURES)
