"""Fixtures of the stocktake tests: W1 (bins A-01 and B-01) with bolts and nuts in stock, the
team staff of store A, and ``st`` — helpers that walk a stocktake through its steps, each by the
persona whose job it is."""

import datetime as dt
from decimal import Decimal

import pytest

from showroom import roles as r
from tests.factories import MembershipFactory, UserFactory
from tests.warehouse.factories import ItemFactory
from warehouse.models import Item, Stocktake
from warehouse.services import stocktake as svc


@pytest.fixture
def staff(personas):
    """Six keepers of store A: a team leader, two helpers, and the rest for the recount team."""
    users = []
    for n in range(6):
        user = UserFactory(username=f"a_counter{n}")
        MembershipFactory(user=user, store=personas.store_a, role_code=r.WAREHOUSE_KEEPER)
        users.append(user)
    return users


@pytest.fixture
def stock(personas, wh, put_in):
    """W1 holds 100 bolts in A-01 (at 10.00) and 40 nuts in B-01 (at 2.00)."""
    nut = ItemFactory(code="NUT", name="螺母", tracking=Item.Tracking.QUANTITY)
    put_in(wh.bolt, wh.w1, wh.a, 100, unit_cost="10")
    put_in(nut, wh.w1, wh.b, 40, unit_cost="2")
    return nut


@pytest.fixture
def st(personas, wh, staff, stock):
    sup, fin = personas.warehouse_supervisor, personas.finance

    class Steps:
        nut = stock

        @staticmethod
        def plan(warehouse=None, **kw):
            return svc.stocktake_plan(
                warehouse=warehouse or wh.w1, user=sup, month=dt.date(2026, 12, 1), seed=kw.pop("seed", 42), **kw
            )

        @staticmethod
        def frozen():
            s = Steps.plan()
            return svc.stocktake_freeze(stocktake=s, user=sup)

        @staticmethod
        def counting():
            s = Steps.frozen()
            svc.stocktake_area_set(
                stocktake=s, user=sup, name="A 区", bins=[wh.a], leader=staff[0], helpers=[staff[1], staff[2]]
            )
            svc.stocktake_area_set(
                stocktake=s, user=sup, name="B 区", bins=[wh.b], leader=staff[1], helpers=[staff[0], staff[2]]
            )
            svc.stocktake_recount_team_set(stocktake=s, user=sup, members=staff[2:6])
            return svc.stocktake_count_start(stocktake=s, user=sup)

        @staticmethod
        def count_all(s, *, bolts="100", nuts="40", round_user=None):
            svc.stocktake_count_record(stocktake=s, user=round_user or staff[0], bin=wh.a, item=wh.bolt, quantity=bolts)
            svc.stocktake_count_record(stocktake=s, user=round_user or staff[1], bin=wh.b, item=stock, quantity=nuts)

        @staticmethod
        def recounting(bolts="100", nuts="40"):
            s = Steps.counting()
            Steps.count_all(s, bolts=bolts, nuts=nuts)
            for area in s.areas.all():
                svc.stocktake_area_finish(area=area, user=sup)
            return svc.stocktake_recount_start(stocktake=s, user=sup)

        @staticmethod
        def auditing(bolts="100", nuts="40"):
            s = Steps.recounting(bolts, nuts)
            Steps.count_all(s, bolts=bolts, nuts=nuts, round_user=staff[3])
            return svc.stocktake_audit_start(stocktake=s, user=fin)

        @staticmethod
        def audit_all(s):
            for audit in s.audit_lines.select_related("line"):
                svc.stocktake_audit_record(
                    stocktake=s,
                    user=fin,
                    partner=personas.cashier,
                    bin=audit.line.bin,
                    item=audit.line.item,
                    quantity=audit.sheet_quantity,
                )
            return svc.stocktake_audit_finish(stocktake=s, user=fin)

        @staticmethod
        def approved(bolts="97", nuts="42"):
            s = Steps.auditing(bolts, nuts)
            Steps.audit_all(s)
            return svc.stocktake_approve(stocktake=s, user=fin)

        @staticmethod
        def reload(s):
            return Stocktake.objects.get(pk=s.pk)

    return Steps


Q = Decimal
