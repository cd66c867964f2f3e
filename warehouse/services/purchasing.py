"""Purchase requests and orders. An order is approved (warehouse supervisor or general manager)
before anything can be received against it; a purchase request becomes an order when purchasing
confirms it."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import Item, PurchaseOrder, PurchaseOrderLine, PurchaseRequest, Supplier, Warehouse
from warehouse.services._common import decimal_of, require_role

REQUESTERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR, r.COUNTER_LEADER, r.SALES_ASSISTANT, r.PURCHASING)
BUYERS = (r.PURCHASING, r.WAREHOUSE_SUPERVISOR)


def _clean_lines(lines: list[dict]) -> list[dict]:
    if not lines:
        raise ValidationError({"lines": [_("An order needs at least one line.")]})
    cleaned, errors = [], []
    for n, line in enumerate(lines, start=1):
        item = line.get("item")
        quantity = decimal_of(line.get("quantity"), field="quantity")
        unit_cost = decimal_of(line.get("unit_cost"), field="unit_cost")
        if not isinstance(item, Item) or not item.is_stocked:
            errors.append(_("Line %(n)s: choose an item that is stocked.") % {"n": n})
        if quantity <= 0:
            errors.append(_("Line %(n)s: the quantity must be above zero.") % {"n": n})
        if unit_cost < 0:
            errors.append(_("Line %(n)s: the unit cost cannot be negative.") % {"n": n})
        if isinstance(item, Item) and item.is_serial and quantity != quantity.to_integral_value():
            errors.append(_("Line %(n)s: serial-tracked goods are ordered in whole units.") % {"n": n})
        spec = (line.get("specification") or (item.specification if isinstance(item, Item) else "")).strip()
        cleaned.append({"item": item, "quantity": quantity, "unit_cost": unit_cost, "specification": spec})
    if errors:
        raise ValidationError({"lines": errors})
    return cleaned


@transaction.atomic
def purchase_order_create(
    *, user, warehouse: Warehouse, supplier: Supplier, lines: list[dict], note: str = ""
) -> PurchaseOrder:
    """A draft order of ``supplier`` for ``warehouse`` (purchasing or the warehouse supervisor)."""
    require_role(user=user, store_id=warehouse.store_id, roles=BUYERS)
    cleaned = _clean_lines(lines)
    order = PurchaseOrder.objects.create(
        store_id=warehouse.store_id, warehouse=warehouse, supplier=supplier, note=note[:255], created_by=user
    )
    PurchaseOrderLine.objects.bulk_create([PurchaseOrderLine(order=order, **line) for line in cleaned])
    return order


@transaction.atomic
def purchase_order_approve(*, order: PurchaseOrder, user, note: str = "") -> PurchaseOrder:
    """Approve the order: it is numbered (PO) and goods can be received against it."""

    def stamp(obj: PurchaseOrder) -> None:
        obj.approved_by = user
        obj.approved_at = timezone.now()

    order = transition_run(instance=order, name="approve", user=user, note=note, before_save=stamp)
    document = document_issue(doc_type="PO", target=order, store=order.store, user=user)
    order.number = document.number
    order.save(update_fields=["number"])
    return order


@transaction.atomic
def purchase_order_cancel(*, order: PurchaseOrder, user, note: str = "") -> PurchaseOrder:
    locked = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if locked.lines.filter(received_quantity__gt=0).exists():
        raise TransitionConflict(_("Goods have been received against this order; it cannot be cancelled."))
    return transition_run(instance=locked, name="cancel", user=user, note=note, lock=False)


@transaction.atomic
def purchase_request_create(*, user, warehouse: Warehouse, item: Item, quantity, reason: str) -> PurchaseRequest:
    """Ask purchasing for goods: a shortfall or a counter's replenishment."""
    require_role(user=user, store_id=warehouse.store_id, roles=REQUESTERS)
    quantity = decimal_of(quantity, field="quantity")
    errors = {}
    if quantity <= 0:
        errors["quantity"] = [_("The quantity must be above zero.")]
    if reason not in PurchaseRequest.Reason.values:
        errors["reason"] = [_("Choose a reason.")]
    if not item.is_stocked:
        errors["item"] = [_("A service is never purchased into stock.")]
    if errors:
        raise ValidationError(errors)
    return PurchaseRequest.objects.create(
        store_id=warehouse.store_id, warehouse=warehouse, item=item, quantity=quantity, reason=reason, requested_by=user
    )


@transaction.atomic
def purchase_request_confirm(
    *, request: PurchaseRequest, user, supplier: Supplier, unit_cost: Decimal | str
) -> PurchaseOrder:
    """Purchasing confirms a request: it becomes a draft order of the supplier."""
    request = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    require_role(user=user, store_id=request.store_id, roles=(r.PURCHASING,))
    if request.state != PurchaseRequest.State.OPEN:
        raise TransitionConflict(_("This request has already been ordered."), state=request.state)
    order = purchase_order_create(
        user=user,
        warehouse=request.warehouse,
        supplier=supplier,
        lines=[{"item": request.item, "quantity": request.quantity, "unit_cost": unit_cost}],
        note=_("From purchase request %(n)s") % {"n": request.pk},
    )
    request.state = PurchaseRequest.State.ORDERED
    request.order = order
    request.save(update_fields=["state", "order"])
    return order
