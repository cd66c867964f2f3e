"""The warehouse's reads, shared by pages and API, scoped to the stores the user may see.

Public selectors other apps use: ``stock_on_hand(item=, warehouse=None)`` and
``stock_available(item=, warehouse=None)`` (on hand less active reservations).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Sum

from showroom.permissions import store_ids_for
from warehouse.models import (
    GoodsReceipt,
    Item,
    OtherReceipt,
    PurchaseOrder,
    Reservation,
    Serial,
    StockLevel,
    StockMove,
    Transfer,
    Warehouse,
)

ZERO = Decimal("0")


def stock_on_hand(*, item: Item | int, warehouse: Warehouse | int | None = None) -> Decimal:
    rows = StockLevel.objects.filter(item=item)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    return rows.aggregate(q=Sum("quantity"))["q"] or ZERO


def stock_available(*, item: Item | int, warehouse: Warehouse | int | None = None) -> Decimal:
    rows = StockLevel.objects.filter(item=item)
    if warehouse is not None:
        rows = rows.filter(warehouse=warehouse)
    totals = rows.aggregate(q=Sum("quantity"), r=Sum("reserved"))
    return (totals["q"] or ZERO) - (totals["r"] or ZERO)


def warehouse_list(*, user) -> QuerySet[Warehouse]:
    return Warehouse.objects.filter(store_id__in=store_ids_for(user), is_active=True).select_related("store")


def stock_level_list(
    *,
    user,
    warehouse_id: int | None = None,
    category_id: int | None = None,
    item_id: int | None = None,
    q: str = "",
    below_reorder: bool = False,
) -> QuerySet[StockLevel]:
    rows = (
        StockLevel.objects.filter(warehouse__store_id__in=store_ids_for(user))
        .filter(Q(quantity__gt=0) | Q(reserved__gt=0))
        .select_related("item", "item__category", "warehouse")
        # Item code first: PostgreSQL then walks the item-code index and stops at the page's last
        # row; warehouse code first made it sort every stocked item of the store (issue 16).
        .order_by("item__code", "warehouse__code")
    )
    if warehouse_id:
        rows = rows.filter(warehouse_id=warehouse_id)
    if category_id:
        rows = rows.filter(item__category_id=category_id)
    if item_id:
        rows = rows.filter(item_id=item_id)
    if q:
        rows = rows.filter(Q(item__code__icontains=q) | Q(item__name__icontains=q))
    if below_reorder:
        rows = rows.filter(quantity__lt=F("item__reorder_point"))
    return rows


def serials_in_stock(*, levels: list[StockLevel]) -> dict[tuple[int, int], list[str]]:
    """The serial numbers in stock of each (item, warehouse) of ``levels``: one query."""
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    items = {lv.item_id for lv in levels if lv.item.is_serial}
    if not items:
        return found
    warehouses = {lv.warehouse_id for lv in levels}
    for item_id, warehouse_id, number in (
        Serial.objects.filter(state=Serial.State.IN_STOCK, item_id__in=items, warehouse_id__in=warehouses)
        .order_by("number")
        .values_list("item_id", "warehouse_id", "number")
    ):
        found[(item_id, warehouse_id)].append(number)
    return found


def item_get(*, pk: int) -> Item:
    return Item.objects.select_related("category").get(pk=pk)


def item_card(*, user, item: Item, moves_limit: int = 50) -> dict:
    """An item's stock per warehouse, its serials in stock, last moves and active reservations,
    in the user's stores. A fixed number of queries."""
    store_ids = store_ids_for(user)
    levels = list(
        StockLevel.objects.filter(item=item, warehouse__store_id__in=store_ids)
        .select_related("warehouse", "item")
        .order_by("warehouse__code")
    )
    moves = list(
        StockMove.objects.filter(item=item, warehouse__store_id__in=store_ids)
        .select_related("warehouse", "bin", "serial", "created_by", "reverses")
        .order_by("-created_at", "-id")[:moves_limit]
    )
    reservations = list(
        Reservation.objects.filter(item=item, warehouse__store_id__in=store_ids, state=Reservation.State.ACTIVE)
        .select_related("warehouse", "serial", "created_by")
        .order_by("-created_at")
    )
    serials = (
        list(
            Serial.objects.filter(item=item, state=Serial.State.IN_STOCK, warehouse__store_id__in=store_ids)
            .select_related("warehouse", "bin")
            .order_by("number")
        )
        if item.is_serial
        else []
    )
    return {"item": item, "levels": levels, "moves": moves, "reservations": reservations, "serials": serials}


