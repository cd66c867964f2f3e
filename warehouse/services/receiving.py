"""Goods receipt against approved orders, inspection and the receipt slip (article 3, 入库管理流程
and 商品进仓出仓规则).

1. The keeper enters the supplier's delivery note (《送货清单》: supplier, stamp or signer, note
   number, lines with item, specification, quantity and order number) and its quality
   certificate. Every line must match an open line of an approved order of that supplier by item
   and specification, else the whole note is refused with the reasons (相核不符者拒收) and nothing
   is received. A quantity above what is still open files an over-receipt approval
   (``warehouse.over_receipt``, decided by the marketing director: 收货量大于定购量时 … 通过营销部
   同意); until it is approved only the ordered quantity is taken in.
2. A QC inspector inspects each line (凡外包装有破损的商品,必须开包验收,易碎品重点检查,其它商品
   可以收样检查): packaging damaged → opened and checked piece by piece; fragile → checked in
   full; others by sample, with the sample size recorded. Failed quantities go back to the
   supplier and never into stock.
3. The keeper opens the receipt slip (《入库单》), the warehouse supervisor approves it, the
   passed goods go into stock, and the slip prints in two copies (store stub, finance copy).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.approvals import approval_request_create
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Bin,
    GoodsReceipt,
    GoodsReceiptLine,
    Item,
    PurchaseOrder,
    PurchaseOrderLine,
    Serial,
    StockMove,
    Supplier,
    Warehouse,
)
from warehouse.services._common import decimal_of, require_role
from warehouse.services.ledger import ZERO, stock_move_append

OVER_RECEIPT_KIND = "warehouse.over_receipt"
KEEPERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)


def _spec(value: str) -> str:
    return " ".join((value or "").split()).casefold()


@transaction.atomic
def goods_receipt_create(
    *,
    user,
    warehouse: Warehouse,
    bin: Bin,
    supplier: Supplier,
    note_number: str,
    certificate: str,
    lines: list[dict],
    signed_by: str = "",
    stamped: bool = False,
    deliver_to: Warehouse | None = None,
) -> GoodsReceipt:
    """Check the delivery note against the supplier's approved orders and receive it for
    inspection, or refuse it whole. ``lines``: dicts with ``item``, ``specification``,
    ``quantity``, ``order_number`` and (serial-tracked items) ``serials``."""
    require_role(user=user, store_id=warehouse.store_id, roles=KEEPERS)
    errors: dict[str, list[str]] = {}
    if not (note_number or "").strip():
        errors["note_number"] = [_("Enter the delivery note's number.")]
    if not (certificate or "").strip():
        errors["certificate"] = [_("The delivery comes with its quality certificate: enter its number.")]
    if not stamped and not (signed_by or "").strip():
        errors["signed_by"] = [_("The delivery note must carry the supplier's stamp or the signer's name.")]
    if bin.warehouse_id != warehouse.pk:
        errors["bin"] = [_("The bin is not in this warehouse.")]
    if deliver_to is not None and deliver_to.pk == warehouse.pk:
        errors["deliver_to"] = [_("A delivery sent on goes to another warehouse.")]
    if not lines:
        errors["lines"] = [_("The delivery note has no lines.")]
    if errors:
        raise ValidationError(errors)

    numbers = {str(line.get("order_number") or "").strip() for line in lines}
    orders = {
        o.number: o
        for o in PurchaseOrder.objects.select_for_update().filter(number__in=numbers, store_id=warehouse.store_id)
    }
    order_lines = list(
        PurchaseOrderLine.objects.select_for_update(of=("self",))
        .filter(order__in=orders.values())
        .select_related("item")
        .order_by("id")
    )
    open_left = {ol.pk: ol.open_quantity for ol in order_lines}
    reasons: list[str] = []
    matched: list[tuple[dict, PurchaseOrderLine, Decimal, Decimal, list[str]]] = []
    seen_serials: set[str] = set()
    for n, line in enumerate(lines, start=1):
        item = line.get("item")
        number = str(line.get("order_number") or "").strip()
        quantity = decimal_of(line.get("quantity"), field="quantity")
        spec = line.get("specification") or ""
        order = orders.get(number)
        if not isinstance(item, Item):
            reasons.append(_("Line %(n)s: unknown item.") % {"n": n})
            continue
        if quantity <= 0:
            reasons.append(_("Line %(n)s: the quantity must be above zero.") % {"n": n})
            continue
        if order is None:
            reasons.append(_("Line %(n)s: there is no order %(order)s.") % {"n": n, "order": number or "—"})
            continue
        if order.supplier_id != supplier.pk:
            reasons.append(_("Line %(n)s: order %(order)s is not of this supplier.") % {"n": n, "order": number})
            continue
        if order.state != PurchaseOrder.State.APPROVED:
            reasons.append(
                _("Line %(n)s: order %(order)s is not approved and open (%(state)s).")
                % {"n": n, "order": number, "state": order.get_state_display()}
            )
            continue
        candidates = [
            ol
            for ol in order_lines
            if ol.order_id == order.pk and ol.item_id == item.pk and _spec(ol.specification) == _spec(spec)
        ]
        if not candidates:
            reasons.append(
                _("Line %(n)s: order %(order)s has no line of %(item)s, specification “%(spec)s”.")
                % {"n": n, "order": number, "item": item, "spec": spec or "—"}
            )
            continue
        order_line = next((ol for ol in candidates if open_left[ol.pk] > 0), candidates[0])
        if open_left[order_line.pk] <= 0:
            reasons.append(
                _("Line %(n)s: order %(order)s has nothing of %(item)s left to receive.")
                % {"n": n, "order": number, "item": item}
            )
            continue
        serials: list[str] = []
        if item.is_serial:
            serials = [str(s).strip().upper() for s in (line.get("serials") or []) if str(s).strip()]
            if Decimal(len(serials)) != quantity or len(set(serials)) != len(serials):
                reasons.append(_("Line %(n)s: give one distinct serial number per unit.") % {"n": n})
                continue
            clash = (set(serials) & seen_serials) | set(
                Serial.objects.filter(number__in=serials)
                .exclude(state=Serial.State.OUT)
                .values_list("number", flat=True)
            )
            if clash:
                reasons.append(
                    _("Line %(n)s: serial numbers already in stock or in transit: %(s)s.")
                    % {"n": n, "s": ", ".join(sorted(clash))}
                )
                continue
            seen_serials.update(serials)
        taken = min(quantity, open_left[order_line.pk])
        open_left[order_line.pk] -= taken
        matched.append((line, order_line, quantity, quantity - taken, serials))
    if reasons:
        raise ValidationError({"lines": reasons})

    receipt = GoodsReceipt.objects.create(
        store_id=warehouse.store_id,
        warehouse=warehouse,
        bin=bin,
        supplier=supplier,
        note_number=note_number.strip(),
        certificate=certificate.strip(),
        signed_by=(signed_by or "").strip(),
        stamped=bool(stamped),
        deliver_to=deliver_to,
        created_by=user,
    )
    for _line, order_line, quantity, excess, serials in matched:
        row = GoodsReceiptLine.objects.create(
            receipt=receipt,
            order_line=order_line,
            item=order_line.item,
            specification=order_line.specification,
            quantity=quantity,
            serials=serials,
            excess_quantity=excess,
            excess_state=GoodsReceiptLine.Excess.PENDING if excess > 0 else GoodsReceiptLine.Excess.NONE,
        )
        if excess > 0:
            approval_request_create(
                target=row,
                kind=OVER_RECEIPT_KIND,
                store=receipt.store,
                requester=user,
                reason=_("Delivery note %(note)s: %(excess)s more of %(item)s than order %(order)s has open.")
                % {
                    "note": receipt.note_number,
                    "excess": f"{excess.normalize():f}",
                    "item": order_line.item,
                    "order": order_line.order.number,
                },
                value=excess,
            )
    return receipt


def _method(*, line: GoodsReceiptLine, packaging_damaged: bool) -> str:
    if packaging_damaged:
        return GoodsReceiptLine.Method.PIECE_BY_PIECE
    if line.item.fragile:
        return GoodsReceiptLine.Method.FULL
    return GoodsReceiptLine.Method.SAMPLE


@transaction.atomic
def receipt_line_inspect(
    *,
    line: GoodsReceiptLine,
    user,
    packaging_damaged: bool = False,
    failed_quantity=0,
    failed_serials: list[str] | None = None,
    sample_size=None,
    defects: str = "",
) -> GoodsReceiptLine:
    """Record one line's inspection. The method follows the rule: damaged packaging is opened
    and checked piece by piece, fragile goods are checked in full, others by sample."""
    line = GoodsReceiptLine.objects.select_for_update(of=("self",)).select_related("item", "receipt").get(pk=line.pk)
    receipt = line.receipt
    require_role(user=user, store_id=receipt.store_id, roles=(r.QC_INSPECTOR,))
    if receipt.state != GoodsReceipt.State.INSPECTION:
        raise TransitionConflict(_("This receipt is not waiting for inspection."), state=receipt.state)
    if line.inspected_at is not None:
        raise TransitionConflict(_("This line has already been inspected."), state=receipt.state)
    method = _method(line=line, packaging_damaged=packaging_damaged)
    errors: dict[str, list[str]] = {}
    if line.item.is_serial:
        failed_serials = [str(s).strip().upper() for s in (failed_serials or []) if str(s).strip()]
        unknown = set(failed_serials) - set(line.serials)
        if unknown:
            errors["failed_serials"] = [_("Not on this line: %(s)s.") % {"s": ", ".join(sorted(unknown))}]
        failed = Decimal(len(set(failed_serials)))
    else:
        failed_serials = []
        failed = decimal_of(failed_quantity or 0, field="failed_quantity")
        if failed < 0 or failed > line.quantity:
            errors["failed_quantity"] = [_("The failed quantity is between 0 and the delivered quantity.")]
    if method == GoodsReceiptLine.Method.SAMPLE:
        if sample_size in (None, ""):
            errors["sample_size"] = [_("Record how many pieces of the sample were checked.")]
        else:
            checked = decimal_of(sample_size, field="sample_size")
            if checked <= 0 or checked > line.quantity:
                errors["sample_size"] = [_("The sample is between 1 and the delivered quantity.")]
    else:
        checked = line.quantity
    if failed > 0 and not (defects or "").strip():
        errors["defects"] = [_("Note the defects of the failed quantity.")]
    if errors:
        raise ValidationError(errors)
    line.packaging_damaged = packaging_damaged
    line.method = method
    line.sample_size = checked
    line.failed_quantity = failed
    line.failed_serials = sorted(set(failed_serials))
    line.passed_quantity = line.quantity - failed
    line.defects = (defects or "").strip()
    line.inspected_by = user
    line.inspected_at = timezone.now()
    line.save()
    if receipt.all_inspected():
        transition_run(instance=receipt, name="finish_inspection", user=user)
    return line


@transaction.atomic
def goods_receipt_open_slip(*, receipt: GoodsReceipt, user, note: str = "") -> GoodsReceipt:
    return transition_run(instance=receipt, name="open_slip", user=user, note=note)


@transaction.atomic
def goods_receipt_cancel(*, receipt: GoodsReceipt, user, note: str = "") -> GoodsReceipt:
    return transition_run(instance=receipt, name="cancel", user=user, note=note)


def _line_post(*, line: GoodsReceiptLine, user) -> Decimal:
    """Take into stock what the line may take now: its passed quantity not yet in, up to what
    its order line has open (ordered plus approved over-receipt). Returns the quantity."""
    order_line = PurchaseOrderLine.objects.select_for_update().select_related("order").get(pk=line.order_line_id)
    receipt = line.receipt
    quantity = min(line.passed_quantity - line.received_quantity, order_line.open_quantity)
    if quantity <= 0:
        return ZERO
    label = receipt.number or receipt.note_number
    if line.item.is_serial:
        done = set(
            StockMove.objects.filter(
                content_type__model="goodsreceipt",
                object_id=receipt.pk,
                serial__number__in=line.serials,
                quantity__gt=0,
            ).values_list("serial__number", flat=True)
        )
        waiting = [s for s in line.serials if s not in line.failed_serials and s not in done]
        for number in waiting[: int(quantity)]:
            stock_move_append(
                item=line.item,
                warehouse=receipt.warehouse,
                bin=receipt.bin,
                quantity=1,
                kind=StockMove.Kind.RECEIPT,
                user=user,
                serial=number,
                unit_cost=order_line.unit_cost,
                source=receipt,
                source_label=label,
            )
    else:
        stock_move_append(
            item=line.item,
            warehouse=receipt.warehouse,
            bin=receipt.bin,
            quantity=quantity,
            kind=StockMove.Kind.RECEIPT,
            user=user,
            unit_cost=order_line.unit_cost,
            source=receipt,
            source_label=label,
        )
    line.received_quantity += quantity
    line.save(update_fields=["received_quantity"])
    order_line.received_quantity += quantity
    order_line.save(update_fields=["received_quantity"])
    return quantity


def _orders_close(*, order_ids: set[int], user) -> None:
    for order in PurchaseOrder.objects.filter(pk__in=order_ids, state=PurchaseOrder.State.APPROVED):
        lines = list(order.lines.all())
        waiting = GoodsReceiptLine.objects.filter(
            order_line__order=order, excess_state=GoodsReceiptLine.Excess.PENDING
        ).exists()
        if all(ol.open_quantity <= 0 for ol in lines) and not waiting:
            transition_run(instance=order, name="close", user=user, note=_("Everything ordered has been received."))


def _send_on(*, receipt: GoodsReceipt, user, posted: dict[int, Decimal]) -> None:
    """A delivery sent straight to another warehouse: dispatch a transfer of what came in."""
    from warehouse.services.transfers import transfer_create, transfer_dispatch

    lines = []
    for line in receipt.lines.select_related("item"):
        quantity = posted.get(line.pk, ZERO)
        if quantity <= 0:
            continue
        if line.item.is_serial:
            serials = [s for s in line.serials if s not in line.failed_serials][: int(quantity)]
            lines += [{"item": line.item, "from_bin": receipt.bin, "quantity": 1, "serial": s} for s in serials]
        else:
            lines.append({"item": line.item, "from_bin": receipt.bin, "quantity": quantity})
    if not lines:
        return
    destination = receipt.deliver_to
    to_bin = destination.bins.order_by("code").first()
    transfer = transfer_create(
        user=user,
        from_warehouse=receipt.warehouse,
        to_warehouse=destination,
        to_bin=to_bin,
        lines=lines,
        receipt=receipt,
    )
    transfer_dispatch(transfer=transfer, user=user, confirmed=[line["quantity"] for line in lines])


@transaction.atomic
def goods_receipt_approve(*, receipt: GoodsReceipt, user, note: str = "") -> GoodsReceipt:
    """The supervisor approves the receipt slip: it is numbered (GR, two copies), the passed
    goods go into stock (up to what is open on the orders), failed ones go back."""

    def stamp(obj: GoodsReceipt) -> None:
        obj.approved_by = user
        obj.approved_at = timezone.now()

    receipt = transition_run(instance=receipt, name="approve", user=user, note=note, before_save=stamp)
    document = document_issue(doc_type="GR", target=receipt, store=receipt.store, user=user)
    receipt.number = document.number
    receipt.save(update_fields=["number"])
    posted = {}
    for line in receipt.lines.select_related("item", "receipt__warehouse", "receipt__bin").order_by("id"):
        posted[line.pk] = _line_post(line=line, user=user)
    _orders_close(order_ids=set(receipt.lines.values_list("order_line__order_id", flat=True)), user=user)
    if receipt.deliver_to_id:
        _send_on(receipt=receipt, user=user, posted=posted)
    return receipt


def over_receipt_approved(*, request) -> None:
    """Approval handler of ``warehouse.over_receipt``: the excess may come in. If the slip is
    already approved, the excess (as far as it passed inspection) goes into stock now."""
    line = (
        GoodsReceiptLine.objects.select_for_update(of=("self",))
        .select_related("item", "receipt")
        .get(pk=request.object_id)
    )
    order_line = PurchaseOrderLine.objects.select_for_update().get(pk=line.order_line_id)
    order_line.approved_excess += request.value
    order_line.save(update_fields=["approved_excess"])
    line.excess_state = GoodsReceiptLine.Excess.APPROVED
    line.save(update_fields=["excess_state"])
    decider = request.decisions.order_by("-id").first()
    user = decider.decider if decider is not None else request.requester
    if line.receipt.state == GoodsReceipt.State.POSTED:
        _line_post(line=line, user=user)
        _orders_close(order_ids={order_line.order_id}, user=user)


def over_receipt_rejected(*, request) -> None:
    """The excess is refused: it goes back to the supplier with the failed goods."""
    line = GoodsReceiptLine.objects.select_for_update(of=("self",)).select_related("receipt").get(pk=request.object_id)
    line.excess_state = GoodsReceiptLine.Excess.REJECTED
    line.save(update_fields=["excess_state"])
    order_line = PurchaseOrderLine.objects.select_related("order").get(pk=line.order_line_id)
    if line.receipt.state == GoodsReceipt.State.POSTED:
        _orders_close(order_ids={order_line.order_id}, user=request.requester)
