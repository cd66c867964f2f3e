"""The printed documents of selling: sales order (SO), packing list (PL, one in every box, with
the batch's inspection report), sales slip (SS, 一式三联: stub, finance, customer), outbound slip
(OS, three copies: keeper, warehouse supervisor, customer; signed by all three), retail daily
report (RD), payment receipt (PY) and sales invoice (SI). Numbered-only types: drop-ship sales
order (DS), drop-ship purchase order (DP), delivery note (DN)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.registry import DocumentType, register_document_type
from warehouse.documents import _money, _q
from warehouse.models import GoodsReceiptLine


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def sales_order_context(*, target) -> dict:
    order = target
    lines = list(order.lines.select_related("item").order_by("id"))
    return {
        "fields": [
            (_("Customer"), str(order.account)),
            (_("Received by"), order.get_channel_display()),
            (_("Freight terms"), order.get_freight_display()),
            (_("Customer's requirements"), order.requirements),
            (_("Warehouse"), order.warehouse.name),
        ],
        "columns": [_("Item"), _("Quantity"), _("Unit price incl. VAT"), _("Amount")],
        "numeric_columns": [1, 2, 3],
        "rows": [[str(ln.item), _q(ln.quantity), _money(ln.unit_price), _money(ln.amount)] for ln in lines],
        "signatures": [_("Entered by"), _("Marketing director")],
    }


def _inspection(item_id: int, warehouse_id: int) -> str:
    line = (
        GoodsReceiptLine.objects.filter(item_id=item_id, receipt__warehouse_id=warehouse_id, inspected_at__isnull=False)
        .select_related("receipt")
        .order_by("-inspected_at")
        .first()
    )
    if line is None:
        return _("no inspection on record")
    return _("%(cert)s, inspected %(at)s (%(method)s), passed %(passed)s") % {
        "cert": line.receipt.certificate,
        "at": f"{line.inspected_at:%Y-%m-%d}",
        "method": line.get_method_display(),
        "passed": _q(line.passed_quantity),
    }


def packing_list_context(*, target) -> dict:
    box = target
    lines = list(box.lines.select_related("pick__line__item", "pick__bin").order_by("id"))
    return {
        "fields": [
            (_("Sales order"), box.order.number),
            (_("Customer"), str(box.order.account)),
            (_("Freight terms"), box.order.get_freight_display()),
        ],
        "columns": [_("Item"), _("Bin"), _("Quantity"), _("Inspection report of the batch")],
        "numeric_columns": [2],
        "rows": [
            [
                str(bl.pick.line.item),
                bl.pick.bin.code,
                _q(bl.quantity),
                _inspection(bl.pick.line.item_id, box.order.warehouse_id),
            ]
            for bl in lines
        ],
        "notes": _("One packing list goes into every box."),
        "signatures": [_("Packed by"), _("Warehouse supervisor")],
    }


def _slip_rows(slip) -> list:
    from warehouse.models import BoxLine

    return [
        [bl.box.number, str(bl.pick.line.item), _q(bl.quantity), _money(bl.pick.line.unit_price), _money(bl.amount)]
        for bl in BoxLine.objects.filter(box__slip=slip).select_related("box", "pick__line__item").order_by("id")
    ]


def sales_slip_context(*, target) -> dict:
    slip = target
    return {
        "fields": [
            (_("Sales order"), slip.order.number),
            (_("Customer"), str(slip.account)),
            (_("State"), slip.get_state_display()),
            (_("Approved by"), _name(slip.approved_by)),
        ],
        "columns": [_("Packing list"), _("Item"), _("Quantity"), _("Unit price incl. VAT"), _("Amount")],
        "numeric_columns": [2, 3, 4],
        "rows": [*_slip_rows(slip), ["", _("Total"), "", "", _money(slip.total)]],
        "signatures": [_("Marketing director"), _("Stamp")],
    }


def outbound_context(*, target) -> dict:
    outbound = target
    slip = outbound.slip
    signed = {s.role: s for s in outbound.signatures.all()}
    return {
        "fields": [
            (_("Sales slip"), slip.number),
            (_("Sales order"), slip.order.number),
            (_("Customer"), str(slip.account)),
            (_("Warehouse"), slip.order.warehouse.name),
        ],
        "columns": [_("Packing list"), _("Item"), _("Quantity"), _("Unit price incl. VAT"), _("Amount")],
        "numeric_columns": [2, 3, 4],
        "rows": _slip_rows(slip),
        "signatures": [
            f"{label}{(': ' + signed[role].name) if role in signed else ''}"
            for role, label in (
                ("keeper", _("Warehouse keeper")),
                ("supervisor", _("Warehouse supervisor")),
                ("customer", _("Customer")),
            )
        ],
    }


def retail_report_context(*, target) -> dict:
    from warehouse.models import Bin, Item
    from warehouse.services.retail import retail_report_lines

    report = target
    lines = retail_report_lines(report=report)
    items = Item.objects.in_bulk([row["item_id"] for row in lines])
    bins = Bin.objects.in_bulk([row["bin_id"] for row in lines])
    return {
        "fields": [
            (_("Day"), f"{report.day:%Y-%m-%d}"),
            (_("Warehouse"), report.warehouse.name),
            (_("Settled"), _("Cash")),
        ],
        "columns": [_("Item"), _("Bin"), _("Quantity"), _("Cash taken")],
        "numeric_columns": [2, 3],
        "rows": [
            [str(items[r["item_id"]]), bins[r["bin_id"]].code, _q(r["quantity"]), _money(r["total"])] for r in lines
        ]
        + [[_("Total"), "", "", _money(report.total)]],
        "signatures": [_("Counter leader"), _("Finance")],
    }


def receipt_context(*, target) -> dict:
    entry = target
    return {
        "fields": [
            (_("Customer"), str(entry.account)),
            (_("Method"), entry.get_method_display()),
            (_("Reference"), entry.reference),
            (_("Amount"), _money(entry.amount)),
        ],
        "columns": [],
        "rows": [],
        "signatures": [_("Received by")],
    }


def invoice_context(*, target) -> dict:
    invoice = target
    return {
        "fields": [
            (_("Customer"), str(invoice.account)),
            (_("Net amount"), _money(invoice.net)),
            (_("Output VAT"), _money(invoice.vat)),
            (_("Total"), _money(invoice.total)),
        ],
        "columns": [],
        "rows": [],
        "signatures": [_("Finance")],
    }


def register_sales_documents() -> None:
    three = (
        gettext_lazy("Copy 1: store stub"),
        gettext_lazy("Copy 2: finance copy"),
        gettext_lazy("Copy 3: customer copy"),
    )
    outbound = (
        gettext_lazy("Copy 1: warehouse keeper"),
        gettext_lazy("Copy 2: warehouse supervisor"),
        gettext_lazy("Copy 3: customer"),
    )
    for code, label, context, copies in (
        ("SO", gettext_lazy("Sales order"), sales_order_context, ()),
        ("PL", gettext_lazy("Packing list"), packing_list_context, ()),
        ("SS", gettext_lazy("Sales slip"), sales_slip_context, three),
        ("OS", gettext_lazy("Outbound slip"), outbound_context, outbound),
        ("RD", gettext_lazy("Retail daily report"), retail_report_context, ()),
        ("PY", gettext_lazy("Payment receipt"), receipt_context, ()),
        ("SI", gettext_lazy("Sales invoice"), invoice_context, ()),
        ("DS", gettext_lazy("Drop-ship sales order"), None, ()),
        ("DP", gettext_lazy("Drop-ship purchase order"), None, ()),
        ("DN", gettext_lazy("Delivery note"), None, ()),
    ):
        register_document_type(
            DocumentType(
                code=code,
                prefix=code,
                label=label,
                template="showroom/generic.html",
                copies=copies,
                context=context,
            )
        )
