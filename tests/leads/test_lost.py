"""A lead is lost only through a request naming the competitor and a reason, confirmed by the
showroom manager: missing input is 400 and changes nothing; the lead stays as it was until the
approval, and is lost (with the competitor and reason) as the deciding manager."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm_log.models import StateLog

from leads.models import Lead, LostReason
from leads.services import lead_event, lead_lost_request, lead_transition, lost_reasons_for
from showroom.models import ApprovalRequest, FollowUp
from showroom.services.approvals import approval_approve, approval_reject
from showroom.services.transitions import TransitionConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def reason(personas):
    return lost_reasons_for(store=personas.store_a).first()


def lost_url(lead):
    return reverse("lead-lost-request", args=[lead.pk])


class TestLostRequestRefusesMissingInput:
    @pytest.mark.parametrize(
        ("body", "fields"),
        [
            ({}, {"competitor_brand", "competitor_model", "reason_id"}),
            ({"competitor_brand": "丰田", "competitor_model": "赛那"}, {"reason_id"}),
            ({"competitor_model": "赛那", "reason": True}, {"competitor_brand"}),
            ({"competitor_brand": "丰田", "reason": True}, {"competitor_model"}),
            ({"competitor_brand": "  ", "competitor_model": "赛那", "reason": True}, {"competitor_brand"}),
            ({"competitor_brand": "丰田", "competitor_model": "赛那", "reason_id": 999999}, {"reason_id"}),
        ],
    )
    def test_api_answers_400_with_each_missing_field_and_changes_nothing(
        self, personas, api, open_lead, reason, body, fields
    ):
        # given an open lead of the consultant
        lead = open_lead()
        lead_event(lead=lead, event="visited", user=personas.consultant)
        if body.pop("reason", False):
            body["reason_id"] = reason.pk
        before = Lead.objects.values().get(pk=lead.pk)
        # when he reports it lost without the competitor or the reason
        response = api(personas.consultant).post(lost_url(lead), body, format="json")
        # then 400 names each missing field, no approval is filed and the lead is unchanged
        assert response.status_code == 400
        assert set(response.json()["fields"]) == fields
        assert not ApprovalRequest.objects.exists()
        assert Lead.objects.values().get(pk=lead.pk) == before

    def test_a_reason_of_another_store_is_refused(self, personas, open_lead):
        lead = open_lead()
        foreign = LostReason.objects.create(store=personas.store_b, text="B 店专用原因")
        with pytest.raises(ValidationError) as refused:
            lead_lost_request(
                lead=lead,
                user=personas.consultant,
                competitor_brand="丰田",
                competitor_model="赛那",
                reason_id=foreign.pk,
            )
        assert set(refused.value.message_dict) == {"reason_id"}
        assert not ApprovalRequest.objects.exists()


class TestLostOnlyAfterApproval:
    def test_with_competitor_and_reason_a_pending_approval_and_the_lead_unchanged(
        self, personas, api, open_lead, reason
    ):
        # given an open lead
        lead = open_lead()
        # when the consultant reports it lost with the competitor and a reason
        response = api(personas.consultant).post(
            lost_url(lead),
            {"competitor_brand": "丰田", "competitor_model": "赛那", "reason_id": reason.pk, "note": "已交定金"},
            format="json",
        )
        # then a pending lost-lead approval is routed to the showroom manager; the lead is still open
        assert response.status_code == 201, response.json()
        request = ApprovalRequest.objects.get(pk=response.json()["id"])
        assert (request.kind, request.state, request.routed_role.code) == (
            "leads.lost_lead",
            "pending",
            "showroom_manager",
        )
        assert request.target == lead
        assert request.payload["competitor_brand"] == "丰田"
        lead.refresh_from_db()
        assert lead.state == "new"
        assert lead.lost_competitor_brand == ""
        # and the detail says a request waits
        detail = api(personas.consultant).get(reverse("lead-detail", args=[lead.pk])).json()
        assert detail["pending_lost_request"] == request.pk

    def test_the_lead_is_lost_only_when_the_showroom_manager_approves(self, personas, open_lead, reason):
        # given a pending lost request on a visited lead
        lead = open_lead()
        lead = lead_event(lead=lead, event="visited", user=personas.consultant)
        request = lead_lost_request(
            lead=lead,
            user=personas.consultant,
            competitor_brand="丰田",
            competitor_model="赛那",
            reason_id=reason.pk,
        )
        # the consultant cannot decide it
        with pytest.raises(PermissionDenied):
            approval_approve(request=request, user=personas.consultant)
        lead.refresh_from_db()
        assert lead.state == "visited"
        # when the showroom manager approves
        approval_approve(request=request, user=personas.showroom_manager, note="属实")
        # then the lead is lost with the competitor and reason, logged as the manager's step
        lead.refresh_from_db()
        assert (lead.state, lead.lost_competitor_brand, lead.lost_competitor_model, lead.lost_reason) == (
            "lost",
            "丰田",
            "赛那",
            reason,
        )
        log = StateLog.objects.for_(lead).latest("timestamp")
        assert (log.transition, log.source_state, log.state, log.by) == (
            "lose",
            "visited",
            "lost",
            personas.showroom_manager,
        )
        # and the pending grade follow-up is cancelled
        assert not FollowUp.objects.filter(object_id=lead.pk, plan__startswith="leads.grade", state="open").exists()

    def test_a_rejected_request_leaves_the_lead_open_and_tells_the_consultant(self, personas, open_lead, reason):
        lead = open_lead()
        request = lead_lost_request(
            lead=lead, user=personas.consultant, competitor_brand="丰田", competitor_model="赛那", reason_id=reason.pk
        )
        approval_reject(request=request, user=personas.showroom_manager, note="客户只是在比价，继续跟进")
        lead.refresh_from_db()
        assert lead.state == "new"
        notice = personas.consultant.notifications.get(key=f"leads:lost:{request.pk}:rejected")
        assert "继续跟进" in notice.body

    def test_a_second_request_while_one_waits_is_a_conflict(self, personas, open_lead, reason):
        lead = open_lead()
        args = {"competitor_brand": "丰田", "competitor_model": "赛那", "reason_id": reason.pk}
        lead_lost_request(lead=lead, user=personas.consultant, **args)
        with pytest.raises(TransitionConflict):
            lead_lost_request(lead=lead, user=personas.consultant, **args)
        assert ApprovalRequest.objects.count() == 1

    def test_approval_of_a_lead_won_meanwhile_is_refused_and_rolls_back(self, personas, open_lead, reason):
        lead = open_lead()
        request = lead_lost_request(
            lead=lead, user=personas.consultant, competitor_brand="丰田", competitor_model="赛那", reason_id=reason.pk
        )
        lead_event(lead=lead, event="deposit_paid", user=personas.consultant)
        with pytest.raises(TransitionConflict):
            approval_approve(request=request, user=personas.showroom_manager)
        request.refresh_from_db()
        lead.refresh_from_db()
        assert (request.state, lead.state) == ("pending", "won")

    def test_another_consultant_cannot_report_my_lead_lost(self, personas, open_lead, reason):
        from tests.factories import MembershipFactory, UserFactory

        colleague = UserFactory(username="a_consultant_2")
        MembershipFactory(user=colleague, store=personas.store_a, role_code="consultant")
        lead = open_lead()
        with pytest.raises(PermissionDenied):
            lead_lost_request(
                lead=lead, user=colleague, competitor_brand="丰田", competitor_model="赛那", reason_id=reason.pk
            )


class TestLoseIsNeverRunByHand:
    def test_the_manager_cannot_run_lose_through_the_transitions_api(self, personas, api, open_lead):
        lead = open_lead()
        response = api(personas.showroom_manager).post(
            reverse("lead-transitions", args=[lead.pk, "lose"]), {"note": "直接战败"}, format="json"
        )
        assert response.status_code == 409
        assert "request" in response.json()["detail"]
        lead.refresh_from_db()
        assert lead.state == "new"

    def test_lose_and_sleep_are_not_offered_as_transitions(self, personas, api, open_lead):
        lead = open_lead()
        body = api(personas.showroom_manager).get(reverse("lead-detail", args=[lead.pk])).json()
        assert "lose" not in body["available_transitions"]
        assert "sleep" not in body["available_transitions"]
        with pytest.raises(TransitionConflict):
            lead_transition(lead=lead, name="sleep", user=personas.showroom_manager)


class TestLostDialogPage:
    def test_the_dialog_without_input_shows_the_errors_and_files_nothing(self, personas, web, open_lead):
        lead = open_lead()
        response = web(personas.consultant).post(reverse("leads:lost", args=[lead.pk]), {"lost-note": "x"})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Name the brand the customer bought." in page
        assert "Choose a reason from the store" in page
        assert not ApprovalRequest.objects.exists()

    def test_the_dialog_files_the_request_and_the_page_shows_it_waits(self, personas, web, open_lead, reason):
        lead = open_lead()
        client = web(personas.consultant)
        response = client.post(
            reverse("leads:lost", args=[lead.pk]),
            {"lost-competitor_brand": "比亚迪", "lost-competitor_model": "汉 EV", "lost-reason_id": reason.pk},
        )
        assert response.status_code == 302
        request = ApprovalRequest.objects.get()
        page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert reverse("approvals:detail", args=[request.pk]) in page
        assert 'data-testid="mark-lost"' not in page

    def test_lost_confirmations_link_to_the_approvals_inbox_filtered(self, personas, web):
        response = web(personas.showroom_manager).get(reverse("leads:lost_confirmations"))
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('approvals:inbox')}?kind=leads.lost_lead"
