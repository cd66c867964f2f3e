"""Valuation: the moving weighted average after receipts at different costs (computed by hand),
and the monthly weighted average known only at the month-end close (article 2)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.warehouse.factories import BinFactory, WarehouseFactory
from warehouse.models import CostPosting, StockLevel, StockMove, Warehouse
from warehouse.services import StockConflict, month_close, stock_move_reverse

pytestmark = pytest.mark.django_db


def test_moving_average_after_receipts_at_different_costs(wh, put_in, take_out):
    # given 10 bolts at ¥100.00 and 5 at ¥130.00
    put_in(wh.bolt, wh.w1, wh.a, 10, unit_cost="100")
    put_in(wh.bolt, wh.w1, wh.a, 5, unit_cost="130")
    # by hand: (10×100 + 5×130) / 15 = 1650 / 15 = 110.00
    level = StockLevel.objects.get(item=wh.bolt, warehouse=wh.w1)
    assert (level.quantity, level.value) == (Decimal("15"), Decimal("1650.00"))
    # when 6 are issued, they leave at 110.00: COGS 660.00, 9 left worth 990.00
    issue = take_out(wh.bolt, wh.w1, wh.a, 6)
    assert (issue.unit_cost, issue.value) == (Decimal("110.0000"), Decimal("-660.00"))
    assert CostPosting.objects.get(move=issue).amount == Decimal("660.00")
    # and 1 more comes in at ¥200.00: (990 + 200) / 10 = 119.00
    put_in(wh.bolt, wh.w1, wh.a, 1, unit_cost="200")
    second = take_out(wh.bolt, wh.w1, wh.a, 3)
    assert (second.unit_cost, second.value) == (Decimal("119.0000"), Decimal("-357.00"))
    # the last 7 leave with exactly what is left (no rounding residue)
    put_in(wh.bolt, wh.w1, wh.a, 3, unit_cost="33.33")
    # (833.00 + 99.99) / 10 = 93.299 per unit; 3 leave at 279.90 (rounded), 7 take the rest
    third = take_out(wh.bolt, wh.w1, wh.a, 3)
    assert third.value == Decimal("-279.90")
    last = take_out(wh.bolt, wh.w1, wh.a, 7)
    assert last.value == Decimal("-653.09")
    level.refresh_from_db()
    assert (level.quantity, level.value) == (Decimal("0"), Decimal("0.00"))


def test_a_transfer_carries_the_average_cost(wh, personas, put_in):
    from warehouse.services import transfer_create, transfer_dispatch, transfer_receive

    put_in(wh.bolt, wh.w1, wh.a, 2, unit_cost="10")
    put_in(wh.bolt, wh.w1, wh.a, 2, unit_cost="20")
    transfer = transfer_create(
        user=personas.warehouse_keeper,
        from_warehouse=wh.w1,
        to_warehouse=wh.w2,
        to_bin=wh.c,
        lines=[{"item": wh.bolt, "from_bin": wh.a, "quantity": 2}],
    )
    transfer_dispatch(transfer=transfer, user=personas.warehouse_keeper, confirmed=["2"])
    transfer_receive(transfer=transfer, user=personas.warehouse_keeper, confirmed=["2"])
    assert StockLevel.objects.get(item=wh.bolt, warehouse=wh.w2).value == Decimal("30.00")
    assert StockLevel.objects.get(item=wh.bolt, warehouse=wh.w1).value == Decimal("30.00")
    assert not CostPosting.objects.exists()  # a transfer is not a sale


@pytest.fixture
def monthly(personas):
    warehouse = WarehouseFactory(store=personas.store_a, code="mth", valuation=Warehouse.Valuation.MONTHLY)
    return warehouse, BinFactory(warehouse=warehouse, code="M-01")


def _at(move, when):
    StockMove.objects.filter(pk=move.pk).update(created_at=when)


def test_monthly_average_cost_is_posted_at_the_close(wh, personas, put_in, take_out, monthly):
    warehouse, bin = monthly
    tz = timezone.get_default_timezone()
    feb = dt.datetime(2026, 2, 10, 10, tzinfo=tz)
    mar = dt.datetime(2026, 3, 5, 10, tzinfo=tz)
    # given February: 4 in at ¥50 and one issue of 2 (cost pending), closed at ¥50
    _at(put_in(wh.bolt, warehouse, bin, 4, unit_cost="50"), feb)
    feb_issue = take_out(wh.bolt, warehouse, bin, 2)
    _at(feb_issue, feb)
    assert feb_issue.cost_pending and feb_issue.value == 0 and not CostPosting.objects.exists()
    month_close(warehouse=warehouse, month=dt.date(2026, 2, 1), user=personas.finance)
    assert CostPosting.objects.get(move=feb_issue).amount == Decimal("100.00")
    # and March: 2 left worth ¥100 to open; 10 in at ¥100 and 8 in at ¥130; issues of 5 and 5
    for qty, cost in ((10, "100"), (8, "130")):
        _at(put_in(wh.bolt, warehouse, bin, qty, unit_cost=cost), mar)
    issues = [take_out(wh.bolt, warehouse, bin, 5), take_out(wh.bolt, warehouse, bin, 5)]
    for issue in issues:
        _at(issue, mar)
    level = StockLevel.objects.get(item=wh.bolt, warehouse=warehouse)
    assert level.value == Decimal("2140.00")  # 200 − 100 (February) + 1000 + 1040; March not yet costed
    # when March is closed: (100 + 1000 + 1040) / (2 + 10 + 8) = 2140 / 20 = 107.00
    close = month_close(warehouse=warehouse, month=dt.date(2026, 3, 1), user=personas.warehouse_supervisor)
    postings = list(close.postings.order_by("move_id"))
    assert [(p.unit_cost, p.amount) for p in postings] == [(Decimal("107.0000"), Decimal("535.00"))] * 2
    level.refresh_from_db()
    assert (level.quantity, level.value) == (Decimal("10"), Decimal("1070.00"))
    # the issue moves themselves are unchanged
    assert all(StockMove.objects.get(pk=i.pk).value == 0 for i in issues)


def test_a_month_closes_once_and_only_by_finance_or_the_supervisor(personas, monthly, wh):
    warehouse, _bin = monthly
    with pytest.raises(PermissionDenied):
        month_close(warehouse=warehouse, month=dt.date(2026, 1, 1), user=personas.warehouse_keeper)
    month_close(warehouse=warehouse, month=dt.date(2026, 1, 1), user=personas.finance)
    with pytest.raises(StockConflict):
        month_close(warehouse=warehouse, month=dt.date(2026, 1, 1), user=personas.finance)
    with pytest.raises(ValidationError):
        month_close(warehouse=wh.w1, month=dt.date(2026, 1, 1), user=personas.finance)


def test_a_reversed_pending_issue_is_not_costed(wh, personas, put_in, take_out, monthly):
    warehouse, bin = monthly
    put_in(wh.bolt, warehouse, bin, 4, unit_cost="50")
    issue = take_out(wh.bolt, warehouse, bin, 1)
    stock_move_reverse(move=issue, user=personas.warehouse_keeper, reason="取消销售")
    today = timezone.localdate()
    close = month_close(warehouse=warehouse, month=today, user=personas.finance)
    assert not close.postings.exists()
    assert StockLevel.objects.get(item=wh.bolt, warehouse=warehouse).value == Decimal("200.00")
