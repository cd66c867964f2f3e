# ruff: noqa: F811  (the ``counter`` fixture is imported from test_counter_support)
"""A counter sale by serial feeds the repair desk's warranty check (article 9, 售后服务: 看这个产品是否是
我们卖给他的产品,是否在保修范围之内): the pick's ledger issue is what ``repair_sale_lookup`` finds."""

import pytest
from django.utils import timezone

from delivery.models import RepairTicket
from delivery.services.repairs import repair_intake, repair_sale_lookup
from tests.warehouse.test_counter_support import counter  # noqa: F401
from warehouse.services import counter_receipt_pick

pytestmark = pytest.mark.django_db


def _intake(counter, serial):
    return repair_intake(
        store=counter.p.store_a,
        user=counter.p.after_sales,
        customer_mobile="13600003333",
        customer_name="李先生",
        consent_given=True,
        product="手机",
        model="Mate 60",
        serial=serial,
        fault="无法开机",
    )


def test_a_repair_ticket_finds_the_counter_sale_by_its_serial_and_is_in_warranty(counter):
    # given a phone sold at the counter on a receipt and picked against it
    receipt = counter.receipt([(counter.phone, 1, "SN60A001")], customer_name="李先生")
    counter_receipt_pick(receipt=receipt, user=counter.p.sales_assistant, picks=counter.picks(receipt))
    # when the customer brings it back for repair, typing the serial in lower case
    ticket = _intake(counter, "sn60a001")
    # then the desk found our sale (today, 12 months' warranty) and the ticket is in warranty
    assert repair_sale_lookup(store=counter.p.store_a, serial="SN60A001") == (timezone.localdate(), 12)
    assert ticket.sale_source == RepairTicket.SaleSource.FOUND
    assert ticket.sale_date == timezone.localdate() and ticket.warranty_months == 12
    assert ticket.in_warranty is True


def test_a_receipt_not_yet_picked_is_no_sale_for_the_repair_desk(counter):
    # the goods never left: the phone is not ours to repair under warranty
    counter.receipt([(counter.phone, 1, "SN60A002")])
    ticket = _intake(counter, "SN60A002")
    assert ticket.sale_source == RepairTicket.SaleSource.NOT_OURS and ticket.in_warranty is False
