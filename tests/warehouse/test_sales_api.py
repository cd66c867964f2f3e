"""The API of selling: the whole flow through it, its refusals (400 with field messages, 403,
404, 409 with the missing amount) and flat query counts of the order, slip and journal lists."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from warehouse.models import SalesOrder, SalesSlip

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_flow_through_the_api(personas, wh, shop, api):
    seller = api(personas.sales_assistant)
    created = seller.post(
        reverse("wh-sales-order-list"),
        {
            "warehouse": wh.w1.pk,
            "account": shop.account.pk,
            "channel": "fax",
            "freight": "collect",
            "requirements": "周五前送达",
            "lines": [{"item": wh.bolt.pk, "quantity": "4", "unit_price": "25.00"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["number"].startswith("SO-") and created.data["available_transitions"] == []
    url = lambda name: reverse(f"wh-sales-order-{name}", args=[pk])  # noqa: E731
    approve = reverse("wh-sales-order-transitions", args=[pk, "approve"])
    assert api(personas.sales_assistant).post(approve, {}, format="json").status_code == 403
    assert api(personas.marketing_director).post(approve, {}, format="json").status_code == 200
    assert api(personas.marketing_director).post(approve, {}, format="json").status_code == 409
    keeper = api(personas.warehouse_keeper)
    line = SalesOrder.objects.get().lines.get()
    bad = keeper.post(url("pick"), {"picks": [{"line": line.pk, "bin": wh.a.pk, "quantity": "5"}]}, format="json")
    assert bad.status_code == 409
    picked = keeper.post(url("pick"), {"picks": [{"line": line.pk, "bin": wh.a.pk, "quantity": "4"}]}, format="json")
    assert picked.status_code == 200 and picked.data["lines"][0]["picked_quantity"] == "4.000"
    pick = line.picks.get()
    box = keeper.post(url("pack"), {"contents": [{"pick": pick.pk, "quantity": "4"}]}, format="json")
    assert box.status_code == 201 and box.data["number"].startswith("PL-")
    slip = api(personas.qc_inspector).post(url("close-packing"))
    assert slip.status_code == 201 and slip.data["total"] == "100.00" and slip.data["missing"] == "100.00"
    slip_pk = slip.data["id"]
    director = api(personas.marketing_director)
    waiting = director.get(reverse("wh-slip-list") + "?waiting_for_credit=1")
    assert [row["id"] for row in waiting.data["results"]] == [slip_pk]
    refused = director.post(reverse("wh-slip-transitions", args=[slip_pk, "approve"]), {}, format="json")
    assert refused.status_code == 409 and "100.00" in str(refused.data)
    cashier = api(personas.cashier)
    pay = reverse("wh-account-payments", args=[shop.account.pk])
    assert cashier.post(pay, {"amount": "-1", "method": "cash"}, format="json").status_code == 400
    assert cashier.post(pay, {"amount": "100.00", "method": "cheque"}, format="json").status_code == 400
    paid = cashier.post(pay, {"amount": "100.00", "method": "card"}, format="json")
    assert paid.status_code == 201 and paid.data["receipt_number"].startswith("PY-")
    ok = director.post(reverse("wh-slip-transitions", args=[slip_pk, "approve"]), {}, format="json")
    assert ok.status_code == 200
    sign = reverse("wh-slip-sign", args=[slip_pk])
    assert keeper.post(sign, {"role": "supervisor"}, format="json").status_code == 403
    assert keeper.post(sign, {"role": "keeper"}, format="json").status_code == 201
    assert api(personas.warehouse_supervisor).post(sign, {"role": "supervisor"}, format="json").status_code == 201
    last = keeper.post(sign, {"role": "customer", "name": "王经理"}, format="json")
    assert last.status_code == 201 and last.data["shipped_at"]
    assert SalesSlip.objects.get().state == "shipped"
    statement = api(personas.finance).get(reverse("wh-account-statement", args=[shop.account.pk]))
    assert statement.status_code == 200
    assert [e["kind"] for e in statement.data["entries"]] == ["payment", "charge"]
    assert statement.data["invoiced"] == D("100.00") and statement.data["open"] == D("0.00")
    journal = api(personas.finance).get(reverse("wh-journal-list") + "?account=1122")
    assert journal.status_code == 200 and journal.data["count"] == 2
    # another store sees none of it
    assert api(personas.b_manager).get(reverse("wh-slip-detail", args=[slip_pk])).status_code == 404


def test_drop_ship_and_retail_through_the_api(personas, wh, shop, api):
    made = api(personas.sales_assistant).post(
        reverse("wh-dropship-list"),
        {
            "account": shop.account.pk,
            "supplier": wh.supplier.pk,
            "lines": [{"item": wh.bolt.pk, "quantity": "1", "unit_price": "11.30", "unit_cost": "5.65"}],
        },
        format="json",
    )
    assert made.status_code == 201
    pk = made.data["id"]
    step = lambda name: reverse("wh-dropship-transitions", args=[pk, name])  # noqa: E731
    assert api(personas.marketing_director).post(step("approve"), {}, format="json").status_code == 200
    assert api(personas.finance).post(step("invoice"), {}, format="json").status_code == 200
    assert api(personas.finance).post(step("receive_invoice"), {}, format="json").status_code == 400
    done = api(personas.finance).post(step("receive_invoice"), {"supplier_number": "FP-9"}, format="json")
    assert done.status_code == 200 and done.data["state"] == "closed"
    sale = api(personas.counter_leader).post(
        reverse("wh-retail-sale-list"),
        {"warehouse": wh.w1.pk, "bin": wh.a.pk, "item": wh.bolt.pk, "quantity": "2"},
        format="json",
    )
    assert sale.status_code == 201
    credit = api(personas.counter_leader).post(
        reverse("wh-retail-sale-list"),
        {"warehouse": wh.w1.pk, "bin": wh.a.pk, "item": wh.bolt.pk, "quantity": "2", "method": "card"},
        format="json",
    )
    assert credit.status_code == 400 and "method" in str(credit.data)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def fill(personas, flow, wh, n):
    """``n`` orders invoiced whole, each with a slip waiting for credit, and ``n`` payments."""
    from warehouse.services import sales_invoice_create

    for _ in range(n):
        order = flow.approve(flow.order([(wh.bolt, 1, "10.00")]))
        flow.pick_pack_close(order)
        sales_invoice_create(user=personas.finance, order=order)
        flow.pay("1.00")


@pytest.mark.parametrize(
    ("name", "user", "expected"),
    [
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of orders with customer and amount
        ("wh-sales-order-list", "marketing_director", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of slips with customer, order,
        # balance and outbound slip
        ("wh-slip-list", "marketing_director", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of journal lines with their entry
        ("wh-journal-list", "finance", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of accounts with what is open
        ("wh-account-list", "finance", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of invoices with the customer
        ("wh-invoice-list", "finance", 5),
    ],
)
def test_list_endpoints_keep_their_query_count(
    personas, wh, flow, api, django_assert_num_queries, name, user, expected
):
    client = api(getattr(personas, user))
    url = reverse(name)
    fill(personas, flow, wh, 2)
    client.get(url)
    few = count(client, url)
    fill(personas, flow, wh, 5)
    assert count(client, url) == few
    with django_assert_num_queries(expected):
        client.get(url)
