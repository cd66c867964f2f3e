"""Orders: the deposit with its numbered receipt (DR), the car allocated (the VIN reserved through
the warehouse ledger; a VIN is never allocated to two orders), the invoice, the balance paid, ready
for delivery (the ``order_ready_for_delivery`` signal) — and cancelled, with the deposit refunded
by the store's rule."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from leads.models import Order, Payment, Quote
from leads.services.lifecycle import lead_event
from leads.services.quotes import _amount, sales_settings_for
from leads.signals import order_ready_for_delivery
from showroom.money import money
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_method, transition_run
from warehouse.models import Item, Serial
from warehouse.services import StockConflict, stock_release, stock_reserve

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def order_lock(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("store", "lead", "consultant", "quote__trim_colour")
        .get(pk=order.pk)
    )


def _method(value: str, errors: dict) -> str:
    if value not in Payment.Method.values:
        errors["method"] = [_("Choose cash, card or bank transfer.")]
    return value


def _precheck(order: Order, name: str, user) -> None:
    """State and permission before input (a wrong state is a 409 whatever the input)."""
    method = transition_method(order, name)
    if not can_proceed(method, check_conditions=False):
        raise TransitionConflict(
            _("This order is %(state)s; that step is not possible now.") % {"state": order.get_state_display()},
            state=order.state,
        )
    transition = method._django_fsm.get_transition(order.state)
    if not transition.has_perm(order, user):
        raise PermissionDenied(_("You are not allowed to do this."))


@transaction.atomic
def order_deposit_take(*, order: Order, user, method: str, amount=None, reference: str = "") -> Payment:
    """Take the deposit (cash, card or transfer) with a numbered receipt (DR) and its PDF; the
    lead is won."""
    order = order_lock(order)
    _precheck(order, "pay_deposit", user)
    errors: dict[str, list[str]] = {}
    _method(method, errors)
    value = (
        order.deposit_due if amount in (None, "") else _amount(amount, field="amount", errors=errors, allow_zero=False)
    )
    if value is not None and value > order.total:
        errors["amount"] = [_("The deposit cannot be more than the order's total.")]
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.create(
        order=order,
        kind=Payment.Kind.DEPOSIT,
        method=method,
        amount=value,
        reference=(reference or "").strip()[:60],
        received_by=user,
    )
    document = document_issue(doc_type="DR", target=payment, store=order.store, user=user)
    payment.receipt_number = document.number
    payment.save(update_fields=["receipt_number"])

    def record(obj: Order) -> None:
        obj.paid = obj.paid + value

    order = transition_run(instance=order, name="pay_deposit", user=user, lock=False, before_save=record)
    lead_event(lead=order.lead, event="deposit_paid", user=user, note=document.number)
    return payment


@transaction.atomic
def order_allocate(*, order: Order, user, vin: str) -> Order:
    """Allocate a car: the VIN (of the quoted trim × colour, in stock) is reserved for the order
    through the ledger. A VIN reserved already — by another order at the same moment too — is a
    409 and nothing changes."""
    order = order_lock(order)
    _precheck(order, "allocate", user)
    vin = (vin or "").strip().upper()
    item_id = order.quote.trim_colour.warehouse_item_id
    serial = (
        Serial.objects.select_related("warehouse").filter(number=vin, item_id=item_id).first()
        if vin and item_id
        else None
    )
    if serial is None:
        raise ValidationError({"vin": [_("Give the VIN of a car of the quoted trim and colour.")]})
    if serial.state != Serial.State.IN_STOCK:
        raise TransitionConflict(_("VIN %(vin)s is not in stock.") % {"vin": vin}, state=order.state)
    try:
        with transaction.atomic():
            reservation = stock_reserve(
                item=Item.objects.get(pk=item_id),
                warehouse=serial.warehouse,
                serial=serial,
                user=user,
                document=order,
                document_label=str(order)[:80],
            )
            rules = sales_settings_for(store=order.store_id)
            now = timezone.now()

            def record(obj: Order) -> None:
                obj.vin = vin
                obj.reservation = reservation
                obj.allocated_at = now
                obj.pickup_estimate = timezone.localdate() + dt.timedelta(days=rules.pickup_days_after_allocation)

            order.reservation = reservation  # the transition's condition
            order = transition_run(instance=order, name="allocate", user=user, lock=False, before_save=record)
    except IntegrityError as exc:
        raise StockConflict(_("VIN %(vin)s is already allocated to another order.") % {"vin": vin}) from exc
    return order


@transaction.atomic
def order_invoice(*, order: Order, user, invoice_number: str, invoice_date: dt.date | None = None) -> Order:
    order = order_lock(order)
    _precheck(order, "invoice", user)
    number = (invoice_number or "").strip()
    if not number:
        raise ValidationError({"invoice_number": [_("Give the invoice number.")]})
    day = invoice_date or timezone.localdate()

    def record(obj: Order) -> None:
        obj.invoice_number = number[:40]
        obj.invoice_date = day

    return transition_run(instance=order, name="invoice", user=user, lock=False, before_save=record)


@transaction.atomic
def order_pay(*, order: Order, user, method: str, amount, reference: str = "") -> Order:
    """The balance, paid in full (the amount must be exactly what is still due)."""
    order = order_lock(order)
    _precheck(order, "pay_in_full", user)
    errors: dict[str, list[str]] = {}
    _method(method, errors)
    value = _amount(amount, field="amount", errors=errors, allow_zero=True)
    if value is not None and value != order.balance:
        errors["amount"] = [_("The balance due is %(amount)s.") % {"amount": f"¥{order.balance:,.2f}"}]
    if errors:
        raise ValidationError(errors)
    Payment.objects.create(
        order=order, kind=Payment.Kind.BALANCE, method=method, amount=value, reference=reference[:60], received_by=user
    )

    def record(obj: Order) -> None:
        obj.paid = obj.paid + value

    return transition_run(instance=order, name="pay_in_full", user=user, lock=False, before_save=record)


@transaction.atomic
def order_make_ready(*, order: Order, user) -> Order:
    """Ready for delivery: the delivery workflow takes over (``order_ready_for_delivery``)."""
    order = order_lock(order)
    order = transition_run(instance=order, name="make_ready", user=user, lock=False)
    order_ready_for_delivery.send(sender=Order, order=order, user=user)
    return order


def refund_due(*, order: Order) -> Decimal:
    """What the store's rule gives back of the money paid when the order is cancelled now."""
    rules = sales_settings_for(store=order.store_id)
    percent = rules.refund_after_allocation_percent if order.allocated_at else rules.refund_before_allocation_percent
    return money(order.paid * percent / HUNDRED)


@transaction.atomic
def order_cancel(*, order: Order, user, reason: str) -> Order:
    """Cancel: the VIN's reservation is released and the deposit refunded by the store's rule
    (before allocation / after allocation), the refund recorded as a payment out."""
    order = order_lock(order)
    _precheck(order, "cancel", user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the order is cancelled.")]})
    refund = refund_due(order=order)
    if order.reservation_id:
        stock_release(reservation=order.reservation, user=None)
    if refund > 0:
        deposit = order.payments.filter(kind=Payment.Kind.DEPOSIT).first()
        Payment.objects.create(
            order=order,
            kind=Payment.Kind.REFUND,
            method=deposit.method if deposit else Payment.Method.TRANSFER,
            amount=refund,
            reference=reason[:60],
            received_by=user,
        )

    def record(obj: Order) -> None:
        obj.cancel_reason = reason[:300]
        obj.refunded = refund

    return transition_run(instance=order, name="cancel", user=user, note=reason, lock=False, before_save=record)


def order_for_quote(*, quote: Quote) -> Order | None:
    return Order.objects.filter(quote=quote).first()
