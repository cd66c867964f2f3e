"""What car sales bring to the core, registered from ``LeadsConfig.ready()``: the car-discount
approval handler, the document types QT (quote) and DR (deposit receipt), the expired-quote
follow-up plan and its daily job, dashboard metrics, menu entries and the timeline of an order."""

from django.utils.translation import gettext_lazy as _

from showroom import roles as r
from showroom.navigation import MenuEntry, register_menu_entry
from showroom.registry import (
    ApprovalKind,
    DashboardMetricEntry,
    DocumentType,
    FollowUpPlan,
    ScheduledJob,
    register_approval_kind,
    register_dashboard_metric,
    register_document_type,
    register_followup_plan,
    register_scheduled_job,
)


def quote_pdf_context(*, target) -> dict:
    from leads.models import Quote
    from leads.services.finance import SIGNING_DOCUMENTS
    from leads.services.quote_totals import purchase_tax_compute

    quote = (
        Quote.objects.select_related(
            "lead__customer", "consultant", "trim_colour__trim__vehicle_model__brand", "trim_colour__colour", "trade_in"
        )
        .prefetch_related("lines")
        .get(pk=target.pk)
    )
    tax = purchase_tax_compute(price=quote.vehicle_net, is_nev=quote.is_nev, on=quote.invoice_date)
    return {
        "quote": quote,
        "customer": quote.lead.customer,
        "lines": list(quote.lines.all()),
        "tax": tax,
        "signing_documents": SIGNING_DOCUMENTS,
        "pdf_lang": quote.language,
    }


def deposit_receipt_context(*, target) -> dict:
    from django.utils import timezone

    from leads.models import Payment
    from showroom.money import format_cny

    payment = Payment.objects.select_related(
        "order__lead__customer",
        "order__quote__trim_colour__trim__vehicle_model",
        "order__quote__trim_colour__colour",
        "received_by",
    ).get(pk=target.pk)
    order = payment.order
    return {
        "fields": [
            (_("Customer"), order.lead.customer.name),
            (_("Quote"), f"{order.quote.number} v{order.quote.version}"),
            (_("Vehicle"), str(order.quote.trim_colour)),
            (_("Order total"), format_cny(order.total)),
            (_("Deposit received"), format_cny(payment.amount)),
            (_("Method"), payment.get_method_display()),
            (_("Reference"), payment.reference or "—"),
            (_("Received at"), timezone.localtime(payment.at).strftime("%Y-%m-%d %H:%M")),
            (_("Received by"), payment.received_by.get_full_name() or payment.received_by.get_username()),
        ],
        "notes": _(
            "The deposit is deducted from the balance. If the order is cancelled, it is refunded by the "
            "store's rule printed on the order contract."
        ),
        "signatures": [_("Customer"), _("Cashier")],
    }


def register() -> None:
    from leads.selectors_sales import metric_deposits, metric_orders, metric_quotes_sent
    from leads.services.quotes import (
        DISCOUNT_KIND,
        DISCOUNT_KIND_LABEL,
        EXPIRED_PLAN,
        EXPIRED_PLAN_LABEL,
        quote_discount_approved,
        quote_discount_rejected,
        quotes_expire_job,
    )

    register_approval_kind(
        ApprovalKind(
            code=DISCOUNT_KIND,
            label=DISCOUNT_KIND_LABEL,
            unit="amount",
            handler=quote_discount_approved,
            on_rejected=quote_discount_rejected,
        )
    )
    register_document_type(
        DocumentType(code="QT", prefix="QT", label=_("Quote"), template="leads/quote.html", context=quote_pdf_context)
    )
    register_document_type(
        DocumentType(
            code="DR",
            prefix="DR",
            label=_("Deposit receipt"),
            template="showroom/generic.html",
            context=deposit_receipt_context,
        )
    )
    register_followup_plan(FollowUpPlan(code=EXPIRED_PLAN, label=EXPIRED_PLAN_LABEL))
    register_scheduled_job(
        ScheduledJob(
            code="leads.quotes_expire",
            label=_("Quotes past their validity expire"),
            func=quotes_expire_job,
            at="00:30",
            store_kinds=("car",),
        )
    )
    for code, label, func, url, order in (
        ("leads.quotes_sent", _("Quotes sent"), metric_quotes_sent, "leads:quotes", 40),
        ("leads.orders", _("Car orders"), metric_orders, "leads:orders", 41),
        ("leads.deposits", _("Deposits taken"), metric_deposits, "leads:orders", 42),
    ):
        register_dashboard_metric(
            DashboardMetricEntry(
                code=code, label=label, func=func, list_url_name=url, order=order, store_kinds=("car",)
            )
        )
    sellers = frozenset(
        {
            r.CONSULTANT,
            r.SALES_ASSISTANT,
            r.CASHIER,
            r.FINANCE,
            r.SHOWROOM_MANAGER,
            r.SALES_SUPERVISOR,
            r.SALES_MANAGER,
            r.GENERAL_MANAGER,
        }
    )
    register_menu_entry(MenuEntry("orders", _("Quotes"), "leads:quotes", sellers, 10))
    register_menu_entry(MenuEntry("orders", _("Car orders"), "leads:orders", sellers, 20))
