"""Sales orders, picking and packing (article 3, 营销业务流程 and 出库管理流程).

1. 营销部将客户传真来的《销售订单》输入电脑,并由营销部总监审核: ``sales_order_create`` (fax,
   phone or visit; freight terms and the customer's requirements) → ``sales_order_approve``
   (marketing director). Approval checks stock: what is available is reserved for the order;
   a short line drafts a purchase request for exactly the missing quantity (若需要向厂家订货的,
   将《销售订单》导出为《采购订单》).
2. 由仓库捡货装箱: ``pick_record`` (keeper, from the bins of the pick list), ``box_pack`` (a box
   and its packing list PL, with the batch's inspection report), ``packing_close`` (质检部将
   《装箱单》汇总导出为未审核《销售单》: the open boxes become one unapproved sales slip).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    BinBalance,
    Box,
    BoxLine,
    CustomerAccount,
    Item,
    PickLine,
    PurchaseRequest,
    SalesOrder,
    SalesOrderLine,
    SalesSlip,
    StockLevel,
    Warehouse,
)
from warehouse.models.sales import KEEPERS, SELLERS
from warehouse.services._common import decimal_of, require_role
from warehouse.services.journal import money
from warehouse.services.ledger import StockConflict, stock_release, stock_reserve

ZERO = Decimal("0")
SLIP_MAKERS = (r.WAREHOUSE_SUPERVISOR, r.QC_INSPECTOR)


def _clean_lines(lines: list[dict]) -> list[dict]:
    if not lines:
        raise ValidationError({"lines": [_("An order needs at least one line.")]})
    cleaned, errors = [], []
    for n, line in enumerate(lines, start=1):
        item = line.get("item")
        quantity = decimal_of(line.get("quantity"), field="quantity")
        price = line.get("unit_price")
        if not isinstance(item, Item) or not item.is_stocked:
            errors.append(_("Line %(n)s: choose an item that is stocked.") % {"n": n})
            continue
        if item.is_serial:
            errors.append(
                _("Line %(n)s: %(item)s is sold by serial number, through a quotation and delivery.")
                % {"n": n, "item": item}
            )
            continue
        price = decimal_of(item.list_price if price in (None, "") else price, field="unit_price")
        if quantity <= 0:
            errors.append(_("Line %(n)s: the quantity must be above zero.") % {"n": n})
        if price < 0 or price != money(price):
            errors.append(_("Line %(n)s: the price is an amount to the cent, not below zero.") % {"n": n})
        cleaned.append({"item": item, "quantity": quantity, "unit_price": price})
    if errors:
        raise ValidationError({"lines": errors})
    return cleaned


@transaction.atomic
def sales_order_create(
    *,
    user,
    warehouse: Warehouse,
    account: CustomerAccount,
    channel: str,
    freight: str,
    lines: list[dict],
    requirements: str = "",
) -> SalesOrder:
    """Enter a customer's order (from a fax, a phone call or a visit); numbered SO."""
    require_role(user=user, store_id=warehouse.store_id, roles=SELLERS)
    errors = {}
    if account.store_id != warehouse.store_id:
        errors["account"] = [_("The customer is of another store.")]
    if channel not in SalesOrder.Channel.values:
        errors["channel"] = [_("Say how the order came in: fax, phone or visit.")]
    if freight not in SalesOrder.Freight.values:
        errors["freight"] = [_("Choose the freight terms.")]
    if errors:
        raise ValidationError(errors)
    cleaned = _clean_lines(lines)
    order = SalesOrder(
        store_id=warehouse.store_id,
        warehouse=warehouse,
        account=account,
        channel=channel,
        freight=freight,
        requirements=(requirements or "").strip(),
        created_by=user,
    )
    order.save()
    order.number = document_issue(doc_type="SO", target=order, store=warehouse.store, user=user).number
    order.save(update_fields=["number"])
    SalesOrderLine.objects.bulk_create([SalesOrderLine(order=order, **line) for line in cleaned])
    return order


def _available(*, item_id: int, warehouse_id: int) -> Decimal:
    level = StockLevel.objects.select_for_update().filter(item_id=item_id, warehouse_id=warehouse_id).first()
    return ZERO if level is None else level.quantity - level.reserved


