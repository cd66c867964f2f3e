"""The lead list API builds its rows from values (leads/api.py, for speed): every row must equal
what the serializer's declared fields give for the lead, in both languages, in local time and in
UTC, and for every kind of value (money or
none, times or none, a trim or none, a vehicle model or none)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leads.api import LeadSerializer, lead_row_values, lead_rows
from leads.selectors import lead_list
from tests.factories import UserFactory
from tests.leads.factories import LeadFactory, TrimFactory
from tests.leads.test_query_counts import add_leads

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_list_rows_equal_the_declared_fields(personas, language):
    # given leads with every kind of value: follow-ups due (next_followup_at), a budget and a trim,
    # a last contact, no vehicle model
    add_leads(personas, 3)
    trim = TrimFactory()
    LeadFactory(
        store=personas.store_a,
        consultant=personas.consultant,
        vehicle_model=trim.vehicle_model,
        trim=trim,
        budget=Decimal("250000.5"),
        last_contact_at=timezone.now() - dt.timedelta(days=2),
    )
    LeadFactory(store=personas.store_a, consultant=personas.consultant, vehicle_model=None)
    # a consultant known by user name only, and one with a full name
    LeadFactory(store=personas.store_a, consultant=UserFactory(first_name="", last_name=""))
    LeadFactory(store=personas.store_a, consultant=UserFactory(first_name="伟", last_name="王"))
    leads = lead_list(user=personas.showroom_manager)
    assert leads.count() == 7
    for zone in ("Asia/Shanghai", "UTC"):
        with translation.override(language), timezone.override(zone):
            # when the rows are built from values, then each equals the declared fields' row
            serializer = LeadSerializer(context={"detail": False})
            declared = [serializer.to_representation(lead) for lead in leads]
            assert lead_rows(lead_row_values(leads)) == declared


def test_the_api_answers_the_direct_rows(personas, api):
    add_leads(personas, 2)
    body = api(personas.consultant).get(reverse("lead-list")).json()
    serializer = LeadSerializer(context={"detail": False})
    expected = [serializer.to_representation(lead) for lead in lead_list(user=personas.consultant)]
    assert body["results"] == expected and len(expected) == 2
