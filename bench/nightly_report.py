"""Benchmark: the nightly stock report at volume, beside a plain GROUP BY over all the moves.

Seeds a database of its own (PostgreSQL only: ``test_<your database>_nightly_bench``, created
from the models for the run and dropped after it unless ``--keep``) with set-based SQL — ``INSERT … SELECT
generate_series`` — N items in 20 categories (1 % serial-tracked, with five units in stock each),
two warehouses of one store, M stock moves spread over two years (a tenth of the items idle for
more than 90 days) and the balances summed from the moves. Then it prints, measured in the same
run: the seeding time, a plain ``GROUP BY`` of every move by item and warehouse, the report's
figures (the SQL of ``warehouse.selectors_reports``), and the whole report with its PDF and XLSX.

Run:  .venv/bin/python bench/nightly_report.py --items 100000 --moves 5000000
      (DATABASE_URL must point at PostgreSQL)
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showroom.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")


def _own_database(url: str) -> str:
    """The bench's database URL: the configured one with ``_nightly_bench`` appended to its name,
    so the bench never touches the database (or the test database) it was started next to."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_nightly_bench"))


class _NoMigrations(dict):
    def __contains__(self, item) -> bool:
        return True

    def __getitem__(self, item):
        return None


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=tuple(SIZE_SHAPES), default=os.environ.get("BENCH_SIZE", "large"))
    parser.add_argument("--items", type=int, default=None, help="default: by --size (large = 100,000)")
    parser.add_argument("--moves", type=int, default=None, help="default: by --size (large = 5,000,000)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database and files at the end")
    args = parser.parse_args(argv)
    items, moves = SIZE_SHAPES[args.size]
    args.items = args.items or items
    args.moves = args.moves or moves
    return args


# items and moves per size (the volume is the large one)
SIZE_SHAPES = {
    "tiny": (300, 6_000),
    "small": (10_000, 200_000),
    "medium": (30_000, 1_500_000),
    "large": (100_000, 5_000_000),
}


