"""The front desk's ``visit_assigned`` signal: a walk-in handed to a consultant moves the
customer's open lead to visited (never back) or opens one for the consultant, and logs the visit
as an automatic contact. Sent with a stand-in carrying the signal's documented attributes, and
through the real front-desk service when it is installed."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django_fsm_log.models import StateLog

from leads.models import Lead, LeadContact
from leads.services import lead_event
from showroom.models import FollowUp
from showroom.signals import visit_assigned
from tests.factories import CustomerFactory, StoreFactory
from tests.leads.factories import T0

pytestmark = pytest.mark.django_db


def assign(*, customer, store, consultant, arrived_at=T0):
    visit = SimpleNamespace(customer=customer, store_id=store.pk, consultant=consultant, arrived_at=arrived_at)
    visit_assigned.send(sender=SimpleNamespace, visit=visit, consultant=consultant)
    return visit


class TestVisitAssigned:
    def test_a_customer_without_a_lead_gets_one_for_the_consultant_as_visited(self, personas):
        # given a customer of store A with no lead
        customer = CustomerFactory(store=personas.store_a)
        # when the front desk hands his walk-in to the consultant
        assign(customer=customer, store=personas.store_a, consultant=personas.consultant)
        # then a walk-in lead is open for the consultant, visited, opened by the front desk
        lead = Lead.objects.get(customer=customer)
        assert (lead.consultant, lead.created_by, lead.source, lead.state, lead.store) == (
            personas.consultant,
            None,
            "walk_in",
            "visited",
            personas.store_a,
        )
        assert lead.last_contact_at == T0
        # with the visit logged as an automatic contact and the grade's plan started
        contact = LeadContact.objects.get(lead=lead)
        assert (contact.kind, contact.automatic, contact.at, contact.recorded_by) == (
            "visit",
            True,
            T0,
            personas.consultant,
        )
        assert FollowUp.objects.filter(object_id=lead.pk, plan="leads.grade.B", state="open").count() == 1
        log = StateLog.objects.for_(lead).get()
        assert (log.source_state, log.state, log.by) == ("new", "visited", personas.consultant)

    def test_the_open_lead_moves_to_visited(self, personas, open_lead):
        lead = open_lead()
        assign(customer=lead.customer, store=personas.store_a, consultant=personas.consultant)
        lead.refresh_from_db()
        assert lead.state == "visited"
        assert Lead.objects.filter(customer=lead.customer).count() == 1

    def test_a_lead_further_on_is_never_moved_back(self, personas, open_lead):
        lead = lead_event(lead=open_lead(), event="quoted")
        assign(customer=lead.customer, store=personas.store_a, consultant=personas.consultant)
        lead.refresh_from_db()
        assert lead.state == "negotiating"
        assert LeadContact.objects.filter(lead=lead, kind="visit", automatic=True).count() == 1

    def test_received_by_another_consultant_the_lead_stays_with_its_owner_who_is_told(self, personas, open_lead):
        from tests.factories import MembershipFactory, UserFactory

        colleague = UserFactory(username="a_consultant_2")
        MembershipFactory(user=colleague, store=personas.store_a, role_code="consultant")
        lead = open_lead()
        assign(customer=lead.customer, store=personas.store_a, consultant=colleague)
        lead.refresh_from_db()
        assert (lead.state, lead.consultant) == ("visited", personas.consultant)
        assert personas.consultant.notifications.filter(key__startswith=f"leads:visit:{lead.pk}:").exists()

    def test_a_closed_lead_does_not_stop_a_new_one(self, personas, open_lead):
        won = lead_event(lead=open_lead(), event="deposit_paid")
        assign(customer=won.customer, store=personas.store_a, consultant=personas.consultant)
        assert list(Lead.objects.filter(customer=won.customer).values_list("state", flat=True).order_by("id")) == [
            "won",
            "visited",
        ]

    def test_an_anonymous_visit_changes_nothing(self, personas):
        assign(customer=None, store=personas.store_a, consultant=personas.consultant)
        assert not Lead.objects.exists()

    def test_a_store_that_keeps_no_leads_changes_nothing(self, personas):
        jewellery = StoreFactory(code="jw-x", kind="jewellery")
        customer = CustomerFactory(store=jewellery)
        assign(customer=customer, store=jewellery, consultant=personas.consultant)
        assert not Lead.objects.exists()

    def test_the_visit_counts_for_the_closing_time_check_until_the_consultant_records_it(self, personas):
        from leads.selectors import leads_unrecorded_contacts
        from leads.services import lead_contact_record

        customer = CustomerFactory(store=personas.store_a)
        now = dt.datetime.now(tz=T0.tzinfo)
        assign(customer=customer, store=personas.store_a, consultant=personas.consultant, arrived_at=now)
        (group,) = leads_unrecorded_contacts(store_id=personas.store_a.pk, day=now.date())
        assert group.consultant == personas.consultant
        lead = Lead.objects.get(customer=customer)
        lead_contact_record(lead=lead, user=personas.consultant, kind="visit", summary="介绍了 GL8 的第三排空间")
        assert leads_unrecorded_contacts(store_id=personas.store_a.pk, day=now.date()) == []


def test_through_the_real_front_desk_service(personas):
    """When the front desk is installed, a walk-in logged for a consultant reaches the receiver."""
    frontdesk = pytest.importorskip("showroom.services.frontdesk")
    selectors = pytest.importorskip("showroom.selectors.frontdesk")
    if not hasattr(frontdesk, "visit_log") or not hasattr(selectors, "visit_sources_for"):
        pytest.skip("the front desk has no visit_log service yet")
    customer = CustomerFactory(store=personas.store_a)
    frontdesk.visit_log(
        store=personas.store_a,
        user=personas.receptionist,
        party_size=2,
        purpose="look",
        first_visit=True,
        source=selectors.visit_sources_for(store=personas.store_a)[0],
        customer=customer,
        consultant=personas.consultant,
    )
    lead = Lead.objects.get(customer=customer)
    assert (lead.state, lead.consultant, lead.created_by) == ("visited", personas.consultant, None)
