"""The warehouse dashboard: each figure and the list it links to agree, staff only, flat query
count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.warehouse.factories import ItemCategoryFactory, ItemFactory
from warehouse.models import GoodsReceipt
from warehouse.selectors_dashboard import DASHBOARD_PANELS

pytestmark = pytest.mark.django_db


def fill(wh, put_in, take_out, n: int) -> None:
    category = ItemCategoryFactory(code=f"dash{n}", name=f"类{n}")
    for i in range(n):
        item = ItemFactory(code=f"D{n}-{i}", category=category)
        put_in(item, wh.w1 if i % 2 else wh.w2, wh.a if i % 2 else wh.c, 4, unit_cost="2.50")
    take_out(item, wh.w1 if (n - 1) % 2 else wh.w2, wh.a if (n - 1) % 2 else wh.c, 1)


def receipts(wh, personas, n: int, state=GoodsReceipt.State.INSPECTION) -> None:
    GoodsReceipt.objects.bulk_create(
        GoodsReceipt(
            store=personas.store_a,
            warehouse=wh.w1,
            bin=wh.a,
            supplier=wh.supplier,
            note_number=f"D-{GoodsReceipt.objects.count()}-{i}",
            certificate="ZB",
            signed_by="李四",
            created_by=personas.warehouse_keeper,
            state=state,
        )
        for i in range(n)
    )


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def panel(response, code):
    return next(p for p in response.context["panels"] if p["code"] == code)


def test_the_figures_match_the_lists_they_link_to(personas, wh, put_in, take_out, web):
    # given stock in both warehouses, today's moves and receipts waiting
    fill(wh, put_in, take_out, 3)
    receipts(wh, personas, 2)
    receipts(wh, personas, 1, state=GoodsReceipt.State.SLIP_OPEN)
    client = web(personas.warehouse_supervisor)
    # when the supervisor opens the dashboard
    response = client.get(reverse("warehouse:dashboard"))
    assert response.status_code == 200
    # then the stock value is the levels' value, and each row's list shows as many lines
    stock = panel(response, "stock_value")
    assert stock["total"] == Decimal("27.50")  # 3 items × 4 × 2.50 less one unit out
    for row in stock["rows"]:
        listed = client.get(row["url"]).context["page"].paginator.count
        assert listed == row["lines"]
    # the day's moves link to the moves list filtered the same way
    moves = panel(response, "day_moves")
    assert moves["total"] == 4
    for row in moves["rows"]:
        assert client.get(row["url"]).context["page"].paginator.count == row["moves"]
    # receipts waiting by state, each linking to the receipts list of that state
    waiting = {r["state"]: r for r in panel(response, "receipts")["rows"]}
    assert (waiting["inspection"]["count"], waiting["slip_open"]["count"]) == (2, 1)
    assert client.get(waiting["inspection"]["url"]).context["page"].paginator.count == 2
    # slips waiting for credit: none yet
    assert panel(response, "slips")["count"] == 0
    assert b'data-testid="panel-nightly"' in response.content


def test_slips_waiting_for_credit_show_the_missing_money(personas, wh, shop, flow, web):
    order = flow.order([(wh.bolt, 10, "25.00")])
    flow.approve(order)
    flow.pick_pack_close(order)
    flow.pay("100.00")
    response = web(personas.warehouse_supervisor).get(reverse("warehouse:dashboard"))
    slips = panel(response, "slips")
    assert (slips["count"], slips["missing"]) == (1, Decimal("150.00"))
    assert web(personas.warehouse_supervisor).get(slips["url"]).context["page"].paginator.count == 1


def test_a_later_panel_is_one_line(personas, web):
    from warehouse.selectors_dashboard import Panel

    DASHBOARD_PANELS.append(
        Panel("extra", "Extra", "warehouse/dashboard/_slips.html", lambda **kw: {"count": 7, "missing": 0, "url": "#"})
    )
    try:
        response = web(personas.warehouse_keeper).get(reverse("warehouse:dashboard"))
    finally:
        DASHBOARD_PANELS.pop()
    assert panel(response, "extra")["count"] == 7


@pytest.mark.parametrize("role", ["consultant", "cashier", "receptionist"])
def test_only_warehouse_staff_see_it(personas, web, role):
    assert web(personas.users[role]).get(reverse("warehouse:dashboard")).status_code == 403


def test_another_stores_figures_stay_out(personas, wh, put_in, web):
    from tests.warehouse.factories import BinFactory, WarehouseFactory

    other = WarehouseFactory(store=personas.store_b, code="bw")
    put_in(wh.bolt, other, BinFactory(warehouse=other), 99, unit_cost="1")
    response = web(personas.warehouse_keeper).get(reverse("warehouse:dashboard"))
    assert panel(response, "stock_value")["total"] == 0
    assert panel(response, "day_moves")["total"] == 0


def test_dashboard_queries_do_not_grow(personas, wh, put_in, take_out, web, django_assert_num_queries):
    client = web(personas.warehouse_keeper)
    url = reverse("warehouse:dashboard")
    fill(wh, put_in, take_out, 2)
    receipts(wh, personas, 1)
    client.get(url)
    few = count(client, url)
    fill(wh, put_in, take_out, 15)
    receipts(wh, personas, 10)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 stock value by warehouse and category, 5 today's moves by
    # warehouse and kind, 6 receipts waiting by state, 7 slips waiting for credit, 8 the latest
    # nightly report per store, 9 the open stocktakes (their areas are a 10th query only when
    # there are some), 10 the top bar's stores
    with django_assert_num_queries(10):
        response = client.get(url)
    assert b'data-testid="panel-stocktake"' in response.content
