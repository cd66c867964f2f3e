"""What the monthly stocktake brings to the core: the freeze guard in the ledger's write path, the
``warehouse.stock_adjustment`` approval handler, the document types SK and AS, the per-store job
that plans the month's stocktakes, dashboard metrics, the menu entry and the demo seeder."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from showroom.registry import (
        ApprovalKind,
        DashboardMetricEntry,
        ScheduledJob,
        register_approval_kind,
        register_dashboard_metric,
        register_scheduled_job,
    )
    from warehouse import demo_stocktake  # noqa: F401  (seeder)
    from warehouse import selectors_stocktake as sel
    from warehouse.documents_stocktake import register_stocktake_documents
    from warehouse.services.ledger import register_move_guard
    from warehouse.services.stocktake import (
        ADJUSTMENT_KIND,
        is_second_to_last_day,
        stocktake_adjustment_approved,
        stocktake_adjustment_rejected,
        stocktake_freeze_guard,
        stocktake_month_job,
    )

    register_move_guard(stocktake_freeze_guard)
    register_approval_kind(
        ApprovalKind(
            code=ADJUSTMENT_KIND,
            label=_("Stock surplus/deficit adjustment"),
            unit="amount",
            handler=stocktake_adjustment_approved,
            on_rejected=stocktake_adjustment_rejected,
        )
    )
    register_stocktake_documents()
    register_scheduled_job(
        ScheduledJob(
            code="warehouse.stocktake_plan",
            label=_("Plan the month's stocktakes"),
            func=stocktake_month_job,
            at="08:00",
            on_day=is_second_to_last_day,
        )
    )
    for code, label, func, order in (
        ("warehouse.stocktakes_open", _("Stocktakes under way"), sel.metric_stocktakes_open, 360),
        (
            "warehouse.stocktake_adjustments",
            _("Stocktake adjustments posted (value)"),
            sel.metric_stocktake_adjustments,
            370,
        ),
    ):
        register_dashboard_metric(
            DashboardMetricEntry(code=code, label=label, func=func, list_url_name="warehouse:stocktakes", order=order)
        )
