"""What counter sales bring to the core: the document type CR, the callback follow-up plan, the
closing-time replenishment job for counter shops, dashboard metrics and the list exports."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showroom.exports import ListExport, register_list_export
from showroom.registry import (
    DashboardMetricEntry,
    FollowUpPlan,
    ScheduledJob,
    register_dashboard_metric,
    register_followup_plan,
    register_scheduled_job,
)

RECEIPTS_EXPORT = "warehouse.counter_receipts"
REPLENISHMENT_EXPORT = "warehouse.counter_replenishment"


def _receipt_headers():
    return [
        _("Number"),
        _("Written at"),
        _("Counter"),
        _("Customer"),
        _("Lines"),
        _("Amount"),
        _("Payment method"),
        _("State"),
    ]


def _receipt_row(receipt):
    return [
        receipt.number,
        timezone.localtime(receipt.created_at).strftime("%Y-%m-%d %H:%M"),
        receipt.warehouse.name,
        receipt.customer_name,
        receipt.line_count,
        receipt.total,
        receipt.get_payment_method_display(),
        receipt.get_state_display(),
    ]


def _replenishment_headers():
    return [_("Item code"), _("Item"), _("Unit"), _("On hand"), _("Available"), _("Reorder point")]


def _replenishment_row(level):
    return [
        level.item.code,
        level.item.name,
        level.item.get_unit_display(),
        level.quantity,
        level.available,
        level.item.reorder_point,
    ]


def register_counter() -> None:
    from warehouse import selectors_counter as sel
    from warehouse.documents_counter import register_counter_documents
    from warehouse.services.counter import CALLBACK_PLAN, counter_callback_hook, counter_replenishment_job

    register_counter_documents()
    register_followup_plan(
        FollowUpPlan(code=CALLBACK_PLAN, label=_("Counter: call the customer back"), hook=counter_callback_hook)
    )
    register_scheduled_job(
        ScheduledJob(
            code="warehouse.counter_replenishment",
            label=_("Counter replenishment list at closing"),
            func=counter_replenishment_job,
            at="closing",
            store_kinds=("counter",),
        )
    )
    for code, label, func, order in (
        ("warehouse.counter_receipts", _("Counter receipts"), sel.metric_counter_receipts, 360),
        ("warehouse.counter_sales", _("Counter sales amount"), sel.metric_counter_sales, 370),
    ):
        register_dashboard_metric(
            DashboardMetricEntry(code=code, label=label, func=func, list_url_name="warehouse:counter_till", order=order)
        )
    register_list_export(
        ListExport(code=RECEIPTS_EXPORT, basename="counter-receipts", headers=_receipt_headers, row=_receipt_row)
    )
    register_list_export(
        ListExport(
            code=REPLENISHMENT_EXPORT,
            basename="counter-replenishment",
            headers=_replenishment_headers,
            row=_replenishment_row,
        )
    )
