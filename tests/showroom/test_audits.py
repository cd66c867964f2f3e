"""Process audits: automatic items on both sides of each threshold, answering, completing, the
monthly scores, and who may audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from leads.models import Lead, LeadContact
from showroom.models import AuditAnswer, AuditSettings, ProcessAudit
from showroom.selectors.dashboard_audits import audit_monthly
from showroom.services.audits import audit_answer, audit_complete, audit_start
from showroom.services.transitions import TransitionConflict
from testdrive.models import Booking
from tests.factories import CustomerFactory
from tests.showroom.dashboard_fixtures import NOW, at, followup, lead, shift, visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _answers(audit) -> dict[str, AuditAnswer]:
    return {a.code: a for a in audit.answers.all()}


def _audit(personas, **kwargs) -> ProcessAudit:
    return audit_start(
        store=personas.store_a, auditor=personas.showroom_manager, consultant=personas.consultant, **kwargs
    )


@pytest.fixture
def desk(personas):
    return shift(personas.store_a, personas.receptionist)


class TestWalkinPrompt:
    @pytest.mark.parametrize(
        ("logged", "assigned", "minutes", "passed"),
        [(1, 3, 3, True), (1, 4, 3, False), (4, 1, 3, False), (3, 3, 3, True), (1, 4, 5, True)],
    )
    def test_logged_and_assigned_within_the_minutes_set(self, personas, desk, logged, assigned, minutes, passed):
        # given a walk-in logged and assigned so many minutes after arriving, and the store's limit
        if minutes != 3:
            AuditSettings.objects.create(store=personas.store_a, walkin_minutes=minutes)
        v = visit(
            personas.store_a,
            desk,
            personas.receptionist,
            arrived=at(10, 10),
            consultant=personas.consultant,
            logged_after_min=logged,
            assigned_after_min=assigned,
        )
        # when the manager audits it
        answer = _answers(_audit(personas, visit=v))["2.2"]
        # then item 2.2 is scored from the data and marked automatic
        assert answer.automatic
        assert answer.result == ("pass" if passed else "fail")
        assert answer.points == (Decimal(1) if passed else 0)

    def test_without_a_walk_in_the_item_is_left_to_the_auditor(self, personas):
        answer = _answers(_audit(personas, interaction_at=at(10, 10)))["2.2"]
        assert not answer.automatic and answer.result == ""


def _lead_visit(personas, desk, **lead_kwargs):
    customer = CustomerFactory(store=personas.store_a)
    the_lead = lead(personas.store_a, personas.consultant, created=at(10, 10, 30), customer=customer, **lead_kwargs)
    v = visit(
        personas.store_a,
        desk,
        personas.receptionist,
        arrived=at(10, 10),
        consultant=personas.consultant,
        customer=customer,
    )
    return the_lead, v


class TestLeadItems:
    @pytest.mark.parametrize("needs", [True, False])
    def test_needs_analysis_recorded(self, personas, desk, needs):
        _lead, v = _lead_visit(personas, desk, needs=needs)
        answer = _answers(_audit(personas, visit=v))["3.1"]
        assert answer.automatic and answer.result == ("pass" if needs else "fail")

    @pytest.mark.parametrize(("offer", "passed"), [("accepted", True), ("declined", True), ("", False)])
    def test_test_drive_offered(self, personas, desk, offer, passed):
        the_lead, v = _lead_visit(personas, desk)
        Lead.objects.filter(pk=the_lead.pk).update(test_drive=offer)
        assert _answers(_audit(personas, visit=v))["4.1"].result == ("pass" if passed else "fail")

    @pytest.mark.parametrize(("done_at", "passed"), [(at(12, 21), True), (at(13, 9), False)])
    def test_followups_done_on_their_due_day(self, personas, desk, done_at, passed):
        the_lead, v = _lead_visit(personas, desk)
        followup(personas.store_a, the_lead, personas.consultant, due=at(11, 10), state="done", done=at(11, 12))
        followup(personas.store_a, the_lead, personas.consultant, due=at(12, 10), state="done", done=done_at)
        assert _answers(_audit(personas, visit=v))["6.1"].result == ("pass" if passed else "fail")

    @pytest.mark.parametrize(("recorded", "passed"), [(at(10, 23, 30), True), (at(11, 0, 30), False)])
    def test_record_updated_the_same_day(self, personas, desk, recorded, passed):
        the_lead, v = _lead_visit(personas, desk)
        contact = LeadContact.objects.create(
            lead=the_lead, kind="visit", summary="到店", at=at(10, 10), recorded_by=personas.consultant
        )
        LeadContact.objects.filter(pk=contact.pk).update(recorded_at=recorded)
        assert _answers(_audit(personas, visit=v))["6.3"].result == ("pass" if passed else "fail")


class TestTestDriveItem:
    @pytest.mark.parametrize(("minutes", "passed"), [(20, True), (19, False)])
    def test_at_least_twenty_minutes(self, personas, desk, minutes, passed):
        from tests.testdrive.factories import DemoVehicleFactory, RouteFactory

        the_lead, v = _lead_visit(personas, desk)
        Booking.objects.create(
            store=personas.store_a,
            lead=the_lead,
            customer=the_lead.customer,
            consultant=personas.consultant,
            created_by=personas.consultant,
            vehicle=DemoVehicleFactory(store=personas.store_a),
            route=RouteFactory(store=personas.store_a),
            slot_start=at(10, 11),
            slot_end=at(10, 12),
            started_at=at(10, 11),
            ended_at=at(10, 11) + dt.timedelta(minutes=minutes),
            state="completed",
        )
        answer = _answers(_audit(personas, visit=v))["4.4"]
        assert answer.automatic and answer.result == ("pass" if passed else "fail")


class TestAuditing:
    def test_a_consultant_may_not_audit(self, personas):
        with pytest.raises(PermissionDenied):
            audit_start(
                store=personas.store_a,
                auditor=personas.consultant,
                consultant=personas.consultant,
                interaction_at=at(10, 10),
            )
        assert not ProcessAudit.objects.exists()

    def test_completing_needs_every_item_then_fixes_the_score(self, personas):
        audit = _audit(personas, interaction_at=at(10, 10))
        with pytest.raises(TransitionConflict):
            audit_complete(audit=audit, user=personas.showroom_manager)
        rows = list(audit.answers.order_by("item__order"))
        answers = {row.pk: ("pass" if row.section == 2 else "fail" if row.section == 3 else "na", "") for row in rows}
        audit_answer(audit=audit, user=personas.showroom_manager, answers=answers)
        audit = audit_complete(audit=audit, user=personas.showroom_manager)
        s2 = sum(1 for row in rows if row.section == 2)
        s3 = sum(1 for row in rows if row.section == 3)
        assert audit.state == "done"
        assert audit.score == s2 and audit.max_score == s2 + s3
        # and the monthly view shows the consultant's and each section's percentage
        data = audit_monthly(store_ids=[personas.store_a.pk], month=NOW.date())
        assert data["consultants"][0]["scores"][-1] == (Decimal(s2) * 100 / (s2 + s3)).quantize(Decimal("0.1"))
        sections = {s["number"]: s["scores"][-1] for s in data["sections"]}
        assert sections[2] == Decimal("100.0") and sections[3] == Decimal("0.0") and sections[4] is None
        # a completed audit no longer changes
        with pytest.raises(TransitionConflict):
            audit_answer(audit=audit, user=personas.showroom_manager, answers=answers)

    def test_pages(self, personas, web):
        client = web(personas.showroom_manager)
        response = client.post(
            "/dashboard/audits/new/", {"consultant": personas.consultant.pk, "interaction_at": "2026-03-10T10:00"}
        )
        assert response.status_code == 302
        audit = ProcessAudit.objects.get()
        assert client.get(f"/dashboard/audits/{audit.pk}/").status_code == 200
        assert client.get("/dashboard/audits/").status_code == 200
        assert client.get("/dashboard/audits/monthly/").status_code == 200
        pdf = client.get("/dashboard/audits/monthly.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert web(personas.consultant).get(f"/dashboard/audits/{audit.pk}/").status_code == 404


class TestThresholdsPage:
    URL = "/dashboard/audits/settings/"

    def test_a_manager_sets_the_store_thresholds(self, personas, web):
        # given the store on its defaults
        client = web(personas.showroom_manager)
        assert client.get(self.URL).status_code == 200
        # when the manager saves new limits
        response = client.post(self.URL, {"walkin_minutes": "5", "test_drive_minutes": "25"})
        # then the store's row holds them
        assert response.status_code == 302
        saved = AuditSettings.objects.get(store=personas.store_a)
        assert (saved.walkin_minutes, saved.test_drive_minutes) == (5, 25)

    def test_a_value_out_of_range_is_a_400_naming_the_field_and_saves_nothing(self, personas, web):
        client = web(personas.showroom_manager)
        response = client.post(self.URL, {"walkin_minutes": "0", "test_drive_minutes": "25"})
        assert response.status_code == 400
        assert response.context["form"].errors["walkin_minutes"]
        assert not AuditSettings.objects.filter(store=personas.store_a).exists()

    def test_a_consultant_may_not_change_them(self, personas, web):
        client = web(personas.consultant)
        assert client.post(self.URL, {"walkin_minutes": "9", "test_drive_minutes": "25"}).status_code == 403
        assert not AuditSettings.objects.exists()

    def test_the_other_stores_manager_changes_only_his_store(self, personas, web):
        client = web(personas.b_manager)
        assert client.post(self.URL, {"walkin_minutes": "7", "test_drive_minutes": "30"}).status_code == 302
        assert AuditSettings.objects.get().store == personas.store_b
