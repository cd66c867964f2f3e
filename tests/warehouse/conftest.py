"""Fixtures of the warehouse tests: two warehouses of store A (moving average) with a bin
each, a supplier, items of each tracking kind, and helpers that take goods in and out through
the ledger service."""

from decimal import Decimal

import pytest

from tests.warehouse.factories import BinFactory, ItemFactory, SupplierFactory, WarehouseFactory
from warehouse.models import Item, StockMove
from warehouse.services import stock_move_append


@pytest.fixture
def wh(personas):
    """Store A's main warehouse (W1, bins A and B) and a second one (W2, bin C)."""

    class Places:
        w1 = WarehouseFactory(store=personas.store_a, code="w1", name="一号仓")
        w2 = WarehouseFactory(store=personas.store_a, code="w2", name="二号仓")
        a = BinFactory(warehouse=w1, code="A-01")
        b = BinFactory(warehouse=w1, code="B-01")
        c = BinFactory(warehouse=w2, code="C-01")
        supplier = SupplierFactory(code="sgm", name="上汽通用")
        bolt = ItemFactory(code="BOLT", name="螺栓", tracking=Item.Tracking.QUANTITY)
        car = ItemFactory(code="GL8-WHITE", name="GL8 珍珠白", tracking=Item.Tracking.SERIAL, list_price="329900")
        gold = ItemFactory(code="GOLD", name="足金", tracking=Item.Tracking.WEIGHT, unit=Item.Unit.GRAM)
        fee = ItemFactory(code="FEE", name="上牌服务费", tracking=Item.Tracking.SERVICE)

    return Places


@pytest.fixture
def put_in(personas):
    def make(item, warehouse, bin, quantity, *, unit_cost="10", serial=None, kind=StockMove.Kind.OTHER_IN):
        return stock_move_append(
            item=item,
            warehouse=warehouse,
            bin=bin,
            quantity=Decimal(str(quantity)),
            kind=kind,
            user=personas.warehouse_keeper,
            unit_cost=unit_cost,
            serial=serial,
        )

    return make


@pytest.fixture
def take_out(personas):
    def make(item, warehouse, bin, quantity, *, serial=None, reservation=None, kind=StockMove.Kind.ISSUE):
        return stock_move_append(
            item=item,
            warehouse=warehouse,
            bin=bin,
            quantity=-Decimal(str(quantity)),
            kind=kind,
            user=personas.warehouse_keeper,
            serial=serial,
            reservation=reservation,
        )

    return make
