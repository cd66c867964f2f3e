# ruff: noqa: F811  (the ``steel`` fixture is imported from test_spot_support)
"""The price list and discount-rate table page and API, and the steel desk's dashboard figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.warehouse.factories import ItemFactory
from tests.warehouse.test_spot_support import steel  # noqa: F401
from warehouse.models import Item, SpotDiscountRate, SpotPrice, SpotSheet
from warehouse.selectors_spot import metric_spot_released, metric_spot_waiting_for_finance
from warehouse.services import spot_price_set, spot_rate_set

pytestmark = pytest.mark.django_db
URL = "/warehouse/spot/prices/"


def test_the_table_shows_each_class_price(steel, web):
    page = web(steel.p.sales_assistant).get(URL)
    assert page.status_code == 200
    rows = {row["item"].code: row for row in page.context["rows"]}
    # rebar: 4,000 × 0.98 for a standard customer, × 0.95 for wholesale, no regular rate yet
    cells = {c["customer_class"]: c for c in rows["HRB400-12"]["cells"]}
    assert cells["standard"]["price"] == Decimal("3920.00") and cells["wholesale"]["price"] == Decimal("3800.00")
    assert cells["regular"]["rate"] is None
    assert not page.context["may_edit"]


def test_the_sales_manager_sets_a_price_and_a_rate(steel, web):
    client = web(steel.p.sales_manager)
    assert client.post(URL, {"what": "price", "item": "Q235-10", "unit_price": "4200.00"}).status_code == 302
    assert (
        client.post(URL, {"what": "rate", "item": "Q235-10", "customer_class": "regular", "rate": "0.9700"}).status_code
        == 302
    )
    assert SpotPrice.objects.get(item=steel.plate).unit_price == Decimal("4200.00")
    assert SpotDiscountRate.objects.get(item=steel.plate, customer_class="regular").rate == Decimal("0.9700")


@pytest.mark.parametrize(
    "post, field",
    [
        ({"what": "price", "item": "NOPE", "unit_price": "10"}, "item"),
        ({"what": "price", "item": "Q235-10", "unit_price": "-1"}, "unit_price"),
        ({"what": "rate", "item": "Q235-10", "customer_class": "standard", "rate": "1.2"}, "rate"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(steel, web, post, field):
    before = (SpotPrice.objects.count(), SpotDiscountRate.objects.count())
    response = web(steel.p.sales_manager).post(URL, post)
    assert response.status_code == 400 and field in response.context["errors"]
    assert (SpotPrice.objects.count(), SpotDiscountRate.objects.count()) == before


def test_only_the_sales_manager_may_change_the_table(steel, web):
    response = web(steel.p.warehouse_keeper).post(URL, {"what": "price", "item": "Q235-10", "unit_price": "1.00"})
    assert response.status_code == 403
    assert not SpotPrice.objects.filter(item=steel.plate).exists()


def test_another_stores_user_sees_none_of_store_as_table(steel, web, personas):
    page = web(personas.b_manager).get(URL)
    assert page.status_code == 200 and page.context["rows"] == []


def test_query_count_of_the_price_page_does_not_grow_with_rows(steel, web):
    client = web(steel.p.sales_assistant)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for n in range(15):
        item = ItemFactory(code=f"S{n:03d}", tracking=Item.Tracking.WEIGHT, unit=Item.Unit.TONNE)
        spot_price_set(user=steel.p.sales_manager, store=steel.p.store_a, item=item, unit_price="3000.00")
        spot_rate_set(user=steel.p.sales_manager, store=steel.p.store_a, item=item, customer_class="standard", rate="1")
    # session, user, roles, the frame's stores, the prices with their items, the rates with theirs
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL)
    assert len(many) == len(few) and len(page.context["rows"]) == 17


def test_the_rate_api_lists_and_sets_cells(steel, api, django_assert_num_queries):
    client = api(steel.p.sales_manager)
    url = reverse("wh-spot-rate-list")
    client.get(url)  # warm the session
    # 1 session, 2 user, 3 roles (store ids), 4 the count, 5 the page of rates with their items
    with django_assert_num_queries(5):
        listed = client.get(url)
    assert listed.json()["count"] == 4
    created = client.post(
        url, {"store": steel.p.store_a.pk, "item": steel.plate.pk, "customer_class": "wholesale", "rate": "0.9300"}
    )
    assert created.status_code == 201 and created.json()["rate"] == "0.9300"
    refused = api(steel.p.warehouse_keeper).post(
        url, {"store": steel.p.store_a.pk, "item": steel.plate.pk, "customer_class": "regular", "rate": "0.9"}
    )
    assert refused.status_code == 403
    assert SpotDiscountRate.objects.filter(item=steel.plate).count() == 1


def test_the_dashboard_figures_equal_the_sheets(steel):
    # given one sheet released and one paid, waiting for finance
    released = steel.run_to(steel.sheet([(steel.rebar, "2")]), "release")
    steel.run_to(steel.sheet([(steel.rebar, "1")]), "pay")
    start, end = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)
    stores = [steel.p.store_a.pk]
    expected = sum(s.total for s in SpotSheet.objects.filter(state="released"))
    assert metric_spot_released(store_ids=stores, start=start, end=end) == expected == released.total
    assert metric_spot_waiting_for_finance(store_ids=stores, start=start, end=end) == 1
    assert metric_spot_released(store_ids=[steel.p.store_b.pk], start=start, end=end) == 0
