"""The drive screen (check-in, start, finish; tablet-sized), the booking list, the private licence
and signature images, and the fleet page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from showroom.exports import ListExport, list_export, register_list_export
from showroom.models import ChecklistRun, ChecklistTemplate, Document
from showroom.pagination import CappedPaginator
from showroom.selectors.timeline import timeline_for
from showroom.services.transitions import TransitionConflict, transitions_available
from testdrive.models import Booking, Feedback
from testdrive.registrations import BRIEFING, READINESS
from testdrive.selectors import (
    booking_get,
    booking_list,
    booking_may_see_licence,
    route_list,
    vehicle_list,
)
from testdrive.services import (
    booking_cancel,
    booking_check_in,
    booking_complete,
    booking_no_show,
    booking_schedule,
    booking_start,
    min_drive_minutes,
    suggested_grade,
)
from testdrive.views._helpers import field_errors, int_or_none, parse_date, parse_local_datetime
from testdrive.views.calendar import _store

PAGE_SIZE = 25
RATING_FIELDS = (
    ("handling", gettext_lazy("Handling")),
    ("comfort", gettext_lazy("Comfort")),
    ("space", gettext_lazy("Space")),
    ("noise", gettext_lazy("Quietness")),
    ("features", gettext_lazy("Features")),
)


@require_GET
@login_required
def booking_list_view(request):
    store = _store(request)
    state = request.GET.get("state", "")
    state = state if state in Booking.State.values else ""
    qs = booking_list(
        user=request.user,
        store_id=store.pk,
        state=state,
        day_from=parse_date(request.GET.get("day_from", "")),
        day_to=parse_date(request.GET.get("day_to", "")),
        consultant_id=int_or_none(request.GET.get("consultant")),  # the dashboard's drill-down
    )
    export = list_export(request, code="testdrive.bookings", queryset=qs)
    if export is not None:
        return export
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "testdrive/bookings.html",
        {"page": page, "state": state, "states": Booking.State.choices, "filters": request.GET},
    )


def _booking_row(b: Booking) -> list:
    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return [
        local(b.slot_start),
        b.customer.name,
        f"{b.vehicle.vehicle_model} · {b.vehicle.plate}" if b.vehicle_id else "",
        b.route.name if b.route_id else "",
        b.consultant.get_full_name() or b.consultant.get_username(),
        b.get_state_display(),
        local(b.started_at),
        local(b.ended_at),
    ]


register_list_export(
    ListExport(
        code="testdrive.bookings",
        basename="test-drives",
        headers=lambda: [
            _("Slot"),
            _("Customer"),
            _("Car"),
            _("Route"),
            _("Consultant"),
            _("State"),
            _("Started"),
            _("Ended"),
        ],
        row=_booking_row,
    )
)


def _checklists(booking: Booking) -> list[dict]:
    """The readiness and briefing lists of this booking: started or not, complete or not (two
    queries)."""
    templates = {t.code: t for t in ChecklistTemplate.objects.filter(code__in=[READINESS, BRIEFING])}
    ct = ContentType.objects.get_for_model(Booking)
    runs = {}
    for run in ChecklistRun.objects.filter(
        content_type=ct, object_id=booking.pk, template__code__in=templates
    ).order_by("started_at", "id"):
        runs[run.template_id] = run
    rows = []
    for code in (READINESS, BRIEFING):
        template = templates.get(code)
        if template is None:
            continue
        run = runs.get(template.pk)
        rows.append({"code": code, "template": template, "run": run, "complete": bool(run and run.completed_at)})
    return rows


def _detail_context(request, booking: Booking, *, errors: dict | None = None, values: dict | None = None) -> dict:
    transitions = transitions_available(instance=booking, user=request.user)
    feedback = getattr(booking, "feedback", None) if booking.state == Booking.State.COMPLETED else None
    ct = ContentType.objects.get_for_model(Booking)
    documents = Document.objects.filter(content_type=ct, object_id=booking.pk).order_by("-version")
    context = {
        "booking": booking,
        "transitions": transitions,
        "errors": errors or {},
        "values": values or {},
        "feedback": feedback,
        "documents": documents,
        "may_see_licence": booking_may_see_licence(user=request.user, booking=booking),
        "licence_classes": Booking.LicenceClass.choices,
        "car_classes": Booking.CAR_CLASSES,
        "rating_fields": RATING_FIELDS,
        "price_choices": Feedback.PriceTalk.choices,
        "min_minutes": min_drive_minutes(),
        "timeline": timeline_for(target=booking),
        "booking_type": "testdrive.booking",
    }
    if booking.state == Booking.State.CHECKED_IN:
        context["checklists"] = _checklists(booking)
    if booking.state == Booking.State.IN_PROGRESS:
        context["lead_grade"] = booking.lead.grade
        context["grade_choices"] = [g for g in ("H", "A", "B") if "CBAH".index(g) > "CBAH".index(booking.lead.grade)]
        context["suggested_grade"] = suggested_grade(
            current=booking.lead.grade, ready_to_talk_price=(values or {}).get("ready_to_talk_price", "")
        )
    if booking.state == Booking.State.REQUESTED:
        context["vehicles"] = vehicle_list(user=request.user, store_id=booking.store_id)
        context["routes"] = route_list(user=request.user, store_id=booking.store_id, active_only=True)
    return context


@require_GET
@login_required
def booking_detail_view(request, pk):
    booking = booking_get(user=request.user, pk=pk)
    return render(request, "testdrive/detail.html", _detail_context(request, booking))


def _feedback(post) -> dict:
    return {
        **{name: post.get(name) for name, _label in RATING_FIELDS},
        "overall": post.get("overall"),
        "comments": post.get("comments", ""),
        "ready_to_talk_price": post.get("ready_to_talk_price", ""),
        "customer_confirmed": post.get("customer_confirmed") == "on",
    }


def _run(request, booking: Booking, name: str):
    post = request.POST
    note = post.get("note", "")[:2000]
    if name == "schedule":
        return booking_schedule(
            booking=booking,
            user=request.user,
            vehicle=vehicle_list(user=request.user, store_id=booking.store_id)
            .filter(pk=int_or_none(post.get("vehicle")) or 0)
            .first(),
            route=route_list(user=request.user, store_id=booking.store_id)
            .filter(pk=int_or_none(post.get("route")) or 0)
            .first(),
            start=parse_local_datetime(post.get("start", "")),
            note=note,
        )
    if name == "check_in":
        return booking_check_in(
            booking=booking,
            user=request.user,
            licence_number=post.get("licence_number", ""),
            licence_class=post.get("licence_class", ""),
            licence_expiry=parse_date(post.get("licence_expiry", "")),
            licence_image=request.FILES.get("licence_image"),
            signature=post.get("signature", ""),
            signed_name=post.get("signed_name", ""),
            signed_confirmed=post.get("signed_confirmed") == "on",
            note=note,
        )
    if name == "start":
        return booking_start(
            booking=booking, user=request.user, odometer_km=int_or_none(post.get("odometer_km")), note=note
        )
    if name == "complete":
        return booking_complete(
            booking=booking,
            user=request.user,
            odometer_km=int_or_none(post.get("odometer_km")),
            feedback=_feedback(post),
            short_reason=post.get("short_reason", ""),
            grade_to=post.get("grade_to", ""),
            note=note,
        )
    if name == "cancel":
        return booking_cancel(booking=booking, user=request.user, reason=post.get("reason", ""))
    if name == "no_show":
        return booking_no_show(booking=booking, user=request.user, note=note)
    raise Http404


MESSAGES = {
    "schedule": gettext_lazy("The drive is scheduled."),
    "check_in": gettext_lazy("Checked in: the licence is recorded and the agreement signed."),
    "start": gettext_lazy("The drive has started."),
    "complete": gettext_lazy("The drive is complete and the feedback recorded."),
    "cancel": gettext_lazy("The booking is cancelled."),
    "no_show": gettext_lazy("Recorded as a no-show."),
}


@require_POST
@login_required
def booking_action_view(request, pk, name):
    booking = booking_get(user=request.user, pk=pk)
    if name not in MESSAGES:
        raise Http404
    try:
        _run(request, booking, name)
    except ValidationError as exc:
        values = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "signature")}
        context = _detail_context(request, booking, errors=field_errors(exc), values=values)
        context["failed_step"] = name
        return render(request, "testdrive/detail.html", context, status=400)
    except TransitionConflict as exc:
        context = _detail_context(request, booking)
        context["conflict"] = exc.message
        context["missing"] = exc.missing
        return render(request, "testdrive/detail.html", context, status=409)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, str(MESSAGES[name]))
    return redirect("testdrive:detail", pk=booking.pk)


def _private_file(request, pk, field: str):
    booking = booking_get(user=request.user, pk=pk)  # another store's booking: 404
    if not booking_may_see_licence(user=request.user, booking=booking):
        raise PermissionDenied(_("Only the booking's consultant and the store's managers see the licence."))
    file = getattr(booking, field)
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, filename=file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def licence_image_view(request, pk):
    return _private_file(request, pk, "licence_image")


@require_GET
@login_required
def signature_image_view(request, pk):
    return _private_file(request, pk, "signature_image")


@require_GET
@login_required
def fleet_view(request):
    store = _store(request)
    return render(
        request,
        "testdrive/fleet.html",
        {
            "vehicles": vehicle_list(user=request.user, store_id=store.pk),
            "routes": route_list(user=request.user, store_id=store.pk),
        },
    )
