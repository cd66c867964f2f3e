"""Reads of spot sales, scoped to the stores the user may see. Lists select what their rows show
in one query, so their query count does not grow with rows."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from showroom.permissions import store_ids_for
from warehouse.models import SpotDiscountRate, SpotPrice, SpotSheet

# The desk's tabs: the sheets waiting for each step.
STEPS = [
    SpotSheet.State.NEGOTIATING,
    SpotSheet.State.ISSUED,
    SpotSheet.State.APPROVED,
    SpotSheet.State.WEIGHED,
    SpotSheet.State.NOTIFIED,
    SpotSheet.State.PAID,
    SpotSheet.State.VERIFIED,
    SpotSheet.State.SIGNED,
    SpotSheet.State.RELEASED,
    SpotSheet.State.CANCELLED,
]


def spot_sheet_list(*, user, state: str = "") -> QuerySet[SpotSheet]:
    rows = (
        SpotSheet.objects.filter(store_id__in=store_ids_for(user))
        .select_related("account__customer", "warehouse")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )
    return rows.filter(state=state) if state else rows


def spot_sheet_get(*, user, pk: int) -> SpotSheet:
    return SpotSheet.objects.select_related("account__customer", "warehouse", "store").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def spot_price_list(*, user) -> QuerySet[SpotPrice]:
    return SpotPrice.objects.filter(store_id__in=store_ids_for(user)).select_related("item", "store")


def spot_rate_list(*, user) -> QuerySet[SpotDiscountRate]:
    return SpotDiscountRate.objects.filter(store_id__in=store_ids_for(user)).select_related("item", "store")


def spot_step_counts(*, user) -> dict[str, int]:
    rows = (
        SpotSheet.objects.filter(store_id__in=store_ids_for(user))
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return dict(rows)


def spot_price_table(*, user, store_id: int) -> list[dict]:
    """The store's price list beside its discount-rate table (折率表): one row per specification
    with its list price and, per customer class, the rate and the price it gives. Two queries."""
    from showroom.money import money
    from warehouse.models import CustomerClass

    if store_id not in store_ids_for(user):
        return []
    rows: dict[int, dict] = {}
    for price in SpotPrice.objects.filter(store_id=store_id).select_related("item"):
        rows[price.item_id] = {"item": price.item, "price": price.unit_price, "rates": {}}
    for rate in SpotDiscountRate.objects.filter(store_id=store_id).select_related("item"):
        row = rows.setdefault(rate.item_id, {"item": rate.item, "price": None, "rates": {}})
        row["rates"][rate.customer_class] = rate.rate
    table = []
    for row in sorted(rows.values(), key=lambda r: r["item"].code):
        row["cells"] = [
            {
                "customer_class": code,
                "rate": row["rates"].get(code),
                "price": money(row["price"] * row["rates"][code])
                if row["price"] is not None and code in row["rates"]
                else None,
            }
            for code in CustomerClass.values
        ]
        table.append(row)
    return table


# --- dashboard metrics (the core's signature: store_ids, start, end; one query each) -------------


def metric_spot_released(*, store_ids: list[int], start, end):
    """Amount of the spot sheets whose goods left in the period."""
    from django.db.models import Sum

    from showroom.money import money

    total = SpotSheet.objects.filter(
        store_id__in=store_ids, state=SpotSheet.State.RELEASED, released_at__gte=start, released_at__lt=end
    ).aggregate(total=Sum("total"))["total"]
    return money(total or 0)


def metric_spot_waiting_for_finance(*, store_ids: list[int], start, end) -> int:
    """Sheets paid and waiting for finance to check the amount (now, whatever the period)."""
    return SpotSheet.objects.filter(store_id__in=store_ids, state=SpotSheet.State.PAID).count()
