"""The dashboard card "Goods received (value)": the receipts of the store's own warehouses in the
period, nothing of another store's, and no moves query at all for a store without a warehouse."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.warehouse.factories import BinFactory, ItemFactory, WarehouseFactory
from warehouse.models import StockMove
from warehouse.selectors import metric_goods_received
from warehouse.services.ledger import stock_move_append

pytestmark = pytest.mark.django_db


def _receive(store, quantity, unit_cost, item=None):
    warehouse = WarehouseFactory(store=store)
    bin_ = BinFactory(warehouse=warehouse)
    return stock_move_append(
        item=item or ItemFactory(),
        warehouse=warehouse,
        bin=bin_,
        quantity=quantity,
        kind=StockMove.Kind.RECEIPT,
        unit_cost=unit_cost,
    )


def test_the_value_received_by_the_stores_own_warehouses_in_the_period(personas):
    # given receipts in two warehouses of store A and one of store B today
    _receive(personas.store_a, 3, "100.00")
    _receive(personas.store_a, 2, "50.50")
    _receive(personas.store_b, 7, "999.00")
    now = timezone.now()
    # when the card is computed for store A over today and for yesterday
    today = metric_goods_received(
        store_ids=[personas.store_a.pk], start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=1)
    )
    before = metric_goods_received(
        store_ids=[personas.store_a.pk], start=now - dt.timedelta(days=2), end=now - dt.timedelta(days=1)
    )
    # then it is the sum of store A's receipts today, and nothing before
    assert today == Decimal("401.00")
    assert before == Decimal("0")


def test_a_store_without_a_warehouse_asks_one_question(personas):
    _receive(personas.store_b, 1, "10.00")
    now = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        value = metric_goods_received(store_ids=[personas.store_a.pk], start=now - dt.timedelta(days=1), end=now)
    # one query: the store's warehouses (none), and no moves query
    assert value == Decimal("0") and len(ctx.captured_queries) == 1
