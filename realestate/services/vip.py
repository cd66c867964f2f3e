"""VIP pre-registration (认筹, 篇7 2) and its refund (解筹, 篇7 10): the consultant records the
pre-registration agreement, the cashier takes the payment with a receipt, the sales manager reviews
both, and only then the sales assistant issues the VIP card, numbered in one sequence per project
(the number sets the choosing order at the opening). A refund: the consultant applies, the sales
manager approves, the assistant takes back the card and the agreement, the cashier pays back
against the original receipt."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from realestate.models import Project, Receipt, VipCard
from showroom import roles as r
from showroom.money import money, to_decimal
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run

from ._common import require_role
from .cashier import receipt_refund, receipt_take
from .projects import project_require_sellable

VIP_DOC = "realestate.vip"


def _amount(value, *, field: str = "amount") -> Decimal:
    try:
        amount = money(to_decimal(value))
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Not an amount.")]}) from None
    if amount <= 0:
        raise ValidationError({field: [_("The amount must be above zero.")]})
    return amount


@transaction.atomic
def vip_record(*, user, project: Project, customer, amount, agreement_no: str) -> VipCard:
    """The consultant records the signed pre-registration agreement (认筹协议). Nothing may be
    reserved before the five permits are on file."""
    require_role(user=user, store_id=project.store_id, roles=(r.CONSULTANT,))
    errors: dict[str, list[str]] = {}
    try:
        value = _amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        value = Decimal("0")
    if not (agreement_no or "").strip():
        errors["agreement_no"] = [_("Give the pre-registration agreement's number.")]
    if customer is None or customer.store_id != project.store_id:
        errors["customer"] = [_("Choose a customer of this store.")]
    if errors:
        raise ValidationError(errors)
    project_require_sellable(project=project)
    return VipCard.objects.create(
        store_id=project.store_id,
        project=project,
        customer=customer,
        consultant=user,
        amount=value,
        agreement_no=agreement_no.strip()[:40],
    )


@transaction.atomic
def vip_pay(*, user, card: VipCard) -> VipCard:
    """The cashier takes the pre-registration payment with a receipt."""
    card = transition_run(instance=card, name="pay", user=user)
    receipt_take(
        user=user,
        project=card.project,
        customer=card.customer,
        kind=Receipt.Kind.VIP,
        amount=card.amount,
        vip_card=card,
    )
    return card


@transaction.atomic
def vip_review(*, user, card: VipCard, note: str = "") -> VipCard:
    """The sales manager reviews the agreement and the receipt and lets the card be issued."""
    return transition_run(instance=card, name="review", user=user, note=note)


@transaction.atomic
def vip_issue(*, user, card: VipCard) -> VipCard:
    """The sales assistant issues the card: the printable VIP card numbered in the project's own
    sequence (the core's numbering, scope "project:<id>"); its sequence is the choosing order at
    the opening."""
    card = transition_run(instance=card, name="issue", user=user)
    document = document_issue(doc_type=VIP_DOC, target=card, store=card.store, user=user)
    card.number = document.number
    card.sequence = int(document.number.rsplit("-", 1)[-1])
    card.save(update_fields=["number", "sequence"])
    return card


@transaction.atomic
def vip_refund_request(*, user, card: VipCard, reason: str) -> VipCard:
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    return transition_run(instance=card, name="request_refund", user=user, note=reason.strip())


@transaction.atomic
def vip_refund_approve(*, user, card: VipCard, note: str = "") -> VipCard:
    return transition_run(instance=card, name="approve_refund", user=user, note=note)


@transaction.atomic
def vip_take_back(*, user, card: VipCard) -> VipCard:
    """The sales assistant takes back the VIP card and the pre-registration agreement."""
    require_role(user=user, store_id=card.store_id, roles=(r.SALES_ASSISTANT,))
    card = VipCard.objects.select_for_update().get(pk=card.pk)
    if card.state != VipCard.State.REFUND_APPROVED:
        raise TransitionConflict(_("The card is taken back once the refund is approved."), state=card.state)
    card.card_returned = True
    card.save(update_fields=["card_returned"])
    return card


@transaction.atomic
def vip_refund(*, user, card: VipCard) -> Receipt:
    """The cashier pays back against the original receipt (taken back), after the card and the
    agreement are back."""
    if not VipCard.objects.filter(pk=card.pk, card_returned=True).exists():
        raise TransitionConflict(_("Take back the VIP card and the agreement first."), state=card.state)
    card = transition_run(instance=card, name="refund", user=user)
    original = card.receipts.filter(kind=Receipt.Kind.VIP, refund_of__isnull=True).order_by("pk").first()
    if original is None:
        raise TransitionConflict(_("No receipt to refund."), state=card.state)
    return receipt_refund(user=user, receipt=original)
