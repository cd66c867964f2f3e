"""Fixtures of the spot-sales tests (imported by the ``test_spot*`` modules): a steel desk in W1
of store A with 50 t of rebar, a price list and a discount-rate table kept by the sales manager,
a customer account, and a helper that runs a sheet up to a step."""

from decimal import Decimal

import pytest

from tests.warehouse.factories import ItemFactory
from warehouse.models import Item
from warehouse.services import (
    account_open,
    spot_notice_send,
    spot_payment_record,
    spot_price_set,
    spot_rate_set,
    spot_sheet_approve,
    spot_sheet_create,
    spot_sheet_issue,
    spot_sheet_release,
    spot_sheet_sign,
    spot_sheet_verify,
    spot_sheet_weigh,
)


@pytest.fixture
def steel(personas, wh, put_in):
    from tests.factories import CustomerFactory

    def tonnes(code, name, spec):
        return ItemFactory(
            code=code, name=name, specification=spec, tracking=Item.Tracking.WEIGHT, unit=Item.Unit.TONNE
        )

    class Desk:
        p = personas

    desk = Desk()
    desk.wh = wh
    desk.rebar = tonnes("HRB400-12", "螺纹钢", "HRB400 Φ12")
    desk.angle = tonnes("L50X5", "角钢", "50×50×5")
    desk.plate = tonnes("Q235-10", "中板", "Q235 10mm")
    put_in(desk.rebar, wh.w1, wh.a, 50, unit_cost="3600")
    manager = personas.sales_manager
    spot_price_set(user=manager, store=personas.store_a, item=desk.rebar, unit_price="4000.00")
    spot_price_set(user=manager, store=personas.store_a, item=desk.angle, unit_price="3900.00")
    for item in (desk.rebar, desk.angle):
        spot_rate_set(user=manager, store=personas.store_a, item=item, customer_class="standard", rate="0.98")
        spot_rate_set(user=manager, store=personas.store_a, item=item, customer_class="wholesale", rate="0.95")
    customer = CustomerFactory(store=personas.store_a, name="温州建工", mobile="13912345678")
    desk.account = account_open(user=personas.sales_assistant, customer=customer, company="温州建工集团")

    def sheet_lines(lines, **extra):
        return spot_sheet_create(
            user=personas.sales_assistant,
            warehouse=wh.w1,
            account=desk.account,
            freight=extra.pop("freight", "collect"),
            freight_cost=extra.pop("freight_cost", "300.00"),
            requirements="要求无锈, 定尺 9 米",
            lines=lines,
        )

    def sheet(rows):
        return sheet_lines([{"item": item, "quantity": q} for item, q in rows])

    def run_to(sheet, stop):
        """Run ``sheet`` from where it is through the steps up to and including ``stop`` (weights = the agreed
        quantities + 15 t tare; payment = the total)."""
        steps = [
            ("issue", lambda s: spot_sheet_issue(sheet=s, user=personas.sales_assistant)),
            ("approve", lambda s: spot_sheet_approve(sheet=s, user=manager)),
            (
                "weigh",
                lambda s: spot_sheet_weigh(
                    sheet=s,
                    user=personas.warehouse_keeper,
                    weights=[
                        {"line": ln, "bin": wh.a, "gross": ln.quantity + Decimal("15"), "tare": "15"}
                        for ln in s.lines.order_by("id")
                    ],
                ),
            ),
            ("notify", lambda s: spot_notice_send(sheet=s, user=personas.sales_assistant, company_account="工行")),
            ("pay", lambda s: spot_payment_record(sheet=s, user=personas.cashier, amount=s.total)),
            ("verify", lambda s: spot_sheet_verify(sheet=s, user=personas.finance, checked_total=s.total)),
            ("sign", lambda s: spot_sheet_sign(sheet=s, user=manager)),
            ("release", lambda s: spot_sheet_release(sheet=s, user=personas.warehouse_keeper)),
        ]
        done = ["negotiating", "issued", "approved", "weighed", "notified", "paid", "verified", "signed"]
        sheet.refresh_from_db()
        for name, step in steps[done.index(sheet.state) :]:
            sheet = step(sheet)
            if name == stop:
                break
        return sheet

    desk.sheet_lines = sheet_lines
    desk.sheet = sheet
    desk.run_to = run_to
    return desk
