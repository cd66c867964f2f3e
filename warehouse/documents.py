"""The printed slips of the warehouse (PO, GR in two copies, TS), rendered by the core's document
engine with its generic slip template (``pdf/showroom/generic.html``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.registry import DocumentType, register_document_type


def _q(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


def _money(value) -> str:
    return f"¥{value:,.2f}" if value is not None else ""


def purchase_order_context(*, target) -> dict:
    order = target
    lines = list(order.lines.select_related("item").order_by("id"))
    return {
        "fields": [
            (_("Supplier"), order.supplier.name),
            (_("Warehouse"), order.warehouse.name),
            (
                _("Approved by"),
                order.approved_by.get_full_name() or order.approved_by.username if order.approved_by else "",
            ),
        ],
        "columns": [_("Item"), _("Specification"), _("Quantity"), _("Unit cost"), _("Amount")],
        "numeric_columns": [2, 3, 4],
        "rows": [
            [str(ln.item), ln.specification, _q(ln.quantity), _money(ln.unit_cost), _money(ln.quantity * ln.unit_cost)]
            for ln in lines
        ],
        "notes": order.note,
        "signatures": [_("Purchasing"), _("Approved by")],
    }


def goods_receipt_context(*, target) -> dict:
    receipt = target
    lines = list(receipt.lines.select_related("item", "order_line__order").order_by("id"))
    return {
        "fields": [
            (_("Supplier"), receipt.supplier.name),
            (_("Delivery note"), receipt.note_number),
            (_("Quality certificate"), receipt.certificate),
            (_("Warehouse"), f"{receipt.warehouse.name} / {receipt.bin.code}"),
        ],
        "columns": [
            _("Order"),
            _("Item"),
            _("Specification"),
            _("Delivered"),
            _("Passed"),
            _("Failed (returned)"),
            _("Taken in"),
            _("Unit cost"),
        ],
        "numeric_columns": [3, 4, 5, 6, 7],
        "rows": [
            [
                ln.order_line.order.number,
                str(ln.item),
                ln.specification,
                _q(ln.quantity),
                _q(ln.passed_quantity),
                _q(ln.failed_quantity),
                _q(ln.passed_quantity if ln.excess_state != "pending" else ln.passed_quantity - ln.excess_quantity),
                _money(ln.order_line.unit_cost),
            ]
            for ln in lines
        ],
        "notes": _(
            "The finance copy goes with the supplier's delivery note and the inspection report "
            "to purchasing and finance."
        ),
        "signatures": [_("Warehouse keeper"), _("Warehouse supervisor")],
    }


def transfer_context(*, target) -> dict:
    transfer = target
    lines = list(transfer.lines.select_related("item", "serial", "from_bin").order_by("id"))
    return {
        "fields": [
            (_("From"), transfer.from_warehouse.name),
            (_("To"), f"{transfer.to_warehouse.name} / {transfer.to_bin.code}"),
        ],
        "columns": [_("Item"), _("Serial number"), _("Quantity")],
        "numeric_columns": [2],
        "rows": [[str(ln.item), ln.serial.number if ln.serial else "", _q(ln.quantity)] for ln in lines],
        "signatures": [_("Sending warehouse"), _("Receiving warehouse (signed)")],
    }


def register_documents() -> None:
    register_document_type(
        DocumentType(
            code="PO",
            prefix="PO",
            label=gettext_lazy("Purchase order"),
            template="showroom/generic.html",
            context=purchase_order_context,
        )
    )
    register_document_type(
        DocumentType(
            code="GR",
            prefix="GR",
            label=gettext_lazy("Goods-receipt slip"),
            template="showroom/generic.html",
            copies=(gettext_lazy("Copy 1: store stub"), gettext_lazy("Copy 2: finance copy")),
            context=goods_receipt_context,
        )
    )
    register_document_type(
        DocumentType(
            code="TS",
            prefix="TS",
            label=gettext_lazy("Transfer slip"),
            template="showroom/generic.html",
            context=transfer_context,
        )
    )
