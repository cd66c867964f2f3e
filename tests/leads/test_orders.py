# ruff: noqa: F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""Orders: the deposit with its numbered receipt (and the lead won), the VIN reserved through the
ledger, invoice, balance, ready for delivery (the signal), and cancelling with the store's refund
rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from leads.models import Order, Payment, SalesSettings
from leads.services.orders import (
    order_allocate,
    order_cancel,
    order_deposit_take,
    order_invoice,
    order_make_ready,
    order_pay,
)
from leads.services.quotes import quote_accept, quote_create, quote_send
from leads.signals import order_ready_for_delivery
from showroom.models import Document
from showroom.services.transitions import TransitionConflict
from tests.leads.quotes_fixtures import VIN1, VIN2, shop, today  # noqa: F401
from warehouse.models import Reservation, StockLevel
from warehouse.selectors import stock_available

D = Decimal


@pytest.fixture
def order(personas, shop):
    quote = quote_create(
        lead=shop.lead, user=personas.consultant, trim_colour=shop.tc, discount="1000", invoice_date=today()
    )
    quote = quote_send(quote=quote, user=personas.consultant)
    return quote_accept(quote=quote, user=personas.consultant)


def test_the_deposit_is_taken_with_a_numbered_receipt_and_the_lead_is_won(personas, shop, order):
    payment = order_deposit_take(order=order, user=personas.consultant, method="card", reference="POS 1234")
    order.refresh_from_db()
    shop.lead.refresh_from_db()
    assert (order.state, order.paid) == (Order.State.DEPOSIT_PAID, D("5000.00"))
    assert payment.receipt_number.startswith("DR-") and payment.amount == D("5000.00")
    assert Document.objects.filter(doc_type="DR", object_id=payment.pk, number=payment.receipt_number).exists()
    assert shop.lead.state == "won"
    # a second deposit is a 409
    with pytest.raises(TransitionConflict):
        order_deposit_take(order=order, user=personas.consultant, method="cash")


def test_deposit_input_and_permission(personas, order):
    with pytest.raises(ValidationError) as err:
        order_deposit_take(order=order, user=personas.cashier, method="cheque", amount="-5")
    assert {"method", "amount"} <= set(err.value.message_dict)
    with pytest.raises(PermissionDenied):
        order_deposit_take(order=order, user=personas.receptionist, method="cash")
    # the cashier may take it
    order_deposit_take(order=order, user=personas.cashier, method="cash", amount="10,000")
    order.refresh_from_db()
    assert order.paid == D("10000.00")
    assert not Payment.objects.filter(kind="refund").exists()


def test_the_whole_way_to_ready_for_delivery(personas, shop, order):
    received = []

    def receiver(sender, order, user, **kwargs):
        received.append((order.pk, order.state))

    order_ready_for_delivery.connect(receiver)
    try:
        order_deposit_take(order=order, user=personas.consultant, method="transfer")
        order = order_allocate(order=order, user=personas.consultant, vin=VIN1.lower())
        assert (order.state, order.vin) == (Order.State.ALLOCATED, VIN1)
        assert order.pickup_estimate == today() + dt.timedelta(days=3)
        assert Reservation.objects.get(pk=order.reservation_id).state == "active"
        assert stock_available(item=shop.car_item) == D("1")
        with pytest.raises(PermissionDenied):
            order_invoice(order=order, user=personas.consultant, invoice_number="FP001")
        order = order_invoice(order=order, user=personas.finance, invoice_number="FP001")
        with pytest.raises(ValidationError):
            order_pay(order=order, user=personas.cashier, method="transfer", amount="1")
        order = order_pay(order=order, user=personas.cashier, method="transfer", amount=order.balance)
        assert (order.state, order.balance) == (Order.State.PAID, D("0.00"))
        order = order_make_ready(order=order, user=personas.consultant)
    finally:
        order_ready_for_delivery.disconnect(receiver)
    assert order.state == Order.State.READY
    assert received == [(order.pk, "ready")]


def test_a_vin_reserved_for_one_order_is_a_409_for_another(personas, shop, order):
    order_deposit_take(order=order, user=personas.consultant, method="cash")
    order_allocate(order=order, user=personas.consultant, vin=VIN1)
    other_lead = type(shop.lead).objects.get(pk=shop.lead.pk)
    from tests.factories import CustomerFactory
    from tests.leads.factories import LeadFactory

    lead2 = LeadFactory(
        store=personas.store_a, customer=CustomerFactory(store=personas.store_a), consultant=personas.consultant
    )
    q2 = quote_send(
        quote=quote_create(lead=lead2, user=personas.consultant, trim_colour=shop.tc), user=personas.consultant
    )
    order2 = quote_accept(quote=q2, user=personas.consultant)
    order_deposit_take(order=order2, user=personas.consultant, method="cash")
    with pytest.raises(TransitionConflict):
        order_allocate(order=order2, user=personas.consultant, vin=VIN1)
    order2.refresh_from_db()
    assert (order2.state, order2.vin) == (Order.State.DEPOSIT_PAID, "")
    with pytest.raises(ValidationError):
        order_allocate(order=order2, user=personas.consultant, vin="NOT-A-VIN")
    assert order_allocate(order=order2, user=personas.consultant, vin=VIN2).state == Order.State.ALLOCATED
    assert other_lead.pk == shop.lead.pk


def test_cancel_before_allocation_refunds_the_deposit_in_full(personas, order):
    order_deposit_take(order=order, user=personas.consultant, method="card")
    with pytest.raises(ValidationError):
        order_cancel(order=order, user=personas.consultant, reason=" ")
    order = order_cancel(order=order, user=personas.consultant, reason="客户资金原因")
    assert (order.state, order.refunded) == (Order.State.CANCELLED, D("5000.00"))
    refund = Payment.objects.get(order=order, kind="refund")
    assert (refund.amount, refund.method) == (D("5000.00"), "card")


def test_cancel_after_allocation_follows_the_store_rule_and_frees_the_car(personas, shop, order):
    SalesSettings.objects.create(store=personas.store_a, refund_after_allocation_percent=D("50"))
    order_deposit_take(order=order, user=personas.consultant, method="cash")
    order = order_allocate(order=order, user=personas.consultant, vin=VIN1)
    order = order_cancel(order=order, user=personas.sales_manager, reason="客户放弃")
    assert order.refunded == D("2500.00")
    assert Reservation.objects.get(pk=order.reservation_id).state == "released"
    assert StockLevel.objects.get(item=shop.car_item).reserved == 0
    with pytest.raises(TransitionConflict):
        order_cancel(order=order, user=personas.sales_manager, reason="再次")
