"""Pages of the real-estate site: projects, the live sales-control grid, the unit panel with the
subscription form, subscriptions, contracts and the cashier's day. Views parse input, call one
service and render; the rules are in ``realestate.services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from realestate import exports as _exports  # noqa: F401  (registers the lists' exports)
from realestate import selectors, services
from realestate.models import CashierDay, Contract, PriceList, Receipt, Subscription, Unit
from realestate.models.units import SELLERS
from showroom import roles as r
from showroom.exports import list_export
from showroom.permissions import has_role, store_ids_for
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.customers import customer_create
from showroom.services.transitions import TransitionConflict, transitions_available

STEP_SERVICES = {
    "issue_slip": services.subscription_issue_slip,
    "pay": services.subscription_pay,
    "approve": services.subscription_approve,
}
STEP_LABELS = {
    "issue_slip": _("Check the unit and issue the payment slip"),
    "pay": _("Take the deposit"),
    "approve": _("Review and approve"),
    "cancel": _("Cancel"),
}


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(str(m) for m in exc.messages)


@login_required
def projects(request):
    rows = list(selectors.projects_for_user(user=request.user))
    if len(rows) == 1:
        return redirect("realestate:grid", rows[0].pk)
    may_create = bool(store_ids_for(request.user, r.SALES_MANAGER))
    return render(request, "realestate/projects.html", {"projects": rows, "may_create": may_create})


def _stamp(project) -> str:
    latest = Unit.objects.filter(project=project).aggregate(m=Max("changed_at"))["m"]
    return latest.isoformat() if latest else ""


@login_required
def grid(request, project_id: int):
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    context = {
        "project": project,
        **selectors.grid_build(project=project),
        "stamp": _stamp(project),
        "problems": services.project_sale_problems(project=project),
    }
    return render(request, "realestate/grid.html", context)


@login_required
def grid_live(request, project_id: int):
    """The grid's body, polled by htmx: 204 (nothing to swap) while no unit changed."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    stamp = _stamp(project)
    if request.GET.get("v", "") == stamp:
        return HttpResponse(status=204)
    context = {"project": project, **selectors.grid_build(project=project), "stamp": stamp}
    return render(request, "realestate/_grid.html", context)


@login_required
def unit_panel(request, unit_id: int):
    unit = selectors.unit_get_for_user(user=request.user, unit_id=unit_id)
    live = (
        unit.subscriptions.filter(state__in=["requested", "slip_issued", "paid", "approved"])
        .select_related("customer")
        .first()
    )
    context = {
        "unit": unit,
        "live": live,
        "may_sell": has_role(request.user, unit.store_id, SELLERS) and unit.state == Unit.State.AVAILABLE,
        "may_hold": has_role(request.user, unit.store_id, r.SALES_MANAGER),
        "methods": PriceList.Method.choices,
    }
    template = "realestate/_unit.html" if request.headers.get("HX-Request") else "realestate/unit.html"
    return render(request, template, context)


@login_required
@require_POST
def unit_subscribe(request, unit_id: int):
    unit = selectors.unit_get_for_user(user=request.user, unit_id=unit_id)
    mobile = request.POST.get("mobile", "")
    customer = customer_find_by_mobile(store=unit.store_id, mobile=mobile)
    try:
        if customer is None:
            customer = customer_create(
                user=request.user,
                store=unit.store,
                name=request.POST.get("name", ""),
                mobile=mobile,
                consent_given=request.POST.get("consent") == "on",
            )
        sub = services.subscription_create(
            user=request.user,
            unit=unit,
            customer=customer,
            payment_method=request.POST.get("payment_method", ""),
            deposit=request.POST.get("deposit", ""),
        )
    except PermissionDenied:
        raise
    except TransitionConflict as exc:
        return render(request, "realestate/_refusal.html", {"message": exc.message}, status=409)
    except ValidationError as exc:
        return render(request, "realestate/_refusal.html", {"message": _error_text(exc)}, status=400)
    sub_url = reverse("realestate:subscription", args=[sub.pk])
    if not request.headers.get("HX-Request"):
        return redirect(sub_url)
    response = HttpResponse(status=204)
    response["HX-Redirect"] = sub_url
    return response


