"""Permission matrix per workflow: every role of store A (and a manager of store B) tries each
step; exactly the roles the process gives it succeed, everyone else is refused (403)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from showroom import roles as r
from tests.warehouse.factories import BinFactory, WarehouseFactory
from warehouse.models import Warehouse
from warehouse.services import (
    dropship_approve,
    dropship_create,
    invoice_pay_from_balance,
    month_end_close,
    outbound_sign,
    packing_close,
    payment_record,
    pick_record,
    retail_report_approve,
    retail_report_create,
    retail_sale_record,
    sales_invoice_create,
    sales_order_approve,
    sales_order_create,
    slip_approve,
)

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def who_may(personas, call) -> set[str]:
    """The roles for which ``call(user)`` runs (each try rolled back); store B's manager never."""
    allowed = set()
    for code in r.ROLE_CODES:
        try:
            with transaction.atomic():
                call(personas.users[code])
                raise Rollback
        except Rollback:
            allowed.add(code)
        except PermissionDenied:
            pass
    with pytest.raises(PermissionDenied), transaction.atomic():
        call(personas.b_manager)
    return allowed


SELLERS = {r.SALES_ASSISTANT, r.SALES_MANAGER, r.MARKETING_DIRECTOR, r.COUNTER_LEADER}


def test_sales_order_steps(personas, wh, shop, flow):
    line = {"item": wh.bolt, "quantity": 1, "unit_price": "10.00"}
    assert (
        who_may(
            personas,
            lambda u: sales_order_create(
                user=u, warehouse=wh.w1, account=shop.account, channel="phone", freight="pickup", lines=[line]
            ),
        )
        == SELLERS
    )
    order = flow.order([(wh.bolt, 2, "10.00")])
    assert who_may(personas, lambda u: sales_order_approve(order=order, user=u)) == {r.MARKETING_DIRECTOR}
    flow.approve(order)
    picks = [{"line": order.lines.get(), "bin": wh.a, "quantity": 2}]
    assert who_may(personas, lambda u: pick_record(order=order, user=u, picks=picks)) == {
        r.WAREHOUSE_KEEPER,
        r.WAREHOUSE_SUPERVISOR,
    }
    assert who_may(personas, lambda u: sales_invoice_create(user=u, order=order)) == {r.FINANCE}


def test_slip_and_outbound_steps(personas, wh, shop, flow):
    order = flow.approve(flow.order([(wh.bolt, 2, "10.00")]))
    slip = flow.pick_pack_close(order)
    other = flow.approve(flow.order([(wh.bolt, 1, "10.00")]))
    from warehouse.services import box_pack

    pick_record(
        order=other, user=personas.warehouse_keeper, picks=[{"line": other.lines.get(), "bin": wh.a, "quantity": 1}]
    )
    box_pack(
        order=other,
        user=personas.warehouse_keeper,
        contents=[{"pick": other.lines.get().picks.get(), "quantity": 1}],
    )
    assert who_may(personas, lambda u: packing_close(order=other, user=u)) == {
        r.WAREHOUSE_SUPERVISOR,
        r.QC_INSPECTOR,
    }
    flow.pay("20.00")
    assert who_may(personas, lambda u: slip_approve(slip=slip, user=u)) == {r.MARKETING_DIRECTOR}
    outbound = slip_approve(slip=slip, user=personas.marketing_director).outbound
    assert who_may(personas, lambda u: outbound_sign(outbound=outbound, user=u, role="keeper")) == {r.WAREHOUSE_KEEPER}
    assert who_may(personas, lambda u: outbound_sign(outbound=outbound, user=u, role="supervisor")) == {
        r.WAREHOUSE_SUPERVISOR
    }
    assert who_may(personas, lambda u: outbound_sign(outbound=outbound, user=u, role="customer", name="王")) == {
        r.WAREHOUSE_KEEPER,
        r.WAREHOUSE_SUPERVISOR,
    }


def test_account_steps(personas, wh, shop, flow):
    assert who_may(personas, lambda u: payment_record(user=u, account=shop.account, amount="5.00", method="cash")) == {
        r.CASHIER,
        r.FINANCE,
    }
    order = flow.approve(flow.order([(wh.bolt, 1, "10.00")]))
    invoice = sales_invoice_create(user=personas.finance, order=order)
    flow.pay("10.00")
    assert who_may(personas, lambda u: invoice_pay_from_balance(user=u, invoice=invoice)) == {r.CASHIER, r.FINANCE}


def test_drop_ship_steps(personas, wh, shop):
    lines = [{"item": wh.bolt, "quantity": 1, "unit_price": "2.26", "unit_cost": "1.13"}]
    assert who_may(
        personas, lambda u: dropship_create(user=u, account=shop.account, supplier=wh.supplier, lines=lines)
    ) == {r.SALES_ASSISTANT, r.SALES_MANAGER, r.MARKETING_DIRECTOR}
    sale = dropship_create(user=personas.sales_assistant, account=shop.account, supplier=wh.supplier, lines=lines)
    assert who_may(personas, lambda u: dropship_approve(sale=sale, user=u)) == {r.MARKETING_DIRECTOR}


def test_retail_and_month_close_steps(personas, wh, shop, put_in):
    assert who_may(
        personas,
        lambda u: retail_sale_record(user=u, warehouse=wh.w1, bin=wh.a, item=wh.bolt, quantity=1),
    ) == {r.COUNTER_LEADER, r.SALES_ASSISTANT, r.CASHIER}
    retail_sale_record(user=personas.cashier, warehouse=wh.w1, bin=wh.a, item=wh.bolt, quantity=1)
    day = timezone.localdate()
    assert who_may(personas, lambda u: retail_report_create(user=u, warehouse=wh.w1, day=day)) == {
        r.COUNTER_LEADER,
        r.CASHIER,
        r.FINANCE,
    }
    report = retail_report_create(user=personas.cashier, warehouse=wh.w1, day=day)
    assert who_may(personas, lambda u: retail_report_approve(report=report, user=u)) == {r.FINANCE}
    monthly = WarehouseFactory(store=personas.store_a, valuation=Warehouse.Valuation.MONTHLY)
    BinFactory(warehouse=monthly)
    assert who_may(personas, lambda u: month_end_close(warehouse=monthly, month=day, user=u)) == {
        r.FINANCE,
        r.WAREHOUSE_SUPERVISOR,
    }
