"""The printed documents of spot sales: the contract resource sheet SR (制作合同资源表, 同时开具出库单:
printed with its outbound-slip copy for the warehouse) and the payment notice PN (传公司账号及货物重量)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.registry import DocumentType, register_document_type
from warehouse.documents import _money, _q


def _weight(value) -> str:
    return "" if value is None else _q(value)


def resource_sheet_context(*, target) -> dict:
    sheet = target
    lines = list(sheet.lines.select_related("item").order_by("id"))
    return {
        "fields": [
            (_("Customer"), str(sheet.account)),
            (_("Customer class"), sheet.get_customer_class_display()),
            (_("Freight terms"), sheet.get_freight_display()),
            (_("Freight cost"), _money(sheet.freight_cost)),
            (_("Customer's requirements"), sheet.requirements),
            (_("Warehouse"), sheet.warehouse.name),
        ],
        "columns": [_("Specification"), _("Agreed quantity"), _("Unit"), _("Unit price incl. VAT"), _("List price")],
        "numeric_columns": [1, 3, 4],
        "rows": [
            [
                f"{ln.item.code} {ln.item.name} {ln.item.specification}".strip(),
                _q(ln.quantity),
                ln.item.get_unit_display(),
                _money(ln.unit_price),
                "" if ln.list_price is None else _money(ln.list_price),
            ]
            for ln in lines
        ],
        "signatures": [_("Salesperson"), _("Supervisor"), _("Warehouse keeper")],
    }


def payment_notice_context(*, target) -> dict:
    sheet = target
    lines = list(sheet.lines.select_related("item").order_by("id"))
    return {
        "fields": [
            (_("Resource sheet"), sheet.number),
            (_("Customer"), str(sheet.account)),
            (_("Pay into"), sheet.company_account),
            (_("Amount to pay"), _money(sheet.total)),
        ],
        "columns": [_("Specification"), _("Gross"), _("Tare"), _("Net"), _("Unit price incl. VAT"), _("Amount")],
        "numeric_columns": [1, 2, 3, 4, 5],
        "rows": [
            [
                f"{ln.item.code} {ln.item.name}",
                _weight(ln.gross),
                _weight(ln.tare),
                _weight(ln.net),
                _money(ln.unit_price),
                "" if ln.amount is None else _money(ln.amount),
            ]
            for ln in lines
        ],
        "signatures": [_("Salesperson")],
    }


def register_spot_documents() -> None:
    register_document_type(
        DocumentType(
            code="SR",
            prefix="SR",
            label=gettext_lazy("Contract resource sheet"),
            template="showroom/generic.html",
            copies=(gettext_lazy("Copy 1: resource sheet"), gettext_lazy("Copy 2: outbound slip (warehouse)")),
            context=resource_sheet_context,
        )
    )
    register_document_type(
        DocumentType(
            code="SN",
            prefix="SN",
            label=gettext_lazy("Payment notice"),
            template="showroom/generic.html",
            copies=(),
            context=payment_notice_context,
        )
    )
