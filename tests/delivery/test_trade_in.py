# ruff: noqa: F401, F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""An accepted trade-in is received into stock by a trade-in receipt in the same step as the
handover; the warehouse supervisor's approval brings the car in."""

import pytest
from django.core.exceptions import ValidationError

from delivery.models import Delivery
from delivery.services import delivery_arrive, delivery_hand_over, delivery_prepare, delivery_schedule
from leads.services.orders import order_allocate, order_deposit_take, order_invoice, order_make_ready, order_pay
from leads.services.quotes import quote_accept, quote_create, quote_send
from tests.delivery.conftest import answer_all, soon
from tests.leads.quotes_fixtures import VIN1, accepted_trade_in, shop, today
from tests.warehouse.factories import vin_with_check_digit
from warehouse.models import OtherReceipt, Serial
from warehouse.services import other_receipt_approve

pytestmark = pytest.mark.django_db
USED_VIN = vin_with_check_digit("LFV2A21KB3000001")


@pytest.fixture
def arrived_with_trade_in(personas, shop, accepted_trade_in):
    quote = quote_create(
        lead=shop.lead,
        user=personas.consultant,
        trim_colour=shop.tc,
        trade_in=accepted_trade_in,
        invoice_date=today(),
    )
    order = quote_accept(quote=quote_send(quote=quote, user=personas.consultant), user=personas.consultant)
    order_deposit_take(order=order, user=personas.consultant, method="transfer")
    order = order_allocate(order=order, user=personas.consultant, vin=VIN1)
    order = order_invoice(order=order, user=personas.finance, invoice_number="FP002")
    order = order_pay(order=order, user=personas.cashier, method="transfer", amount=order.balance)
    order_make_ready(order=order, user=personas.consultant)
    delivery = Delivery.objects.get(order=order)
    delivery_schedule(delivery=delivery, user=personas.consultant, at=soon(), bay="交车区 1")
    answer_all(delivery, personas.consultant, "delivery.pre_delivery")
    delivery_prepare(delivery=delivery, user=personas.consultant)
    delivery = delivery_arrive(delivery=delivery, user=personas.consultant)
    answer_all(delivery, personas.consultant, "delivery.handover", phases=("before", "at"))
    return delivery


def test_the_trade_in_needs_its_vin_and_nothing_changes_without_it(personas, arrived_with_trade_in):
    with pytest.raises(ValidationError) as refused:
        delivery_hand_over(
            delivery=arrived_with_trade_in, user=personas.consultant, signed_name="王先生", arrival_minutes=30
        )
    assert "trade_in_vin" in refused.value.message_dict
    arrived_with_trade_in.refresh_from_db()
    assert arrived_with_trade_in.state == "arrived"
    assert Serial.objects.get(number=VIN1).state == "in_stock"
    assert not OtherReceipt.objects.exists()


def test_the_handover_files_the_trade_in_receipt_and_the_supervisor_brings_the_car_in(
    personas, arrived_with_trade_in, accepted_trade_in
):
    # when the consultant hands over with the used car's VIN
    delivery = delivery_hand_over(
        delivery=arrived_with_trade_in,
        user=personas.consultant,
        signed_name="王先生",
        arrival_minutes=30,
        trade_in_vin=USED_VIN.lower(),
    )
    # then the new car left and a trade-in receipt waits for the supervisor, at the offer's cost
    assert delivery.state == "handed_over"
    receipt = OtherReceipt.objects.get()
    line = receipt.lines.get()
    assert (receipt.kind, receipt.state) == ("trade_in", "draft")
    assert (line.serial_number, line.unit_cost, line.item.code) == (USED_VIN, accepted_trade_in.offer, "TRADE-IN-CAR")
    assert not Serial.objects.filter(number=USED_VIN).exists()
    # when the warehouse supervisor approves, the used car is in stock
    other_receipt_approve(receipt=receipt, user=personas.warehouse_supervisor)
    assert Serial.objects.get(number=USED_VIN).state == "in_stock"
