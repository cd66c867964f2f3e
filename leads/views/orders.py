"""Order pages: the list and the order page with its timeline, steps (deposit with its receipt,
allocation of a VIN, invoice, balance, ready for delivery, cancel behind a confirmation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leads.models import Order, Payment
from leads.selectors_sales import order_get, order_list
from leads.services.orders import (
    order_allocate,
    order_cancel,
    order_deposit_take,
    order_invoice,
    order_make_ready,
    order_pay,
    refund_due,
)
from leads.services.quotes import car_serials_in_stock
from leads.views._helpers import date_or_none, error_text, int_or_none
from showroom.exports import export_response
from showroom.selectors.timeline import timeline_for
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context

PAGE_SIZE = 25


@require_GET
@login_required
def order_list_view(request):
    if request.store is None:
        raise PermissionDenied(_("You hold no role in any store."))
    state = request.GET.get("state", "")
    state = state if state in Order.State.values else ""
    qs = order_list(
        user=request.user,
        store_id=request.store.pk,
        state=state,
        consultant_id=int_or_none(request.GET.get("consultant")),
        created_from=date_or_none(request.GET.get("created_from")),
        created_to=date_or_none(request.GET.get("created_to")),
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        headers = [_("Quote"), _("Customer"), _("Vehicle"), _("VIN"), _("State"), _("Total"), _("Paid")]
        rows = (
            [
                o.quote.number,
                o.lead.customer.name,
                str(o.quote.trim_colour),
                o.vin,
                o.get_state_display(),
                o.total,
                o.paid,
            ]
            for o in qs
        )
        return export_response(export, "orders", headers, rows)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "leads/orders/list.html",
        {"page": page, "state": state, "states": Order.State.choices, "filtered": bool(state)},
    )


def _context(request, order: Order) -> dict:
    names = transitions_available(instance=order, user=request.user)
    payments = list(order.payments.all())
    return {
        "order": order,
        "quote": order.quote,
        "customer": order.lead.customer,
        "names": names,
        "payments": payments,
        "methods": Payment.Method.choices,
        "vins": car_serials_in_stock(trim_colour=order.quote.trim_colour) if "allocate" in names else [],
        "refund": refund_due(order=order) if "cancel" in names else None,
        "timeline": timeline_for(target=order),
        **(documents_panel_context(user=request.user, target=payments[0]) if payments else {}),
    }


@require_GET
@login_required
def order_detail_view(request, pk):
    order = order_get(user=request.user, pk=pk)
    return render(request, "leads/orders/detail.html", _context(request, order))


STEPS = {
    "deposit": lambda o, u, p: order_deposit_take(
        order=o, user=u, method=p.get("method", ""), amount=p.get("amount") or None, reference=p.get("reference", "")
    ),
    "allocate": lambda o, u, p: order_allocate(order=o, user=u, vin=p.get("vin", "")),
    "invoice": lambda o, u, p: order_invoice(
        order=o,
        user=u,
        invoice_number=p.get("invoice_number", ""),
        invoice_date=parse_date(p.get("invoice_date") or ""),
    ),
    "pay": lambda o, u, p: order_pay(
        order=o, user=u, method=p.get("method", ""), amount=p.get("amount", ""), reference=p.get("reference", "")
    ),
    "ready": lambda o, u, p: order_make_ready(order=o, user=u),
    "cancel": lambda o, u, p: order_cancel(order=o, user=u, reason=p.get("reason", "")),
}
DONE = {
    "deposit": _("Deposit taken; the receipt is being prepared."),
    "allocate": _("Car allocated."),
    "invoice": _("Invoice recorded."),
    "pay": _("Paid in full."),
    "ready": _("Ready for delivery."),
    "cancel": _("Order cancelled."),
}


@require_POST
@login_required
def order_step_view(request, pk, name):
    order = order_get(user=request.user, pk=pk)
    step = STEPS.get(name)
    if step is None:
        messages.error(request, _("Unknown step."))
        return redirect("leads:order", order.pk)
    try:
        step(order, request.user, request.POST)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        context = _context(request, order_get(user=request.user, pk=pk))
        return render(request, "leads/orders/detail.html", context, status=400)
    except (TransitionConflict, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect("leads:order", order.pk)
    messages.success(request, str(DONE[name]))
    return redirect("leads:order", order.pk)
