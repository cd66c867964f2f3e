"""Benchmark: an opening day (开盘) replayed over HTTP.

Buyers choose in VIP order; ``clients`` site screens send at once. Each buyer's consultant tries
units (POST /api/v1/realestate/subscriptions/) until one is won (201) or none is left; a 409 means
another buyer has it, so the screen marks it taken and tries the next. Prints the time to sell
out, requests per second, p50/p95/p99 latency, the number of double sales (must be 0) and, beside
them, a plain one-query Django view measured in the same run with the same concurrency.

Run against gunicorn and PostgreSQL (a scratch test database is created and dropped; with
BENCH_EXISTING_DB=1 the database of DATABASE_URL is used as it is):
    DATABASE_URL=postgres://…/showroom .venv/bin/python bench/realestate_opening.py [buyers units clients]
defaults 1,000 buyers, 300 units, 32 clients. The test suite calls ``replay`` at a tiny scale
against its live server (``bench.realestate_opening_urls`` adds the one-query view).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BASELINE_PATH = "/bench/one-query/"
PASSWORD = "opening-bench"


def prepare(*, buyers: int, units: int, clients: int) -> dict:
    """An open project with ``units`` units, one consultant (with an API token) per client and
    the buyers as customers, in VIP order."""
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from realestate.models import Building, Permit, PriceList, PriceListBuilding, Project, Unit
    from showroom.models import Customer, Membership, Role, Store
    from showroom.reference import ensure_reference_data

    ensure_reference_data()
    store = Store.objects.create(code=f"open{Store.objects.count()}", name="开盘案场", kind="property")
    consultant = Role.objects.get(code="consultant")
    tokens = []
    for i in range(clients):
        user = get_user_model().objects.create_user(f"screen{store.pk}-{i}", password=PASSWORD)
        Membership.objects.create(user=user, store=store, role=consultant)
        tokens.append(Token.objects.create(user=user).key)
    project = Project.objects.create(
        store=store,
        code="open",
        name="开盘楼盘",
        fund_bank="银行",
        fund_account_name="监管户",
        fund_account_no="1",
        state=Project.State.OPEN,
    )
    building = Building.objects.create(project=project, name="1号楼", order=1)
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
            permit.buildings.set([building])
    per_floor = 8
    rows = [
        Unit(
            store=store,
            project=project,
            building=building,
            floor=i // per_floor + 1,
            number=f"{i // per_floor + 1}{i % per_floor + 1:02d}",
            built_area=Decimal("98.50"),
            inner_area=Decimal("80.00"),
            orientation="south",
        )
        for i in range(units)
    ]
    unit_ids = [u.pk for u in Unit.objects.bulk_create(rows)]
    price_list = PriceList.objects.create(
        project=project,
        version=1,
        state=PriceList.State.APPROVED,
        effective_from=timezone.localdate() - dt.timedelta(days=1),
        approved_at=timezone.now() - dt.timedelta(days=1),
        floor_step=Decimal("100"),
        orientation_adjustments={},
        method_discounts={"full": "3"},
        created_by_id=Membership.objects.filter(store=store).first().user_id,
    )
    PriceListBuilding.objects.create(price_list=price_list, building=building, base_price_per_m2=Decimal("20000"))
    mobiles = [f"+86139{i:08d}" for i in range(buyers)]  # unique within the store
    Customer.objects.bulk_create(
        [
            Customer(store=store, name=f"买家{i + 1}", mobile=m, consent_given=True, consent_at=timezone.now())
            for i, m in enumerate(mobiles)
        ]
    )
    return {"project": project.pk, "units": unit_ids, "tokens": tokens, "mobiles": mobiles}


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def replay(*, base_url: str, buyers: int, units: int, clients: int, prepare_data: dict | None = None, prepare=False):
    """Run the opening and the baseline; return (and print) the figures."""
    import requests

    if prepare:
        prepare_data = globals()["prepare"](buyers=buyers, units=units, clients=clients)
    data = prepare_data
    url = base_url.rstrip("/") + "/api/v1/realestate/subscriptions/"
    taken: set[int] = set()
    taken_lock = threading.Lock()
    latencies: list[float] = []
    wins: dict[int, int] = {}
    queue = list(enumerate(data["mobiles"]))  # VIP order
    queue_lock = threading.Lock()
    errors: list[str] = []

    def screen(token: str) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        while True:
            with queue_lock:
                if not queue:
                    return
                n, mobile = queue.pop(0)
            offset = n % len(data["units"])
            for k in range(len(data["units"])):
                unit = data["units"][(offset + k) % len(data["units"])]
                with taken_lock:
                    if unit in taken:
                        continue
                t0 = time.perf_counter()
                response = session.post(
                    url, json={"unit": unit, "mobile": mobile, "payment_method": "full", "deposit": "20000"}
                )
                latencies.append(time.perf_counter() - t0)
                if response.status_code == 201:
                    with taken_lock:
                        taken.add(unit)
                        wins[unit] = wins.get(unit, 0) + 1
                    break
                if response.status_code == 409:
                    with taken_lock:
                        taken.add(unit)
                    continue
                errors.append(f"{response.status_code} {response.text[:200]}")
                return
            else:
                continue

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(screen, data["tokens"]))
    sell_out = time.perf_counter() - start
    requests_made = len(latencies)

    from realestate.models import Subscription
    from realestate.models.sales import LIVE_SUBSCRIPTION_STATES

    live = Subscription.objects.filter(project_id=data["project"], state__in=LIVE_SUBSCRIPTION_STATES)
    sold = live.count()
    double_sales = sold - live.values("unit").distinct().count() + sum(c - 1 for c in wins.values() if c > 1)

    baseline: list[float] = []
    baseline_url = base_url.rstrip("/") + BASELINE_PATH + str(data["units"][0]) + "/"

    def probe(_n: int) -> None:
        session = requests.Session()
        for _ in range(max(requests_made // clients, 5)):
            t0 = time.perf_counter()
            response = session.get(baseline_url)
            baseline.append(time.perf_counter() - t0)
            if response.status_code != 200:
                errors.append(f"baseline {response.status_code}")
                return

    b_start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(probe, range(clients)))
    b_elapsed = time.perf_counter() - b_start
    figures = {
        "buyers": buyers,
        "units": units,
        "clients": clients,
        "sold": sold,
        "double_sales": double_sales,
        "sell_out_s": round(sell_out, 3),
        "requests": requests_made,
        "rps": round(requests_made / sell_out, 1) if sell_out else 0.0,
        "p50": round(_percentile(latencies, 50) * 1000, 1),
        "p95": round(_percentile(latencies, 95) * 1000, 1),
        "p99": round(_percentile(latencies, 99) * 1000, 1),
        "baseline_rps": round(len(baseline) / b_elapsed, 1) if b_elapsed else 0.0,
        "baseline_p50": round(_percentile(baseline, 50) * 1000, 1),
        "baseline_p95": round(_percentile(baseline, 95) * 1000, 1),
        "baseline_p99": round(_percentile(baseline, 99) * 1000, 1),
        "errors": errors[:5],
    }
    print(
        f"opening: {buyers} buyers, {units} units, {clients} clients: sold {sold} in {figures['sell_out_s']} s, "
        f"{requests_made} requests, {figures['rps']} req/s, p50 {figures['p50']} ms, p95 {figures['p95']} ms, "
        f"p99 {figures['p99']} ms, double sales {double_sales}"
    )
    print(
        f"one-query view: {len(baseline)} requests, "
        f"{figures['baseline_rps']} req/s, p50 {figures['baseline_p50']} ms, "
        f"p95 {figures['baseline_p95']} ms, p99 {figures['baseline_p99']} ms"
    )
    if errors:
        print("errors:", errors[:5])
    return figures


def main(buyers: int, units: int, clients: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showroom.settings")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import get_runner

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark measures its row locks).")
    # BENCH_EXISTING_DB=1 uses DATABASE_URL's database as it is (already migrated, scratch data
    # is left behind) instead of creating and dropping a test database.
    existing = os.environ.get("BENCH_EXISTING_DB") == "1"
    runner = get_runner(settings)(verbosity=0)
    old = None if existing else runner.setup_databases()
    server = None
    try:
        data = prepare(buyers=buyers, units=units, clients=clients)
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "DJANGO_SETTINGS_MODULE": "bench.realestate_opening_settings",
            "PYTHONPATH": str(ROOT),
        }
        port = int(os.environ.get("BENCH_PORT", "8765"))
        workers = os.environ.get("BENCH_WORKERS", str(max(2, (os.cpu_count() or 2) * 2)))
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "showroom.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                workers,
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        _wait_for(f"http://127.0.0.1:{port}{BASELINE_PATH}{data['units'][0]}/")
        figures = replay(
            base_url=f"http://127.0.0.1:{port}", buyers=buyers, units=units, clients=clients, prepare_data=data
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        connection.close()
        if old is not None:
            runner.teardown_databases(old)
    _emit(figures)


def _emit(figures: dict) -> None:
    """The last line bench/run.py reads (bench/README.md)."""
    from bench._common import Figure, emit

    emit(
        "realestate_opening",
        [
            Figure(
                "requests per second while choosing",
                figures["rps"],
                "req/s",
                baseline=figures["baseline_rps"],
                baseline_name="one-query view",
                ratio=round(figures["rps"] / figures["baseline_rps"], 2) if figures["baseline_rps"] else None,
            ),
            Figure("p50 latency", figures["p50"], "ms", baseline=figures["baseline_p50"]),
            Figure("p95 latency", figures["p95"], "ms", baseline=figures["baseline_p95"]),
            Figure("p99 latency", figures["p99"], "ms", baseline=figures["baseline_p99"]),
            Figure("time to sell out", figures["sell_out_s"], "s"),
            Figure("double sales", figures["double_sales"], "", goal="== 0"),
        ],
    )


# buyers, units, clients per size (the opening is the large one)
SIZE_SHAPES = {"tiny": (40, 12, 4), "small": (200, 60, 16), "medium": (500, 150, 32), "large": (1000, 300, 32)}


def _wait_for(url: str, timeout: float = 120.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench._common import size_from_argv

    size, rest = size_from_argv(default="large")
    args = [int(a) for a in rest[:3]]
    main(*(args + list(SIZE_SHAPES[size])[len(args) :]))