def _reserve_line(*, line: SalesOrderLine, order: SalesOrder, user) -> None:
    """Reserve for ``line`` what it still needs and is available; what is missing stays short."""
    still = line.quantity - line.shipped_quantity
    held = line.reserved_quantity - line.shipped_quantity
    want = still - held
    if want <= 0:
        return
    have = _available(item_id=line.item_id, warehouse_id=order.warehouse_id)
    take = min(want, max(have, ZERO))
    if take > 0:
        if line.reservation_id and line.reservation.state == "active":
            stock_release(reservation=line.reservation, user=None)
        line.reservation = stock_reserve(
            item=line.item,
            warehouse=order.warehouse,
            user=user,
            quantity=held + take,
            document=order,
            document_label=order.number,
        )
        line.reserved_quantity += take
    line.short_quantity = want - take


@transaction.atomic
def sales_order_approve(*, order: SalesOrder, user, note: str = "") -> SalesOrder:
    """The marketing director approves; each line is reserved from stock, and a short line
    drafts a purchase request for exactly the shortfall."""

    def stamp(obj: SalesOrder) -> None:
        obj.approved_by = user
        obj.approved_at = timezone.now()

    order = transition_run(instance=order, name="approve", user=user, note=note, before_save=stamp)
    for line in order.lines.select_related("item").order_by("item_id", "id"):
        _reserve_line(line=line, order=order, user=user)
        if line.short_quantity > 0:
            line.purchase_request = PurchaseRequest.objects.create(
                store_id=order.store_id,
                warehouse=order.warehouse,
                item=line.item,
                quantity=line.short_quantity,
                reason=PurchaseRequest.Reason.SHORTFALL,
                requested_by=user,
            )
        line.save(update_fields=["reservation", "reserved_quantity", "short_quantity", "purchase_request"])
    return order


@transaction.atomic
def sales_order_reserve_short(*, order: SalesOrder, user) -> SalesOrder:
    """When goods came in: reserve what the short lines still miss (keeper)."""
    require_role(user=user, store_id=order.store_id, roles=KEEPERS)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != SalesOrder.State.APPROVED:
        raise TransitionConflict(_("Only an approved order reserves stock."), state=order.state)
    for line in order.lines.select_related("item", "reservation").filter(short_quantity__gt=0).order_by("item_id"):
        _reserve_line(line=line, order=order, user=user)
        line.save(update_fields=["reservation", "reserved_quantity", "short_quantity"])
    return order


@transaction.atomic
def sales_order_cancel(*, order: SalesOrder, user, note: str = "") -> SalesOrder:
    """Cancel an order nothing of which has been picked; its reservations are released."""
    locked = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if locked.lines.filter(picked_quantity__gt=0).exists():
        raise TransitionConflict(_("Goods of this order have been picked; it cannot be cancelled."))
    locked = transition_run(instance=locked, name="cancel", user=user, note=note, lock=False)
    for line in locked.lines.select_related("reservation"):
        if line.reservation_id and line.reservation.state == "active":
            stock_release(reservation=line.reservation, user=None)
    return locked


def _open_picks(*, item_id: int, bin_id: int) -> Decimal:
    """Picked from the bin and still in the warehouse (waiting in packing or for the outbound)."""
    rows = PickLine.objects.filter(line__item_id=item_id, bin_id=bin_id).aggregate(
        q=Sum(F("quantity") - F("shipped_quantity"))
    )
    return rows["q"] or ZERO


