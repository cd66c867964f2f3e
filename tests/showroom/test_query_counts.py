"""Query counts of the customer pages and API stay flat as rows grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("kind", ["api", "page"])
def test_customer_list_queries_do_not_grow_with_rows(personas, api, web, kind, django_assert_num_queries):
    user = personas.consultant
    client = api(user) if kind == "api" else web(user)
    url = reverse("customer-list") if kind == "api" else reverse("customers:list")
    owned = {"owner": personas.consultant, "owned_until": timezone.now() + dt.timedelta(days=30)}
    CustomerFactory.create_batch(5, store=personas.store_a, **owned)
    client.get(url)  # warm the session and content-type caches
    five = count_queries(lambda: client.get(url))
    CustomerFactory.create_batch(45, store=personas.store_a, **owned)
    fifty = count_queries(lambda: client.get(url))
    assert five == fifty
    if kind == "api":
        # 1 session, 2 user, 3 the user's memberships, 4 count, 5 the page of customers with
        # their store and owner (joins)
        with django_assert_num_queries(5):
            client.get(url)
    else:
        # 1 session, 2 user, 3 memberships, 4 the user's stores (switcher), 5 count,
        # 6 the page of customers with their store and owner
        with django_assert_num_queries(6):
            client.get(url)


def _duplicates(personas, n: int, start: int = 0) -> None:
    """``n`` pairs of namesakes with numbers one digit apart."""
    for i in range(start, start + n):
        CustomerFactory(store=personas.store_a, name=f"重名{i}", mobile=f"1381234{i:03d}0")
        CustomerFactory(store=personas.store_a, name=f"重名{i}", mobile=f"1381234{i:03d}1")


@pytest.mark.parametrize("kind", ["api", "page"])
def test_duplicates_queries_do_not_grow_with_pairs(personas, api, web, kind, django_assert_num_queries):
    user = personas.showroom_manager
    client = api(user) if kind == "api" else web(user)
    url = "/api/v1/core/customers/duplicates/" if kind == "api" else reverse("customers:duplicates")
    _duplicates(personas, 2)
    client.get(url)
    two = count_queries(lambda: client.get(url))
    _duplicates(personas, 10, start=2)
    assert count_queries(lambda: client.get(url)) == two
    # 1 session, 2 user, 3 memberships, then the duplicates: 4 namesakes with their numbers,
    # 5 shared ID numbers, 6 shared plates, 7 dismissed pairs, 8 the customers with store and owner
    # (the page adds 9 the user's stores for the switcher)
    with django_assert_num_queries(8 if kind == "api" else 9):
        response = client.get(url)
    assert response.status_code == 200


def test_the_front_desk_lookup_costs_the_same_for_a_known_and_a_new_number(personas, web, django_assert_num_queries):
    owner = personas.consultant
    CustomerFactory(
        store=personas.store_a, mobile="13812345678", owner=owner, owned_until=timezone.now() + dt.timedelta(days=3)
    )
    client = web(personas.receptionist)
    client.get("/frontdesk/visits/lookup/", {"customer_mobile": "13812345678"})
    # 1 session, 2 user, 3 memberships, 4 the current store, 5 the customer with the owner,
    # 6 the owner's roster entry of the day
    with django_assert_num_queries(6):
        client.get("/frontdesk/visits/lookup/", {"customer_mobile": "13812345678"})
    # 1 session, 2 user, 3 memberships, 4 the current store, 5 the customer (none)
    with django_assert_num_queries(5):
        client.get("/frontdesk/visits/lookup/", {"customer_mobile": "13900000000"})
