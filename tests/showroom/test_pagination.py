"""The capped count of long lists: a page counts at most ``cap`` + 1 rows, says "more than" past
the cap, and the API tells the client with ``count_capped``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom.models import Customer
from showroom.pagination import CappedPaginator
from tests.leads.test_query_counts import add_leads

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_five(monkeypatch):
    monkeypatch.setattr(CappedPaginator, "cap", 5)


def test_under_the_cap_the_count_is_exact(personas, cap_of_five):
    add_leads(personas, 4)
    paginator = CappedPaginator(Customer.objects.filter(store=personas.store_a).order_by("-pk"), 2)
    assert (paginator.count, paginator.count_capped, paginator.num_pages) == (4, False, 2)


def test_past_the_cap_the_count_stops_and_says_so(personas, cap_of_five):
    add_leads(personas, 8)
    rows = Customer.objects.filter(store=personas.store_a).order_by("-pk")
    paginator = CappedPaginator(rows, 2)
    with CaptureQueriesContext(connection) as ctx:
        assert (paginator.count, paginator.count_capped, paginator.num_pages) == (5, True, 3)
    # one query, bounded: it reads cap + 1 rows whatever the table's length, and sorts nothing
    [count_query] = [q["sql"] for q in ctx.captured_queries]
    assert "LIMIT 6" in count_query
    assert "ORDER BY" not in count_query


def test_the_lead_list_api_reports_a_capped_count(personas, api, cap_of_five):
    add_leads(personas, 7)
    body = api(personas.consultant).get(reverse("lead-list")).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (5, True, 5)


def test_the_lead_list_api_reports_an_exact_count_below_the_cap(personas, api, cap_of_five):
    add_leads(personas, 3)
    body = api(personas.consultant).get(reverse("lead-list")).json()
    assert (body["count"], body["count_capped"]) == (3, False)


def test_the_lead_list_page_says_more_than_the_cap(personas, web, cap_of_five):
    add_leads(personas, 7)
    page = web(personas.consultant).get(reverse("leads:all")).content.decode()
    assert "More than 5 leads: narrow the filters" in page


def test_grouped_rows_are_counted_as_groups(personas, cap_of_five):
    add_leads(personas, 3)
    groups = Customer.objects.values("store").order_by("store").distinct()
    assert CappedPaginator(groups, 25).count == 1
