"""Cancellation (退房): before the formal contract the marketing director; after it the director
and then the general manager; the bureau, finance's refund and the released unit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from realestate import services
from realestate.models import ChangeRequest, Contract, Receipt, Subscription, Unit
from realestate.services import changes as ch
from showroom.models import ApprovalRequest, ChecklistTemplate
from showroom.services.approvals import approval_approve
from showroom.services.checklists import checklist_answer, checklist_run_start
from showroom.services.transitions import TransitionConflict
from tests.realestate.conftest import subscribe_through

pytestmark = pytest.mark.django_db


def contract_through(personas, site, buyer, *, upto="file"):
    """A contract for unit 101 (full payment 1,988,500: down payment 988,500 + loan 1,000,000),
    taken through draft → collect → sign → file, up to ``upto``."""
    sub = subscribe_through(personas, site["units"][0], buyer, deposit="50000")
    contract = services.contract_create(
        user=personas.sales_assistant,
        subscription=sub,
        schedule=[
            {"kind": "down_payment", "amount": "988500", "due_on": timezone.localdate()},
            {"kind": "loan", "amount": "1000000", "due_on": timezone.localdate() + dt.timedelta(days=60)},
        ],
        loan_bank="中国建设银行",
    )
    if upto == "draft":
        return contract
    contract = services.contract_collect(user=personas.cashier, contract=contract)
    if upto == "collect":
        return contract
    run = checklist_run_start(template_code="realestate.contract_documents", target=contract, user=personas.consultant)
    for item in ChecklistTemplate.objects.get(code="realestate.contract_documents").items.all():
        checklist_answer(run=run, item=item, user=personas.consultant, ticked=True)
    contract = services.contract_sign(user=personas.sales_manager, contract=Contract.objects.get(pk=contract.pk))
    if upto == "sign":
        return contract
    return services.contract_file(
        user=personas.sales_assistant, contract=contract, filing_number="备-001", certificate="预-9"
    )


def _approval(change):
    return ApprovalRequest.objects.get(pk=change.approval_id)


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_before_the_contract_the_director_alone_approves_and_the_money_comes_back(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    change = ch.change_cancel_request(user=personas.consultant, subscription=sub, reason="资金不足")
    request = _approval(change)
    assert request.kind == "realestate.cancel_before_contract" and request.routed_role.code == "marketing_director"
    with pytest.raises(PermissionDenied):
        approval_approve(request=request, user=personas.sales_manager)
    approval_approve(request=request, user=personas.marketing_director)
    change = _fresh(change)
    assert change.state == ChangeRequest.State.APPROVED and not change.after_filing
    with pytest.raises(TransitionConflict):  # the bureau's part first
        ch.cancellation_refund_compute(user=personas.finance, change=change)
    ch.cancellation_bureau_record(user=personas.sales_assistant, change=change)
    change = ch.cancellation_refund_compute(user=personas.finance, change=change)
    assert change.refund_amount == Decimal("50000.00")
    ch.cancellation_refund_pay(user=personas.cashier, change=change)
    assert Receipt.objects.get(kind="refund").amount == Decimal("-50000.00")
    assert _fresh(sub).state == Subscription.State.CANCELLED
    assert _fresh(site["units"][0]).state == Unit.State.AVAILABLE
    assert _fresh(change).state == ChangeRequest.State.DONE


def test_after_the_contract_the_director_then_the_general_manager(personas, site, buyer):
    contract = contract_through(personas, site, buyer, upto="sign")
    change = ch.change_cancel_request(user=personas.consultant, subscription=contract.subscription, reason="x")
    request = _approval(change)
    assert request.kind == "realestate.cancel_after_contract" and request.steps_total == 2
    request = approval_approve(request=request, user=personas.marketing_director)
    assert request.routed_role.code == "general_manager" and _fresh(change).state == ChangeRequest.State.PENDING
    approval_approve(request=_approval(change), user=personas.general_manager)
    change = _fresh(change)
    assert change.state == ChangeRequest.State.APPROVED and change.after_contract and not change.after_filing


def test_a_drafted_but_unsigned_contract_is_still_before_the_contract(personas, site, buyer):
    contract = contract_through(personas, site, buyer, upto="collect")
    change = ch.change_cancel_request(user=personas.consultant, subscription=contract.subscription, reason="x")
    assert _approval(change).kind == "realestate.cancel_before_contract"


def test_cancellation_after_filing_waiver_cancelled_filing_refund_and_released_unit(personas, site, buyer):
    contract = contract_through(personas, site, buyer, upto="file")
    services.contract_invoice_issue(user=personas.cashier, contract=contract, kind="deed_tax", number="FP-1")
    change = ch.change_cancel_request(
        user=personas.consultant, subscription=contract.subscription, reason="毁约", deductions="19885"
    )
    assert change.after_filing
    approval_approve(request=_approval(change), user=personas.marketing_director)
    approval_approve(request=_approval(change), user=personas.general_manager)
    with pytest.raises(ValidationError) as refused:
        ch.cancellation_bureau_record(user=personas.sales_assistant, change=change)
    assert set(refused.value.message_dict) == {"waiver_signed", "filing_cancel_number"}
    change = ch.cancellation_bureau_record(
        user=personas.sales_assistant, change=change, waiver_signed=True, filing_cancel_number="注销-7"
    )
    assert change.waiver_signed_at and change.filing_cancelled_at and change.filing_cancel_number == "注销-7"
    with pytest.raises(PermissionDenied):
        ch.cancellation_refund_compute(user=personas.cashier, change=change)
    change = ch.cancellation_refund_compute(user=personas.finance, change=change)
    # principal: deposit 50,000 + down payment 988,500; taxes: deed tax 59,655 + fee 80 (the
    # deed-tax receipt was taken back for its invoice: still money paid); the maintenance fund
    # 19,885 is given up with the waiver; less the agreed 19,885.
    assert change.principal_paid == Decimal("1038500.00")
    assert change.taxes_refunded == Decimal("59735.00")
    assert change.refund_amount == Decimal("1078350.00")
    ch.cancellation_refund_pay(user=personas.cashier, change=change)
    refund = Receipt.objects.get(kind="refund")
    assert refund.amount == Decimal("-1078350.00") and refund.contract_id == contract.pk
    assert not Receipt.objects.exclude(kind="refund").filter(taken_back_at__isnull=True).exists()
    assert _fresh(contract).state == Contract.State.CANCELLED
    assert _fresh(contract.subscription).state == Subscription.State.CANCELLED
    unit = _fresh(site["units"][0])
    assert unit.state == Unit.State.AVAILABLE and unit.holder_id is None


def test_a_handed_over_unit_is_not_cancelled(personas, site, buyer):
    contract = contract_through(personas, site, buyer, upto="file")
    Contract.objects.filter(pk=contract.pk).update(state=Contract.State.HANDED_OVER)
    with pytest.raises(TransitionConflict):
        ch.change_cancel_request(user=personas.consultant, subscription=contract.subscription, reason="x")


def test_deductions_above_the_money_paid_are_refused(personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    change = ch.change_cancel_request(user=personas.consultant, subscription=sub, reason="x", deductions="60000")
    approval_approve(request=_approval(change), user=personas.marketing_director)
    ch.cancellation_bureau_record(user=personas.sales_assistant, change=change)
    with pytest.raises(ValidationError):
        ch.cancellation_refund_compute(user=personas.finance, change=change)
