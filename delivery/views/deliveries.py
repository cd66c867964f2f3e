"""Delivery pages: the calendar, the delivery record (its steps), the tablet checklist screen for the
preparation and the handover, and the owner-care calls due today."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from delivery import exports as _exports  # noqa: F401  (registers the lists' exports)
from delivery import selectors, services
from delivery.models import Delivery
from delivery.registrations import HANDOVER, PRE_DELIVERY
from delivery.views._helpers import (
    current_store,
    error_text,
    field_errors,
    int_or_none,
    parse_date,
    parse_local_datetime,
)
from showroom.exports import list_export
from showroom.models import ChecklistItem, FollowUp
from showroom.selectors.checklists import checklist_run_status, checklist_runs_for, checklist_template_by_code
from showroom.services.checklists import checklist_answer, checklist_run_start
from showroom.services.transitions import TransitionConflict, transitions_available
from showroom.views.documents import documents_panel_context

# The phases the tablet screen shows for each checklist (the handover's after phase comes later).
SCREENS = {PRE_DELIVERY: ("",), HANDOVER: ("before", "at")}


@require_GET
@login_required
def calendar_view(request):
    store = current_store(request)
    start = parse_date(request.GET.get("start")) or timezone.localdate()
    data = selectors.delivery_calendar(user=request.user, store_ids=[store.pk], start=start)
    return render(
        request,
        "delivery/calendar.html",
        {
            **data,
            "start": start,
            "previous": start - dt.timedelta(days=7),
            "next": start + dt.timedelta(days=7),
            "today": timezone.localdate(),
        },
    )


def _get(request, pk) -> Delivery:
    delivery = selectors.delivery_detail(user=request.user, pk=pk)
    if delivery is None:
        raise Http404
    return delivery


def _checklist_rows(delivery: Delivery) -> list[dict]:
    rows = []
    for code in (PRE_DELIVERY, HANDOVER):
        template = checklist_template_by_code(code=code)
        run = checklist_runs_for(target=delivery, template_code=code).first()
        complete = False
        if run is not None and template is not None:
            run.template = template
            complete = all(checklist_run_status(run, phase).complete for phase in SCREENS[code])
        rows.append({"code": code, "template": template, "run": run, "complete": complete})
    return rows


def _detail_context(request, delivery: Delivery, **extra) -> dict:
    ct = ContentType.objects.get_for_model(Delivery)
    return {
        "delivery": delivery,
        "transitions": transitions_available(instance=delivery, user=request.user),
        "checklists": _checklist_rows(delivery),
        "followups": FollowUp.objects.filter(content_type=ct, object_id=delivery.pk)
        .select_related("assignee")
        .order_by("due_at", "id"),
        **documents_panel_context(user=request.user, target=delivery),
        **extra,
    }


@require_GET
@login_required
def delivery_detail_view(request, pk):
    delivery = _get(request, pk)
    return render(request, "delivery/detail.html", _detail_context(request, delivery))


def _run_action(request, delivery: Delivery, name: str):
    post = request.POST
    note = post.get("note", "")
    if name == "schedule":
        at = parse_local_datetime(post.get("at"))
        if at is None:
            raise ValidationError({"at": [_("Enter a date and time.")]})
        return services.delivery_schedule(delivery=delivery, user=request.user, at=at, bay=post.get("bay", ""))
    if name == "reschedule":
        return services.delivery_reschedule(delivery=delivery, user=request.user, note=note)
    if name == "hand_over":
        return services.delivery_hand_over(
            delivery=delivery,
            user=request.user,
            signed_name=post.get("signed_name", ""),
            arrival_minutes=post.get("arrival_minutes"),
            destination=post.get("destination", ""),
            first_service_date=parse_date(post.get("first_service_date")),
            first_service_km=post.get("first_service_km") or None,
            satisfaction=post.get("satisfaction") or None,
            survey_note=post.get("survey_note", ""),
            trade_in_vin=post.get("trade_in_vin", ""),
        )
    if name == "cancel":
        return services.delivery_cancel(delivery=delivery, user=request.user, reason=post.get("reason", ""))
    simple = {
        "prepare": services.delivery_prepare,
        "arrive": services.delivery_arrive,
        "complete": services.delivery_complete,
    }
    if name not in simple:
        raise Http404
    return simple[name](delivery=delivery, user=request.user, note=note)


@require_POST
@login_required
def delivery_action_view(request, pk, name):
    delivery = _get(request, pk)
    try:
        _run_action(request, delivery, name)
    except ValidationError as exc:
        context = _detail_context(request, delivery, errors=field_errors(exc), values=request.POST, failed_step=name)
        return render(request, "delivery/detail.html", context, status=400)
    except TransitionConflict as exc:
        context = _detail_context(request, delivery, conflict=exc.message, missing=exc.missing, failed_step=name)
        return render(request, "delivery/detail.html", context, status=409)
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
        return redirect("delivery:detail", pk=delivery.pk)
    messages.success(request, _("Saved."))
    return redirect("delivery:detail", pk=delivery.pk)


@require_GET
@login_required
def delivery_list_view(request):
    """Every delivery of the current store, filtered by state and by the handover's local days
    (the dashboard's drill-down), 25 a page."""
    store = current_store(request)
    state = request.GET.get("state", "")
    state = state if state in Delivery.State.values else ""
    qs = selectors.delivery_list(
        user=request.user,
        store_ids=[store.pk],
        state=state,
        handed_from=parse_date(request.GET.get("handed_from")),
        handed_to=parse_date(request.GET.get("handed_to")),
    )
    if (export := list_export(request, code="delivery.deliveries", queryset=qs)) is not None:
        return export
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "delivery/list.html",
        {"page": page, "state": state, "states": Delivery.State.choices, "filters": request.GET},
    )


