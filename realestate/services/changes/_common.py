"""What the change services share: the windows of 篇7 (before / after the formal contract), one
open change per subscription, filing the approval request."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from realestate.models import ChangeRequest, Contract, Subscription
from realestate.models.sales import LIVE_SUBSCRIPTION_STATES
from realestate.models.units import SELLERS
from showroom.services.approvals import approval_request_create
from showroom.services.transitions import TransitionConflict

from .._common import project_scope, require_role

OPEN_STATES = (ChangeRequest.State.PENDING, ChangeRequest.State.APPROVED)


def lock_subscription(subscription: Subscription) -> Subscription:
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("project", "unit__building")
        .get(pk=subscription.pk)
    )


def contract_of(subscription: Subscription) -> Contract | None:
    return Contract.objects.filter(subscription=subscription).exclude(state=Contract.State.CANCELLED).first()


def require_before_contract(subscription: Subscription, *, what: str) -> None:
    """Rename, extra discount and exchange happen at the subscription stage only (篇7 6.1, 7.1,
    8.1: 客户已签定正式合同时, 不允许). A drawn-up contract already carries the buyer, the unit and
    the price, so it closes the window too."""
    if subscription.state not in LIVE_SUBSCRIPTION_STATES or contract_of(subscription) is not None:
        raise TransitionConflict(
            _("%(what)s is only possible before the formal contract; this subscription is “%(state)s”.")
            % {"what": what, "state": subscription.get_state_display()}
            + ("" if contract_of(subscription) is None else " " + _("A contract is already drawn up.")),
            state=subscription.state,
        )


def require_no_open_change(subscription: Subscription) -> None:
    open_change = ChangeRequest.objects.filter(subscription=subscription, state__in=OPEN_STATES).first()
    if open_change is not None:
        raise TransitionConflict(
            _("%(change)s is still open on this subscription; finish it first.") % {"change": str(open_change)},
            state=open_change.state,
        )


def require_requester(*, user, subscription: Subscription) -> None:
    require_role(user=user, store_id=subscription.store_id, roles=SELLERS)


def file_change(
    *, change: ChangeRequest, approval_kind: str, value: Decimal | int = 0, payload: dict | None = None
) -> ChangeRequest:
    """Save the change and file its approval; the matrix routes it by value (a value above every
    limit is refused with the field ``value``, which the forms show on their own field)."""
    change.save()
    approval = approval_request_create(
        target=change,
        kind=approval_kind,
        store=change.store,
        requester=change.requested_by,
        reason=change.reason,
        value=value,
        quota_scope=project_scope(change.project_id),
        payload={"subscription": change.subscription_id, **(payload or {})},
    )
    change.approval = approval
    change.save(update_fields=["approval"])
    return change


def change_of_approval(request) -> ChangeRequest | None:
    """The change request an approval decides, locked; None when the approval of a change kind is
    about something else (a kind may be requested for other records, as the core's tests do)."""
    ct = ContentType.objects.get_for_model(ChangeRequest)
    if request.content_type_id != ct.pk:
        return None
    return ChangeRequest.objects.select_for_update().get(pk=request.object_id)


def reason_clean(reason: str, errors: dict) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Give a reason for the request.")]
    return reason[:300]


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