@login_required
@require_POST
def unit_hold(request, unit_id: int):
    unit = selectors.unit_get_for_user(user=request.user, unit_id=unit_id)
    action = services.unit_release if unit.state == Unit.State.HELD else services.unit_hold
    try:
        action(user=request.user, unit=unit)
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    return redirect("realestate:grid", unit.project_id)


@login_required
def subscriptions(request):
    get = request.GET

    def number(key):
        value = get.get(key, "")
        return int(value) if value.isdigit() else None

    def day(key):
        try:
            value = dt.date.fromisoformat(get.get(key, ""))
        except ValueError:
            return None
        return timezone.make_aware(dt.datetime.combine(value, dt.time.min))

    rows = selectors.subscriptions_for_user(
        user=request.user,
        state=get.get("state", ""),
        overdue=get.get("overdue") == "1",
        consultant_id=number("consultant"),
        building_id=number("building"),
        reviewed_from=day("from"),
        reviewed_to=day("to"),
    )
    if (export := list_export(request, code="realestate.subscriptions", queryset=rows)) is not None:
        return export
    page = Paginator(rows, 25).get_page(get.get("page"))
    return render(request, "realestate/subscriptions.html", {"page": page, "states": Subscription.State.choices})


@login_required
def subscription(request, pk: int):
    sub = selectors.subscription_get_for_user(user=request.user, pk=pk)
    names = transitions_available(instance=sub, user=request.user)
    buttons = [{"name": n, "label": STEP_LABELS.get(n, n), "danger": n == "cancel"} for n in names if n in STEP_LABELS]
    contract = Contract.objects.filter(subscription=sub).first()
    may_draft = (
        contract is None
        and sub.state == Subscription.State.APPROVED
        and has_role(request.user, sub.store_id, r.SALES_ASSISTANT)
    )
    return render(
        request,
        "realestate/subscription.html",
        {
            "sub": sub,
            "buttons": buttons,
            "receipts": sub.receipts.all(),
            "contract": contract,
            "may_draft": may_draft,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def subscription_step(request, pk: int, name: str):
    sub = selectors.subscription_get_for_user(user=request.user, pk=pk)
    try:
        if name == "cancel":
            services.subscription_cancel(user=request.user, subscription=sub, reason=request.POST.get("reason", ""))
        elif name in STEP_SERVICES:
            STEP_SERVICES[name](user=request.user, subscription=sub)
        else:
            return HttpResponse(status=404)
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("realestate:subscription", sub.pk)


@login_required
def cashier(request):
    store_ids = store_ids_for(request.user, (r.CASHIER, r.FINANCE, r.SALES_MANAGER))
    if not store_ids:
        raise PermissionDenied
    today = timezone.localdate()
    rows = Receipt.objects.filter(store_id__in=store_ids, day=today).select_related("customer", "project")
    reports = CashierDay.objects.filter(store_id__in=store_ids).order_by("-day")[:14]
    totals = {sid: services.cashier_day_totals(store_id=sid, day=today) for sid in store_ids}
    return render(
        request,
        "realestate/cashier.html",
        {"rows": rows, "reports": reports, "totals": totals, "today": today, "store_ids": store_ids},
    )


@login_required
@require_POST
def cashier_hand_over(request, store_id: int):
    from showroom.models import Store

    store = Store.objects.filter(pk=store_id, pk__in=store_ids_for(request.user)).first()
    if store is None:
        raise PermissionDenied
    try:
        services.cashier_day_hand_over(user=request.user, store=store, day=timezone.localdate())
        messages.success(request, _("The day's report was handed over to finance."))
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    return redirect("realestate:cashier")