def main(argv=None) -> None:
    args = parse(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/nightly_report.py needs DATABASE_URL pointing at PostgreSQL (generate_series).")
    os.environ["DATABASE_URL"] = _own_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="nightly-bench-")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The tables straight from the models (as pytest-django's --nomigrations): seconds instead of
    # the minutes of replaying every migration, and the bench needs no migration-only objects.
    settings.MIGRATION_MODULES = _NoMigrations()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        run(args.items, args.moves)
    finally:
        runner.keepdb = args.keep
        runner.teardown_databases(old)
        if not args.keep:
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def _timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def seed(n: int, m: int):
    """Everything by set-based SQL but the handful of rows a store needs. Returns (store, day)."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from showroom.models import Store
    from showroom.reference import ensure_reference_data
    from warehouse.models import Bin, Item, ItemCategory, Serial, StockLevel, StockMove, Warehouse

    ensure_reference_data()
    tables = [StockLevel, Serial, StockMove, Item, ItemCategory, Bin, Warehouse]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(t._meta.db_table for t in tables)))
    Store.objects.filter(code="nbench").delete()
    store = Store.objects.create(code="nbench", name="基准仓储门店", kind=Store.Kind.WAREHOUSE)
    warehouses = [
        Warehouse.objects.create(store=store, code="main", name="华东中心仓"),
        Warehouse.objects.create(store=store, code="turn", name="周转仓", valuation="monthly"),
    ]
    bins = [Bin.objects.create(warehouse=w, code="A-01") for w in warehouses]
    categories = [ItemCategory.objects.create(code=f"c{i:02d}", name=f"类别{i:02d}").pk for i in range(20)]
    now = timezone.now()
    day = timezone.localdate() - dt.timedelta(days=1)
    move, item, level, serial = (t._meta.db_table for t in (StockMove, Item, StockLevel, Serial))
    with transaction.atomic(), connection.cursor() as cursor:
        # The bench's own database: skip the foreign-key triggers while loading millions of rows.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute(
            f"""INSERT INTO {item} (code, name, specification, category_id, unit, tracking, list_price,
                    reorder_point, vat_rate, warranty_months, fragile, external_ref, is_active)
                SELECT 'N' || lpad(g::text, 7, '0'), '商品' || g, '', (%s::bigint[])[1 + g %% 20], 'piece',
                       CASE WHEN g %% 100 = 0 THEN 'serial' ELSE 'quantity' END, 100, g %% 40, 13, 0, false, '', true
                FROM generate_series(1, %s) g""",
            [categories, n],
        )
        cursor.execute(f"SELECT MIN(id) FROM {item}")
        first = cursor.fetchone()[0]
        # Secondary indexes are dropped for the load and built again after it (one sort each
        # instead of millions of insertions); the ones backing constraints stay.
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
               WHERE i.indrelid = %s::regclass
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [move],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        # Move g belongs to item g mod n (in warehouse 2 for a third of the items); three in four
        # come in (+5 at 10.00) and one in four goes out (−5 at 10.00); items whose number ends in 0
        # last moved more than 100 days ago, the others within the last year; g mod 365 = 1 is
        # yesterday, the reported day.
        cursor.execute(
            f"""INSERT INTO {move} (item_id, warehouse_id, bin_id, kind, quantity, unit_cost, value,
                    cost_pending, reason, source_label, created_at)
                SELECT %s + g %% %s,
                       CASE WHEN (g %% %s) %% 3 = 0 THEN %s ELSE %s END,
                       CASE WHEN (g %% %s) %% 3 = 0 THEN %s ELSE %s END,
                       CASE WHEN (g / %s) %% 4 = 3 THEN 'issue' ELSE 'receipt' END,
                       CASE WHEN (g / %s) %% 4 = 3 THEN -5 ELSE 5 END,
                       10,
                       CASE WHEN (g / %s) %% 4 = 3 THEN -50 ELSE 50 END,
                       false, '', 'GR-' || g,
                       %s::timestamptz - make_interval(
                           days => CASE WHEN (g %% %s) %% 10 = 0 THEN 100 + g %% 600 ELSE g %% 365 END,
                           secs => (g %% 86000)::double precision)
                FROM generate_series(0, %s - 1) g""",
            [first, n, n, warehouses[1].pk, warehouses[0].pk, n, bins[1].pk, bins[0].pk, n, n, n, now, n, m],
        )
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        # Balances are what the moves sum to (the first rows of each item are receipts, so no
        # balance is negative).
        cursor.execute(
            f"""INSERT INTO {level} (item_id, warehouse_id, quantity, reserved, value)
                SELECT item_id, warehouse_id, GREATEST(SUM(quantity), 0), 0, GREATEST(SUM(value), 0)
                FROM {move} GROUP BY item_id, warehouse_id"""
        )
        cursor.execute(
            f"""INSERT INTO {serial} (item_id, number, state, warehouse_id, bin_id, last_move_id)
                SELECT DISTINCT ON (m.item_id, k) m.item_id, 'SN' || m.item_id || '-' || k, 'in_stock',
                       m.warehouse_id, m.bin_id, m.id
                FROM {move} m JOIN {item} i ON i.id = m.item_id AND i.tracking = 'serial'
                CROSS JOIN generate_series(1, 5) k
                WHERE m.quantity > 0
                ORDER BY m.item_id, k, m.created_at DESC"""
        )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {item}; ANALYZE {move}; ANALYZE {level}; ANALYZE {serial}")
    return store, day


def run(n: int, m: int) -> None:
    from django.db import connection

    from warehouse.models import StockMove
    from warehouse.services.nightly import nightly_figures, nightly_report_create

    seconds, (store, day) = _timed(lambda: seed(n, m))
    print(f"seeded {n:,} items and {m:,} moves in {seconds:.1f} s (set-based SQL, {connection.vendor})", flush=True)

    def group_by():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT COUNT(*) FROM (SELECT item_id, warehouse_id, SUM(quantity), SUM(value)
                    FROM {StockMove._meta.db_table} GROUP BY item_id, warehouse_id) t"""
            )
            return cursor.fetchone()[0]

    group_by()  # warm the cache the same way for both
    t_group, groups = _timed(group_by)
    print(f"plain GROUP BY of every move ({groups:,} groups)       {t_group * 1000:9.0f} ms", flush=True)
    t_figures, figures = _timed(lambda: nightly_figures(store=store, day=day))
    lines = sum(w["lines"] for w in figures["warehouses"])
    moves = sum(sum(k["moves"] for k in w["moves"]) for w in figures["warehouses"])
    print(
        f"report figures (set-based SQL, {lines:,} lines, {moves:,} moves that day) {t_figures * 1000:9.0f} ms",
        flush=True,
    )
    t_report, report = _timed(lambda: nightly_report_create(store=store, day=day))
    print(f"whole report with PDF ({report.pdf.size:,} B) and XLSX ({report.xlsx.size:,} B) {t_report * 1000:9.0f} ms")
    print(f"figures / GROUP BY = {t_figures / t_group:.2f}")
    from bench._common import Figure, emit

    emit(
        "nightly_report",
        [
            Figure(
                "report figures (set-based SQL)",
                round(t_figures * 1000, 1),
                baseline=round(t_group * 1000, 1),
                baseline_name="plain GROUP BY over all moves",
                ratio=round(t_figures / t_group, 2) if t_group else None,
            ),
            Figure("whole report with PDF and XLSX", round(t_report * 1000, 1)),
        ],
    )


if __name__ == "__main__":
    main()
