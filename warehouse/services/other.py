"""Other receipts without an order: a trade-in car, a customer return. Each names its source
document and is approved by the warehouse supervisor before the goods go into stock."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.transitions import transition_run
from warehouse.models import Bin, Item, OtherReceipt, OtherReceiptLine, StockMove, Warehouse
from warehouse.services._common import decimal_of, require_role
from warehouse.services.ledger import stock_move_append

KEEPERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)
MOVE_KIND = {OtherReceipt.Kind.TRADE_IN: StockMove.Kind.TRADE_IN, OtherReceipt.Kind.RETURN: StockMove.Kind.RETURN}


@transaction.atomic
def other_receipt_create(
    *,
    user,
    warehouse: Warehouse,
    bin: Bin,
    kind: str,
    source_label: str,
    lines: list[dict],
    source: models.Model | None = None,
    roles=KEEPERS,
) -> OtherReceipt:
    """``lines``: dicts with ``item``, ``quantity``, ``unit_cost`` and ``serial_number``. A workflow
    that files the receipt itself names who may (``roles``: the delivery's handover files the
    accepted trade-in); the stock still comes in only on the warehouse supervisor's approval."""
    require_role(user=user, store_id=warehouse.store_id, roles=roles)
    errors: dict[str, list[str]] = {}
    if kind not in OtherReceipt.Kind.values:
        errors["kind"] = [_("Choose a trade-in or a customer return.")]
    if not (source_label or "").strip():
        errors["source_label"] = [_("Name the source document (the trade-in appraisal, the sales slip returned).")]
    if bin.warehouse_id != warehouse.pk:
        errors["bin"] = [_("The bin is not in this warehouse.")]
    rows, problems = [], []
    for n, line in enumerate(lines or [], start=1):
        item = line.get("item")
        quantity = decimal_of(line.get("quantity"), field="quantity")
        unit_cost = decimal_of(line.get("unit_cost"), field="unit_cost")
        serial = str(line.get("serial_number") or "").strip().upper()
        if not isinstance(item, Item) or not item.is_stocked:
            problems.append(_("Line %(n)s: choose a stocked item.") % {"n": n})
        elif item.is_serial and (not serial or quantity != 1):
            problems.append(_("Line %(n)s: one unit with its serial number.") % {"n": n})
        elif quantity <= 0 or unit_cost < 0:
            problems.append(_("Line %(n)s: a quantity above zero and a cost not below zero.") % {"n": n})
        else:
            rows.append(
                OtherReceiptLine(
                    item=item, quantity=quantity, unit_cost=unit_cost, serial_number=serial if item.is_serial else ""
                )
            )
    if not lines:
        problems.append(_("Add at least one line."))
    if problems:
        errors["lines"] = problems
    if errors:
        raise ValidationError(errors)
    receipt = OtherReceipt.objects.create(
        store_id=warehouse.store_id,
        warehouse=warehouse,
        bin=bin,
        kind=kind,
        source_label=source_label.strip()[:80],
        content_type=ContentType.objects.get_for_model(source) if source is not None else None,
        object_id=source.pk if source is not None else None,
        created_by=user,
    )
    for row in rows:
        row.receipt = receipt
    OtherReceiptLine.objects.bulk_create(rows)
    return receipt


@transaction.atomic
def other_receipt_approve(*, receipt: OtherReceipt, user, note: str = "") -> OtherReceipt:
    """The supervisor approves: the goods come in (a serial that left comes back)."""
    receipt = transition_run(instance=receipt, name="approve", user=user, note=note)
    for line in receipt.lines.select_related("item").order_by("id"):
        stock_move_append(
            item=line.item,
            warehouse=receipt.warehouse,
            bin=receipt.bin,
            quantity=line.quantity,
            kind=MOVE_KIND[receipt.kind],
            user=user,
            serial=line.serial_number or None,
            unit_cost=line.unit_cost,
            source=receipt,
            source_label=receipt.source_label,
        )
    return receipt


@transaction.atomic
def other_receipt_cancel(*, receipt: OtherReceipt, user, note: str = "") -> OtherReceipt:
    return transition_run(instance=receipt, name="cancel", user=user, note=note)


TRADE_IN_ITEM = "TRADE-IN-CAR"


def trade_in_item() -> Item:
    """The item a traded-in car is received as (one serial per car, its VIN)."""
    item, _created = Item.objects.get_or_create(
        code=TRADE_IN_ITEM,
        defaults={
            "name": "置换二手车",
            "specification": "trade-in used car",
            "tracking": Item.Tracking.SERIAL,
            "unit": Item.Unit.PIECE,
        },
    )
    return item
