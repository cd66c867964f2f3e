"""Races with real transactions: two slips charging one balance, two picks of the last unit —
one wins, the other gets the 409 conflict and changes nothing."""

from decimal import Decimal

import pytest

from tests.warehouse.test_races import _is_409, race
from warehouse.models import AccountEntry, PickLine, SalesSlip
from warehouse.services import pick_record, slip_approve

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal


def test_two_slips_charging_one_balance(personas, wh, shop, flow):
    # given two waiting slips of 60.00 each and a prepaid balance of 100.00
    slips = [flow.pick_pack_close(flow.approve(flow.order([(wh.bolt, 6, "10.00")]))) for _ in range(2)]
    flow.pay("100.00")
    # when the director approves both at once
    results, errors = race(*(lambda s=s: slip_approve(slip=s, user=personas.marketing_director) for s in slips))
    # then one is approved and charged, the other gets 409 and keeps waiting
    assert len(results) == 1 and len(errors) == 1 and _is_409(errors[0])
    assert "20.00" in errors[0].message
    shop.account.refresh_from_db()
    assert shop.account.balance == D("40.00")
    assert sorted(SalesSlip.objects.values_list("state", flat=True)) == ["approved", "waiting"]
    assert AccountEntry.objects.filter(kind="charge").count() == 1


def test_two_picks_of_the_last_unit(personas, wh, shop, flow):
    # given one nut left in bin A... reserved for an order of one
    order = flow.approve(flow.order([(shop.nut, 30, "3.00")]))
    line = order.lines.get()
    pick_record(order=order, user=personas.warehouse_keeper, picks=[{"line": line, "bin": wh.a, "quantity": 29}])
    # when two keepers pick the last unit at once
    results, errors = race(
        *(
            lambda: pick_record(
                order=order, user=personas.warehouse_keeper, picks=[{"line": line, "bin": wh.a, "quantity": 1}]
            )
            for _ in range(2)
        )
    )
    # then one pick is recorded, the other is a 409
    assert len(results) == 1 and len(errors) == 1 and _is_409(errors[0])
    line.refresh_from_db()
    assert line.picked_quantity == D("30")
    assert PickLine.objects.count() == 2
