"""The vehicle catalogue pages: everyone reads; a sales manager adds and edits brands, models,
trims, colours and the list price of each trim and colour."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leads.forms import BrandForm, ColourForm, PriceForm, TrimForm, VehicleModelForm
from leads.models import Brand, Colour, Trim, VehicleModel
from leads.selectors import brand_list, catalogue_get, vehicle_model_get, vehicle_model_list
from leads.services import (
    brand_create,
    brand_update,
    catalogue_may_edit,
    colour_create,
    colour_update,
    trim_colour_price_set,
    trim_create,
    trim_update,
    vehicle_model_create,
    vehicle_model_update,
)
from showroom.permissions import store_ids_for


def _reader(request) -> None:
    if not store_ids_for(request.user):
        raise PermissionDenied(_("You hold no role in any store."))


def _editor(request) -> None:
    if not catalogue_may_edit(user=request.user):
        raise PermissionDenied(_("Only a sales manager edits the vehicle catalogue."))


@require_GET
@login_required
def catalogue_view(request):
    _reader(request)
    return render(
        request,
        "leads/catalogue/index.html",
        {
            "brands": brand_list(),
            "models": vehicle_model_list(),
            "can_edit": catalogue_may_edit(user=request.user),
        },
    )


@require_GET
@login_required
def catalogue_model_view(request, pk):
    _reader(request)
    model = vehicle_model_get(pk=pk)
    colours = list(model.colours.all())
    trims = []
    for trim in model.trims.all():
        prices = {row.colour_id: row for row in trim.colours.all()}
        trims.append({"trim": trim, "cells": [(colour, prices.get(colour.pk)) for colour in colours]})
    return render(
        request,
        "leads/catalogue/model.html",
        {"model": model, "colours": colours, "trims": trims, "can_edit": catalogue_may_edit(user=request.user)},
    )


def _form_page(request, form, *, title: str, status: int = 200):
    return render(request, "leads/catalogue/form.html", {"form": form, "title": title}, status=status)


def _edit(request, *, form_class, initial, save, title, done, back):
    """GET shows the form; POST saves through the service and goes back, or shows the errors."""
    _editor(request)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = save(form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, done % {"name": obj})
                return redirect(*back(obj))
        return _form_page(request, form, title=title, status=400)
    return _form_page(request, form, title=title)


@login_required
def brand_create_view(request):
    return _edit(
        request,
        form_class=BrandForm,
        initial={"is_own": True},
        save=lambda data: brand_create(user=request.user, **data),
        title=_("New brand"),
        done=_("Brand %(name)s saved."),
        back=lambda obj: ("leads:catalogue",),
    )


@login_required
def brand_edit_view(request, pk):
    brand = catalogue_get(Brand, pk)
    return _edit(
        request,
        form_class=BrandForm,
        initial={"name": brand.name, "is_own": brand.is_own},
        save=lambda data: brand_update(user=request.user, brand=brand, **data),
        title=_("Edit brand"),
        done=_("Brand %(name)s saved."),
        back=lambda obj: ("leads:catalogue",),
    )


@login_required
def model_create_view(request):
    brand = request.GET.get("brand")
    return _edit(
        request,
        form_class=VehicleModelForm,
        initial={"brand": brand, "is_active": True, "consultant_discount_limit": "0"},
        save=lambda data: vehicle_model_create(user=request.user, **data),
        title=_("New model"),
        done=_("Model %(name)s saved."),
        back=lambda obj: ("leads:catalogue_model", obj.pk),
    )


@login_required
def model_edit_view(request, pk):
    model = catalogue_get(VehicleModel, pk)
    initial = {
        "brand": model.brand_id,
        "name": model.name,
        "segment": model.segment,
        "consultant_discount_limit": model.consultant_discount_limit,
        "is_active": model.is_active,
    }
    return _edit(
        request,
        form_class=VehicleModelForm,
        initial=initial,
        save=lambda data: vehicle_model_update(user=request.user, vehicle_model=model, **data),
        title=_("Edit model"),
        done=_("Model %(name)s saved."),
        back=lambda obj: ("leads:catalogue_model", obj.pk),
    )


@login_required
def trim_create_view(request, model_pk):
    model = catalogue_get(VehicleModel, model_pk)
    return _edit(
        request,
        form_class=TrimForm,
        initial={"is_active": True},
        save=lambda data: trim_create(user=request.user, vehicle_model=model, **data),
        title=_("New trim of %(model)s") % {"model": model},
        done=_("Trim %(name)s saved."),
        back=lambda obj: ("leads:catalogue_model", model.pk),
    )


@login_required
def trim_edit_view(request, pk):
    trim = catalogue_get(Trim, pk)
    return _edit(
        request,
        form_class=TrimForm,
        initial={"name": trim.name, "list_price": trim.list_price, "is_active": trim.is_active},
        save=lambda data: trim_update(user=request.user, trim=trim, **data),
        title=_("Edit trim"),
        done=_("Trim %(name)s saved."),
        back=lambda obj: ("leads:catalogue_model", trim.vehicle_model_id),
    )


@login_required
def colour_create_view(request, model_pk):
    model = catalogue_get(VehicleModel, model_pk)
    return _edit(
        request,
        form_class=ColourForm,
        initial={},
        save=lambda data: colour_create(user=request.user, vehicle_model=model, **data),
        title=_("New colour of %(model)s") % {"model": model},
        done=_("Colour %(name)s saved."),
        back=lambda obj: ("leads:catalogue_model", model.pk),
    )


@login_required
def colour_edit_view(request, pk):
    colour = catalogue_get(Colour, pk)
    return _edit(
        request,
        form_class=ColourForm,
        initial={"name": colour.name, "code": colour.code},
        save=lambda data: colour_update(user=request.user, colour=colour, **data),
        title=_("Edit colour"),
        done=_("Colour %(name)s saved."),
        back=lambda obj: ("leads:catalogue_model", colour.vehicle_model_id),
    )


@require_POST
@login_required
def price_set_view(request, trim_pk, colour_pk):
    """One cell of a model's price table."""
    _editor(request)
    trim = catalogue_get(Trim, trim_pk)
    colour = catalogue_get(Colour, colour_pk)
    form = PriceForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        row = trim_colour_price_set(
            user=request.user, trim=trim, colour=colour, list_price=form.cleaned_data["list_price"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Price of %(row)s saved.") % {"row": row})
    return redirect("leads:catalogue_model", trim.vehicle_model_id)
