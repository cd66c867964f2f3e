"""The warehouse's writes. The ledger's public API (``stock_move_append``, ``stock_move_reverse``,
``stock_reserve``, ``stock_release``, ``register_move_guard``) is what other apps use."""

from warehouse.services.accounts import (
    account_open,
    invoice_pay_from_balance,
    payment_record,
    sales_invoice_create,
)
from warehouse.services.catalog import bin_create, item_create, warehouse_create
from warehouse.services.closing import month_end_close
from warehouse.services.dropship import (
    dropship_approve,
    dropship_cancel,
    dropship_create,
    dropship_invoice,
    dropship_purchase_invoice,
)
from warehouse.services.journal import JournalUnbalanced, journal_post
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
from warehouse.services.retail import retail_report_approve, retail_report_create, retail_sale_record
from warehouse.services.sales import (
    box_pack,
    packing_close,
    pick_record,
    sales_order_approve,
    sales_order_cancel,
    sales_order_create,
    sales_order_reserve_short,
)
from warehouse.services.slips import outbound_sign, slip_approve, slip_cancel
from warehouse.services.transfers import transfer_cancel, transfer_create, transfer_dispatch, transfer_receive
from warehouse.services.valuation import month_close

__all__ = [
    "OVER_RECEIPT_KIND",
    "JournalUnbalanced",
    "StockConflict",
    "account_open",
    "bin_create",
    "box_pack",
    "dropship_approve",
    "dropship_cancel",
    "dropship_create",
    "dropship_invoice",
    "dropship_purchase_invoice",
    "goods_receipt_approve",
    "goods_receipt_cancel",
    "goods_receipt_create",
    "goods_receipt_open_slip",
    "invoice_pay_from_balance",
    "item_create",
    "journal_post",
    "month_close",
    "month_end_close",
    "other_receipt_approve",
    "other_receipt_cancel",
    "other_receipt_create",
    "outbound_sign",
    "over_receipt_approved",
    "over_receipt_rejected",
    "packing_close",
    "payment_record",
    "pick_record",
    "purchase_order_approve",
    "purchase_order_cancel",
    "purchase_order_create",
    "purchase_request_confirm",
    "purchase_request_create",
    "receipt_line_inspect",
    "register_move_guard",
    "retail_report_approve",
    "retail_report_create",
    "retail_sale_record",
    "sales_invoice_create",
    "sales_order_approve",
    "sales_order_cancel",
    "sales_order_create",
    "sales_order_reserve_short",
    "slip_approve",
    "slip_cancel",
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
