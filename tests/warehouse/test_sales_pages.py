"""Pages of selling and the books: each renders with its empty state, the flow runs through the
pages' steps, refusals show as messages, and the order, slip and journal lists keep their query
count flat as rows grow."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from warehouse.models import SalesOrder, SalesSlip

pytestmark = pytest.mark.django_db
D = Decimal
PAGES = [
    "sales_orders",
    "slips",
    "outbound",
    "accounts",
    "invoices",
    "dropships",
    "retail",
    "journal",
    "month_close",
]


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_with_their_empty_state(personas, web, name):
    response = web(personas.finance).get(reverse(f"warehouse:{name}"))
    assert response.status_code == 200


def test_pages_refuse_someone_without_a_role(web, django_user_model):
    outsider = django_user_model.objects.create_user(username="nobody", password="x")
    assert web(outsider).get(reverse("warehouse:sales_orders")).status_code == 403


def test_the_flow_through_the_pages(personas, wh, shop, web):
    client = web(personas.sales_assistant)
    response = client.post(
        reverse("warehouse:sales_orders"),
        {
            "mobile": "138 1234 5678",
            "warehouse": wh.w1.pk,
            "channel": "phone",
            "freight": "pickup",
            "item_1": "bolt",
            "quantity_1": "3",
            "price_1": "10.00",
        },
    )
    order = SalesOrder.objects.get()
    assert response.status_code == 302 and order.account == shop.account
    step = lambda name: reverse("warehouse:sales_step", args=["order", order.pk, name])  # noqa: E731
    web(personas.marketing_director).post(step("approve"))
    keeper = web(personas.warehouse_keeper)
    keeper.post(step("pick"), {"line": order.lines.get().pk, "bin": wh.a.pk, "quantity": "3"})
    keeper.post(step("pack"), {"pick": [order.lines.get().picks.get().pk]})
    web(personas.warehouse_supervisor).post(step("close"))
    slip = SalesSlip.objects.get()
    director = web(personas.marketing_director)
    director.post(reverse("warehouse:sales_step", args=["slip", slip.pk, "approve"]))
    page = director.get(reverse("warehouse:slip", args=[slip.pk]))
    assert "30.00" in page.content.decode() and b'data-testid="missing"' in page.content
    web(personas.cashier).post(
        reverse("warehouse:account", args=[shop.account.pk]), {"amount": "30.00", "method": "cash"}
    )
    web(personas.marketing_director).post(reverse("warehouse:sales_step", args=["slip", slip.pk, "approve"]))
    slip.refresh_from_db()
    assert slip.state == "approved"
    sign = reverse("warehouse:sales_step", args=["slip", slip.pk, "sign"])
    web(personas.warehouse_keeper).post(sign, {"role": "keeper"})
    web(personas.warehouse_supervisor).post(sign, {"role": "supervisor"})
    web(personas.warehouse_keeper).post(sign, {"role": "customer", "name": "王经理"})
    slip.refresh_from_db()
    assert slip.state == "shipped"
    journal = web(personas.finance).get(reverse("warehouse:journal"))
    assert journal.context["totals"]["debit"] == journal.context["totals"]["credit"] > 0
    export = web(personas.finance).get(reverse("warehouse:journal") + "?export=csv")
    assert export.status_code == 200


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def fill(flow, wh, n):
    """``n`` orders with a slip of 10.00 each waiting for credit, and ``n`` payments of 1.00."""
    for _ in range(n):
        order = flow.approve(flow.order([(wh.bolt, 1, "10.00")]))
        flow.pick_pack_close(order)
        flow.pay("1.00")


def test_sales_order_list_queries(personas, wh, flow, web, django_assert_num_queries):
    client = web(personas.marketing_director)
    url = reverse("warehouse:sales_orders")
    fill(flow, wh, 2)
    client.get(url)  # warm the caches
    few = count(client, url)
    fill(flow, wh, 6)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of orders with customer, warehouse
    # and amount, 6 the entry form's warehouses, 7 the top bar's stores
    with django_assert_num_queries(7):
        client.get(url)


def test_slip_list_queries(personas, wh, flow, web, django_assert_num_queries):
    client = web(personas.marketing_director)
    url = reverse("warehouse:slips") + "?credit=1"
    fill(flow, wh, 2)
    client.get(url)  # warm the caches
    few = count(client, url)
    fill(flow, wh, 6)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of slips with customer, order and
    # the missing amount, 6 the top bar's stores
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page"].paginator.count == 8


def test_journal_list_queries(personas, wh, flow, web, django_assert_num_queries):
    client = web(personas.finance)
    url = reverse("warehouse:journal")
    fill(flow, wh, 1)
    client.get(url)  # warm the caches
    few = count(client, url)
    fill(flow, wh, 5)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of lines with entry and customer,
    # 6 the period's totals, 7 the top bar's stores
    with django_assert_num_queries(7):
        client.get(url)
