"""Fixtures of the warehouse tests: two warehouses of store A (moving average) with a bin
each, a supplier, items of each tracking kind, and helpers that take goods in and out through
the ledger service."""

from decimal import Decimal

import pytest
from django.db import models

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


@pytest.fixture
def shop(personas, wh, put_in):
    """Selling from W1: 200 bolts in bin A (at 10.00), 50 in bin B; a nut item with 30 in bin
    A (at 2.00); a customer account of store A with nothing paid in; helpers to run the flow."""
    from tests.factories import CustomerFactory
    from warehouse.services import account_open

    put_in(wh.bolt, wh.w1, wh.a, 200, unit_cost="10")
    put_in(wh.bolt, wh.w1, wh.b, 50, unit_cost="10")
    nut = ItemFactory(code="NUT", name="螺母", tracking=Item.Tracking.QUANTITY, list_price="3.00")
    put_in(nut, wh.w1, wh.a, 30, unit_cost="2")
    customer = CustomerFactory(store=personas.store_a, name="华东汽配", mobile="13812345678")
    account = account_open(user=personas.sales_assistant, customer=customer, company="华东汽配有限公司")

    class Shop:
        pass

    shop = Shop()
    shop.nut = nut
    shop.customer = customer
    shop.account = account
    return shop


@pytest.fixture
def flow(personas, wh, shop):
    """Steps of selling from stock, each through its service, by the persona whose job it is."""
    from warehouse import services as sv

    class Flow:
        @staticmethod
        def order(lines, *, account=None, warehouse=None):
            return sv.sales_order_create(
                user=personas.sales_assistant,
                warehouse=warehouse or wh.w1,
                account=account or shop.account,
                channel="fax",
                freight="delivered",
                requirements="木箱包装",
                lines=[{"item": item, "quantity": q, "unit_price": p} for item, q, p in lines],
            )

        @staticmethod
        def approve(order):
            return sv.sales_order_approve(order=order, user=personas.marketing_director)

        @staticmethod
        def pick_pack_close(order, *, bin=None):
            for line in order.lines.all():
                if line.reserved_quantity - line.picked_quantity > 0:
                    sv.pick_record(
                        order=order,
                        user=personas.warehouse_keeper,
                        picks=[
                            {
                                "line": line,
                                "bin": bin or wh.a,
                                "quantity": line.reserved_quantity - line.picked_quantity,
                            }
                        ],
                    )
            from warehouse.models import PickLine

            picks = PickLine.objects.filter(line__order=order, packed_quantity__lt=models.F("quantity"))
            sv.box_pack(
                order=order,
                user=personas.warehouse_keeper,
                contents=[{"pick": p, "quantity": p.quantity - p.packed_quantity} for p in picks],
            )
            return sv.packing_close(order=order, user=personas.warehouse_supervisor)

        @staticmethod
        def pay(amount, *, account=None, method="transfer", invoice=None):
            return sv.payment_record(
                user=personas.cashier, account=account or shop.account, amount=amount, method=method, invoice=invoice
            )

        @staticmethod
        def sign_all(outbound):
            sv.outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="keeper")
            sv.outbound_sign(outbound=outbound, user=personas.warehouse_supervisor, role="supervisor")
            return sv.outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="customer", name="王经理")

    return Flow
