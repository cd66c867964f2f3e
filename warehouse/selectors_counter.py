"""Reads of counter sales, scoped to the stores the user may see. Lists select what their rows
show in one query, so their query count does not grow with rows."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum

from showroom.permissions import store_ids_for
from warehouse.models import (
    CounterQuestion,
    CounterReceipt,
    CounterReplenishment,
    CounterReplenishmentLine,
    StockLevel,
    Warehouse,
)

ZERO = Decimal("0")


def counter_receipt_list(*, user, state: str = "", day=None) -> QuerySet[CounterReceipt]:
    rows = (
        CounterReceipt.objects.filter(store_id__in=store_ids_for(user))
        .select_related("warehouse", "created_by")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )
    if state:
        rows = rows.filter(state=state)
    if day is not None:
        rows = rows.filter(created_at__date=day)
    return rows


def counter_receipt_get(*, user, pk: int) -> CounterReceipt:
    return CounterReceipt.objects.select_related("warehouse", "store", "customer", "created_by", "picked_by").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def counter_question_list(*, user, state: str = "") -> QuerySet[CounterQuestion]:
    rows = (
        CounterQuestion.objects.filter(store_id__in=store_ids_for(user))
        .select_related("asked_by", "followup")
        .order_by("-created_at", "-id")
    )
    return rows.filter(state=state) if state else rows


def counter_question_get(*, user, pk: int) -> CounterQuestion:
    return CounterQuestion.objects.select_related("followup").get(pk=pk, store_id__in=store_ids_for(user))


def replenishment_rows(*, warehouse: Warehouse | int) -> QuerySet[StockLevel]:
    """The replenishment list of a counter: the items kept there that are sold out (nothing left to
    sell: on hand less what receipts hold) or under their reorder point. ``free`` is the level's
    ``available`` computed in the query, to filter on."""
    free = ExpressionWrapper(F("quantity") - F("reserved"), output_field=DecimalField(max_digits=14, decimal_places=3))
    return (
        StockLevel.objects.filter(warehouse=warehouse, item__is_active=True)
        .exclude(item__tracking="service")
        .annotate(free=free)
        .filter(Q(free__lte=0) | Q(free__lt=F("item__reorder_point")))
        .select_related("item")
        .order_by("item__code")
    )


def counter_warehouses(*, user) -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(store_id__in=store_ids_for(user), is_active=True).order_by("store_id", "code")


def counter_replenishment_list(*, user) -> QuerySet[CounterReplenishment]:
    return (
        CounterReplenishment.objects.filter(store_id__in=store_ids_for(user))
        .select_related("warehouse", "created_by")
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-id")
    )


def counter_replenishment_get(*, user, pk: int) -> CounterReplenishment:
    return CounterReplenishment.objects.select_related("warehouse", "store").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def counter_replenishment_line_get(*, user, pk: int) -> CounterReplenishmentLine:
    return CounterReplenishmentLine.objects.select_related("replenishment", "item", "purchase_request").get(
        pk=pk, replenishment__store_id__in=store_ids_for(user)
    )


def counter_replenishment_lines(*, replenishments) -> QuerySet[CounterReplenishmentLine]:
    return (
        CounterReplenishmentLine.objects.filter(replenishment__in=replenishments)
        .select_related("item", "purchase_order")
        .order_by("replenishment_id", "id")
    )


# --- dashboard metrics --------------------------------------------------------------------------


def _sold(store_ids, start, end):
    return CounterReceipt.objects.filter(
        store_id__in=store_ids, created_at__gte=start, created_at__lt=end, state__in=["issued", "picked"]
    )


def metric_counter_receipts(*, store_ids: list[int], start, end) -> int:
    """Counter receipts written in the period (cancelled ones not counted)."""
    return _sold(store_ids, start, end).count()


def metric_counter_sales(*, store_ids: list[int], start, end) -> Decimal:
    """The counter's sales amount in the period (cancelled receipts not counted)."""
    return _sold(store_ids, start, end).aggregate(t=Sum("total"))["t"] or ZERO
