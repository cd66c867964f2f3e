"""The contract page and its actions: draft from a reviewed subscription (the assistant), collect
(the cashier), sign (the sales manager, with the contract-documents checklist), the five copies,
the lent ID card and seal, filing, the loan and the handover."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from realestate import selectors, services
from realestate.models import ContractCopy, Custody, Invoice
from showroom import roles as r
from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict, transitions_available

from .common import checklist_row, error_text

STEP_LABELS = {
    "collect": gettext_lazy("Collect the payments and fees"),
    "sign": gettext_lazy("Sign (paper equals the approved record)"),
    "file": gettext_lazy("Record the filing"),
    "hand_over": gettext_lazy("Hand over the home"),
}


@login_required
def contract(request, pk: int):
    obj = selectors.contract_get_for_user(user=request.user, pk=pk)
    names = transitions_available(instance=obj, user=request.user)
    store_id = obj.store_id
    context = {
        "contract": obj,
        "lines": obj.payment_lines.all(),
        "copies": obj.copies.all(),
        "custody": obj.custody.all(),
        "receipts": obj.receipts.all(),
        "steps": [
            {"name": n, "label": STEP_LABELS[n]} for n in names if n in STEP_LABELS and n not in ("file", "hand_over")
        ],
        "may_file": "file" in names,
        "may_hand_over": "hand_over" in names and obj.handover_notice_at is not None,
        "may_notice": obj.state == "filed"
        and obj.handover_notice_at is None
        and has_role(request.user, store_id, (r.SALES_ASSISTANT, r.SALES_MANAGER)),
        "may_invoice": obj.state in ("filed", "handed_over")
        and has_role(request.user, store_id, (r.CASHIER, r.FINANCE)),
        "invoices": obj.invoices.all(),
        "invoice_kinds": Invoice.Kind.choices,
        "checklist": checklist_row(obj, "realestate.contract_documents") if obj.state == "collected" else None,
        "may_lend": has_role(request.user, store_id, (r.CONSULTANT, r.SALES_ASSISTANT)),
        "may_copies": has_role(request.user, store_id, (r.SALES_ASSISTANT, r.SALES_MANAGER)),
        "may_loan": has_role(request.user, store_id, r.CASHIER) and obj.state in ("signed", "filed"),
        "items": Custody.Item.choices,
    }
    return render(request, "realestate/contract.html", context)


def _run(request, func, **kwargs) -> None:
    try:
        func(user=request.user, **kwargs)
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))


@login_required
@require_POST
def contract_step(request, pk: int, name: str):
    obj = selectors.contract_get_for_user(user=request.user, pk=pk)
    post = request.POST
    if name == "collect":
        _run(request, services.contract_collect, contract=obj)
    elif name == "sign":
        _run(request, services.contract_sign, contract=obj)
    elif name == "file":
        _run(
            request,
            services.contract_file,
            contract=obj,
            filing_number=post.get("filing_number", ""),
            certificate=post.get("certificate", ""),
        )
    elif name == "hand_over":
        _run(
            request,
            services.contract_hand_over,
            contract=obj,
            guarantee_given=post.get("guarantee_given") == "on",
            manual_given=post.get("manual_given") == "on",
        )
    elif name == "notice":
        _run(request, services.contract_handover_notice, contract=obj)
    elif name == "invoice":
        _run(
            request,
            services.contract_invoice_issue,
            contract=obj,
            kind=post.get("kind", ""),
            number=post.get("number", ""),
        )
    elif name == "loan":
        try:
            on = dt.date.fromisoformat(post.get("on", ""))
        except ValueError:
            messages.error(request, _("Give the date the loan was disbursed."))
        else:
            _run(request, services.contract_loan_record, contract=obj, amount=post.get("amount", ""), on=on)
    elif name == "lend":
        _run(request, services.custody_take, contract=obj, item=post.get("item", ""))
    elif name == "return":
        row = obj.custody.filter(pk=post.get("custody") or 0, returned_at__isnull=True).first()
        if row is None:
            raise Http404
        _run(request, services.custody_return, custody=row)
    elif name == "copy":
        if post.get("holder") not in ContractCopy.Holder.values:
            raise Http404
        _run(request, services.contract_copy_deliver, contract=obj, holder=post["holder"])
    else:
        raise Http404
    return redirect("realestate:contract", obj.pk)


@login_required
@require_POST
def contract_new(request, pk: int):
    """The sales assistant drafts the contract of a reviewed subscription: full payment, or a down
    payment and a loan (with its bank)."""
    sub = selectors.subscription_get_for_user(user=request.user, pk=pk)
    post = request.POST
    schedule = [
        {"kind": kind, "amount": post.get(f"{kind}_amount", ""), "due_on": post.get(f"{kind}_due", "")}
        for kind in ("full_payment", "down_payment", "loan")
        if post.get(f"{kind}_amount")
    ]
    try:
        obj = services.contract_create(
            user=request.user, subscription=sub, schedule=schedule, loan_bank=post.get("loan_bank", "")
        )
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        return redirect("realestate:contract", obj.pk)
    return redirect("realestate:subscription", sub.pk)
