"""Project set-up pages (the sales manager; the assistant uploads permits): a new project, its
permits, buildings and units, versioned price lists sent for approval, and the opening."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from realestate import selectors, services
from realestate.models import AgreementTemplate, Permit, PriceList, Unit
from realestate.selectors.agreements import agreement_templates_for_project, agreement_templates_in_force
from showroom import roles as r
from showroom.permissions import has_role, store_ids_for
from showroom.selectors.stores import store_get_for_user
from showroom.services.transitions import TransitionConflict

from .common import checklist_row, error_text

SETUP_ROLES = (r.SALES_MANAGER, r.SALES_ASSISTANT, r.MARKETING_DIRECTOR, r.GENERAL_MANAGER)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _project_for_setup(request, project_id: int):
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    if not has_role(request.user, project.store_id, SETUP_ROLES):
        raise PermissionDenied
    return project


@login_required
def project_new(request):
    store_ids = store_ids_for(request.user, r.SALES_MANAGER)
    if not store_ids:
        raise PermissionDenied
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        store = store_get_for_user(user=request.user, store_id=request.POST.get("store") or store_ids[0])
        try:
            project = services.project_create(
                user=request.user,
                store=store,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                address=request.POST.get("address", ""),
                fund_bank=request.POST.get("fund_bank", ""),
                fund_account_name=request.POST.get("fund_account_name", ""),
                fund_account_no=request.POST.get("fund_account_no", ""),
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Project created: add its buildings and permits."))
            return redirect("realestate:setup", project.pk)
    from showroom.models import Store

    stores = Store.objects.filter(pk__in=store_ids)
    return render(request, "realestate/project_new.html", {"stores": stores, "values": values})


@login_required
def project_setup(request, project_id: int):
    project = _project_for_setup(request, project_id)
    permits = list(project.permits.prefetch_related("buildings"))
    buildings = selectors.buildings_with_unit_counts(project=project)
    price_lists = list(project.price_lists.prefetch_related("bases__building").select_related("created_by"))
    context = {
        "project": project,
        "permits": permits,
        "permit_kinds": Permit.Kind.choices,
        "buildings": buildings,
        "price_lists": price_lists,
        "current": selectors.price_list_in_force(project=project),
        "texts": list(agreement_templates_for_project(project=project)),
        "texts_in_force": set(agreement_templates_in_force(project_id=project.pk).values()),
        "text_kinds": AgreementTemplate.Kind.choices,
        "problems": services.project_sale_problems(project=project),
        "notice": checklist_row(project, "realestate.public_notice"),
        "orientations": Unit.Orientation.choices,
        "uses": Unit.Use.choices,
        "methods": PriceList.Method.choices,
        "is_manager": has_role(request.user, project.store_id, r.SALES_MANAGER),
    }
    return render(request, "realestate/setup.html", context)


@login_required
@require_POST
def permit_new(request, project_id: int):
    project = _project_for_setup(request, project_id)
    ids = [i for i in (_int(v) for v in request.POST.getlist("buildings")) if i]
    try:
        services.permit_record(
            user=request.user,
            project=project,
            kind=request.POST.get("kind", ""),
            number=request.POST.get("number", ""),
            issued_on=_date(request.POST.get("issued_on", "")),
            scan=request.FILES.get("scan"),
            max_price_per_m2=request.POST.get("max_price_per_m2", ""),
            buildings=list(project.buildings.filter(pk__in=ids)) if ids else [],
        )
        messages.success(request, _("Permit recorded."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:setup", project.pk)


@login_required
@require_POST
def building_new(request, project_id: int):
    project = _project_for_setup(request, project_id)
    try:
        services.building_create(
            user=request.user,
            project=project,
            name=request.POST.get("name", ""),
            floors=_int(request.POST.get("floors")),
            units_per_floor=_int(request.POST.get("units_per_floor")),
            built_area=request.POST.get("built_area", ""),
            inner_area=request.POST.get("inner_area", ""),
            layout=request.POST.get("layout", ""),
            orientations=request.POST.getlist("orientations"),
            use=request.POST.get("use", Unit.Use.RESIDENTIAL),
        )
        messages.success(request, _("Building and units created."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:setup", project.pk)


@login_required
@require_POST
def price_list_new(request, project_id: int):
    project = _project_for_setup(request, project_id)
    post = request.POST
    try:
        price_list = services.price_list_create(
            user=request.user,
            project=project,
            effective_from=_date(post.get("effective_from", "")),
            bases={b.pk: post.get(f"base_{b.pk}") for b in project.buildings.all() if post.get(f"base_{b.pk}")},
            floor_step=post.get("floor_step") or "0",
            orientation_adjustments={c: post[f"o_{c}"] for c in Unit.Orientation.values if post.get(f"o_{c}")},
            method_discounts={c: post[f"d_{c}"] for c in PriceList.Method.values if post.get(f"d_{c}")},
            note=post.get("note", ""),
        )
        messages.success(request, _("Draft version %(v)s saved: send it for approval.") % {"v": price_list.version})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("realestate:setup", project.pk)


@login_required
@require_POST
def price_list_submit(request, project_id: int, pk: int):
    project = _project_for_setup(request, project_id)
    price_list = project.price_lists.filter(pk=pk).first()
    if price_list is None:
        raise PermissionDenied
    try:
        services.price_list_submit(user=request.user, price_list=price_list)
        messages.success(request, _("Sent for approval: marketing director, then general manager."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    return redirect("realestate:setup", project.pk)


@login_required
@require_POST
def project_open(request, project_id: int):
    project = _project_for_setup(request, project_id)
    try:
        services.project_open(user=request.user, project=project)
        messages.success(request, _("The project is open for sale."))
    except TransitionConflict as exc:
        messages.error(request, exc.message)
    return redirect("realestate:setup", project.pk)
