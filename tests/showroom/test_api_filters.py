"""The API's filter backend skips django-filter when no filter is named (showroom/api/filters.py):
the answers must be those django-filter gives — filtered when a filter is given, a 400 for a bad
value, everything for no filter or an unknown parameter."""

import pytest
from django.urls import reverse

from tests.leads.test_query_counts import add_leads

pytestmark = pytest.mark.django_db


@pytest.fixture
def leads_api(personas, api):
    add_leads(personas, 8)  # grades H, A, B, C twice each
    client = api(personas.consultant)

    def get(params):
        return client.get(reverse("lead-list"), params)

    return get


def test_no_filter_lists_every_lead(leads_api):
    assert leads_api({}).json()["count"] == 8


def test_an_unknown_parameter_filters_nothing(leads_api):
    assert leads_api({"colour": "red"}).json()["count"] == 8


def test_a_named_filter_filters(leads_api):
    body = leads_api({"grade": "H"}).json()
    assert body["count"] == 2 and {row["grade"] for row in body["results"]} == {"H"}


def test_a_bad_filter_value_is_a_400_naming_the_field(leads_api):
    response = leads_api({"grade": "Z"})
    assert response.status_code == 400
    assert "grade" in response.json()["fields"]
