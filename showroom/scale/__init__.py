"""The volume data set behind ``manage.py seed_scale`` (issue 16): stores, staff, customers, leads,
follow-ups, test drives, stock with its ledger, property projects with their subscriptions —
written with set-based SQL so the large size fits in half an hour on two cores."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction

from .sizes import SIZES, Size

__all__ = ["SIZES", "Size", "scale_seed"]
COUNTED = {"stock", "property"}
# The tables the bulk parts fill: their foreign keys are dropped for the inserts and added back
# (and so validated) after them, see sql.foreign_keys_drop.
BULK_TABLES = [
    "showroom_customer",
    "leads_lead",
    "showroom_followup",
    "testdrive_booking",
    "warehouse_item",
    "warehouse_stockmove",
    "warehouse_stocklevel",
    "warehouse_binbalance",
    "realestate_unit",
    "realestate_subscription",
]
# Per part's transaction: its commit need not wait for the disk (a lost seed is re-run with
# --fresh), and sorts, hashes and index builds over millions of rows stay in memory.
SESSION = [
    "SET LOCAL synchronous_commit = off",
    "SET LOCAL work_mem = '256MB'",
    "SET LOCAL maintenance_work_mem = '1GB'",
]


def scale_seed(*, size: Size, say: Callable[[str], None] = print) -> dict[str, float]:
    """Seed ``size`` into the default database (which the caller has checked is a scale one) and
    return the seconds each part took.

    Outside a transaction (the command), the stock and property parts run on a second connection
    beside the customers → leads → follow-ups → test drives chain, which depends on itself only:
    the SQL is the whole cost, and PostgreSQL runs one statement per connection on one core.
    Inside one (the test suite), everything runs in order on the caller's connection, since a
    second connection could not see its uncommitted rows."""
    from showroom.reference import ensure_reference_data

    from . import people, property, stock
    from .sql import foreign_keys_add, foreign_keys_drop

    timings: dict[str, float] = {}
    lock = threading.Lock()

    def part(name: str, func):
        start = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                for statement in SESSION:
                    cursor.execute(statement)
            result = func()
        took = time.perf_counter() - start
        shown = result if isinstance(result, int) or (isinstance(result, dict) and name in COUNTED) else ""
        with lock:
            timings[name] = took
            say(f"  {name:<14} {took:8.1f} s  {shown}")
        return result

    part("reference", ensure_reference_data)
    stores = part("stores", people.stores_seed)
    staff = part("staff", lambda: people.staff_seed(size=size, stores=stores))
    say(f"    ({staff['count']} staff)")
    models = part("catalogue", people.catalogue_seed)
    lead_stores = [stores[c] for c in people.LEAD_STORES]
    named = staff["named"]

    def people_chain():
        part(
            "customers",
            lambda: people.customers_copy(stores=lead_stores, count=size.customers, seed=size.customers),
        )
        part(
            "leads",
            lambda: people.leads_insert(size=size, stores=stores, consultants=staff["consultants"], models=models),
        )
        part("follow-ups", lambda: people.followups_insert(size=size, stores=stores))
        part("test drives", lambda: people.test_drives_insert(size=size, stores=stores))

    def goods_chain():
        part(
            "stock",
            lambda: stock.stock_seed(size=size, store=stores["scale-wh1"], keeper_id=named["scale_keeper"].pk),
        )
        part(
            "property",
            lambda: property.property_seed(
                size=size,
                store=stores["scale-prop1"],
                consultant_ids=staff["consultants"]["scale-prop1"],
                manager_id=named["scale_property_manager"].pk,
            ),
        )

    keys = part("drop keys", lambda: foreign_keys_drop(BULK_TABLES))
    parallel = not connection.in_atomic_block
    try:
        if parallel:
            with ThreadPoolExecutor(max_workers=1) as pool:
                goods = pool.submit(_on_own_connection, goods_chain)
                people_chain()
                goods.result()
        else:
            people_chain()
            goods_chain()
    finally:
        # also after a failure: a half-seeded database keeps its keys (and is rebuilt with --fresh)
        part("add keys", lambda: foreign_keys_add(keys))
    # What the nightly roll-up job would hold on a live system: the closed days of its window.
    part("roll-up", lambda: _rollup(stores=lead_stores))
    if parallel:
        start = time.perf_counter()
        # What autovacuum would have done to a database that grew over years: statistics for the
        # planner and a visibility map, so a count can read the index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        timings["vacuum"] = time.perf_counter() - start
        say(f"  {'vacuum':<14} {timings['vacuum']:8.1f} s")
    return timings


def _rollup(*, stores) -> int:
    from showroom.services.rollups import dashboard_recent_days_roll_up

    return sum(dashboard_recent_days_roll_up(store=store).rows for store in stores)


def _on_own_connection(func):
    """Run ``func`` in this thread's own connection (Django keeps one per thread), closed after."""
    from django.db import connection as own

    try:
        return func()
    finally:
        own.close()
