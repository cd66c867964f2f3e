"""Query counts of the customer list page and API stay flat as rows grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

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
    CustomerFactory.create_batch(5, store=personas.store_a)
    client.get(url)  # warm the session and content-type caches
    five = count_queries(lambda: client.get(url))
    CustomerFactory.create_batch(45, store=personas.store_a)
    fifty = count_queries(lambda: client.get(url))
    assert five == fifty
    if kind == "api":
        # 1 session, 2 user, 3 the user's memberships, 4 count, 5 the page of customers with
        # their store (one join)
        with django_assert_num_queries(5):
            client.get(url)
    else:
        # 1 session, 2 user, 3 memberships, 4 the user's stores (switcher), 5 count,
        # 6 the page of customers with their store
        with django_assert_num_queries(6):
            client.get(url)
