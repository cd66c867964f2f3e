"""Benchmark: the sales-control grid (page, live poll, API) of one project with N units.

Creates an open project with its five permits, 4 buildings and N units (a quarter of them sold,
some held) in a scratch database (PostgreSQL when DATABASE_URL points at one, else a temporary
SQLite file), then prints the median and p95 time and the query count of the grid page, the live
poll when nothing changed (204) and after a change, and the grid API.
Run: .venv/bin/python bench/realestate_grid.py [N]   (default 2,000)
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


def _measure(client, label, url, *, expect=200, before=None, rounds=21):
    client.get(url)
    timings = []
    for _ in range(rounds):
        if before is not None:
            url = before()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == expect, (url, response.status_code)
    timings.sort()
    print(
        f"{label:<34} {statistics.median(timings):>10.1f} {timings[int(len(timings) * 0.95) - 1]:>8.1f} "
        f"{len(ctx.captured_queries):>8}"
    )
    FIGURES.append(Figure(f"{label} p50", statistics.median(timings), queries=len(ctx.captured_queries)))


def run(n: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.db.models import Max
    from django.test import Client
    from django.utils import timezone

    from realestate.models import Building, Permit, PriceList, PriceListBuilding, Project, Unit
    from showroom.models import Membership, Role, Store
    from showroom.reference import ensure_reference_data

    ensure_reference_data()
    store = Store.objects.create(code="bench", name="基准案场", kind="property")
    user = get_user_model().objects.create_user("bench", password="x")
    Membership.objects.create(user=user, store=store, role=Role.objects.get(code="consultant"))
    project = Project.objects.create(
        store=store,
        code="bench",
        name="基准楼盘",
        fund_bank="银行",
        fund_account_name="监管户",
        fund_account_no="1",
        state=Project.State.OPEN,
    )
    per_building = n // 4
    per_floor = 8
    buildings = [Building.objects.create(project=project, name=f"{i + 1}号楼", order=i) for i in range(4)]
    for kind in Permit.Kind.values:
        permit = Permit.objects.create(
            project=project,
            kind=kind,
            number=kind,
            issued_on=dt.date(2026, 1, 1),
            scan=ContentFile(b"%PDF", name=f"{kind}.pdf"),
            max_price_per_m2=Decimal("40000") if kind == "presale" else None,
        )
        if kind == "presale":
            permit.buildings.set(buildings)
    states = ["available", "available", "available", "subscribed", "signed", "held"]
    start = time.perf_counter()
    units = []
    for b in buildings:
        for i in range(per_building):
            floor, pos = divmod(i, per_floor)
            units.append(
                Unit(
                    store=store,
                    project=project,
                    building=b,
                    floor=floor + 1,
                    number=f"{floor + 1}{pos + 1:02d}",
                    built_area=Decimal("98.50"),
                    inner_area=Decimal("80.00"),
                    layout="三室两厅",
                    orientation="south" if pos % 2 else "north",
                    state=states[i % len(states)],
                    holder=user if states[i % len(states)] != "available" else None,
                )
            )
    Unit.objects.bulk_create(units, batch_size=2000)
    price_list = PriceList.objects.create(
        project=project,
        version=1,
        state=PriceList.State.APPROVED,
        effective_from=timezone.localdate() - dt.timedelta(days=1),
        approved_at=timezone.now() - dt.timedelta(days=1),
        floor_step=Decimal("100"),
        orientation_adjustments={"south": "500"},
        method_discounts={"full": "3"},
        created_by=user,
    )
    PriceListBuilding.objects.bulk_create(
        [PriceListBuilding(price_list=price_list, building=b, base_price_per_m2=Decimal("20000")) for b in buildings]
    )
    total = Unit.objects.filter(project=project).count()
    print(f"created {total} units in {time.perf_counter() - start:.1f} s ({connection.vendor})")
    client = Client()
    client.force_login(user)

    def stamp() -> str:
        from urllib.parse import quote

        latest = Unit.objects.filter(project=project).aggregate(m=Max("changed_at"))["m"]
        return quote(latest.isoformat())

    def touch() -> str:
        # another user changes one unit: the next poll returns the new grid
        before = stamp()
        unit = Unit.objects.filter(project=project, state="available").order_by("?").first()
        Unit.objects.filter(pk=unit.pk).update(changed_at=timezone.now())
        return f"/realestate/projects/{project.pk}/grid/live/?v={before}"

    print(f"{'case':<34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    _measure(client, "grid page", f"/realestate/projects/{project.pk}/grid/")
    _measure(
        client,
        "live poll, nothing changed (204)",
        f"/realestate/projects/{project.pk}/grid/live/?v={stamp()}",
        expect=204,
    )
    _measure(client, "live poll, a unit changed", "", before=touch)
    _measure(client, "grid API", f"/api/v1/realestate/projects/{project.pk}/grid/")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        with cProfile.Profile() as prof:
            client.get(f"/realestate/projects/{project.pk}/grid/")
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


SIZE_N = {"tiny": 96, "small": 2_000, "medium": 2_000, "large": 2_000}

if __name__ == "__main__":
    size, rest = size_from_argv("small")
    n = int(rest[0]) if rest else SIZE_N[size]
    main(n)
    emit(Path(__file__).stem, FIGURES)
