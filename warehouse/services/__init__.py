"""The warehouse's writes. The ledger's public API (``stock_move_append``, ``stock_move_reverse``,
``stock_reserve``, ``stock_release``, ``register_move_guard``) is what other apps use."""

from warehouse.services.catalog import bin_create, item_create, warehouse_create
from warehouse.services.ledger import (
    StockConflict,
    register_move_guard,
    stock_freeze_check,
    stock_move_append,
    stock_move_reverse,
    stock_release,
    stock_reserve,
    unregister_move_guard,
)
from warehouse.services.other import other_receipt_approve, other_receipt_cancel, other_receipt_create
from warehouse.services.purchasing import (
    purchase_order_approve,
    purchase_order_cancel,
    purchase_order_create,
    purchase_request_confirm,
    purchase_request_create,
)
from warehouse.services.receiving import (
    OVER_RECEIPT_KIND,
    goods_receipt_approve,
    goods_receipt_cancel,
    goods_receipt_create,
    goods_receipt_open_slip,
    over_receipt_approved,
    over_receipt_rejected,
    receipt_line_inspect,
)
from warehouse.services.transfers import transfer_cancel, transfer_create, transfer_dispatch, transfer_receive
from warehouse.services.valuation import month_close

__all__ = [
    "OVER_RECEIPT_KIND",
    "StockConflict",
    "bin_create",
    "goods_receipt_approve",
    "goods_receipt_cancel",
    "goods_receipt_create",
    "goods_receipt_open_slip",
    "item_create",
    "month_close",
    "other_receipt_approve",
    "other_receipt_cancel",
    "other_receipt_create",
    "over_receipt_approved",
    "over_receipt_rejected",
    "purchase_order_approve",
    "purchase_order_cancel",
    "purchase_order_create",
    "purchase_request_confirm",
    "purchase_request_create",
    "receipt_line_inspect",
    "register_move_guard",
    "stock_freeze_check",
    "stock_move_append",
    "stock_move_reverse",
    "stock_release",
    "stock_reserve",
    "transfer_cancel",
    "transfer_create",
    "transfer_dispatch",
    "transfer_receive",
    "unregister_move_guard",
    "warehouse_create",
]
