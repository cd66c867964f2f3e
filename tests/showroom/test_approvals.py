"""The authority matrix from both sides of each boundary, quotas, steps, the registry handler."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from showroom.models import ApprovalDecision, ApprovalRequest
from showroom.registry import ApprovalKind, register_approval_kind, registry, unregister
from showroom.services.approvals import (
    approval_approve,
    approval_escalate,
    approval_reject,
    approval_request_create,
)
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DISCOUNT = "realestate.extra_discount"


@pytest.fixture
def target(personas):
    return CustomerFactory(store=personas.store_a)


@pytest.fixture
def population():
    """Registers the extra-discount kind with a counter whose population the test sets."""
    state = {"population": 20}
    previous = registry.approval_kinds.get(DISCOUNT)
    register_approval_kind(
        ApprovalKind(
            code=DISCOUNT,
            label="discount",
            unit="percent",
            quota_counter=lambda *, request: state["population"],
        )
    )
    yield state
    if previous is None:
        unregister("approval_kinds", DISCOUNT)
    else:
        register_approval_kind(previous)


def file(personas, target, value, kind=DISCOUNT, scope="project:1", requester=None):
    return approval_request_create(
        target=target,
        kind=kind,
        store=personas.store_a,
        requester=requester or personas.consultant,
        reason="客户要求额外优惠",
        value=Decimal(value),
        quota_scope=scope,
    )


class TestMatrixBoundaries:
    def test_one_percent_is_approved_by_the_sales_manager(self, personas, target, population):
        request = file(personas, target, "1.00")
        assert request.routed_role.code == "sales_manager"
        request = approval_approve(request=request, user=personas.sales_manager, note="同意")
        assert request.state == "approved"
        decision = ApprovalDecision.objects.get(request=request)
        assert (decision.role.code, decision.decider) == ("sales_manager", personas.sales_manager)

    def test_one_point_zero_one_is_refused_for_him_and_approvable_by_the_director(self, personas, target, population):
        request = file(personas, target, "1.01")
        assert request.routed_role.code == "marketing_director"
        with pytest.raises(PermissionDenied, match="above your limit"):
            approval_approve(request=request, user=personas.sales_manager)
        request.refresh_from_db()
        assert request.state == "pending"
        assert not ApprovalDecision.objects.exists()
        request = approval_approve(request=request, user=personas.marketing_director)
        assert request.state == "approved"

    def test_above_every_limit_cannot_be_requested(self, personas, target):
        with pytest.raises(ValidationError, match="above every approval limit"):
            file(personas, target, "61", kind="realestate.delay_lose_discount")
        assert not ApprovalRequest.objects.exists()

    def test_two_step_kind_is_approved_only_after_the_second_step(self, personas, target):
        request = file(personas, target, "0", kind="realestate.cancel_after_contract")
        assert (request.step, request.steps_total, request.routed_role.code) == (1, 2, "marketing_director")
        with pytest.raises(PermissionDenied):
            approval_approve(request=request, user=personas.finance)
        request = approval_approve(request=request, user=personas.marketing_director)
        assert request.state == "pending"
        assert (request.step, request.routed_role.code) == (2, "general_manager")
        with pytest.raises(PermissionDenied):
            approval_approve(request=request, user=personas.marketing_director)
        request = approval_approve(request=request, user=personas.general_manager)
        assert request.state == "approved"
        assert list(request.decisions.values_list("step", "role__code")) == [
            (1, "marketing_director"),
            (2, "general_manager"),
        ]

    def test_the_requester_cannot_approve_his_own_request(self, personas, target, population):
        request = file(personas, target, "0.5", requester=personas.sales_manager)
        with pytest.raises(PermissionDenied, match="your own"):
            approval_approve(request=request, user=personas.sales_manager)
        request.refresh_from_db()
        assert request.state == "pending"

    def test_store_b_manager_cannot_decide_store_a_requests(self, personas, target, population):
        request = file(personas, target, "0.5")
        with pytest.raises(PermissionDenied):
            approval_approve(request=request, user=personas.b_manager)

    def test_escalation_hands_the_request_to_the_next_level(self, personas, target, population):
        request = file(personas, target, "0.5")
        request = approval_escalate(request=request, user=personas.sales_manager, note="请总监定")
        assert request.routed_role.code == "marketing_director"
        assert request.decisions.get().decision == "escalated"

    def test_reject_needs_a_note_and_records_the_decision(self, personas, target, population):
        request = file(personas, target, "0.5")
        with pytest.raises(ValidationError):
            approval_reject(request=request, user=personas.sales_manager, note="")
        request = approval_reject(request=request, user=personas.sales_manager, note="超出政策")
        assert request.state == "rejected"
        with pytest.raises(TransitionConflict):
            approval_approve(request=request, user=personas.general_manager)


class TestQuotas:
    def _approved(self, personas, n, population_state, value="0.5"):
        for i in range(n):
            target = CustomerFactory(store=personas.store_a, name=f"客户q{i}")
            approval_approve(request=file(personas, target, value), user=personas.sales_manager)

    def test_fourth_at_sales_manager_level_with_20_subscriptions_is_refused_naming_20_percent(
        self, personas, target, population
    ):
        population["population"] = 20
        self._approved(personas, 3, population)
        fourth = file(personas, target, "0.5")
        with pytest.raises(TransitionConflict) as refused:
            approval_approve(request=fourth, user=personas.sales_manager)
        message = refused.value.message
        assert "15%" in message and "20%" in message and "3 already" in message
        fourth.refresh_from_db()
        assert fourth.state == "pending"
        # the director's level has its own quota and takes it
        approval_escalate(request=fourth, user=personas.sales_manager)
        assert approval_approve(request=fourth, user=personas.marketing_director).state == "approved"

    def test_first_request_of_a_small_project_passes_thanks_to_the_floor(self, personas, target, population):
        population["population"] = 2
        request = approval_approve(request=file(personas, target, "0.5"), user=personas.sales_manager)
        assert request.state == "approved"

    def test_quota_counts_only_the_same_scope(self, personas, target, population):
        population["population"] = 20
        self._approved(personas, 3, population)
        other_project = file(personas, target, "0.5", scope="project:2")
        assert approval_approve(request=other_project, user=personas.sales_manager).state == "approved"


class TestRegistryHandler:
    def test_handler_runs_inside_the_transaction_and_its_exception_rolls_back(self, personas, target):
        calls = []

        def handler(*, request):
            calls.append((request.pk, request.state))
            raise RuntimeError("the record refused")

        register_approval_kind(ApprovalKind(code="test.fake", label="fake", unit="none", handler=handler))
        from showroom.models import AuthorityRule, Role

        AuthorityRule.objects.create(kind="test.fake", step=1, role=Role.objects.get(code="showroom_manager"))
        try:
            request = file(personas, target, "0", kind="test.fake")
            with pytest.raises(RuntimeError):
                approval_approve(request=request, user=personas.showroom_manager)
        finally:
            unregister("approval_kinds", "test.fake")
        assert calls == [(request.pk, "approved")]
        request.refresh_from_db()
        assert request.state == "pending"
        assert not ApprovalDecision.objects.filter(request=request).exists()

    def test_handler_sees_the_approved_request(self, personas, target):
        seen = []
        register_approval_kind(
            ApprovalKind(
                code="test.fake2",
                label="fake",
                unit="none",
                handler=lambda *, request: seen.append(request.state),
            )
        )
        from showroom.models import AuthorityRule, Role

        AuthorityRule.objects.create(kind="test.fake2", step=1, role=Role.objects.get(code="showroom_manager"))
        try:
            approval_approve(request=file(personas, target, "0", kind="test.fake2"), user=personas.showroom_manager)
        finally:
            unregister("approval_kinds", "test.fake2")
        assert seen == ["approved"]


class TestApi:
    def test_inbox_lists_what_waits_for_me_and_approve_runs_through_transitions(
        self, personas, target, population, api
    ):
        request = file(personas, target, "0.5")
        manager = api(personas.sales_manager)
        inbox = manager.get(reverse("approval-list")).json()["results"]
        assert [r["id"] for r in inbox] == [request.pk]
        assert api(personas.marketing_director).get(reverse("approval-list")).json()["results"] == []
        detail = manager.get(reverse("approval-detail", args=[request.pk])).json()
        assert "approve" in detail["available_transitions"]
        url = reverse("approval-transitions", args=[request.pk, "approve"])
        response = manager.post(url, {"note": "同意"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == "approved"
        again = manager.post(url, {}, format="json")
        assert again.status_code == 409

    def test_consultant_gets_403_and_other_store_404(self, personas, target, population, api):
        request = file(personas, target, "0.5")
        url = reverse("approval-transitions", args=[request.pk, "approve"])
        assert api(personas.receptionist).post(url, {}, format="json").status_code == 403
        assert api(personas.b_manager).post(url, {}, format="json").status_code == 404
        assert (
            api(personas.sales_manager)
            .post(reverse("approval-transitions", args=[request.pk, "explode"]), {}, format="json")
            .status_code
            == 404
        )

    def test_over_limit_is_403_with_the_limit_in_the_message(self, personas, target, population, api):
        request = file(personas, target, "2")
        response = api(personas.sales_manager).post(
            reverse("approval-transitions", args=[request.pk, "approve"]), {}, format="json"
        )
        assert response.status_code == 403
        assert "1%" in response.json()["detail"]

    def test_my_requests(self, personas, target, population, api):
        request = file(personas, target, "0.5")
        mine = api(personas.consultant).get(reverse("approval-list"), {"box": "mine"}).json()["results"]
        assert [r["id"] for r in mine] == [request.pk]
        assert api(personas.receptionist).get(reverse("approval-list"), {"box": "mine"}).json()["results"] == []

    def test_requester_may_withdraw_others_may_not(self, personas, target, population, api):
        request = file(personas, target, "0.5")
        url = reverse("approval-transitions", args=[request.pk, "withdraw"])
        assert api(personas.sales_manager).post(url, {}, format="json").status_code == 403
        assert api(personas.consultant).post(url, {}, format="json").json()["state"] == "withdrawn"


class TestAudit:
    def test_every_transition_is_logged_with_who_and_note(self, personas, target, population):
        from django_fsm_log.models import StateLog

        request = file(personas, target, "0.5")
        approval_approve(request=request, user=personas.sales_manager, note="同意")
        log = StateLog.objects.for_(request).get()
        assert (log.by, log.source_state, log.state, log.transition, log.description) == (
            personas.sales_manager,
            "pending",
            "approved",
            "approve",
            "同意",
        )

    def test_the_timeline_shows_the_targets_approvals_in_order(self, personas, target, population):
        from showroom.selectors.timeline import timeline_for

        request = file(personas, target, "0.5")
        approval_approve(request=request, user=personas.sales_manager, note="同意")
        kinds = [e.kind for e in timeline_for(target=target)]
        assert kinds == ["approval", "decision"]
