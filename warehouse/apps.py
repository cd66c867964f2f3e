from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Which stores' dashboards show the warehouse's cards: stock comes into every kind that holds
# goods; sales slips and outbound slips are the selling warehouse's.
STOCK_KINDS = ("car", "warehouse", "counter", "jewellery")
SELLING_KINDS = ("warehouse",)
SELLING_LISTS = ("warehouse:slips", "warehouse:outbound", "warehouse:spot_sheets")


class WarehouseConfig(AppConfig):
    name = "warehouse"
    verbose_name = _("Warehouse")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Everything the warehouse brings to the core, registered once here.
        from showroom.registry import (
            ApprovalKind,
            DashboardMetricEntry,
            ScheduledJob,
            register_approval_kind,
            register_customer_merge_hook,
            register_dashboard_metric,
            register_scheduled_job,
        )
        from warehouse import demo, demo_counter, demo_sales, demo_spot, navigation, registrations_stocktake  # noqa: F401
        from warehouse import selectors as s
        from warehouse import selectors_sales as ss
        from warehouse import selectors_spot as sp
        from warehouse.documents import register_documents
        from warehouse.documents_sales import register_sales_documents
        from warehouse.documents_spot import register_spot_documents
        from warehouse.services.accounts import account_merge_hook
        from warehouse.services.nightly import JOB_CODE, nightly_report_job
        from warehouse.services.receiving import OVER_RECEIPT_KIND, over_receipt_approved, over_receipt_rejected
        from warehouse.services.spot import SPOT_PRICE_KIND, spot_price_approved, spot_price_rejected

        register_approval_kind(
            ApprovalKind(
                code=OVER_RECEIPT_KIND,
                label=_("Over-receipt on a goods receipt"),
                unit="quantity",
                handler=over_receipt_approved,
                on_rejected=over_receipt_rejected,
            )
        )
        register_approval_kind(
            ApprovalKind(
                code=SPOT_PRICE_KIND,
                label=_("Price outside the price list (spot sales)"),
                unit="amount",
                handler=spot_price_approved,
                on_rejected=spot_price_rejected,
            )
        )
        from warehouse.registrations_jewellery import register_jewellery

        register_jewellery()
        register_documents()
        register_spot_documents()
        register_sales_documents()
        register_customer_merge_hook("warehouse.account", account_merge_hook)
        from warehouse.registrations_counter import register_counter

        register_counter()
        registrations_stocktake.register()
        register_scheduled_job(
            ScheduledJob(
                code=JOB_CODE, label=_("Nightly stock report (warehouses)"), func=nightly_report_job, at="02:00"
            )
        )
        for code, label, func, order, url in (
            ("warehouse.stock_value", _("Stock value"), s.metric_stock_value, 300, "warehouse:stock"),
            (
                "warehouse.below_reorder",
                _("Items below their reorder point"),
                s.metric_below_reorder,
                310,
                "warehouse:stock",
            ),
            (
                "warehouse.receipts_waiting",
                _("Goods receipts in progress"),
                s.metric_receipts_waiting,
                320,
                "warehouse:stock",
            ),
            ("warehouse.goods_received", _("Goods received (value)"), s.metric_goods_received, 330, "warehouse:stock"),
            (
                "warehouse.slips_waiting_for_credit",
                _("Sales slips waiting for credit"),
                ss.metric_slips_waiting_for_credit,
                340,
                "warehouse:slips",
            ),
            ("warehouse.outbound", _("Outbound slips shipped"), ss.metric_outbound_today, 350, "warehouse:outbound"),
            (
                "warehouse.spot_released",
                _("Spot sales released (¥)"),
                sp.metric_spot_released,
                360,
                "warehouse:spot_sheets",
            ),
            (
                "warehouse.spot_waiting_for_finance",
                _("Spot sheets waiting for finance"),
                sp.metric_spot_waiting_for_finance,
                361,
                "warehouse:spot_sheets",
            ),
        ):
            register_dashboard_metric(
                DashboardMetricEntry(
                    code=code,
                    label=label,
                    func=func,
                    list_url_name=url,
                    order=order,
                    store_kinds=SELLING_KINDS if url in SELLING_LISTS else STOCK_KINDS,
                )
            )
