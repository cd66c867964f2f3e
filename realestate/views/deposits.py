"""VIP pre-registration and small deposits of a project: the list with each record's next step,
the VIP agreement form (consultant) and the small-deposit form (on the unit panel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from realestate import selectors, services
from realestate.models.units import SELLERS
from showroom import roles as r
from showroom.permissions import has_role
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.transitions import TransitionConflict, transitions_available

from .common import error_text

VIP_STEPS = {
    "pay": (services.vip_pay, gettext_lazy("Take the payment")),
    "review": (services.vip_review, gettext_lazy("Review")),
    "issue": (services.vip_issue, gettext_lazy("Issue the card")),
    "request_refund": (None, gettext_lazy("Apply for a refund")),
    "approve_refund": (services.vip_refund_approve, gettext_lazy("Approve the refund")),
    "take_back": (services.vip_take_back, gettext_lazy("Card and agreement taken back")),
    "refund": (services.vip_refund, gettext_lazy("Refund against the receipt")),
}
DEPOSIT_STEPS = {
    "record": (services.small_deposit_record, gettext_lazy("Record")),
    "review": (services.small_deposit_review, gettext_lazy("Review")),
    "pay": (services.small_deposit_pay, gettext_lazy("Take the money")),
}


def _vip_buttons(card, user) -> list[dict]:
    names = transitions_available(instance=card, user=user)
    if card.state == card.State.REFUND_APPROVED and not card.card_returned:
        names = [n for n in names if n != "refund"]
        if has_role(user, card.store_id, r.SALES_ASSISTANT):
            names.append("take_back")
    return [{"name": n, "label": VIP_STEPS[n][1]} for n in names if n in VIP_STEPS]


@login_required
def deposits(request, project_id: int):
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    cards = list(selectors.vip_cards_for_user(user=request.user, project_id=project.pk))
    small = list(selectors.small_deposits_for_user(user=request.user, project_id=project.pk))
    for card in cards:
        card.buttons = _vip_buttons(card, request.user)
    for row in small:
        row.buttons = [
            {"name": n, "label": DEPOSIT_STEPS[n][1]}
            for n in transitions_available(instance=row, user=request.user)
            if n in DEPOSIT_STEPS
        ]
    context = {
        "project": project,
        "cards": cards,
        "small": small,
        "may_record": has_role(request.user, project.store_id, r.CONSULTANT),
    }
    return render(request, "realestate/deposits.html", context)


@login_required
@require_POST
def vip_new(request, project_id: int):
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    customer = customer_find_by_mobile(store=project.store_id, mobile=request.POST.get("mobile", ""))
    try:
        services.vip_record(
            user=request.user,
            project=project,
            customer=customer,
            amount=request.POST.get("amount", ""),
            agreement_no=request.POST.get("agreement_no", ""),
        )
        messages.success(request, gettext_lazy("Pre-registration recorded: the cashier takes the payment."))
    except (ValidationError, TransitionConflict) as exc:
        messages.error(request, exc.message if isinstance(exc, TransitionConflict) else error_text(exc))
    return redirect("realestate:deposits", project.pk)


@login_required
@require_POST
def vip_step(request, pk: int, name: str):
    card = selectors.vip_cards_for_user(user=request.user).filter(pk=pk).first()
    if card is None or name not in VIP_STEPS:
        raise Http404
    try:
        if name == "request_refund":
            services.vip_refund_request(user=request.user, card=card, reason=request.POST.get("reason", ""))
        else:
            VIP_STEPS[name][0](user=request.user, card=card)
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:deposits", card.project_id)


@login_required
@require_POST
def small_deposit_new(request, unit_id: int):
    unit = selectors.unit_get_for_user(user=request.user, unit_id=unit_id)
    if not has_role(request.user, unit.store_id, SELLERS):
        raise Http404
    customer = customer_find_by_mobile(store=unit.store_id, mobile=request.POST.get("mobile", ""))
    try:
        services.small_deposit_apply(
            user=request.user, unit=unit, customer=customer, amount=request.POST.get("amount", "")
        )
        messages.success(request, gettext_lazy("Small deposit applied: the unit shows it now."))
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:deposits", unit.project_id)


@login_required
@require_POST
def small_deposit_step(request, pk: int, name: str):
    row = selectors.small_deposits_for_user(user=request.user).filter(pk=pk).first()
    if row is None or name not in DEPOSIT_STEPS:
        raise Http404
    try:
        DEPOSIT_STEPS[name][0](user=request.user, deposit=row)
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:deposits", row.project_id)
