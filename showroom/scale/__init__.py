"""The volume data set behind ``manage.py seed_scale`` (issue 16): stores, staff, customers, leads,
follow-ups, test drives, stock with its ledger, property projects with their subscriptions —
written with set-based SQL so the large size fits in half an hour on two cores."""

import time
from collections.abc import Callable

from django.db import connection, transaction

from .sizes import SIZES, Size

__all__ = ["SIZES", "Size", "scale_seed"]
COUNTED = {"stock", "property"}


def scale_seed(*, size: Size, say: Callable[[str], None] = print) -> dict[str, float]:
    """Seed ``size`` into the default database (which the caller has checked is a scale one) and
    return the seconds each part took."""
    from showroom.reference import ensure_reference_data

    from . import people, property, stock

    timings: dict[str, float] = {}

    def part(name: str, func):
        start = time.perf_counter()
        with transaction.atomic():
            result = func()
        timings[name] = time.perf_counter() - start
        shown = result if isinstance(result, int) or (isinstance(result, dict) and name in COUNTED) else ""
        say(f"  {name:<14} {timings[name]:8.1f} s  {shown}")
        return result

    part("reference", ensure_reference_data)
    stores = part("stores", people.stores_seed)
    staff = part("staff", lambda: people.staff_seed(size=size, stores=stores))
    say(f"    ({staff['count']} staff)")
    models = part("catalogue", people.catalogue_seed)
    lead_stores = [stores[c] for c in people.LEAD_STORES]
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
    named = staff["named"]
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
    start = time.perf_counter()
    if not connection.in_atomic_block:
        # What autovacuum would have done to a database that grew over years: statistics for the
        # planner and a visibility map, so a count can read the index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        timings["vacuum"] = time.perf_counter() - start
        say(f"  {'vacuum':<14} {timings['vacuum']:8.1f} s")
    return timings
