"""Transfers between own warehouses (and deliveries sent straight on to another warehouse,
article 3: 数量由…共同鉴证 … 提交《转仓单》给…签收). The sending side confirms the quantities and
dispatches (the goods leave it, at its average cost); the receiving side confirms the same
quantities and signs, the goods come in at that cost and the transfer slip (TS) is numbered."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.documents import document_issue
from showroom.services.transitions import transition_run
from warehouse.models import Bin, GoodsReceipt, Item, Serial, StockMove, Transfer, TransferLine, Warehouse
from warehouse.services._common import decimal_of, require_role
from warehouse.services.ledger import stock_move_append

KEEPERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)


@transaction.atomic
def transfer_create(
    *,
    user,
    from_warehouse: Warehouse,
    to_warehouse: Warehouse,
    to_bin: Bin,
    lines: list[dict],
    receipt: GoodsReceipt | None = None,
) -> Transfer:
    """A draft transfer; ``lines``: dicts with ``item``, ``from_bin``, ``quantity`` and ``serial``
    (number) for serial-tracked items."""
    require_role(user=user, store_id=from_warehouse.store_id, roles=KEEPERS)
    errors: dict[str, list[str]] = {}
    if from_warehouse.pk == to_warehouse.pk:
        errors["to_warehouse"] = [_("A transfer goes to another warehouse.")]
    if to_bin is None or to_bin.warehouse_id != to_warehouse.pk:
        errors["to_bin"] = [_("Choose a bin of the receiving warehouse.")]
    if not lines:
        errors["lines"] = [_("A transfer needs at least one line.")]
    if errors:
        raise ValidationError(errors)
    rows, problems = [], []
    for n, line in enumerate(lines, start=1):
        item, from_bin = line.get("item"), line.get("from_bin")
        quantity = decimal_of(line.get("quantity"), field="quantity")
        serial = None
        if not isinstance(item, Item) or not item.is_stocked:
            problems.append(_("Line %(n)s: choose a stocked item.") % {"n": n})
            continue
        if from_bin is None or from_bin.warehouse_id != from_warehouse.pk:
            problems.append(_("Line %(n)s: choose a bin of the sending warehouse.") % {"n": n})
            continue
        if quantity <= 0:
            problems.append(_("Line %(n)s: the quantity must be above zero.") % {"n": n})
            continue
        if item.is_serial:
            number = str(line.get("serial") or "").strip().upper()
            serial = Serial.objects.filter(number=number, item=item).first()
            if serial is None or quantity != 1:
                problems.append(_("Line %(n)s: name one serial number of the item.") % {"n": n})
                continue
        rows.append(TransferLine(item=item, from_bin=from_bin, quantity=quantity, serial=serial))
    if problems:
        raise ValidationError({"lines": problems})
    transfer = Transfer.objects.create(
        store_id=from_warehouse.store_id,
        from_warehouse=from_warehouse,
        to_warehouse=to_warehouse,
        to_bin=to_bin,
        receipt=receipt,
        created_by=user,
    )
    for row in rows:
        row.transfer = transfer
    TransferLine.objects.bulk_create(rows)
    return transfer


def _check_confirmed(*, lines: list[TransferLine], confirmed: list) -> None:
    values = [decimal_of(v, field="confirmed") for v in (confirmed or [])]
    if len(values) != len(lines):
        raise ValidationError({"confirmed": [_("Confirm the quantity of every line.")]})
    wrong = [
        _("Line %(n)s: %(counted)s counted, %(quantity)s on the slip.")
        % {"n": n, "counted": f"{v.normalize():f}", "quantity": f"{line.quantity.normalize():f}"}
        for n, (line, v) in enumerate(zip(lines, values, strict=True), start=1)
        if v != line.quantity
    ]
    if wrong:
        raise ValidationError({"confirmed": wrong})


@transaction.atomic
def transfer_dispatch(*, transfer: Transfer, user, confirmed: list, note: str = "") -> Transfer:
    """The sending warehouse confirms each line's quantity; the goods leave it."""
    transfer = transition_run(instance=transfer, name="dispatch", user=user, note=note)
    lines = list(transfer.lines.select_related("item", "from_bin", "serial").order_by("id"))
    _check_confirmed(lines=lines, confirmed=confirmed)
    for line in lines:
        move = stock_move_append(
            item=line.item,
            warehouse=transfer.from_warehouse,
            bin=line.from_bin,
            quantity=-line.quantity,
            kind=StockMove.Kind.TRANSFER_OUT,
            user=user,
            serial=line.serial,
            source=transfer,
            source_label=_("Transfer %(n)s") % {"n": transfer.pk},
        )
        line.unit_cost = (-move.value / line.quantity).quantize(Decimal("0.0001"))
        line.save(update_fields=["unit_cost"])
    transfer.dispatched_by = user
    transfer.save(update_fields=["dispatched_by"])
    return transfer


@transaction.atomic
def transfer_receive(*, transfer: Transfer, user, confirmed: list, note: str = "") -> Transfer:
    """The receiving warehouse confirms the same quantities and signs the transfer slip."""

    def sign(obj: Transfer) -> None:
        obj.received_by = user
        obj.received_at = timezone.now()

    lines = list(transfer.lines.select_related("item", "serial").order_by("id"))
    _check_confirmed(lines=lines, confirmed=confirmed)
    transfer = transition_run(instance=transfer, name="receive", user=user, note=note, before_save=sign)
    for line in lines:
        stock_move_append(
            item=line.item,
            warehouse=transfer.to_warehouse,
            bin=transfer.to_bin,
            quantity=line.quantity,
            kind=StockMove.Kind.TRANSFER_IN,
            user=user,
            serial=line.serial,
            unit_cost=line.unit_cost,
            source=transfer,
            source_label=_("Transfer %(n)s") % {"n": transfer.pk},
        )
    document = document_issue(doc_type="TS", target=transfer, store=transfer.store, user=None)
    transfer.number = document.number
    transfer.save(update_fields=["number"])
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, user, note: str = "") -> Transfer:
    return transition_run(instance=transfer, name="cancel", user=user, note=note)
