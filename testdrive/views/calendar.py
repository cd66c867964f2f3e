"""The calendar (cars × day or week, free slots) and booking a drive from a lead (htmx)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from showroom.selectors.frontdesk import local_today
from showroom.services.transitions import TransitionConflict
from testdrive.selectors import (
    bookable_leads,
    booking_alternatives,
    calendar,
    lead_for_booking,
    route_list,
    vehicle_list,
)
from testdrive.services import booking_book, slot_minutes
from testdrive.views._helpers import field_errors, int_or_none, is_htmx, parse_date, parse_local_datetime, toast


def _store(request):
    store = request.store
    if store is None:
        raise PermissionDenied(_("You hold no role in any store."))
    return store


@require_GET
@login_required
def calendar_view(request):
    store = _store(request)
    week = request.GET.get("view") == "week"
    day = parse_date(request.GET.get("day", "")) or local_today()
    if week:
        day = day - dt.timedelta(days=day.weekday())
    days = 7 if week else 1
    vehicle_id = int_or_none(request.GET.get("vehicle"))
    rows = calendar(user=request.user, store=store, start_day=day, days=days, vehicle_id=vehicle_id)
    lead_id = int_or_none(request.GET.get("lead"))
    return render(
        request,
        "testdrive/calendar.html",
        {
            "rows": rows,
            "day": day,
            "days": [day + dt.timedelta(days=i) for i in range(days)],
            "week": week,
            "previous": day - dt.timedelta(days=days),
            "next": day + dt.timedelta(days=days),
            "vehicles": vehicle_list(user=request.user, store_id=store.pk),
            "vehicle_id": vehicle_id,
            "lead_id": lead_id,
            "slot_minutes": slot_minutes(),
        },
    )


def _form_context(request, store, *, values: dict, errors: dict | None = None, conflict: str = "", alternatives=()):
    return {
        "leads": bookable_leads(user=request.user, store_id=store.pk)[:200],
        "vehicles": vehicle_list(user=request.user, store_id=store.pk).exclude(status="out_of_service"),
        "routes": route_list(user=request.user, store_id=store.pk, active_only=True),
        "values": values,
        "errors": errors or {},
        "conflict": conflict,
        "alternatives": alternatives,
        "as_page": not is_htmx(request),
    }


@require_http_methods(["GET", "POST"])
@login_required
def book_view(request):
    """GET: the booking form (a panel beside the calendar with htmx, else a page), prefilled from
    the slot clicked and the lead. POST: book; a taken car answers with the holder and the
    alternatives."""
    store = _store(request)
    source = request.POST if request.method == "POST" else request.GET
    values = {
        "lead": int_or_none(source.get("lead")),
        "vehicle": int_or_none(source.get("vehicle")),
        "route": int_or_none(source.get("route")),
        "start": source.get("start", "")[:16],
        "note": source.get("note", "")[:500],
    }
    template = "testdrive/book.html" if not is_htmx(request) else "testdrive/_book_form.html"
    if request.method == "GET":
        return render(request, template, _form_context(request, store, values=values))
    errors: dict[str, list[str]] = {}
    lead = vehicle = route = None
    try:
        lead = lead_for_booking(user=request.user, store_id=store.pk, pk=values["lead"])
    except Http404:
        errors["lead"] = [_("Choose one of your open leads.")]
    vehicle = vehicle_list(user=request.user, store_id=store.pk).filter(pk=values["vehicle"] or 0).first()
    route = route_list(user=request.user, store_id=store.pk).filter(pk=values["route"] or 0).first()
    start = parse_local_datetime(values["start"])
    if errors:
        response = render(request, template, _form_context(request, store, values=values, errors=errors), status=400)
        return response
    try:
        booking = booking_book(lead=lead, user=request.user, vehicle=vehicle, route=route, start=start)
    except ValidationError as exc:
        context = _form_context(request, store, values=values, errors=field_errors(exc))
        return render(request, template, context, status=400)
    except TransitionConflict as exc:
        alternatives = []
        if start is not None and vehicle is not None:
            alternatives = booking_alternatives(
                user=request.user,
                store=store,
                vehicle_model_id=vehicle.vehicle_model_id,
                start=start,
                end=start + dt.timedelta(minutes=slot_minutes()),
            )
        context = _form_context(request, store, values=values, conflict=exc.message, alternatives=alternatives)
        return render(request, template, context, status=409)
    except PermissionDenied as exc:
        context = _form_context(request, store, values=values, conflict=str(exc))
        return render(request, template, context, status=403)
    url = reverse("testdrive:detail", args=[booking.pk])
    if is_htmx(request):
        response = HttpResponse("")
        response["HX-Redirect"] = url
        return toast(
            response, _("Test drive booked for %(when)s.") % {"when": f"{timezone.localtime(start):%Y-%m-%d %H:%M}"}
        )
    return redirect(url)
