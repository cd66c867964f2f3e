"""The stock ledger's one write path.

Every flow — receipts, issues, transfers, returns, trade-ins, adjustments, reversals — appends its
moves through ``stock_move_append``. It runs the registered move guards first (the hook point a
stocktake freeze plugs into: ``register_move_guard``), locks the item's ``StockLevel`` row of the
warehouse, then the bin's ``BinBalance``, then the serial (always in this order, so two appends
never wait on each other crosswise), checks the rules, inserts the move and updates the balances
in the same transaction. A move is never changed or deleted: ``stock_move_reverse`` appends the
opposite move with a reason.

Reservations (``stock_reserve`` / ``stock_release``) hold a quantity or one serial for a document;
reserved stock is not available to anyone else's issue or reservation.

Refusals change nothing: bad input raises ``ValidationError`` (400), a rule that the current
stock breaks — not enough available, a serial already in stock or already reserved — raises
``StockConflict`` (409, the core's ``TransitionConflict``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict
from warehouse.models import (
    Bin,
    BinBalance,
    CostPosting,
    Item,
    Reservation,
    Serial,
    StockLevel,
    StockMove,
    Warehouse,
)

ZERO = Decimal("0")
CENT = Decimal("0.01")
UNIT_COST = Decimal("0.0001")
Kind = StockMove.Kind

#: Kinds through which a serial that left the warehouse may come back (article: "comes back only
#: through a return, reversal or trade-in receipt").
SERIAL_COMES_BACK = frozenset({Kind.RETURN, Kind.REVERSAL, Kind.TRADE_IN})
#: Kinds that take goods in at a cost the caller gives.
COSTED_IN = frozenset({Kind.RECEIPT, Kind.RETURN, Kind.TRADE_IN, Kind.OTHER_IN, Kind.ADJUSTMENT, Kind.TRANSFER_IN})


#: Who may release someone else's reservation.
RELEASERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR, *sorted(r.MANAGERS))


class StockConflict(TransitionConflict):
    """The stock as it is now refuses the operation (409)."""


MoveGuard = Callable[..., None]
_move_guards: list[MoveGuard] = []


def register_move_guard(guard: MoveGuard) -> MoveGuard:
    """Hook point for rules over every move (the stocktake freeze): ``guard(*, item, warehouse,
    bin, quantity, kind)`` raises ``StockConflict`` to refuse the move. Runs before any lock."""
    if guard not in _move_guards:
        _move_guards.append(guard)
    return guard


def unregister_move_guard(guard: MoveGuard) -> None:
    if guard in _move_guards:
        _move_guards.remove(guard)


def stock_freeze_check(*, item: Item, warehouse: Warehouse, bin: Bin, quantity: Decimal, kind: str) -> None:
    """The one place every move passes before it is written: runs the registered guards."""
    for guard in list(_move_guards):
        guard(item=item, warehouse=warehouse, bin=bin, quantity=quantity, kind=kind)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _level_locked(*, item_id: int, warehouse_id: int, create: bool) -> StockLevel | None:
    if create:
        StockLevel.objects.bulk_create([StockLevel(item_id=item_id, warehouse_id=warehouse_id)], ignore_conflicts=True)
    return StockLevel.objects.select_for_update().filter(item_id=item_id, warehouse_id=warehouse_id).first()


def _bin_locked(*, item_id: int, warehouse_id: int, bin_id: int, create: bool) -> BinBalance | None:
    if create:
        BinBalance.objects.bulk_create(
            [BinBalance(item_id=item_id, warehouse_id=warehouse_id, bin_id=bin_id)], ignore_conflicts=True
        )
    return (
        BinBalance.objects.select_for_update().filter(item_id=item_id, warehouse_id=warehouse_id, bin_id=bin_id).first()
    )


def _source_fields(source: models.Model | None) -> dict:
    if source is None:
        return {"content_type": None, "object_id": None}
    return {"content_type": ContentType.objects.get_for_model(source), "object_id": source.pk}


def _validate(*, item: Item, warehouse: Warehouse, bin: Bin, quantity: Decimal, kind: str, serial, unit_cost) -> None:
    errors: dict[str, list[str]] = {}
    if not item.is_stocked:
        errors["item"] = [_("%(item)s is a service: it is sold but never stocked.") % {"item": item}]
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind of move.")]
    if quantity == 0:
        errors["quantity"] = [_("A move needs a quantity.")]
    if bin.warehouse_id != warehouse.pk:
        errors["bin"] = [_("The bin is not in this warehouse.")]
    if item.is_serial:
        if not serial:
            errors["serial"] = [_("%(item)s is tracked by serial number: name the serial.") % {"item": item}]
        if abs(quantity) != 1:
            errors["quantity"] = [_("A serial number moves one unit at a time.")]
    elif serial:
        errors["serial"] = [_("%(item)s is not tracked by serial number.") % {"item": item}]
    if quantity > 0 and kind in COSTED_IN and (unit_cost is None or unit_cost < 0):
        errors["unit_cost"] = [_("Give the unit cost of goods coming in.")]
    if errors:
        raise ValidationError(errors)


def _serial_in(*, item: Item, warehouse: Warehouse, bin: Bin, kind: str, serial) -> Serial:
    number = serial.number if isinstance(serial, Serial) else str(serial).strip().upper()
    Serial.objects.bulk_create([Serial(item=item, number=number, state=Serial.State.OUT)], ignore_conflicts=True)
    row = Serial.objects.select_for_update().get(number=number)
    fresh = row.last_move_id is None
    if row.item_id != item.pk:
        raise ValidationError({"serial": [_("Serial %(n)s belongs to another item.") % {"n": number}]})
    if row.state == Serial.State.IN_STOCK:
        raise StockConflict(_("Serial %(n)s is already in stock.") % {"n": number})
    if not fresh:
        if row.state == Serial.State.IN_TRANSIT and kind not in (Kind.TRANSFER_IN, Kind.REVERSAL):
            raise StockConflict(_("Serial %(n)s is in transit; it comes in only with its transfer.") % {"n": number})
        if row.state == Serial.State.OUT and kind not in SERIAL_COMES_BACK:
            raise StockConflict(
                _("Serial %(n)s has left; it comes back only through a return, a reversal or a trade-in.")
                % {"n": number}
            )
    elif kind in (Kind.TRANSFER_IN, Kind.REVERSAL):
        raise StockConflict(_("Serial %(n)s has never been in stock.") % {"n": number})
    row.state = Serial.State.IN_STOCK
    row.warehouse = warehouse
    row.bin = bin
    return row


def _serial_out(*, item: Item, warehouse: Warehouse, bin: Bin, kind: str, serial, reservation) -> Serial:
    number = serial.number if isinstance(serial, Serial) else str(serial).strip().upper()
    row = Serial.objects.select_for_update().filter(number=number, item=item).first()
    if row is None or row.state != Serial.State.IN_STOCK or row.warehouse_id != warehouse.pk or row.bin_id != bin.pk:
        raise StockConflict(_("Serial %(n)s is not in stock in this bin.") % {"n": number})
    held = Reservation.objects.filter(serial=row, state=Reservation.State.ACTIVE).first()
    if held is not None and (reservation is None or reservation.pk != held.pk):
        raise StockConflict(_("Serial %(n)s is reserved for %(doc)s.") % {"n": number, "doc": held.document_label})
    row.state = Serial.State.IN_TRANSIT if kind == Kind.TRANSFER_OUT else Serial.State.OUT
    row.warehouse = None
    row.bin = None
    return row


@transaction.atomic
def stock_move_append(
    *,
    item: Item,
    warehouse: Warehouse,
    bin: Bin,
    quantity: Decimal | int | str,
    kind: str,
    user=None,
    serial: Serial | str | None = None,
    unit_cost: Decimal | int | str | None = None,
    source: models.Model | None = None,
    source_label: str = "",
    reason: str = "",
    reservation: Reservation | None = None,
    reverses: StockMove | None = None,
) -> StockMove:
    """Append one move (``quantity`` positive in, negative out) and update the balances.

    An in-move takes ``unit_cost``; an out-move leaves at the warehouse's moving average (an
    issue of a monthly-average warehouse leaves with its cost pending until the month-end close).
    ``reservation`` is the caller's own reservation the out-move consumes.
    """
    quantity = Decimal(str(quantity))
    unit_cost = None if unit_cost is None else Decimal(str(unit_cost))
    _validate(item=item, warehouse=warehouse, bin=bin, quantity=quantity, kind=kind, serial=serial, unit_cost=unit_cost)
    stock_freeze_check(item=item, warehouse=warehouse, bin=bin, quantity=quantity, kind=kind)
    incoming = quantity > 0
    level = _level_locked(item_id=item.pk, warehouse_id=warehouse.pk, create=incoming)
    balance = _bin_locked(item_id=item.pk, warehouse_id=warehouse.pk, bin_id=bin.pk, create=incoming)
    if reservation is not None:
        reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if (
            reservation.state != Reservation.State.ACTIVE
            or reservation.item_id != item.pk
            or reservation.warehouse_id != warehouse.pk
            or incoming
        ):
            raise StockConflict(_("That reservation cannot be used for this move."))
    serial_row = None
    if item.is_serial:
        if incoming:
            serial_row = _serial_in(item=item, warehouse=warehouse, bin=bin, kind=kind, serial=serial)
        else:
            serial_row = _serial_out(
                item=item, warehouse=warehouse, bin=bin, kind=kind, serial=serial, reservation=reservation
            )
    pending = False
    if incoming:
        if reverses is not None:
            value = -reverses.value
            if reverses.cost_pending:
                posted = CostPosting.objects.filter(move=reverses).first()
                value = posted.amount if posted else ZERO
            unit_cost = reverses.unit_cost
        else:
            value = money(quantity * unit_cost)
    else:
        out = -quantity
        mine = reservation.quantity if reservation is not None else ZERO
        if level is None or balance is None or balance.quantity < out or level.quantity - level.reserved + mine < out:
            have = ZERO if level is None else level.quantity - level.reserved + mine
            raise StockConflict(
                _("Not enough stock of %(item)s: %(have)s available, %(want)s asked for.")
                % {"item": item, "have": f"{have.normalize():f}", "want": f"{out.normalize():f}"}
            )
        if reverses is not None:
            value = -reverses.value
            unit_cost = reverses.unit_cost
        elif kind == Kind.ISSUE and warehouse.valuation == Warehouse.Valuation.MONTHLY:
            value, unit_cost, pending = ZERO, None, True
        else:
            average = level.value / level.quantity
            value = -(level.value if out == level.quantity else money(out * average))
            unit_cost = average.quantize(UNIT_COST, rounding=ROUND_HALF_UP)
    move = StockMove.objects.create(
        item=item,
        warehouse=warehouse,
        bin=bin,
        serial=serial_row if serial_row is None else _saved(serial_row),
        kind=kind,
        quantity=quantity,
        unit_cost=unit_cost,
        value=value,
        cost_pending=pending,
        reverses=reverses,
        reason=reason[:255],
        source_label=source_label[:80],
        created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
        **_source_fields(source),
    )
    if serial_row is not None:
        serial_row.last_move = move
        serial_row.save(update_fields=["state", "warehouse", "bin", "last_move"])
    level.quantity += quantity
    level.value += value
    if reservation is not None:
        level.reserved -= reservation.quantity
        reservation.state = Reservation.State.CONSUMED
        reservation.ended_at = timezone.now()
        reservation.save(update_fields=["state", "ended_at"])
    level.save(update_fields=["quantity", "reserved", "value"])
    balance.quantity += quantity
    balance.save(update_fields=["quantity"])
    if kind == Kind.ISSUE and not pending:
        CostPosting.objects.create(move=move, unit_cost=unit_cost, amount=-value)
    return move


def _saved(serial: Serial) -> Serial:
    if serial.pk is None:  # pragma: no cover - bulk_create/get always gives a saved row
        serial.save()
    return serial


@transaction.atomic
def stock_move_reverse(*, move: StockMove, user, reason: str) -> StockMove:
    """Correct a move by appending its opposite, with the reason. A move is reversed once; a
    reversal is not reversed again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the move is reversed.")]})
    original = (
        StockMove.objects.select_for_update(of=("self",))
        .select_related("item", "warehouse", "bin", "serial")
        .get(pk=move.pk)
    )
    if original.kind == Kind.REVERSAL:
        raise StockConflict(_("A reversal is not reversed again; append a new move instead."))
    if StockMove.objects.filter(reverses=original).exists():
        raise StockConflict(_("This move has already been reversed."))
    try:
        with transaction.atomic():
            return stock_move_append(
                item=original.item,
                warehouse=original.warehouse,
                bin=original.bin,
                quantity=-original.quantity,
                kind=Kind.REVERSAL,
                user=user,
                serial=original.serial,
                source=original.source if original.content_type_id else None,
                source_label=original.source_label,
                reason=reason.strip(),
                reverses=original,
            )
    except IntegrityError as exc:
        raise StockConflict(_("This move has already been reversed.")) from exc


