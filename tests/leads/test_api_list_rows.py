"""The lead list API builds its rows directly (leads/api.py, for speed): every row must equal what
the serializer's declared fields give, in both languages and for every kind of value (money or
none, times or none, a trim or none, a vehicle model or none)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leads.api import LeadSerializer
from leads.selectors import lead_list
from tests.leads.factories import LeadFactory, TrimFactory
from tests.leads.test_query_counts import add_leads

pytestmark = pytest.mark.django_db


def _declared(serializer, lead) -> dict:
    # the serializer's own field-by-field representation, the fast path skipped
    return super(LeadSerializer, serializer).to_representation(lead)


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
    rows = list(lead_list(user=personas.showroom_manager))
    assert len(rows) == 5
    for zone in ("Asia/Shanghai", "UTC"):
        with translation.override(language), timezone.override(zone):
            serializer = LeadSerializer(context={"detail": False})
            # when each is represented, then the direct row equals the declared fields' row
            for lead in rows:
                assert serializer.to_representation(lead) == _declared(serializer, lead)


def test_the_api_answers_the_direct_rows(personas, api):
    add_leads(personas, 2)
    body = api(personas.consultant).get(reverse("lead-list")).json()
    serializer = LeadSerializer(context={"detail": False})
    expected = [_declared(serializer, lead) for lead in lead_list(user=personas.consultant)]
    assert body["results"] == expected
