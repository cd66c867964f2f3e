"""The lead's state machine from both sides of each boundary: who may run which step (the owning
consultant, another consultant, a manager, users of store B), events that only move forward, and
dormancy with reactivation."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm_log.models import StateLog

from leads.models import Lead, LeadSettings
from leads.services import lead_event, lead_reactivate, lead_transition, leads_dormant_tick
from showroom.models import FollowUp
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory, MembershipFactory, UserFactory
from tests.leads.factories import T0

pytestmark = pytest.mark.django_db

FORWARD = ["contact", "visit", "drive", "quote", "win"]


@pytest.fixture
def colleague(personas):
    user = UserFactory(username="a_consultant_2")
    MembershipFactory(user=user, store=personas.store_a, role_code="consultant")
    return user


def actor(personas, colleague, who):
    return colleague if who == "colleague" else getattr(personas, who)


def url(lead, name):
    return reverse("lead-transitions", args=[lead.pk, name])


class TestPermissionMatrix:
    @pytest.mark.parametrize(
        ("who", "allowed"),
        [
            ("consultant", True),  # the lead's own consultant
            ("colleague", False),  # another consultant of the same store
            ("showroom_manager", True),
            ("sales_supervisor", True),
            ("sales_manager", True),
            ("general_manager", True),
            ("receptionist", False),
            ("cashier", False),
            ("appraiser", False),
        ],
    )
    @pytest.mark.parametrize("name", FORWARD)
    def test_forward_steps_through_the_api(self, personas, api, open_lead, colleague, who, allowed, name):
        # given a new lead of the consultant
        lead = open_lead()
        user = actor(personas, colleague, who)
        # the detail offers the step exactly to those allowed to run it
        detail = api(user).get(reverse("lead-detail", args=[lead.pk]))
        assert detail.status_code == 200
        assert (name in detail.json()["available_transitions"]) is allowed
        # when the user runs it
        response = api(user).post(url(lead, name), {"note": "测试"}, format="json")
        # then 200 and the new state, or 403 and nothing changed
        lead.refresh_from_db()
        if allowed:
            assert response.status_code == 200, response.json()
            assert response.json()["state"] == lead.state != "new"
        else:
            assert response.status_code == 403
            assert lead.state == "new"

    @pytest.mark.parametrize("who", ["b_consultant", "b_manager"])
    def test_users_of_store_b_get_404_for_everything(self, personas, api, open_lead, who):
        lead = open_lead()
        client = api(getattr(personas, who))
        assert client.get(reverse("lead-detail", args=[lead.pk])).status_code == 404
        assert client.post(url(lead, "contact"), {}, format="json").status_code == 404
        assert client.post(reverse("lead-grade", args=[lead.pk]), {"grade": "H"}).status_code == 404
        assert (
            client.post(reverse("lead-contacts", args=[lead.pk]), {"kind": "call", "summary": "x"}).status_code == 404
        )
        assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 404
        assert lead.pk not in [row["id"] for row in client.get(reverse("lead-list")).json()["results"]]
        lead.refresh_from_db()
        assert lead.state == "new"

    @pytest.mark.parametrize(
        ("who", "allowed"),
        [("consultant", True), ("colleague", False), ("showroom_manager", True), ("sales_supervisor", False)],
    )
    def test_reactivate(self, personas, api, open_lead, colleague, who, allowed):
        lead = open_lead()
        Lead.objects.filter(pk=lead.pk).update(last_contact_at=T0 - dt.timedelta(days=60))
        leads_dormant_tick(store=personas.store_a, now=T0)
        response = api(actor(personas, colleague, who)).post(url(lead, "reactivate"), {}, format="json")
        lead.refresh_from_db()
        assert (response.status_code, lead.state) == ((200, "contacted") if allowed else (403, "dormant"))

    def test_a_step_from_the_wrong_state_is_409_for_everyone(self, personas, api, open_lead, colleague):
        lead = lead_event(lead=open_lead(), event="deposit_paid", user=personas.consultant)
        for user in (personas.consultant, colleague, personas.showroom_manager):
            response = api(user).post(url(lead, "contact"), {}, format="json")
            assert response.status_code == 409
        assert api(personas.consultant).post(url(lead, "fly"), {}, format="json").status_code == 404

    def test_the_page_shows_only_the_steps_the_user_may_run(self, personas, web, open_lead, colleague):
        lead = open_lead()
        mine = web(personas.consultant).get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert 'data-transition="contact"' in mine and 'data-testid="mark-lost"' in mine
        theirs = web(colleague).get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert "data-transition=" not in theirs and 'data-testid="mark-lost"' not in theirs
        # and a refused step through the page changes nothing
        web(colleague).post(reverse("leads:transition", args=[lead.pk, "visit"]))
        lead.refresh_from_db()
        assert lead.state == "new"

    def test_the_page_runs_a_step(self, personas, web, open_lead):
        lead = open_lead()
        response = web(personas.consultant).post(reverse("leads:transition", args=[lead.pk, "quote"]), follow=True)
        assert response.status_code == 200
        lead.refresh_from_db()
        assert lead.state == "negotiating"


class TestEventsMoveForwardOnly:
    @pytest.mark.parametrize(
        ("start", "event", "expected"),
        [
            ("new", "visited", "visited"),
            ("new", "quoted", "negotiating"),
            ("contacted", "test_driven", "test_driven"),
            ("visited", "contacted", "visited"),  # never back
            ("negotiating", "visited", "negotiating"),
            ("negotiating", "test_driven", "negotiating"),
            ("test_driven", "test_driven", "test_driven"),  # the same state: nothing to do
            ("visited", "deposit_paid", "won"),
        ],
    )
    def test_an_event_moves_forward_from_any_earlier_open_state_and_never_back(
        self, personas, open_lead, start, event, expected
    ):
        lead = open_lead()
        if start != "new":
            lead = lead_event(
                lead=lead,
                event={
                    "contacted": "contacted",
                    "visited": "visited",
                    "test_driven": "test_driven",
                    "negotiating": "quoted",
                }[start],
            )
        logs_before = StateLog.objects.for_(lead).count()
        lead = lead_event(lead=lead, event=event, user=personas.consultant)
        lead.refresh_from_db()
        assert lead.state == expected
        moved = expected != start
        assert StateLog.objects.for_(lead).count() == logs_before + (1 if moved else 0)

    def test_an_event_runs_whoever_recorded_it_and_logs_them(self, personas, open_lead):
        # a receptionist may not run the step by hand, but the visit she logged is a fact
        lead = open_lead()
        with pytest.raises(PermissionDenied):
            lead_transition(lead=lead, name="visit", user=personas.receptionist)
        lead = lead_event(lead=lead, event="visited", user=personas.receptionist)
        assert lead.state == "visited"
        assert StateLog.objects.for_(lead).latest("timestamp").by == personas.receptionist

    @pytest.mark.parametrize("closed", ["won", "lost", "dormant"])
    def test_an_event_about_a_closed_lead_changes_nothing(self, personas, open_lead, closed):
        lead = open_lead()
        if closed == "won":
            lead = lead_event(lead=lead, event="deposit_paid")
        else:
            Lead.objects.filter(pk=lead.pk).update(last_contact_at=T0 - dt.timedelta(days=90))
            leads_dormant_tick(store=personas.store_a, now=T0)
            if closed == "lost":
                from leads.services import lead_lost_request, lost_reasons_for
                from showroom.services.approvals import approval_approve

                lead = lead_reactivate(lead=lead, user=personas.consultant)
                request = lead_lost_request(
                    lead=lead,
                    user=personas.consultant,
                    competitor_brand="本田",
                    competitor_model="奥德赛",
                    reason_id=lost_reasons_for(store=personas.store_a).first().pk,
                )
                approval_approve(request=request, user=personas.showroom_manager)
        lead.refresh_from_db()
        assert lead.state == closed
        lead_event(lead=lead, event="visited", user=personas.consultant)
        lead.refresh_from_db()
        assert lead.state == closed

    def test_an_unknown_event_is_refused(self, open_lead):
        with pytest.raises(ValidationError):
            lead_event(lead=open_lead(), event="teleported")

    def test_an_event_brings_the_last_contact_forward_only(self, personas, open_lead):
        lead = open_lead()
        lead = lead_event(lead=lead, event="visited", at=T0)
        lead = lead_event(lead=lead, event="contacted", at=T0 - dt.timedelta(days=1))
        lead.refresh_from_db()
        assert lead.last_contact_at == T0


class TestDormancyAndReactivation:
    def test_open_leads_silent_for_the_configured_days_go_dormant(self, personas, open_lead):
        # given the store's silence set to 20 days, and three leads
        LeadSettings.objects.create(store=personas.store_a, dormant_after_days=20)
        with time_machine.travel(T0, tick=False):
            silent = open_lead()
            talked = open_lead()
            won = lead_event(lead=open_lead(), event="deposit_paid")
        with time_machine.travel(T0 + dt.timedelta(days=15), tick=False):
            lead_event(lead=talked, event="contacted")
        # when the tick runs on day 19: nothing yet
        assert leads_dormant_tick(store=personas.store_a, now=T0 + dt.timedelta(days=19)) == 0
        # on day 21: only the silent one goes dormant, by the system, with the reason
        assert leads_dormant_tick(store=personas.store_a, now=T0 + dt.timedelta(days=21)) == 1
        for lead, state in ((silent, "dormant"), (talked, "contacted"), (won, "won")):
            lead.refresh_from_db()
            assert lead.state == state
        log = StateLog.objects.for_(silent).latest("timestamp")
        assert (log.transition, log.by, log.description) == ("sleep", None, "No contact for 20 days.")
        # and running it again changes nothing
        assert leads_dormant_tick(store=personas.store_a, now=T0 + dt.timedelta(days=21)) == 0

    def test_the_default_silence_is_30_days(self, personas, open_lead):
        with time_machine.travel(T0, tick=False):
            lead = open_lead()
        assert leads_dormant_tick(store=personas.store_a, now=T0 + dt.timedelta(days=29)) == 0
        assert leads_dormant_tick(store=personas.store_a, now=T0 + dt.timedelta(days=31)) == 1
        lead.refresh_from_db()
        assert lead.state == "dormant"

    def test_the_dormant_job_runs_once_a_day_for_car_stores(self, personas, open_lead):
        from showroom.registry import registry
        from showroom.services.jobs import jobs_tick

        assert registry.scheduled_jobs["leads.dormant"].store_kinds == ("car",)
        with time_machine.travel(T0 - dt.timedelta(days=40), tick=False):
            lead = open_lead()
        with time_machine.travel(T0, tick=False):
            jobs_tick(now=T0)
        lead.refresh_from_db()
        assert lead.state == "dormant"

    def test_a_dormant_lead_is_reactivated_with_a_fresh_plan(self, personas, open_lead):
        with time_machine.travel(T0, tick=False):
            lead = open_lead(grade="B")
        leads_dormant_tick(store=personas.store_a, now=T0 + dt.timedelta(days=40))
        lead.refresh_from_db()
        assert lead.state == "dormant"
        back = T0 + dt.timedelta(days=41)
        with time_machine.travel(back, tick=False):
            lead = lead_reactivate(lead=lead, user=personas.consultant, note="客户回电")
        assert (lead.state, lead.last_contact_at) == ("contacted", back)
        (followup,) = FollowUp.objects.filter(object_id=lead.pk, plan="leads.grade.B", state="open")
        assert followup.due_at == back + dt.timedelta(days=7)

    def test_reactivation_is_refused_while_the_customer_has_another_open_lead(self, personas, open_lead):
        customer = CustomerFactory(store=personas.store_a)
        with time_machine.travel(T0, tick=False):
            old = open_lead(customer=customer)
        leads_dormant_tick(store=personas.store_a, now=T0 + dt.timedelta(days=40))
        new = open_lead(customer=customer)
        with pytest.raises(TransitionConflict):
            lead_reactivate(lead=old, user=personas.consultant)
        old.refresh_from_db()
        assert (old.state, new.state) == ("dormant", "new")

    def test_an_open_lead_cannot_be_reactivated(self, personas, open_lead):
        with pytest.raises(TransitionConflict):
            lead_reactivate(lead=open_lead(), user=personas.consultant)
