"""Pages of the changes: the section on the subscription page (loaded by htmx), the subscription's
change forms (rename, extra discount, exchange, cancellation, delay; each with its field errors),
the change list and the people's steps after an approval. The rules are in
``realestate.services.changes``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from realestate import selectors
from realestate.api.changes import change_request_dispatch
from realestate.models import ChangeRequest, Unit
from realestate.models.units import SELLERS
from realestate.selectors.changes import change_get_for_user, changes_for_user
from realestate.services import changes as ch
from showroom.permissions import has_role
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.transitions import TransitionConflict

from .common import error_text

KINDS = [k for k, _label in ChangeRequest.Kind.choices]
STEPS = {
    "swap_receipts": lambda *, user, change, post: ch.change_receipts_swap(user=user, change=change),
    "bureau": lambda *, user, change, post: ch.cancellation_bureau_record(
        user=user,
        change=change,
        waiver_signed=post.get("waiver_signed") == "on",
        filing_cancel_number=post.get("filing_cancel_number", ""),
    ),
    "compute_refund": lambda *, user, change, post: ch.cancellation_refund_compute(user=user, change=change),
    "pay_refund": lambda *, user, change, post: ch.cancellation_refund_pay(user=user, change=change),
}


def _forms_context(request, sub, *, errors=None, kind="", values=None) -> dict:
    return {
        "sub": sub,
        "changes": changes_for_user(user=request.user, subscription_id=sub.pk),
        "may_request": has_role(request.user, sub.store_id, SELLERS),
        "units": Unit.objects.filter(project_id=sub.project_id, state=Unit.State.AVAILABLE).select_related("building"),
        "errors": errors or {},
        "error_kind": kind,
        "values": values or {},
    }


@login_required
def subscription_changes_section(request, pk: int):
    sub = selectors.subscription_get_for_user(user=request.user, pk=pk)
    return render(request, "realestate/changes/_section.html", _forms_context(request, sub))


@login_required
def subscription_changes(request, pk: int):
    sub = selectors.subscription_get_for_user(user=request.user, pk=pk)
    return render(request, "realestate/changes/subscription.html", _forms_context(request, sub))


@login_required
@require_POST
def change_new(request, pk: int, kind: str):
    if kind not in KINDS:
        raise Http404
    sub = selectors.subscription_get_for_user(user=request.user, pk=pk)
    post = request.POST
    data = {
        "subscription": sub.pk,
        "kind": kind,
        "reason": post.get("reason", ""),
        "percent": post.get("percent"),
        "days": post.get("days"),
        "keep_discount": post.get("keep_discount", "1") == "1",
        "deductions": post.get("deductions") or 0,
    }
    errors: dict = {}
    try:
        if kind == ChangeRequest.Kind.RENAME:
            mobile = post.get("mobile", "").strip()
            customer = customer_find_by_mobile(store=sub.store_id, mobile=mobile) if mobile else None
            if customer is None:
                raise ValidationError({"new_customer": [_("No customer of this store has this mobile.")]})
            data["new_customer"] = customer.pk
        if kind == ChangeRequest.Kind.EXCHANGE:
            data["new_unit"] = int(post.get("new_unit") or 0)
        change_request_dispatch(user=request.user, data=data)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"form": exc.messages}
    except TransitionConflict as exc:
        context = _forms_context(request, sub, errors={"form": [exc.message]}, kind=kind, values=post)
        return render(request, "realestate/changes/subscription.html", context, status=409)
    if errors:
        context = _forms_context(request, sub, errors=errors, kind=kind, values=post)
        return render(request, "realestate/changes/subscription.html", context, status=400)
    messages.success(request, _("The request is filed; it waits for approval."))
    return redirect("realestate:subscription", sub.pk)


@login_required
def change_list(request):
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    rows = changes_for_user(user=request.user, state=state, kind=kind)[:200]
    return render(
        request,
        "realestate/changes/list.html",
        {
            "rows": rows,
            "states": ChangeRequest.State.choices,
            "kinds": ChangeRequest.Kind.choices,
            "state": state,
            "kind": kind,
        },
    )


@login_required
@require_POST
def change_step(request, pk: int, name: str):
    if name not in STEPS:
        raise Http404
    change = change_get_for_user(user=request.user, pk=pk)
    try:
        STEPS[name](user=request.user, change=change, post=request.POST)
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:subscription_changes", change.subscription_id)
