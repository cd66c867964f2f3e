# ruff: noqa: F811  (the ``counter`` fixture is imported from test_counter_support)
"""Counter sales through the API and the pages: the permission matrix (counter staff, warehouse
keeper, supervisor, purchasing; another store's records are 404), a wrong pick is 409 and changes
nothing, no pick without a receipt, and the query counts of the till's receipt list and the
replenishment list (API and page)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from showroom import roles as r
from tests.warehouse.factories import SupplierFactory
from tests.warehouse.test_counter_support import counter  # noqa: F401
from warehouse.models import CounterReceipt, StockMove
from warehouse.services import (
    counter_question_record,
    counter_receipt_cancel,
    counter_receipt_create,
    counter_receipt_pick,
    counter_replenishment_confirm,
    counter_replenishment_order,
    counter_replenishment_process,
)

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def who_may(personas, call) -> set[str]:
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


COUNTER_STAFF = {r.COUNTER_LEADER, r.SALES_ASSISTANT, r.CASHIER}


def test_permission_matrix(counter, personas):
    p = personas
    w1 = counter.wh.w1
    # counter staff write receipts; a keeper or the supervisor does not
    assert (
        who_may(p, lambda u: counter_receipt_create(user=u, warehouse=w1, lines=[{"item": counter.cable}]))
        == COUNTER_STAFF
    )
    # the counter (leader, assistant) and the warehouse (keeper, supervisor) pick; the cashier does not
    receipt = counter.receipt([(counter.cable, 1, "")])
    assert who_may(p, lambda u: counter_receipt_pick(receipt=receipt, user=u, picks=counter.picks(receipt))) == {
        r.COUNTER_LEADER,
        r.SALES_ASSISTANT,
        r.WAREHOUSE_KEEPER,
        r.WAREHOUSE_SUPERVISOR,
    }
    assert who_may(p, lambda u: counter_receipt_cancel(receipt=receipt, user=u)) == {
        r.COUNTER_LEADER,
        r.GENERAL_MANAGER,
    }
    assert (
        who_may(
            p,
            lambda u: counter_question_record(
                user=u, store=p.store_a, question="有无现货?", customer_contact="13700002222"
            ),
        )
        == COUNTER_STAFF
    )
    # the counter leader confirms the list, the warehouse supervisor processes it, purchasing orders
    assert who_may(p, lambda u: counter_replenishment_confirm(user=u, warehouse=w1)) == {r.COUNTER_LEADER}
    rep = counter_replenishment_confirm(user=p.counter_leader, warehouse=w1, quantities={counter.charger.pk: "9"})
    assert who_may(p, lambda u: counter_replenishment_process(replenishment=rep, user=u)) == {r.WAREHOUSE_SUPERVISOR}
    rep = counter_replenishment_process(replenishment=rep, user=p.warehouse_supervisor)
    line = rep.lines.get()
    supplier = SupplierFactory()
    expected = timezone.localdate() + dt.timedelta(days=2)
    assert who_may(
        p,
        lambda u: counter_replenishment_order(
            line=line, user=u, supplier=supplier, unit_cost="90", expected_on=expected
        ),
    ) == {r.PURCHASING}


def test_another_stores_receipt_is_404_in_the_api_and_the_pages(counter, personas, api, web):
    receipt = counter.receipt([(counter.cable, 1, "")])
    client = api(personas.b_manager)
    assert client.get(reverse("wh-counter-receipt-detail", args=[receipt.pk])).status_code == 404
    picked = client.post(reverse("wh-counter-receipt-transitions", args=[receipt.pk, "pick"]), {}, format="json")
    assert picked.status_code == 404
    assert client.get(reverse("wh-counter-receipt-list")).json()["count"] == 0
    page = web(personas.b_manager)
    assert page.get(reverse("warehouse:counter_receipt", args=[receipt.pk])).status_code == 404
    assert page.post(reverse("warehouse:counter_pick", args=[receipt.pk])).status_code == 404
    listed = api(personas.b_manager).get(reverse("wh-counter-replenishment-rows"), {"warehouse": counter.wh.w1.pk})
    assert listed.status_code == 404


def test_api_receipt_then_a_wrong_pick_409_then_the_right_pick(counter, api):
    client = api(counter.p.sales_assistant)
    created = client.post(
        reverse("wh-counter-receipt-list"),
        {
            "warehouse": counter.wh.w1.pk,
            "payment_method": "card",
            "customer_name": "陈先生",
            "lines": [
                {"item": counter.phone.pk, "serial": "SN60A001", "unit_price": "5799.00"},
                {"item": counter.cable.pk, "quantity": "2"},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("CR-") and body["total"] == "5878.80" and body["received"] == "5878.80"
    pk, lines = body["id"], body["lines"]
    url = reverse("wh-counter-receipt-transitions", args=[pk, "pick"])
    keeper = api(counter.p.warehouse_keeper)
    wrong = keeper.post(
        url,
        {
            "picks": [
                {"line": lines[0]["id"], "item": counter.phone.pk, "serial": "SN60A002", "bin": counter.wh.a.pk},
                {"line": lines[1]["id"], "item": counter.cable.pk, "bin": counter.wh.a.pk},
            ]
        },
        format="json",
    )
    assert wrong.status_code == 409 and "SN60A002" in str(wrong.json())
    assert (
        CounterReceipt.objects.get(pk=pk).state == "issued"
        and not StockMove.objects.filter(source_label=body["number"]).exists()
    )
    right = keeper.post(
        url,
        {
            "picks": [
                {"line": lines[0]["id"], "item": counter.phone.pk, "serial": "sn60a001", "bin": counter.wh.a.pk},
                {"line": lines[1]["id"], "item": counter.cable.pk, "quantity": "2", "bin": counter.wh.a.pk},
            ]
        },
        format="json",
    )
    assert right.status_code == 200, right.content
    assert right.json()["state"] == "picked" and all(line["move"] for line in right.json()["lines"])


def test_no_pick_without_a_receipt(counter, api, web):
    keeper = api(counter.p.warehouse_keeper)
    missing = keeper.post(reverse("wh-counter-receipt-transitions", args=[999999, "pick"]), {}, format="json")
    assert missing.status_code == 404
    # and a pick that names no lines of the receipt is refused (400), nothing moves
    receipt = counter.receipt([(counter.cable, 1, "")])
    empty = keeper.post(
        reverse("wh-counter-receipt-transitions", args=[receipt.pk, "pick"]), {"picks": []}, format="json"
    )
    assert empty.status_code == 400
    assert web(counter.p.warehouse_keeper).post(reverse("warehouse:counter_pick", args=[999999])).status_code == 404
    assert not StockMove.objects.filter(kind=StockMove.Kind.ISSUE).exists()


def test_api_refuses_bad_input_with_400(counter, api):
    client = api(counter.p.sales_assistant)
    refused = client.post(
        reverse("wh-counter-receipt-list"),
        {"warehouse": counter.wh.w1.pk, "lines": [{"item": counter.phone.pk}]},
        format="json",
    )
    assert refused.status_code == 400 and "lines" in refused.json()["fields"]
    keeper = api(counter.p.warehouse_keeper).post(
        reverse("wh-counter-receipt-list"),
        {"warehouse": counter.wh.w1.pk, "lines": [{"item": counter.cable.pk}]},
        format="json",
    )
    assert keeper.status_code == 403
    assert not CounterReceipt.objects.exists()


def test_api_question_and_replenishment_flow(counter, api):
    asked = api(counter.p.cashier).post(
        reverse("wh-counter-question-list"),
        {"store": counter.p.store_a.pk, "question": "能否分期?", "customer_contact": "13700002222"},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    answered = api(counter.p.cashier).post(
        reverse("wh-counter-question-answer", args=[asked.json()["id"]]), {"answer": "可以"}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["state"] == "answered"
    listed = api(counter.p.counter_leader).get(
        reverse("wh-counter-replenishment-rows"), {"warehouse": counter.wh.w1.pk}
    )
    assert [row["item_code"] for row in listed.json()] == ["CHG-66W"]
    sent = api(counter.p.counter_leader).post(
        reverse("wh-counter-replenishment-rows"), {"warehouse": counter.wh.w1.pk}, format="json"
    )
    # the list endpoint is read-only; confirming is a POST to the replenishments
    assert sent.status_code == 405
    sent = api(counter.p.counter_leader).post(
        reverse("wh-counter-replenishment-list"),
        {"warehouse": counter.wh.w1.pk, "quantities": {str(counter.charger.pk): "7"}},
        format="json",
    )
    assert sent.status_code == 201, sent.content
    processed = api(counter.p.warehouse_supervisor).post(
        reverse("wh-counter-replenishment-process", args=[sent.json()["id"]]), {}, format="json"
    )
    assert processed.status_code == 200 and processed.json()["lines"][0]["to_purchase"] == "3.000"
    line = processed.json()["lines"][0]["id"]
    ordered = api(counter.p.purchasing).post(
        reverse("wh-counter-replenishment-order", args=[line]),
        {"supplier": SupplierFactory().pk, "unit_cost": "88.50", "expected_on": "2099-01-02"},
        format="json",
    )
    assert ordered.status_code == 200 and ordered.json()["expected_on"] == "2099-01-02"
    again = api(counter.p.purchasing).post(
        reverse("wh-counter-replenishment-order", args=[line]),
        {"supplier": SupplierFactory().pk, "unit_cost": "88.50", "expected_on": "2099-01-02"},
        format="json",
    )
    assert again.status_code == 409


# --- query counts ---------------------------------------------------------------------------------


def _receipts(counter, n):
    for _ in range(n):
        counter.receipt([(counter.cable, 1, "")], user=counter.p.counter_leader)


def test_query_count_of_the_receipt_list_api(counter, api, django_assert_num_queries):
    _receipts(counter, 2)
    client = api(counter.p.counter_leader)
    client.get(reverse("wh-counter-receipt-list"))  # warm the session
    _receipts(counter, 6)
    # 1 session, 2 user, 3 roles of the user (store ids), 4 count for pagination, 5 the page of
    # receipts with their counter and line counts
    with django_assert_num_queries(5):
        response = client.get(reverse("wh-counter-receipt-list"))
    assert response.status_code == 200 and response.json()["count"] == 8


def test_query_count_of_the_till_page_does_not_grow_with_rows(counter, web, django_assert_num_queries):
    client = web(counter.p.counter_leader)
    _receipts(counter, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("warehouse:counter_till")).status_code == 200
    _receipts(counter, 8)
    # the same queries for 10 rows as for 2: session, user, roles, menu, the counters of the form,
    # the page count and one query for the page of receipts (counter and line count joined)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("warehouse:counter_till"))
    assert response.status_code == 200 and response.content.count(b'data-href="/warehouse/counter/') == 10


def test_query_count_of_the_replenishment_list_api(counter, api, put_in, django_assert_num_queries):
    from tests.warehouse.factories import ItemFactory

    client = api(counter.p.counter_leader)
    url = reverse("wh-counter-replenishment-rows")
    client.get(url, {"warehouse": counter.wh.w1.pk})
    for n in range(5):
        put_in(ItemFactory(code=f"LOW{n}", reorder_point="5"), counter.wh.w1, counter.wh.a, 1)
    # 1 session, 2 user, 3 roles (store ids), 4 the counter's warehouse among the user's,
    # 5 the list's rows with their items
    with django_assert_num_queries(5):
        response = client.get(url, {"warehouse": counter.wh.w1.pk})
    assert len(response.json()) == 6


def test_query_count_of_the_replenishment_page_does_not_grow_with_rows(counter, web, put_in, django_assert_num_queries):
    from tests.warehouse.factories import ItemFactory

    client = web(counter.p.counter_leader)
    url = reverse("warehouse:counter_replenishment")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        put_in(ItemFactory(code=f"LOW{n}", reorder_point="5"), counter.wh.w1, counter.wh.a, 1)
    # session, user, roles, menu, the counters, the list's rows, the lists sent (count, page, lines)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200 and response.content.count(b'name="quantity_') == 9


def test_pages_write_a_receipt_pick_it_and_export(counter, web):
    client = web(counter.p.sales_assistant)
    posted = client.post(
        reverse("warehouse:counter_till"),
        {
            "warehouse": counter.wh.w1.pk,
            "payment_method": "cash",
            "received": "100.00",
            "item_1": "usb-c1m",
            "quantity_1": "2",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    receipt = CounterReceipt.objects.get()
    line = receipt.lines.get()
    page = client.get(reverse("warehouse:counter_receipt", args=[receipt.pk]))
    assert page.status_code == 200 and b"pick-form" in page.content
    assert not re.search(rb"<script(?![^>]*\bsrc=)", page.content)  # no inline script (CSP)
    # a wrong code on the page: refused with a message, nothing moves
    client.post(
        reverse("warehouse:counter_pick", args=[receipt.pk]),
        {f"item_{line.pk}": "CHG-66W", f"bin_{line.pk}": counter.wh.a.pk},
    )
    receipt.refresh_from_db()
    assert receipt.state == "issued"
    client.post(
        reverse("warehouse:counter_pick", args=[receipt.pk]),
        {f"item_{line.pk}": "USB-C1M", f"bin_{line.pk}": counter.wh.a.pk},
    )
    receipt.refresh_from_db()
    assert receipt.state == "picked"
    export = client.get(reverse("warehouse:counter_till"), {"export": "csv"})
    assert export.status_code == 200 and receipt.number in b"".join(export.streaming_content).decode("utf-8-sig")
    listed = client.get(reverse("warehouse:counter_replenishment"), {"export": "csv"})
    assert listed.status_code == 200 and "CHG-66W" in b"".join(listed.streaming_content).decode("utf-8-sig")
    questions = client.get(reverse("warehouse:counter_questions"))
    assert questions.status_code == 200


def test_the_customers_contact_is_shown_only_to_roles_that_need_it(counter, api, web):
    receipt = counter.receipt(
        [(counter.cable, 1, "")], customer_name="陈先生", customer_contact="13800001111", customer_address="天河路 1 号"
    )
    url = reverse("wh-counter-receipt-detail", args=[receipt.pk])
    seller = api(counter.p.counter_leader).get(url).json()
    keeper = api(counter.p.warehouse_keeper).get(url).json()
    assert (seller["customer_contact"], seller["customer_address"]) == ("13800001111", "天河路 1 号")
    assert (keeper["customer_contact"], keeper["customer_address"]) == ("138****1111", "****")
    page = web(counter.p.warehouse_keeper).get(reverse("warehouse:counter_receipt", args=[receipt.pk]))
    assert b"13800001111" not in page.content and b"138****1111" in page.content
    counter_question_record(
        user=counter.p.sales_assistant, store=counter.p.store_a, question="?", customer_contact="13700002222"
    )
    listed = api(counter.p.sales_assistant).get(reverse("wh-counter-question-list")).json()["results"]
    assert listed[0]["customer_contact"] == "137****2222"  # lists mask the number
