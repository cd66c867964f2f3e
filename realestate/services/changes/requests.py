"""Asking for a change: each request checks its window and its own rules, then enters the
approval matrix (kinds and limits seeded in ``showroom/approval_kinds.py``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from realestate.models import ChangeRequest, Contract, Subscription, Unit
from realestate.models.sales import LIVE_SUBSCRIPTION_STATES
from showroom.money import money, to_decimal
from showroom.services.transitions import TransitionConflict

from ._common import (
    contract_of,
    file_change,
    lock_subscription,
    raise_if,
    reason_clean,
    require_before_contract,
    require_no_open_change,
    require_requester,
)

HUNDRED = Decimal("100")


def _new(*, subscription: Subscription, user, kind: str, reason: str, **fields) -> ChangeRequest:
    return ChangeRequest(
        store_id=subscription.store_id,
        project_id=subscription.project_id,
        subscription=subscription,
        kind=kind,
        reason=reason,
        requested_by=user,
        **fields,
    )


@transaction.atomic
def change_rename_request(*, user, subscription: Subscription, new_customer, reason: str) -> ChangeRequest:
    """更名 (篇7 6): before the formal contract; the sales manager approves, at most 30 % of the
    project's subscriptions (the quota of the seeded rule)."""
    require_requester(user=user, subscription=subscription)
    errors: dict[str, list[str]] = {}
    reason = reason_clean(reason, errors)
    if new_customer is None or new_customer.store_id != subscription.store_id:
        errors["new_customer"] = [_("Choose a customer of this store.")]
    elif new_customer.pk == subscription.customer_id:
        errors["new_customer"] = [_("The new buyer must be someone else.")]
    raise_if(errors)
    sub = lock_subscription(subscription)
    require_before_contract(sub, what=_("A rename"))
    require_no_open_change(sub)
    change = _new(
        subscription=sub,
        user=user,
        kind=ChangeRequest.Kind.RENAME,
        reason=reason,
        old_customer_id=sub.customer_id,
        new_customer=new_customer,
    )
    return file_change(change=change, approval_kind="realestate.rename")


@transaction.atomic
def change_discount_request(*, user, subscription: Subscription, percent, reason: str) -> ChangeRequest:
    """特殊折扣 (篇7 7): before the formal contract; a share of the price: up to 1 % the sales
    manager, up to 3 % the marketing director, beyond the general manager (the matrix routes it)."""
    require_requester(user=user, subscription=subscription)
    errors: dict[str, list[str]] = {}
    reason = reason_clean(reason, errors)
    try:
        pct = to_decimal(percent).quantize(Decimal("0.01"))
        if pct <= 0 or pct >= HUNDRED:
            errors["percent"] = [_("Give a percentage above 0 and below 100.")]
    except (TypeError, ValueError, InvalidOperation):
        errors["percent"] = [_("Not a percentage.")]
        pct = Decimal("0")
    raise_if(errors)
    sub = lock_subscription(subscription)
    require_before_contract(sub, what=_("An extra discount"))
    require_no_open_change(sub)
    if sub.extra_discount_pct > 0:
        raise TransitionConflict(
            _("This subscription already has an extra discount of %(pct)s%%.") % {"pct": sub.extra_discount_pct},
            state=sub.state,
        )
    change = _new(subscription=sub, user=user, kind=ChangeRequest.Kind.EXTRA_DISCOUNT, reason=reason, discount_pct=pct)
    return file_change(change=change, approval_kind="realestate.extra_discount", value=pct)


def exchange_kind(*, old_unit: Unit, new_unit: Unit) -> str:
    """小面积换大面积由销售经理审批, 大面积换小面积由营销总监审批 (篇7 8.2.4); the same area goes
    to the sales manager (it is not a smaller unit)."""
    if new_unit.built_area < old_unit.built_area:
        return "realestate.exchange_smaller"
    return "realestate.exchange_larger"


