# ruff: noqa: F811  (the ``counter`` fixture is imported from test_counter_support)
"""Races with real transactions at the counter: two receipts for the last phone, two picks of one
receipt — one wins, the other gets the 409 conflict and changes nothing."""

import pytest

from tests.warehouse.test_counter_support import counter  # noqa: F401
from tests.warehouse.test_races import _is_409, race
from warehouse.models import CounterReceipt, StockMove
from warehouse.services import counter_receipt_pick

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_receipts_for_the_same_phone(counter):
    # when two sellers write a receipt for serial SN60A001 at once
    results, errors = race(
        *(
            lambda user=user: counter.receipt([(counter.phone, 1, "SN60A001")], user=user)
            for user in (counter.p.sales_assistant, counter.p.counter_leader)
        )
    )
    # then one receipt holds it, the other is a 409 and no second receipt (or number) exists
    assert len(results) == 1 and len(errors) == 1 and _is_409(errors[0])
    assert CounterReceipt.objects.count() == 1


def test_two_picks_of_one_receipt(counter):
    receipt = counter.receipt([(counter.phone, 1, "SN60A001"), (counter.cable, 2, "")])
    picks = counter.picks(receipt)
    results, errors = race(
        *(
            lambda user=user: counter_receipt_pick(receipt=receipt, user=user, picks=picks)
            for user in (counter.p.warehouse_keeper, counter.p.sales_assistant)
        )
    )
    assert len(results) == 1 and len(errors) == 1 and _is_409(errors[0])
    assert StockMove.objects.filter(source_label=receipt.number).count() == 2
