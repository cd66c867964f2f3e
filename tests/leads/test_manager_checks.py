"""The manager's checks: the leads touched today without a recorded contact (and the closing-time
job that sends them to the showroom manager), and created-vs-assigned per consultant and period."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from leads.models import Lead
from leads.selectors import lead_created_vs_assigned, leads_unrecorded_contacts
from leads.services import lead_contact_record, lead_event, lead_grade_set, leads_unrecorded_contacts_notify
from showroom.models import FollowUp, JobRun, Notification
from showroom.registry import registry
from showroom.services.followups import followup_complete
from showroom.services.jobs import jobs_tick
from tests.factories import MembershipFactory, UserFactory
from tests.leads.factories import SHANGHAI, T0

pytestmark = pytest.mark.django_db

DAY = T0.date()
CLOSING = dt.datetime.combine(DAY, dt.time(18, 5), tzinfo=SHANGHAI)


@pytest.fixture
def colleague(personas):
    user = UserFactory(username="a_consultant_2", first_name="李娜")
    MembershipFactory(user=user, store=personas.store_a, role_code="consultant")
    return user


@pytest.fixture
def day_of_work(personas, open_lead, colleague):
    """On T0's day: five leads touched in different ways, two of them recorded."""
    with time_machine.travel(T0 - dt.timedelta(days=3), tick=False):
        done_fu = open_lead(grade="H")  # its follow-up falls due on T0's day
        moved = open_lead()
        recorded = open_lead()
        untouched = open_lead()
        theirs = open_lead(consultant=colleague)
    with time_machine.travel(T0, tick=False):
        fu = FollowUp.objects.get(object_id=done_fu.pk, state="open")
        followup_complete(followup=fu, user=personas.consultant, outcome="客户说周末来")  # touched
        lead_event(lead=moved, event="quoted", user=personas.consultant)  # touched: a status change
        lead_event(lead=recorded, event="visited", user=personas.consultant)  # touched …
        lead_contact_record(lead=recorded, user=personas.consultant, kind="visit", summary="看了 GL8")  # … recorded
        lead_event(lead=theirs, event="contacted", user=colleague)  # the colleague's, touched
        lead_grade_set(lead=untouched, grade="A", user=personas.consultant)  # a grade change is no touch
    return {"done_fu": done_fu, "moved": moved, "recorded": recorded, "untouched": untouched, "theirs": theirs}


class TestUnrecordedContacts:
    def test_lists_per_consultant_the_leads_touched_without_a_record(self, personas, colleague, day_of_work):
        groups = {g.consultant: g for g in leads_unrecorded_contacts(store_id=personas.store_a.pk, day=DAY)}
        assert set(groups) == {personas.consultant, colleague}
        mine = {item.lead.pk: item.touches for item in groups[personas.consultant].leads}
        assert mine == {day_of_work["done_fu"].pk: ["followup"], day_of_work["moved"].pk: ["state"]}
        assert [item.lead.pk for item in groups[colleague].leads] == [day_of_work["theirs"].pk]
        # the day before had none
        assert leads_unrecorded_contacts(store_id=personas.store_a.pk, day=DAY - dt.timedelta(days=1)) == []

    def test_the_closing_job_notifies_the_showroom_manager_once(self, personas, day_of_work):
        # given the job is registered for car stores at closing time
        job = registry.scheduled_jobs["leads.unrecorded_contacts"]
        assert (job.at, job.store_kinds) == ("closing", ("car",))
        # when the jobs tick runs before closing: nothing; after closing: one notice
        with time_machine.travel(T0, tick=False):
            jobs_tick(now=T0)
        assert not Notification.objects.filter(key__startswith="leads:unrecorded").exists()
        with time_machine.travel(CLOSING, tick=False):
            jobs_tick(now=CLOSING)
            jobs_tick(now=CLOSING + dt.timedelta(minutes=5))  # a second tick does not send again
        (notice,) = Notification.objects.filter(key__startswith="leads:unrecorded")
        assert notice.user == personas.showroom_manager
        assert "3" in notice.title
        assert day_of_work["done_fu"].customer.name in notice.body
        assert day_of_work["recorded"].customer.name not in notice.body
        assert notice.url == f"{reverse('leads:unrecorded')}?day={DAY.isoformat()}"
        assert JobRun.objects.get(job="leads.unrecorded_contacts", store=personas.store_a).status == "done"

    def test_nothing_is_sent_when_every_touched_lead_is_recorded(self, personas, open_lead):
        with time_machine.travel(T0, tick=False):
            lead = open_lead()
            lead_contact_record(lead=lead, user=personas.consultant, kind="call", summary="电话")
        assert leads_unrecorded_contacts_notify(store=personas.store_a, day=DAY) == 0
        assert not Notification.objects.filter(key__startswith="leads:unrecorded").exists()

    def test_the_page_shows_today_to_managers_only(self, personas, web, day_of_work):
        with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):
            page = web(personas.showroom_manager).get(reverse("leads:unrecorded"))
            assert page.status_code == 200
            text = page.content.decode()
            assert f'data-lead="{day_of_work["moved"].pk}"' in text
            assert f'data-lead="{day_of_work["recorded"].pk}"' not in text
            assert web(personas.consultant).get(reverse("leads:unrecorded")).status_code == 403


class TestCreatedVsAssigned:
    def test_per_consultant_with_the_differences_record_by_record(self, personas, open_lead, colleague):
        with time_machine.travel(T0, tick=False):
            own = open_lead()  # created and assigned: the consultant
            for_colleague = open_lead(consultant=colleague)  # created by the consultant, assigned to the colleague
            by_reception = open_lead(user=personas.receptionist, consultant=personas.consultant)
        with time_machine.travel(T0 - dt.timedelta(days=40), tick=False):
            open_lead()  # outside the period
        rows = {r.consultant: r for r in lead_created_vs_assigned(store_id=personas.store_a.pk, start=DAY, end=DAY)}
        mine = rows[personas.consultant]
        assert (mine.assigned, mine.created, mine.both) == (2, 2, 1)
        assert [lead.pk for lead in mine.assigned_not_created] == [by_reception.pk]
        assert [lead.pk for lead in mine.created_not_assigned] == [for_colleague.pk]
        theirs = rows[colleague]
        assert (theirs.assigned, theirs.created, theirs.both) == (1, 0, 0)
        assert [lead.pk for lead in theirs.assigned_not_created] == [for_colleague.pk]
        assert own.pk not in [lead.pk for lead in mine.assigned_not_created + mine.created_not_assigned]

    def test_one_consultant_and_a_wider_period(self, personas, open_lead, colleague):
        with time_machine.travel(T0 - dt.timedelta(days=10), tick=False):
            open_lead()
        rows = lead_created_vs_assigned(
            store_id=personas.store_a.pk,
            start=DAY - dt.timedelta(days=30),
            end=DAY,
            consultant_id=personas.consultant.pk,
        )
        assert [(r.consultant, r.assigned, r.created) for r in rows] == [(personas.consultant, 1, 1)]

    def test_the_page_lists_the_differences_for_managers(self, personas, web, open_lead, colleague):
        lead = open_lead(consultant=colleague)
        Lead.objects.filter(pk=lead.pk).update(created_at=T0)
        url = reverse("leads:check")
        client = web(personas.showroom_manager)
        response = client.get(url, {"start": DAY.isoformat(), "end": DAY.isoformat()})
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="created-not-assigned"') == 1
        assert (
            client.get(url, {"start": DAY.isoformat(), "end": (DAY - dt.timedelta(days=1)).isoformat()}).status_code
            == 400
        )
        assert web(personas.consultant).get(url).status_code == 403