@transaction.atomic
def stock_reserve(
    *,
    item: Item,
    warehouse: Warehouse,
    user,
    quantity: Decimal | int | str | None = None,
    serial: Serial | str | None = None,
    document: models.Model | None = None,
    document_label: str = "",
) -> Reservation:
    """Hold a quantity (or one serial, such as a car's VIN) of the warehouse's stock for a
    document. Two reservations of one serial, or more than is available: 409."""
    if not item.is_stocked:
        raise ValidationError({"item": [_("A service cannot be reserved.")]})
    if item.is_serial:
        if not serial:
            raise ValidationError({"serial": [_("Name the serial number to reserve.")]})
        quantity = Decimal("1")
    else:
        if serial:
            raise ValidationError({"serial": [_("%(item)s is not tracked by serial number.") % {"item": item}]})
        quantity = Decimal(str(quantity if quantity is not None else "0"))
        if quantity <= 0:
            raise ValidationError({"quantity": [_("Reserve a quantity above zero.")]})
    level = _level_locked(item_id=item.pk, warehouse_id=warehouse.pk, create=False)
    serial_row = None
    if item.is_serial:
        number = serial.number if isinstance(serial, Serial) else str(serial).strip().upper()
        serial_row = Serial.objects.select_for_update().filter(number=number, item=item).first()
        if serial_row is None or serial_row.state != Serial.State.IN_STOCK or serial_row.warehouse_id != warehouse.pk:
            raise StockConflict(_("Serial %(n)s is not in stock in this warehouse.") % {"n": number})
        held = Reservation.objects.filter(serial=serial_row, state=Reservation.State.ACTIVE).first()
        if held is not None:
            raise StockConflict(
                _("Serial %(n)s is already reserved for %(doc)s.") % {"n": number, "doc": held.document_label}
            )
    available = ZERO if level is None else level.quantity - level.reserved
    if available < quantity:
        raise StockConflict(
            _("Not enough stock of %(item)s to reserve: %(have)s available.")
            % {"item": item, "have": f"{available.normalize():f}"}
        )
    try:
        with transaction.atomic():
            reservation = Reservation.objects.create(
                item=item,
                warehouse=warehouse,
                serial=serial_row,
                quantity=quantity,
                document_label=(document_label or (str(document) if document is not None else ""))[:80],
                created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
                **_source_fields(document),
            )
    except IntegrityError as exc:
        raise StockConflict(_("This serial number is already reserved.")) from exc
    level.reserved += quantity
    level.save(update_fields=["reserved"])
    return reservation


@transaction.atomic
def stock_release(*, reservation: Reservation, user=None) -> Reservation:
    """Give a reservation's stock back to everyone: the person who reserved it, the warehouse or a
    manager (``user=None``: the system, e.g. an order cancelled)."""
    reservation = Reservation.objects.select_for_update().select_related("warehouse").get(pk=reservation.pk)
    if reservation.state != Reservation.State.ACTIVE:
        raise StockConflict(_("This reservation has already ended."))
    if (
        user is not None
        and user.pk != reservation.created_by_id
        and not has_role(user, reservation.warehouse.store_id, RELEASERS)
    ):
        raise PermissionDenied(_("Only who reserved it, the warehouse or a manager releases a reservation."))
    level = _level_locked(item_id=reservation.item_id, warehouse_id=reservation.warehouse_id, create=False)
    level.reserved -= reservation.quantity
    level.save(update_fields=["reserved"])
    reservation.state = Reservation.State.RELEASED
    reservation.ended_at = timezone.now()
    reservation.save(update_fields=["state", "ended_at"])
    return reservation