# --- the tablet checklist screen ----------------------------------------------------------------


def _screen_context(delivery: Delivery, code: str, run) -> dict:
    template = checklist_template_by_code(code=code)
    run.template = template
    phases = SCREENS[code]
    statuses = [checklist_run_status(run, phase) for phase in phases]
    rows = [row for status in statuses for row in status.rows]
    return {
        "delivery": delivery,
        "template": template,
        "code": code,
        "run": run,
        "rows": rows,
        "complete": all(s.complete for s in statuses),
        "missing": sum(len(s.missing) for s in statuses),
    }


@login_required
def checklist_screen_view(request, pk, code):
    """One screen for the whole list (the handover: its before and at phases), big controls for a
    tablet; saving records every answer given and comes back here."""
    delivery = _get(request, pk)
    if code not in SCREENS:
        raise Http404
    try:
        run = checklist_run_start(template_code=code, target=delivery, user=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    if request.method == "POST":
        problems = []
        items = {item.pk: item for item in ChecklistItem.objects.filter(template_id=run.template_id)}
        for item_id, item in items.items():
            values = {}
            if item.kind == "tick":
                if f"item-{item_id}" not in request.POST:
                    continue
                values["ticked"] = request.POST.get(f"item-{item_id}") == "yes"
            elif item.kind == "number":
                if not request.POST.get(f"item-{item_id}"):
                    continue
                values["number"] = request.POST.get(f"item-{item_id}")
            elif item.kind == "choice":
                if not request.POST.get(f"item-{item_id}"):
                    continue
                values["choice"] = request.POST.get(f"item-{item_id}")
            else:
                if f"item-{item_id}" not in request.FILES:
                    continue
                values["file"] = request.FILES[f"item-{item_id}"]
            try:
                checklist_answer(run=run, item=item, user=request.user, **values)
            except (ValidationError, TransitionConflict) as exc:
                problems.append(f"{item.order}. {error_text(exc)}")
        if problems:
            messages.error(request, " ".join(problems))
        else:
            messages.success(request, _("Answers saved."))
        return redirect("delivery:checklist", pk=delivery.pk, code=code)
    return render(request, "delivery/checklist.html", _screen_context(delivery, code, run))


# --- owner care ---------------------------------------------------------------------------------


@login_required
def care_list_view(request):
    store = current_store(request)
    mine = request.GET.get("mine") == "1"
    calls = list(selectors.care_calls_due(user=request.user, store_ids=[store.pk], mine_only=mine))
    deliveries = selectors.deliveries_by_id(f.object_id for f in calls)
    for call in calls:
        call.delivery = deliveries.get(call.object_id)
    return render(request, "delivery/care.html", {"calls": calls, "mine": mine, "today": timezone.localdate()})


@require_POST
@login_required
def care_record_view(request, followup_pk):
    store_ids = [current_store(request).pk]
    followup = (
        selectors.care_calls_due(
            user=request.user, store_ids=store_ids, day=timezone.localdate() + dt.timedelta(days=3660)
        )
        .filter(pk=int_or_none(followup_pk) or 0)
        .first()
    )
    if followup is None:
        raise Http404
    post = request.POST
    try:
        services.care_call_record(
            followup=followup,
            user=request.user,
            reached=post.get("reached") == "yes",
            usage=post.get("usage", ""),
            connected_services=post.get("connected_services", ""),
            questions=post.get("questions", ""),
            unanswered=post.get("unanswered", ""),
            suggestions=post.get("suggestions", ""),
        )
        messages.success(request, _("Call recorded."))
    except (ValidationError, TransitionConflict, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect(reverse("delivery:care"))
