"""Pages of the warehouse's documents: purchase orders, goods receipts with their inspection,
transfers and other receipts. Each record page shows the steps this user may run now as
buttons; a step posts to ``transition_view`` which calls the one service for it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from showroom.exports import list_export
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context
from warehouse import exports as _exports  # noqa: F401  (registers the lists' exports)
from warehouse import selectors
from warehouse.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrder, Transfer
from warehouse.services import (
    goods_receipt_approve,
    goods_receipt_cancel,
    goods_receipt_open_slip,
    other_receipt_approve,
    other_receipt_cancel,
    purchase_order_approve,
    purchase_order_cancel,
    receipt_line_inspect,
    transfer_cancel,
    transfer_dispatch,
    transfer_receive,
)
from warehouse.views.stock import member_required

DANGER = {"cancel"}


def _list(request, *, rows, template: str, states, export: str):
    member_required(request)
    state = request.GET.get("state", "")
    if state in dict(states):
        rows = rows.filter(state=state)
    rows = rows.order_by("-created_at", "-id")
    response = list_export(request, code=export, queryset=rows)
    if response is not None:
        return response
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, template, {"page": page, "states": states, "state": state})


def _buttons(instance, user) -> list[dict]:
    names = transitions_available(instance=instance, user=user)
    return [
        {
            "name": name,
            "label": _label(name),
            "danger": name in DANGER,
        }
        for name in names
        if name != "finish_inspection"
    ]


def _label(name: str) -> str:
    return {
        "approve": _("Approve"),
        "cancel": _("Cancel"),
        "open_slip": _("Open the receipt slip"),
        "dispatch": _("Confirm and dispatch"),
        "receive": _("Confirm and sign"),
        "close": _("Close"),
    }.get(name, name)


@require_GET
@login_required
def orders_view(request):
    return _list(
        request,
        rows=selectors.purchase_order_list(user=request.user),
        template="warehouse/orders.html",
        states=PurchaseOrder.State.choices,
        export="warehouse.purchase_orders",
    )


@require_GET
@login_required
def order_view(request, pk):
    member_required(request)
    try:
        order = selectors.purchase_order_get(user=request.user, pk=pk)
    except PurchaseOrder.DoesNotExist as exc:
        raise Http404 from exc
    context = {"order": order, "buttons": _buttons(order, request.user), "kind": "order"}
    return render(request, "warehouse/order.html", context | documents_panel_context(user=request.user, target=order))


@require_GET
@login_required
def receipts_view(request):
    return _list(
        request,
        rows=selectors.goods_receipt_list(user=request.user),
        template="warehouse/receipts.html",
        states=GoodsReceipt.State.choices,
        export="warehouse.goods_receipts",
    )


@require_GET
@login_required
def receipt_view(request, pk):
    member_required(request)
    try:
        receipt = selectors.goods_receipt_get(user=request.user, pk=pk)
    except GoodsReceipt.DoesNotExist as exc:
        raise Http404 from exc
    from showroom import roles as r
    from showroom.permissions import has_role

    context = {
        "receipt": receipt,
        "lines": list(receipt.lines.all()),
        "buttons": _buttons(receipt, request.user),
        "kind": "receipt",
        "may_inspect": receipt.state == GoodsReceipt.State.INSPECTION
        and has_role(request.user, receipt.store_id, r.QC_INSPECTOR),
    }
    return render(
        request, "warehouse/receipt.html", context | documents_panel_context(user=request.user, target=receipt)
    )


@require_POST
@login_required
def inspect_view(request, pk, line_pk):
    member_required(request)
    try:
        receipt = selectors.goods_receipt_list(user=request.user).get(pk=pk)
        line = receipt.lines.get(pk=line_pk)
    except (GoodsReceipt.DoesNotExist, GoodsReceiptLine.DoesNotExist) as exc:
        raise Http404 from exc
    post = request.POST
    try:
        receipt_line_inspect(
            line=line,
            user=request.user,
            packaging_damaged=post.get("packaging_damaged") == "on",
            sample_size=post.get("sample_size") or None,
            failed_quantity=post.get("failed_quantity") or 0,
            failed_serials=[s for s in (post.get("failed_serials") or "").replace(",", " ").split() if s],
            defects=post.get("defects", ""),
        )
        messages.success(request, _("Inspection recorded."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (TransitionConflict, PermissionDenied) as exc:
        messages.error(request, str(getattr(exc, "message", "") or exc) or _("You are not allowed to do this."))
    return redirect("warehouse:receipt", pk=receipt.pk)


@require_GET
@login_required
def transfers_view(request):
    return _list(
        request,
        rows=selectors.transfer_list(user=request.user),
        template="warehouse/transfers.html",
        states=Transfer.State.choices,
        export="warehouse.transfers",
    )


@require_GET
@login_required
def transfer_view(request, pk):
    member_required(request)
    try:
        transfer = selectors.transfer_get(user=request.user, pk=pk)
    except Transfer.DoesNotExist as exc:
        raise Http404 from exc
    context = {
        "transfer": transfer,
        "lines": list(transfer.lines.all()),
        "buttons": _buttons(transfer, request.user),
        "kind": "transfer",
    }
    return render(
        request, "warehouse/transfer.html", context | documents_panel_context(user=request.user, target=transfer)
    )


@require_GET
@login_required
def other_receipts_view(request):
    member_required(request)
    rows = selectors.other_receipt_list(user=request.user).order_by("-created_at", "-id")
    response = list_export(request, code="warehouse.other_receipts", queryset=rows)
    if response is not None:
        return response
    page = Paginator(rows.prefetch_related("lines__item"), 25).get_page(request.GET.get("page"))
    items = [(receipt, _buttons(receipt, request.user)) for receipt in page.object_list]
    return render(request, "warehouse/other_receipts.html", {"page": page, "items": items})


SERVICES = {
    "order": (
        selectors.purchase_order_list,
        "order",
        {"approve": purchase_order_approve, "cancel": purchase_order_cancel},
    ),
    "receipt": (
        selectors.goods_receipt_list,
        "receipt",
        {"open_slip": goods_receipt_open_slip, "approve": goods_receipt_approve, "cancel": goods_receipt_cancel},
    ),
    "transfer": (
        selectors.transfer_list,
        "transfer",
        {"dispatch": transfer_dispatch, "receive": transfer_receive, "cancel": transfer_cancel},
    ),
    "other": (
        selectors.other_receipt_list,
        "receipt",
        {"approve": other_receipt_approve, "cancel": other_receipt_cancel},
    ),
}
BACK = {"order": "warehouse:order", "receipt": "warehouse:receipt", "transfer": "warehouse:transfer"}


@require_POST
@login_required
def transition_view(request, kind, pk, name):
    member_required(request)
    if kind not in SERVICES or name not in SERVICES[kind][2]:
        raise Http404
    select, key, services = SERVICES[kind]
    instance = select(user=request.user).filter(pk=pk).first()
    if instance is None:
        raise Http404
    extra = {}
    if kind == "transfer" and name in ("dispatch", "receive"):
        extra["confirmed"] = request.POST.getlist("confirmed")
    try:
        services[name](**{key: instance}, user=request.user, note=request.POST.get("note", "")[:2000], **extra)
        messages.success(request, _("Done."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (TransitionConflict, PermissionDenied) as exc:
        messages.error(request, str(getattr(exc, "message", "") or exc) or _("You are not allowed to do this."))
    if kind == "other":
        return redirect("warehouse:other_receipts")
    return redirect(BACK[kind], pk=pk)
