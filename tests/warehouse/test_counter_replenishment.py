# ruff: noqa: F811  (the ``counter`` fixture is imported from test_counter_support)
"""The closing-time replenishment list (article 9, 六、补货 14–16): exactly the items sold out or
under their reorder point; confirmed to the warehouse supervisor, who sends what the stock room
has and asks purchasing for the rest; purchasing orders with the expected date and the counter is
told. The closing job tells the counter leader how long the list is."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from showroom.models import Notification
from showroom.services.transitions import TransitionConflict
from tests.warehouse.factories import ItemFactory, SupplierFactory
from tests.warehouse.test_counter_support import counter  # noqa: F401
from warehouse.models import CounterReplenishment, CounterReplenishmentLine, Item, PurchaseOrder, PurchaseRequest
from warehouse.selectors_counter import replenishment_rows
from warehouse.services import (
    counter_receipt_pick,
    counter_replenishment_confirm,
    counter_replenishment_order,
    counter_replenishment_process,
)
from warehouse.services.counter import counter_replenishment_job

pytestmark = pytest.mark.django_db


def _sell_the_case(counter):
    receipt = counter.receipt([(counter.case, 1, "")])
    counter_receipt_pick(receipt=receipt, user=counter.p.sales_assistant, picks=counter.picks(receipt))


def test_the_list_holds_exactly_the_items_sold_out_or_under_their_reorder_point(counter, put_in):
    # given: cables 12 (reorder 10), chargers 3 (reorder 5), the only case sold, one phone on a
    # receipt and the other still free, a kettle only in the stock room, a battery at its point
    _sell_the_case(counter)
    counter.receipt([(counter.cable, 2, "")])  # 10 left to sell: at the point, not under it
    battery = ItemFactory(code="BAT-5000", name="充电宝", reorder_point="4")
    put_in(battery, counter.wh.w1, counter.wh.a, 4)
    kettle = ItemFactory(code="KETTLE", name="电水壶", reorder_point="3")
    put_in(kettle, counter.wh.w2, counter.wh.c, 1)
    sold_out_by_receipt = ItemFactory(code="EARBUDS", name="耳机", reorder_point="0")
    put_in(sold_out_by_receipt, counter.wh.w1, counter.wh.a, 1)
    counter.receipt([(sold_out_by_receipt, 1, "")])  # held for a receipt: nothing left to sell
    # when the list is read for the counter
    rows = list(replenishment_rows(warehouse=counter.wh.w1))
    # then it is the charger (under 5), the case (sold out), the earbuds (all held) and the phone
    # (one left, reorder point 0 → not listed)
    assert [(row.item.code, row.available) for row in rows] == [
        ("CASE-M60", Decimal("0")),
        ("CHG-66W", Decimal("3")),
        ("EARBUDS", Decimal("0")),
    ]


def test_confirm_process_and_order_tell_each_side(counter):
    _sell_the_case(counter)
    leader, head, buyer = counter.p.counter_leader, counter.p.warehouse_supervisor, counter.p.purchasing
    # when the counter leader confirms the list at closing, wanting 6 chargers
    rep = counter_replenishment_confirm(user=leader, warehouse=counter.wh.w1, quantities={str(counter.charger.pk): "6"})
    lines = {ln.item.code: ln for ln in rep.lines.select_related("item")}
    assert {code: ln.quantity for code, ln in lines.items()} == {"CASE-M60": Decimal("1"), "CHG-66W": Decimal("6")}
    assert rep.state == CounterReplenishment.State.SENT
    # then the warehouse supervisor is told
    assert Notification.objects.filter(user=head, url__contains="/counter/replenishment/").count() == 1
    # and a second list waits until this one is processed
    with pytest.raises(TransitionConflict):
        counter_replenishment_confirm(user=leader, warehouse=counter.wh.w1)
    # when the supervisor processes it: the stock room has 4 chargers and no case
    rep = counter_replenishment_process(replenishment=rep, user=head)
    charger = CounterReplenishmentLine.objects.get(replenishment=rep, item=counter.charger)
    case = CounterReplenishmentLine.objects.get(replenishment=rep, item=counter.case)
    assert (charger.from_stock, charger.to_purchase, charger.supply) == (Decimal("4"), Decimal("2"), "purchasing")
    assert (case.from_stock, case.to_purchase, case.supply) == (Decimal("0"), Decimal("1"), "purchasing")
    # then what the warehouse lacks is a purchase request for counter replenishment
    request = charger.purchase_request
    assert (request.reason, request.quantity, request.requested_by) == (
        PurchaseRequest.Reason.REPLENISHMENT,
        Decimal("2"),
        head,
    )
    assert Notification.objects.filter(user=leader, key=f"warehouse.counter_replenishment_processed:{rep.pk}").exists()
    # when purchasing orders it with the expected date
    expected = timezone.localdate() + dt.timedelta(days=3)
    supplier = SupplierFactory(name="华为授权经销商")
    order = counter_replenishment_order(
        line=charger, user=buyer, supplier=supplier, unit_cost="90.00", expected_on=expected
    )
    # then the request is ordered through purchasing's own machinery and the counter is told the date
    charger.refresh_from_db()
    assert order.state == PurchaseOrder.State.DRAFT and order.lines.get().quantity == Decimal("2")
    assert charger.supply == "ordered" and charger.expected_on == expected and charger.purchase_order == order
    request.refresh_from_db()
    assert request.state == PurchaseRequest.State.ORDERED and request.order == order
    told = Notification.objects.get(user=leader, key=f"warehouse.counter_replenishment_ordered:{charger.pk}")
    assert expected.isoformat() in told.title
    # and the same line cannot be ordered twice
    with pytest.raises(TransitionConflict):
        counter_replenishment_order(line=charger, user=buyer, supplier=supplier, unit_cost="90", expected_on=expected)


def test_an_expected_date_in_the_past_is_refused(counter):
    _sell_the_case(counter)
    rep = counter_replenishment_process(
        replenishment=counter_replenishment_confirm(user=counter.p.counter_leader, warehouse=counter.wh.w1),
        user=counter.p.warehouse_supervisor,
    )
    line = rep.lines.get(item=counter.case)
    with pytest.raises(ValidationError) as refused:
        counter_replenishment_order(
            line=line,
            user=counter.p.purchasing,
            supplier=SupplierFactory(),
            unit_cost="15",
            expected_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert "expected_on" in refused.value.message_dict
    assert not PurchaseOrder.objects.exists()


def test_a_line_the_stock_room_covers_needs_no_purchase(counter):
    rep = counter_replenishment_confirm(
        user=counter.p.counter_leader, warehouse=counter.wh.w1, quantities={counter.charger.pk: "4"}
    )
    rep = counter_replenishment_process(replenishment=rep, user=counter.p.warehouse_supervisor)
    line = rep.lines.get(item=counter.charger)
    assert (line.from_stock, line.supply, line.purchase_request) == (Decimal("4"), "from_stock", None)
    assert not PurchaseRequest.objects.exists()
    with pytest.raises(TransitionConflict):
        counter_replenishment_process(replenishment=rep, user=counter.p.warehouse_supervisor)


def test_bad_quantities_and_an_empty_list_are_refused(counter, put_in):
    with pytest.raises(ValidationError):
        counter_replenishment_confirm(
            user=counter.p.counter_leader, warehouse=counter.wh.w1, quantities={counter.cable.pk: "5"}
        )
    with pytest.raises(ValidationError):
        counter_replenishment_confirm(
            user=counter.p.counter_leader, warehouse=counter.wh.w1, quantities={counter.charger.pk: "0"}
        )
    put_in(counter.charger, counter.wh.w1, counter.wh.a, 10)
    with pytest.raises(ValidationError):
        counter_replenishment_confirm(user=counter.p.counter_leader, warehouse=counter.wh.w1)
    assert not CounterReplenishment.objects.exists()


def test_the_closing_job_tells_the_counter_leader_once_per_warehouse(counter):
    day = timezone.localdate()
    counter_replenishment_job(store=counter.p.store_a, day=day)
    counter_replenishment_job(store=counter.p.store_a, day=day)
    # W1: the charger (3 < 5); W2: its 4 chargers are under 5 too
    told = Notification.objects.filter(user=counter.p.counter_leader).order_by("title")
    assert [n.title for n in told] == [
        "一号仓: 1 items sold out or under their reorder point",
        "二号仓: 1 items sold out or under their reorder point",
    ]


def test_items_of_the_list_are_stocked_items(counter, put_in):
    service = ItemFactory(code="SETUP", name="开机设置", tracking=Item.Tracking.SERVICE)
    assert service.pk not in {row.item_id for row in replenishment_rows(warehouse=counter.wh.w1)}
