"""A walk-in named by the customer's mobile: a known number finds the customer, a new one
registers them (with a name and consent), and a consultant who gets the visit gets its lead."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from leads.models import Lead
from showroom.models import Customer, Visit
from showroom.services.frontdesk import visit_customer_link
from showroom.services.roster import roster_assign, roster_set
from tests.factories import CustomerFactory
from tests.showroom.test_frontdesk import NOW, frozen, source, walk_in  # noqa: F401  (frozen: autouse clock)

pytestmark = pytest.mark.django_db


def test_a_known_mobile_finds_the_existing_customer(personas):
    known = CustomerFactory(store=personas.store_a, mobile="13812345678")
    visit = walk_in(personas, customer_mobile="138 1234 5678")
    assert visit.customer == known
    assert Customer.objects.filter(store=personas.store_a).count() == 1


def test_the_same_number_in_another_store_is_another_customer(personas):
    CustomerFactory(store=personas.store_b, mobile="13812345678")
    visit = walk_in(personas, customer_mobile="13812345678", customer_name="赵六", customer_consent=True)
    assert visit.customer.store == personas.store_a
    assert visit.customer.name == "赵六"
    assert visit.customer.consent_at is not None


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"customer_name": "赵六"}, "customer_consent"),
        ({"customer_consent": True}, "customer_name"),
        ({"customer_mobile": "12345", "customer_name": "赵六", "customer_consent": True}, "customer_mobile"),
    ],
)
def test_a_new_number_needs_a_name_and_consent_and_nothing_is_half_saved(personas, extra, field):
    payload = {"customer_mobile": "13912345678", **extra}
    with pytest.raises(ValidationError) as refused:
        walk_in(personas, **payload)
    assert field in refused.value.message_dict
    assert not Visit.objects.exists()
    assert not Customer.objects.exists()


def test_the_assigned_consultant_gets_the_walk_ins_lead(personas):
    roster_set(
        store=personas.store_a, day=NOW.date(), consultants=[personas.consultant], user=personas.showroom_manager
    )
    visit = walk_in(personas, customer_mobile="13912345678", customer_name="赵六", customer_consent=True)
    roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
    lead = Lead.objects.get(customer=visit.customer)
    assert (lead.consultant, lead.state) == (personas.consultant, "visited")


def test_naming_the_customer_after_the_assignment_opens_the_lead(personas):
    roster_set(
        store=personas.store_a, day=NOW.date(), consultants=[personas.consultant], user=personas.showroom_manager
    )
    visit = walk_in(personas)
    roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
    assert not Lead.objects.exists()
    customer = CustomerFactory(store=personas.store_a)
    visit_customer_link(visit=visit, user=personas.receptionist, customer=customer)
    assert Lead.objects.get(customer=customer).consultant == personas.consultant


def test_the_board_form_takes_the_customers_mobile(personas, web):
    client = web(personas.receptionist)
    response = client.post(
        reverse("frontdesk:visit_create"),
        {
            "source": source(personas.store_a).pk,
            "purpose": "look",
            "first_visit": "1",
            "party_size": 1,
            "customer_mobile": "139 1234 5678",
            "customer_name": "赵六",
            "customer_consent": "on",
        },
    )
    assert response.status_code in (200, 302)
    assert Visit.objects.get().customer.mobile == "+8613912345678"


def test_the_visits_api_takes_the_customers_mobile_and_refuses_a_half_customer(personas, api):
    client = api(personas.receptionist)
    url = reverse("frontdesk-visit-list")
    base = {"store": personas.store_a.pk, "source": source(personas.store_a).pk, "customer_mobile": "13912345678"}
    refused = client.post(url, {**base, "customer_name": "赵六"}, format="json")
    assert refused.status_code == 400
    assert "customer_consent" in refused.json()["fields"]
    assert not Visit.objects.exists()
    created = client.post(url, {**base, "customer_name": "赵六", "customer_consent": True}, format="json")
    assert created.status_code == 201, created.json()
    assert Visit.objects.get().customer.name == "赵六"
