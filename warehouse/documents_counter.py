"""The counter receipt CR (销售收据, 柜台收款单) printed for each counter sale."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.registry import DocumentType, register_document_type
from warehouse.documents import _money, _q


def counter_receipt_context(*, target) -> dict:
    receipt = target
    lines = list(receipt.lines.select_related("item").order_by("id"))
    customer = ", ".join(
        part
        for part in (
            receipt.customer_name,
            receipt.customer_company,
            receipt.customer_address,
            receipt.customer_contact,
        )
        if part
    )
    return {
        "fields": [
            (_("Counter"), receipt.warehouse.name),
            (_("Customer"), customer or _("(not given)")),
            (_("Payment"), receipt.get_payment_method_display()),
            (_("Amount"), _money(receipt.total)),
            (_("Received"), _money(receipt.received)),
            (_("Change"), _money(receipt.change)),
        ],
        "columns": [_("Item"), _("Model"), _("Serial number"), _("Quantity"), _("Price"), _("Amount")],
        "numeric_columns": [3, 4, 5],
        "rows": [
            [
                f"{ln.item.code} {ln.item.name}",
                ln.model,
                ln.serial,
                _q(ln.quantity),
                _money(ln.unit_price),
                _money(ln.amount),
            ]
            for ln in lines
        ],
        "notes": _("Goods are handed over against this receipt only. Keep it for warranty and repairs."),
        "signatures": [_("Salesperson"), _("Customer")],
    }


def register_counter_documents() -> None:
    register_document_type(
        DocumentType(
            code="CR",
            prefix="CR",
            label=gettext_lazy("Counter receipt"),
            template="warehouse/counter_receipt.html",
            copies=(),
            context=counter_receipt_context,
        )
    )