@transaction.atomic
def pick_record(*, order: SalesOrder, user, picks: list[dict]) -> list[PickLine]:
    """The keeper took goods from bins for the order's lines: ``picks`` of ``line``, ``bin``,
    ``quantity``. Only reserved goods are picked; a bin gives only what it holds and has not
    given to another pick (the last unit goes to one pick; the other gets 409)."""
    require_role(user=user, store_id=order.store_id, roles=KEEPERS)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != SalesOrder.State.APPROVED:
        raise TransitionConflict(_("Only an approved order is picked."), state=order.state)
    if not picks:
        raise ValidationError({"picks": [_("Pick at least one line.")]})
    errors, cleaned = [], []
    for n, pick in enumerate(picks, start=1):
        line, bin = pick.get("line"), pick.get("bin")
        quantity = decimal_of(pick.get("quantity"), field="quantity")
        if not isinstance(line, SalesOrderLine) or line.order_id != order.pk:
            errors.append(_("Pick %(n)s: that line is not of this order.") % {"n": n})
        elif bin is None or bin.warehouse_id != order.warehouse_id:
            errors.append(_("Pick %(n)s: choose a bin of the order's warehouse.") % {"n": n})
        elif quantity <= 0:
            errors.append(_("Pick %(n)s: the quantity must be above zero.") % {"n": n})
        else:
            cleaned.append((line, bin, quantity))
    if errors:
        raise ValidationError({"picks": errors})
    made = []
    for line, bin, quantity in sorted(cleaned, key=lambda c: (c[0].item_id, c[1].pk)):
        line = SalesOrderLine.objects.select_for_update(of=("self",)).select_related("item").get(pk=line.pk)
        if line.picked_quantity + quantity > line.reserved_quantity:
            raise StockConflict(
                _("%(item)s: only %(left)s reserved left to pick.")
                % {"item": line.item, "left": f"{(line.reserved_quantity - line.picked_quantity).normalize():f}"}
            )
        balance = (
            BinBalance.objects.select_for_update()
            .filter(item_id=line.item_id, warehouse_id=order.warehouse_id, bin=bin)
            .first()
        )
        free = (balance.quantity if balance else ZERO) - _open_picks(item_id=line.item_id, bin_id=bin.pk)
        if free < quantity:
            raise StockConflict(
                _("Bin %(bin)s has %(free)s of %(item)s left to pick.")
                % {"bin": bin.code, "free": f"{max(free, ZERO).normalize():f}", "item": line.item}
            )
        made.append(PickLine.objects.create(line=line, bin=bin, quantity=quantity, picked_by=user))
        line.picked_quantity += quantity
        line.save(update_fields=["picked_quantity"])
    return made


@transaction.atomic
def box_pack(*, order: SalesOrder, user, contents: list[dict]) -> Box:
    """Pack picked goods into one box: ``contents`` of ``pick`` and ``quantity``. The box gets
    its packing list (PL), printed with the lines and the batch's inspection report."""
    require_role(user=user, store_id=order.store_id, roles=KEEPERS)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != SalesOrder.State.APPROVED:
        raise TransitionConflict(_("Only an approved order is packed."), state=order.state)
    if not contents:
        raise ValidationError({"contents": [_("A box holds at least one line.")]})
    box = Box.objects.create(order=order, number="", packed_by=user)
    for n, content in enumerate(contents, start=1):
        pick = content.get("pick")
        quantity = decimal_of(content.get("quantity"), field="quantity")
        if not isinstance(pick, PickLine):
            raise ValidationError({"contents": [_("Line %(n)s: choose a pick.") % {"n": n}]})
        pick = PickLine.objects.select_for_update(of=("self",)).select_related("line").get(pk=pick.pk)
        if pick.line.order_id != order.pk or quantity <= 0:
            raise ValidationError({"contents": [_("Line %(n)s: a pick of this order, above zero.") % {"n": n}]})
        if pick.packed_quantity + quantity > pick.quantity:
            raise StockConflict(
                _("Only %(left)s of that pick is left to pack.")
                % {"left": f"{(pick.quantity - pick.packed_quantity).normalize():f}"}
            )
        BoxLine.objects.create(box=box, pick=pick, quantity=quantity, amount=money(quantity * pick.line.unit_price))
        PickLine.objects.filter(pk=pick.pk).update(packed_quantity=F("packed_quantity") + quantity)
        SalesOrderLine.objects.filter(pk=pick.line_id).update(packed_quantity=F("packed_quantity") + quantity)
    box.number = document_issue(doc_type="PL", target=box, store=order.store, user=user).number
    box.save(update_fields=["number"])
    return box


@transaction.atomic
def packing_close(*, order: SalesOrder, user) -> SalesSlip:
    """Close the packing: the boxes not yet on a slip become one unapproved sales slip (SS) that
    waits for the marketing director."""
    require_role(user=user, store_id=order.store_id, roles=SLIP_MAKERS)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    boxes = list(Box.objects.select_for_update().filter(order=order, slip__isnull=True))
    if not boxes:
        raise TransitionConflict(_("No packed box is waiting for a slip."))
    total = BoxLine.objects.filter(box__in=boxes).aggregate(t=Sum("amount"))["t"] or ZERO
    slip = SalesSlip(
        store_id=order.store_id, order=order, account_id=order.account_id, number="", total=total, created_by=user
    )
    slip.save()
    slip.number = document_issue(doc_type="SS", target=slip, store=order.store, user=user).number
    slip.save(update_fields=["number"])
    Box.objects.filter(pk__in=[b.pk for b in boxes]).update(slip=slip)
    return slip