def purchase_order_list(*, user, state: str = "") -> QuerySet[PurchaseOrder]:
    rows = PurchaseOrder.objects.filter(store_id__in=store_ids_for(user)).select_related("supplier", "warehouse")
    return rows.filter(state=state) if state else rows


def purchase_order_get(*, user, pk: int) -> PurchaseOrder:
    return (
        purchase_order_list(user=user)
        .select_related("created_by", "approved_by")
        .prefetch_related("lines__item")
        .get(pk=pk)
    )


def goods_receipt_list(*, user, state: str = "") -> QuerySet[GoodsReceipt]:
    rows = GoodsReceipt.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "supplier", "warehouse", "created_by"
    )
    return rows.filter(state=state) if state else rows


def goods_receipt_get(*, user, pk: int) -> GoodsReceipt:
    return (
        goods_receipt_list(user=user)
        .select_related("bin", "deliver_to", "approved_by")
        .prefetch_related("lines__item", "lines__order_line__order", "lines__inspected_by")
        .get(pk=pk)
    )


def transfer_list(*, user, state: str = "") -> QuerySet[Transfer]:
    ids = store_ids_for(user)
    rows = Transfer.objects.filter(
        Q(from_warehouse__store_id__in=ids) | Q(to_warehouse__store_id__in=ids)
    ).select_related("from_warehouse", "to_warehouse", "to_bin", "created_by", "received_by")
    return rows.filter(state=state) if state else rows


def transfer_get(*, user, pk: int) -> Transfer:
    return transfer_list(user=user).prefetch_related("lines__item", "lines__from_bin", "lines__serial").get(pk=pk)


def other_receipt_list(*, user, state: str = "") -> QuerySet[OtherReceipt]:
    rows = OtherReceipt.objects.filter(store_id__in=store_ids_for(user)).select_related("warehouse", "bin")
    return rows.filter(state=state) if state else rows


def reservation_list(*, user) -> QuerySet[Reservation]:
    return Reservation.objects.filter(warehouse__store_id__in=store_ids_for(user)).select_related(
        "item", "warehouse", "serial"
    )


def move_list(*, user, item_id: int | None = None, warehouse_id: int | None = None) -> QuerySet[StockMove]:
    rows = StockMove.objects.filter(warehouse__store_id__in=store_ids_for(user)).select_related(
        "item", "warehouse", "bin", "serial", "created_by"
    )
    if item_id:
        rows = rows.filter(item_id=item_id)
    if warehouse_id:
        rows = rows.filter(warehouse_id=warehouse_id)
    return rows


# --- dashboard metrics (registered in apps.py) ----------------------------------------------
def metric_stock_value(*, store_ids: list[int], start, end) -> Decimal:
    """Stock value now in the stores' warehouses."""
    return StockLevel.objects.filter(warehouse__store_id__in=store_ids).aggregate(v=Sum("value"))["v"] or ZERO


def metric_below_reorder(*, store_ids: list[int], start, end) -> int:
    """Items whose stock in a warehouse is below their reorder point."""
    return StockLevel.objects.filter(warehouse__store_id__in=store_ids, quantity__lt=F("item__reorder_point")).count()


def metric_receipts_waiting(*, store_ids: list[int], start, end) -> int:
    """Goods receipts waiting for inspection or the slip's approval."""
    return GoodsReceipt.objects.filter(
        store_id__in=store_ids,
        state__in=[GoodsReceipt.State.INSPECTION, GoodsReceipt.State.INSPECTED, GoodsReceipt.State.SLIP_OPEN],
    ).count()


def metric_goods_received(*, store_ids: list[int], start, end) -> Decimal:
    """Value of goods received by purchase receipts in the period."""
    # The store's warehouses first, as literal ids: the (warehouse, day) index then narrows the
    # moves (joined or as a subquery, PostgreSQL walked every warehouse's moves of the period), and
    # a store without a warehouse asks nothing more.
    warehouse_ids = list(Warehouse.objects.filter(store_id__in=store_ids).values_list("id", flat=True))
    if not warehouse_ids:
        return ZERO
    return (
        StockMove.objects.filter(
            warehouse_id__in=warehouse_ids, kind=StockMove.Kind.RECEIPT, created_at__gte=start, created_at__lt=end
        ).aggregate(v=Sum("value"))["v"]
        or ZERO
    )
