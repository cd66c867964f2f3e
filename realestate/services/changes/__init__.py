"""Changes to a subscription (篇7 6–9, 11, 12): requests into the approval matrix, the handlers
that carry them out, and the people's steps after the approval."""

from .apply import change_approved, change_receipts_swap, change_rejected, live_receipts
from .cancellation import (
    cancellation_bureau_record,
    cancellation_refund_compute,
    cancellation_refund_pay,
    refund_figures,
)
from .requests import (
    change_cancel_request,
    change_delay_request,
    change_discount_request,
    change_exchange_request,
    change_rename_request,
    exchange_kind,
)

__all__ = [
    "cancellation_bureau_record",
    "cancellation_refund_compute",
    "cancellation_refund_pay",
    "change_approved",
    "change_cancel_request",
    "change_delay_request",
    "change_discount_request",
    "change_exchange_request",
    "change_receipts_swap",
    "change_rejected",
    "change_rename_request",
    "exchange_kind",
    "live_receipts",
    "refund_figures",
]
