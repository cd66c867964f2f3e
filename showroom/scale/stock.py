"""Items, their ledger moves and the balances the moves add up to, set-based.

Each item has one unit cost and keeps its bin, so the moving average never changes: a receipt of
10 at the cost alternates with an issue of 1–7 (never below zero), each move's value is quantity ×
cost, and the level and bin balance are the sums of the moves — as ``stock_move_append`` would
have left them."""

from django.db.models import Max

from showroom.models import Store

from .sizes import Size
from .sql import app_models, insert_select

BINS = 50
CATEGORIES = 20


def stock_seed(*, size: Size, store: Store, keeper_id: int) -> dict[str, int]:
    Bin, BinBalance, Item, ItemCategory, StockLevel, StockMove, Warehouse = app_models(
        "warehouse", "Bin", "BinBalance", "Item", "ItemCategory", "StockLevel", "StockMove", "Warehouse"
    )

    warehouse, _ = Warehouse.objects.get_or_create(store=store, code="main", defaults={"name": "主仓"})
    Bin.objects.bulk_create(
        [Bin(warehouse=warehouse, code=f"A-{b:02d}") for b in range(1, BINS + 1)], ignore_conflicts=True
    )
    bins = list(Bin.objects.filter(warehouse=warehouse).order_by("code").values_list("pk", flat=True))
    ItemCategory.objects.bulk_create(
        [ItemCategory(code=f"scale-{c:02d}", name=f"类别{c:02d}") for c in range(CATEGORIES)], ignore_conflicts=True
    )
    categories = list(
        ItemCategory.objects.filter(code__startswith="scale-").order_by("code").values_list("pk", flat=True)
    )
    first = (Item.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    arr_c = "ARRAY[" + ",".join(map(str, categories)) + "]::bigint[]"
    items = insert_select(
        Item,
        {
            "code": "'SC' || lpad(g::text, 7, '0')",
            "name": "'商品' || g",
            "specification": "'规格 ' || (1 + mod(g, 12)) || '号'",
            "category_id": f"({arr_c})[1 + mod(g, {len(categories)})]",
            "list_price": "(20 + mod(g, 90)) * 2",
            "reorder_point": "mod(g, 30)",
        },
        "FROM generate_series(0, %s) g",
        [size.items - 1],
    )
    per_item = size.moves_per_item
    arr_b = "ARRAY[" + ",".join(map(str, bins)) + "]::bigint[]"
    cost = "(10 + mod(i.id, 90))"
    quantity = "CASE WHEN mod(k, 2) = 0 THEN 10 ELSE -(1 + mod(i.id + k, 7)) END"
    moves = insert_select(
        StockMove,
        {
            "item_id": "i.id",
            "warehouse_id": str(warehouse.pk),
            "bin_id": f"({arr_b})[1 + mod(i.id, {len(bins)})]",
            "kind": "CASE WHEN mod(k, 2) = 0 THEN 'receipt' ELSE 'issue' END",
            "quantity": quantity,
            "unit_cost": cost,
            "value": f"({quantity}) * {cost}",
            "source_label": "CASE WHEN mod(k, 2) = 0 THEN '入库单' ELSE '出库单' END",
            "created_by_id": str(int(keeper_id)),
            "created_at": f"now() - ({per_item} - k) * interval '1 day' - mod(i.id, 1440) * interval '1 minute'",
        },
        "FROM warehouse_item i CROSS JOIN generate_series(0, %s) k WHERE i.id >= %s",
        [per_item - 1, first],
        bulk=True,
    )
    levels = insert_select(
        StockLevel,
        {
            "item_id": "m.item_id",
            "warehouse_id": "m.warehouse_id",
            "quantity": "sum(m.quantity)",
            "value": "sum(m.value)",
        },
        "FROM warehouse_stockmove m WHERE m.warehouse_id = %s AND m.item_id >= %s GROUP BY m.item_id, m.warehouse_id",
        [warehouse.pk, first],
    )
    insert_select(
        BinBalance,
        {"item_id": "m.item_id", "warehouse_id": "m.warehouse_id", "bin_id": "m.bin_id", "quantity": "sum(m.quantity)"},
        "FROM warehouse_stockmove m WHERE m.warehouse_id = %s AND m.item_id >= %s "
        "GROUP BY m.item_id, m.warehouse_id, m.bin_id",
        [warehouse.pk, first],
    )
    return {"items": items, "moves": moves, "levels": levels}
