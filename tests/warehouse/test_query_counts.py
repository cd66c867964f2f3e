"""Query counts of stock on hand, the item card and the receipt list (pages and API) stay the
same for few and for many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.warehouse.factories import ItemFactory
from warehouse.models import GoodsReceipt, Item
from warehouse.services import stock_reserve

pytestmark = pytest.mark.django_db


def fill(wh, put_in, n: int) -> None:
    """``n`` quantity items and ``n`` cars (each with a VIN, one reserved) in stock in W1, and
    ``n`` moves of the GL8 in each warehouse."""
    base = Item.objects.count()
    for i in range(n):
        put_in(ItemFactory(code=f"Q{base}-{i}"), wh.w1, wh.a, 5)
        put_in(wh.car, wh.w1 if i % 2 else wh.w2, wh.a if i % 2 else wh.c, 1, serial=f"LSGCAR{base:05d}{i:06d}")
    stock_reserve(
        item=wh.car, warehouse=wh.w1, serial=f"LSGCAR{base:05d}{1:06d}", user=None, document_label="订单"
    ) if n > 1 else None


def receipts(wh, personas, n: int) -> None:
    GoodsReceipt.objects.bulk_create(
        GoodsReceipt(
            store=personas.store_a,
            warehouse=wh.w1,
            bin=wh.a,
            supplier=wh.supplier,
            note_number=f"SH-{GoodsReceipt.objects.count()}-{i}",
            certificate="ZB",
            signed_by="李四",
            created_by=personas.warehouse_keeper,
        )
        for i in range(n)
    )


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_stock_on_hand_page_queries_do_not_grow(wh, personas, web, put_in, django_assert_num_queries):
    client = web(personas.warehouse_keeper)
    url = reverse("warehouse:stock")
    fill(wh, put_in, 2)
    client.get(url)
    few = count(client, url)
    fill(wh, put_in, 12)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of levels with item, category and
    # warehouse, 6 the serials in stock of the page's serial items, 7 the top bar's stores,
    # 8 the filter's warehouses, 9 the filter's categories
    with django_assert_num_queries(9):
        response = client.get(url)
    # the car's two levels (W1 and W2) and 14 quantity items
    assert response.context["page"].paginator.count == 16
    assert b"LSGCAR" in response.content


def test_stock_on_hand_api_queries_do_not_grow(wh, personas, api, put_in, django_assert_num_queries):
    client = api(personas.consultant)
    url = reverse("wh-stock-list")
    fill(wh, put_in, 2)
    client.get(url)
    few = count(client, url)
    fill(wh, put_in, 12)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of levels with item, category and
    # warehouse, 6 the serials in stock of the page's serial items
    with django_assert_num_queries(6):
        response = client.get(url)
    rows = response.json()["results"]
    car = next(row for row in rows if row["item_code"] == "GL8-WHITE" and row["warehouse"] == wh.w1.pk)
    # W1 holds 7 cars (odd-numbered of 2 + 12), two of them reserved
    assert (car["quantity"], car["reserved"], car["available"]) == ("7.000", "2.000", "5.000")
    assert len(car["serials"]) == 7


@pytest.mark.parametrize("kind", ["page", "api"])
def test_item_card_queries_do_not_grow(wh, personas, web, api, put_in, kind, django_assert_num_queries):
    client = web(personas.warehouse_keeper) if kind == "page" else api(personas.warehouse_keeper)
    url = reverse("warehouse:item", args=[wh.car.pk]) if kind == "page" else reverse("wh-item-card", args=[wh.car.pk])
    fill(wh, put_in, 2)
    client.get(url)
    few = count(client, url)
    fill(wh, put_in, 10)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 the item with its category, 5 its levels with
    # warehouse, 6 its last moves with warehouse, bin, serial, who and reversed move, 7 the
    # active reservations with warehouse, serial and who, 8 its serials in stock with warehouse
    # and bin (+ 9 the top bar's stores on the page)
    with django_assert_num_queries(9 if kind == "page" else 8):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["page", "api"])
def test_receipt_list_queries_do_not_grow(wh, personas, web, api, kind, django_assert_num_queries):
    client = web(personas.warehouse_keeper) if kind == "page" else api(personas.warehouse_keeper)
    url = reverse("warehouse:receipts") if kind == "page" else reverse("wh-receipt-list")
    receipts(wh, personas, 2)
    client.get(url)
    few = count(client, url)
    receipts(wh, personas, 20)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of receipts with supplier,
    # warehouse and who received (+ the top bar's stores on the page)
    with django_assert_num_queries(6 if kind == "page" else 5):
        response = client.get(url)
    assert response.status_code == 200
