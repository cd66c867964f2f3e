"""An approved cancellation (退房), carried out by people (篇6 退房或换房手续, 篇7 9 and 12):

- not filed: the record is restored with the housing bureau (数据恢复);
- filed: the buyer signs the maintenance-fund waiver (放弃维修基金的承诺书), the district bureau
  cancels the filing (备案注销文件) and the deed tax comes back, and the record is restored;
- finance computes the refund from the principal and the taxes less the agreed deductions (毁约
  款项扣款核对计算, 含本金及税费);
- the cashier pays it and takes back the receipts; the contract and the subscription end and the
  unit is released (释放房源).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import ChangeRequest, Contract, Receipt, Unit
from showroom import roles as r
from showroom.services.transitions import TransitionConflict, transition_run

from .._common import require_role
from ..cashier import receipt_take, receipts_take_back
from .apply import _done, live_receipts, paid_receipts

PRINCIPAL_KINDS = (Receipt.Kind.DEPOSIT, Receipt.Kind.DOWN_PAYMENT, Receipt.Kind.FULL_PAYMENT, Receipt.Kind.LOAN)
TAX_KINDS = (Receipt.Kind.DEED_TAX, Receipt.Kind.REGISTRATION_FEE)
ZERO = Decimal("0.00")


def _approved_cancellation(change: ChangeRequest) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().select_related("subscription").get(pk=change.pk)
    if change.kind != ChangeRequest.Kind.CANCEL or change.state != ChangeRequest.State.APPROVED:
        raise TransitionConflict(_("This step belongs to an approved cancellation."), state=change.state)
    return change


@transaction.atomic
def cancellation_bureau_record(
    *, user, change: ChangeRequest, waiver_signed: bool = False, filing_cancel_number: str = ""
) -> ChangeRequest:
    """The sales assistant (or manager) records what the housing bureau did. After filing the
    buyer's signed maintenance-fund waiver and the bureau's filing-cancellation document come first."""
    require_role(user=user, store_id=change.store_id, roles=(r.SALES_ASSISTANT, r.SALES_MANAGER))
    change = _approved_cancellation(change)
    if change.data_restored_at is not None:
        raise TransitionConflict(_("The housing bureau's part is already recorded."), state=change.state)
    now = timezone.now()
    if change.after_filing:
        errors = {}
        if not waiver_signed:
            errors["waiver_signed"] = [_("The buyer signs the maintenance-fund waiver first.")]
        if not (filing_cancel_number or "").strip():
            errors["filing_cancel_number"] = [_("Give the number of the bureau's filing-cancellation document.")]
        if errors:
            raise ValidationError(errors)
        change.waiver_signed_at = now
        change.filing_cancelled_at = now
        change.filing_cancel_number = filing_cancel_number.strip()[:60]
    change.data_restored_at = now
    change.save()
    return change


def refund_figures(*, change: ChangeRequest) -> dict[str, Decimal]:
    """Principal paid and taxes paid (receipts not refunded), the maintenance fund (given up with
    the waiver after filing, returned otherwise), the deductions and the refund."""
    receipts = paid_receipts(subscription=change.subscription).values("kind").annotate(total=Sum("amount"))
    by_kind = {row["kind"]: row["total"] for row in receipts}
    principal = sum((by_kind.get(k, ZERO) for k in PRINCIPAL_KINDS), ZERO)
    taxes = sum((by_kind.get(k, ZERO) for k in TAX_KINDS), ZERO)
    fund = ZERO if change.after_filing else by_kind.get(Receipt.Kind.MAINTENANCE_FUND, ZERO)
    return {
        "principal": principal,
        "taxes": taxes,
        "maintenance_fund": fund,
        "deductions": change.deductions,
        "refund": principal + taxes + fund - change.deductions,
    }


@transaction.atomic
def cancellation_refund_compute(*, user, change: ChangeRequest) -> ChangeRequest:
    """Finance computes the refund once the housing bureau's part is done."""
    require_role(user=user, store_id=change.store_id, roles=(r.FINANCE,))
    change = _approved_cancellation(change)
    if not change.bureau_done:
        raise TransitionConflict(_("Record the housing bureau's part first."), state=change.state)
    figures = refund_figures(change=change)
    if figures["refund"] < 0:
        raise ValidationError({"deductions": [_("The deductions are more than the buyer paid.")]})
    change.principal_paid = figures["principal"]
    change.taxes_refunded = figures["taxes"]
    change.refund_amount = figures["refund"]
    change.computed_by = user
    change.computed_at = timezone.now()
    change.save()
    return change


@transaction.atomic
def cancellation_refund_pay(*, user, change: ChangeRequest) -> ChangeRequest:
    """The cashier pays the refund against the returned receipts; the contract and the
    subscription end and the unit is released."""
    require_role(user=user, store_id=change.store_id, roles=(r.CASHIER,))
    change = _approved_cancellation(change)
    if change.computed_at is None:
        raise TransitionConflict(_("Finance computes the refund first."), state=change.state)
    sub = change.subscription
    contract = Contract.objects.filter(subscription=sub).exclude(state=Contract.State.CANCELLED).first()
    receipts = list(live_receipts(subscription=sub))
    if change.refund_amount > 0:
        receipt_take(
            user=user,
            project=sub.project,
            customer=sub.customer,
            kind=Receipt.Kind.REFUND,
            amount=-change.refund_amount,
            subscription=sub,
            contract=contract,
        )
    receipts_take_back(receipts=receipts)
    if contract is not None:
        transition_run(instance=contract, name="void", user=None)
    reason = change.reason

    def note(obj):
        obj.cancel_reason = reason[:200]

    transition_run(instance=sub, name="void", user=None, before_save=note)
    unit = Unit.objects.select_for_update(of=("self",)).get(pk=sub.unit_id)

    def free(obj):
        obj.holder = None

    transition_run(instance=unit, name="release_back", user=None, lock=False, before_save=free)
    return _done(change=change, user=user)
