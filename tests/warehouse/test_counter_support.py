"""Fixtures of the counter-sales tests (imported by the ``test_counter*`` modules): W1 of store A is
the counter (bin A), W2 the shop's stock room (bin C). The counter holds two phones by serial, 12
cables (reorder point 10), 3 chargers (reorder point 5) and 1 phone case (reorder point 0); the
stock room holds 4 chargers."""

from decimal import Decimal

import pytest

from tests.warehouse.factories import ItemFactory
from warehouse.models import Item
from warehouse.services import counter_receipt_create


@pytest.fixture
def counter(personas, wh, put_in):
    class Counter:
        p = personas

    c = Counter()
    c.wh = wh
    c.phone = ItemFactory(
        code="MATE60",
        name="华为 Mate 60",
        specification="12GB+512GB 雅丹黑",
        tracking=Item.Tracking.SERIAL,
        list_price="5999.00",
        warranty_months=12,
    )
    c.cable = ItemFactory(code="USB-C1M", name="数据线", list_price="39.90", reorder_point="10")
    c.charger = ItemFactory(code="CHG-66W", name="66W 充电器", list_price="199.00", reorder_point="5")
    c.case = ItemFactory(code="CASE-M60", name="手机壳", list_price="59.00", reorder_point="0")
    put_in(c.phone, wh.w1, wh.a, 1, unit_cost="4800", serial="SN60A001")
    put_in(c.phone, wh.w1, wh.a, 1, unit_cost="4800", serial="SN60A002")
    put_in(c.cable, wh.w1, wh.a, 12, unit_cost="12")
    put_in(c.charger, wh.w1, wh.a, 3, unit_cost="90")
    put_in(c.case, wh.w1, wh.a, 1, unit_cost="15")
    put_in(c.charger, wh.w2, wh.c, 4, unit_cost="90")

    def receipt(lines, *, user=None, **extra):
        """lines: (item, quantity, serial) — the price is the list price unless extra says otherwise."""
        return counter_receipt_create(
            user=user or personas.sales_assistant,
            warehouse=extra.pop("warehouse", wh.w1),
            lines=[{"item": item, "quantity": Decimal(str(q)), "serial": s} for item, q, s in lines],
            **extra,
        )

    def picks(receipt, overrides=None):
        """The right pick of every line (from bin A); ``overrides`` maps a line index to changes."""
        rows = []
        for n, line in enumerate(receipt.lines.order_by("id")):
            row = {"line": line, "item": line.item, "serial": line.serial, "bin": wh.a}
            row.update((overrides or {}).get(n, {}))
            rows.append(row)
        return rows

    c.receipt = receipt
    c.picks = picks
    return c