@transaction.atomic
def change_exchange_request(*, user, subscription: Subscription, new_unit: Unit | None, reason: str) -> ChangeRequest:
    """换房 (篇7 8): before the formal contract; the new unit in the same project and available."""
    require_requester(user=user, subscription=subscription)
    errors: dict[str, list[str]] = {}
    reason = reason_clean(reason, errors)
    if new_unit is None or new_unit.project_id != subscription.project_id:
        errors["new_unit"] = [_("Choose a unit of the same project.")]
    elif new_unit.pk == subscription.unit_id:
        errors["new_unit"] = [_("Choose another unit.")]
    raise_if(errors)
    sub = lock_subscription(subscription)
    require_before_contract(sub, what=_("A unit exchange"))
    require_no_open_change(sub)
    new_unit = Unit.objects.select_related("building").get(pk=new_unit.pk)
    if new_unit.state != Unit.State.AVAILABLE:
        raise_if({"new_unit": [_("Unit %(unit)s is not available.") % {"unit": new_unit.label}]})
    change = _new(
        subscription=sub,
        user=user,
        kind=ChangeRequest.Kind.EXCHANGE,
        reason=reason,
        old_unit_id=sub.unit_id,
        new_unit=new_unit,
    )
    return file_change(
        change=change,
        approval_kind=exchange_kind(old_unit=sub.unit, new_unit=new_unit),
        payload={"new_unit": new_unit.pk},
    )


@transaction.atomic
def change_cancel_request(*, user, subscription: Subscription, reason: str, deductions=0) -> ChangeRequest:
    """退房 (篇7 9, 12): before the formal contract the marketing director approves; after it the
    marketing director and then the general manager. ``deductions`` are the agreed deductions
    (毁约扣款) finance takes off the refund. A handed-over unit is not cancelled here."""
    require_requester(user=user, subscription=subscription)
    errors: dict[str, list[str]] = {}
    reason = reason_clean(reason, errors)
    try:
        deductions_value = money(to_decimal(deductions or 0))
        if deductions_value < 0:
            errors["deductions"] = [_("The deductions cannot be negative.")]
    except (TypeError, ValueError):
        errors["deductions"] = [_("Not an amount.")]
        deductions_value = Decimal("0")
    raise_if(errors)
    sub = lock_subscription(subscription)
    contract = contract_of(sub)
    after_contract = contract is not None and contract.state in (Contract.State.SIGNED, Contract.State.FILED)
    live = sub.state in LIVE_SUBSCRIPTION_STATES or (sub.state == Subscription.State.CONTRACTED and after_contract)
    if not live:
        raise TransitionConflict(
            _("This subscription cannot be cancelled any more: it is “%(state)s”.") % {"state": sub.get_state_display()}
            + (" " + _("The unit was handed over.") if contract is not None else ""),
            state=sub.state,
        )
    require_no_open_change(sub)
    change = _new(
        subscription=sub,
        user=user,
        kind=ChangeRequest.Kind.CANCEL,
        reason=reason,
        after_contract=after_contract,
        after_filing=contract is not None and contract.state == Contract.State.FILED,
        deductions=deductions_value,
        old_unit_id=sub.unit_id,
    )
    kind = "realestate.cancel_after_contract" if after_contract else "realestate.cancel_before_contract"
    return file_change(change=change, approval_kind=kind)


@transaction.atomic
def change_delay_request(*, user, subscription: Subscription, days, keep_discount: bool, reason: str) -> ChangeRequest:
    """延期签约 (篇7 11): the days asked, keeping the subscription discount or losing it; sales
    manager 7 or 15 days, marketing director 15 or 30, general manager 30 or 60, beyond refused;
    delayed units at most 15 % of the project's units (both kinds share the quota)."""
    require_requester(user=user, subscription=subscription)
    errors: dict[str, list[str]] = {}
    reason = reason_clean(reason, errors)
    try:
        days_value = int(days)
        if days_value < 1:
            errors["days"] = [_("At least one day.")]
    except (TypeError, ValueError):
        errors["days"] = [_("Give a number of days.")]
        days_value = 0
    raise_if(errors)
    sub = lock_subscription(subscription)
    if sub.state != Subscription.State.APPROVED:
        raise TransitionConflict(
            _("Only a reviewed subscription waiting for its contract can be delayed; this one is “%(state)s”.")
            % {"state": sub.get_state_display()},
            state=sub.state,
        )
    require_no_open_change(sub)
    change = _new(
        subscription=sub,
        user=user,
        kind=ChangeRequest.Kind.DELAY,
        reason=reason,
        delay_days=days_value,
        keep_discount=bool(keep_discount),
    )
    kind = "realestate.delay_keep_discount" if keep_discount else "realestate.delay_lose_discount"
    try:
        return file_change(change=change, approval_kind=kind, value=days_value)
    except ValidationError as exc:
        # The matrix refuses days above every limit on "value"; the form's field is "days".
        if hasattr(exc, "error_dict") and "value" in exc.message_dict:
            raise ValidationError({"days": exc.message_dict["value"]}) from None
        raise
