"""The front-desk board: the page and its live parts, the quick adds of walk-ins and calls (htmx or
a plain post), and the board's buttons (goodbye, assign, a consultant's status)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from showroom.models import RosterEntry
from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import (
    frontdesk_board,
    frontdesk_may_manage,
    frontdesk_may_read,
    frontdesk_may_work,
    local_today,
    store_consultants,
    store_front_desk_staff,
    visit_get,
    visit_source_for,
    visit_sources_for,
)
from showroom.selectors.roster import roster_entry_get
from showroom.services.frontdesk import call_log, visit_leave, visit_log
from showroom.services.roster import roster_assign, roster_status_set
from showroom.services.transitions import TransitionConflict
from showroom.views.frontdesk.common import (
    _aware,
    _back,
    _current_store,
    _day,
    _error_text,
    _field_errors,
    _is_htmx,
    _status_of,
    _store_for,
    _toast,
    _today_at,
    add_service_errors,
)
from showroom.views.frontdesk.forms import CallQuickForm, HandoverForm, VisitQuickForm

# --- the board ---------------------------------------------------------------------------------


def _board_context(request, store, day: dt.date | None = None) -> dict:
    board = frontdesk_board(store=store, day=day)
    may_work = frontdesk_may_work(user=request.user, store=store)
    return {
        "board": board,
        "store": store,
        "may_work": may_work and board.is_today,
        "may_manage": frontdesk_may_manage(user=request.user, store=store),
        "user_id": request.user.pk,
        "status_choices": RosterEntry.Status.choices,
        "previous_day": board.day - dt.timedelta(days=1),
        "next_day": board.day + dt.timedelta(days=1) if not board.is_today else None,
    }


def _forms_context(request, store, board, *, visit_form=None, call_form=None) -> dict:
    consultants = list(store_consultants(store=store))
    return {
        "visit_form": visit_form or VisitQuickForm(sources=board.sources, consultants=consultants),
        "call_form": call_form or CallQuickForm(consultants=consultants),
        "handover_form": HandoverForm(
            staff=[u for u in store_front_desk_staff(store=store) if u.pk != request.user.pk]
        ),
    }


@require_GET
@login_required
def board_view(request):
    store = _store_for(request, frontdesk_may_read)
    today = local_today()
    day = _day(request, default=today)
    if day > today:
        return redirect("frontdesk:board")
    context = _board_context(request, store, day)
    if context["may_work"]:
        context |= _forms_context(request, store, context["board"])
    return render(request, "showroom/frontdesk/board.html", context)


@require_GET
@login_required
def board_live_view(request):
    """The board's two live parts as out-of-band swaps (polled, and after a change elsewhere)."""
    store = _store_for(request, frontdesk_may_read)
    context = _board_context(request, store, _day(request, default=local_today()))
    return HttpResponse(render_to_string("showroom/frontdesk/_board_oob.html", context, request=request))


def _board_response(request, store, *, message: str, level: str = "success", status: int = 200, prefix: str = ""):
    """htmx: ``prefix`` (a re-rendered form, if any) and the board's live parts, out of band."""
    context = _board_context(request, store)
    body = prefix + render_to_string("showroom/frontdesk/_board_oob.html", context, request=request)
    return _toast(HttpResponse(body, status=status), message, level)


@require_POST
@login_required
def visit_create_view(request):
    store = _current_store(request)
    sources = visit_sources_for(store=store)
    consultants = list(store_consultants(store=store))
    form = VisitQuickForm(request.POST, sources=sources, consultants=consultants)
    status, error = 200, ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            consultant = user_by_id(data["consultant"]) if data["consultant"] else None
            visit_log(
                store=store,
                user=request.user,
                party_size=data["party_size"],
                purpose=data["purpose"],
                first_visit=data["first_visit"],
                source=visit_source_for(store=store, value=data["source"]) if data["source"] else None,
                arrived_at=_today_at(data["arrived_at"]),
                licence_plate=data["licence_plate"],
                consultant=consultant,
                notes=data["notes"],
                customer_mobile=data["customer_mobile"],
                customer_name=data["customer_name"],
                customer_consent=data["customer_consent"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status, error = 400, _("Please correct the errors below.")
        except (PermissionDenied, TransitionConflict) as exc:
            status, error = _status_of(exc), _error_text(exc)
    else:
        status, error = 400, _("Please correct the errors below.")
    if status == 403 and not _is_htmx(request):
        raise PermissionDenied(error)
    if not _is_htmx(request):
        if status == 200:
            messages.success(request, _("Walk-in logged."))
        else:
            messages.error(request, " ".join([error, *_field_errors(form)]))
        return redirect("frontdesk:board")
    if status == 200:
        form_html = render_to_string(
            "showroom/frontdesk/_visit_form.html",
            {"visit_form": VisitQuickForm(sources=sources, consultants=consultants)},
            request=request,
        )
        return _board_response(request, store, message=_("Walk-in logged."), prefix=form_html)
    form_html = render_to_string(
        "showroom/frontdesk/_visit_form.html", {"visit_form": form, "form_error": error}, request=request
    )
    return _toast(HttpResponse(form_html, status=status), error, "danger")


@require_POST
@login_required
def call_create_view(request):
    store = _current_store(request)
    consultants = list(store_consultants(store=store))
    form = CallQuickForm(request.POST, consultants=consultants)
    status, error = 200, ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            call_log(
                store=store,
                user=request.user,
                number=data["number"],
                question=data["question"],
                callback_agreed_at=_aware(data["callback_agreed_at"]),
                callback_note=data["callback_note"],
                consultant=user_by_id(data["consultant"]) if data["consultant"] else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status, error = 400, _("Please correct the errors below.")
        except (PermissionDenied, TransitionConflict) as exc:
            status, error = _status_of(exc), _error_text(exc)
    else:
        status, error = 400, _("Please correct the errors below.")
    if status == 403 and not _is_htmx(request):
        raise PermissionDenied(error)
    if not _is_htmx(request):
        if status == 200:
            messages.success(request, _("Call logged."))
        else:
            messages.error(request, " ".join([error, *_field_errors(form)]))
        return redirect("frontdesk:board")
    if status == 200:
        form_html = render_to_string(
            "showroom/frontdesk/_call_form.html", {"call_form": CallQuickForm(consultants=consultants)}, request=request
        )
        return _board_response(request, store, message=_("Call logged."), prefix=form_html)
    form_html = render_to_string(
        "showroom/frontdesk/_call_form.html", {"call_form": form, "form_error": error}, request=request
    )
    return _toast(HttpResponse(form_html, status=status), error, "danger")


def _board_action(request, store, run, *, done: str, back: str = ""):
    """Run one service for a board button; htmx gets the refreshed board and a toast."""
    try:
        run()
    except (ValidationError, PermissionDenied, TransitionConflict) as exc:
        status, text = _status_of(exc), _error_text(exc)
        if _is_htmx(request):
            return _toast(HttpResponse("", status=status), text, "danger")
        if status == 403:
            raise
        messages.error(request, text)
    else:
        if _is_htmx(request):
            return _board_response(request, store, message=done)
        messages.success(request, done)
    return HttpResponseRedirect(_back(request, back or reverse("frontdesk:board")))


@require_POST
@login_required
def visit_leave_view(request, pk):
    visit = visit_get(user=request.user, pk=pk)
    return _board_action(
        request,
        visit.store,
        lambda: visit_leave(visit=visit, user=request.user),
        done=_("Goodbye said: the visit is closed."),
    )


@require_POST
@login_required
def visit_assign_view(request, pk):
    """The next consultant in turn (no consultant posted), or a manager's override with a reason."""
    visit = visit_get(user=request.user, pk=pk)
    consultant_id = request.POST.get("consultant") or None
    consultant = user_by_id(consultant_id) if consultant_id else None
    if consultant_id and consultant is None:
        raise Http404
    result = {}

    def run():
        result["assignment"] = roster_assign(
            store=visit.store,
            user=request.user,
            visit=visit,
            consultant=consultant,
            reason=request.POST.get("reason", ""),
        )

    response = _board_action(request, visit.store, run, done=_("Assigned."))
    assignment = result.get("assignment")
    if assignment is not None and _is_htmx(request):
        name = assignment.consultant.get_full_name() or assignment.consultant.username
        _toast(response, _("%(name)s takes this walk-in.") % {"name": name})
    elif assignment is not None:
        storage = messages.get_messages(request)
        storage.used = True  # replace the generic "Assigned." with the name
        name = assignment.consultant.get_full_name() or assignment.consultant.username
        messages.success(request, _("%(name)s takes this walk-in.") % {"name": name})
    return response


@require_POST
@login_required
def roster_status_view(request, pk):
    entry = roster_entry_get(user=request.user, pk=pk)
    return _board_action(
        request,
        entry.roster.store,
        lambda: roster_status_set(entry=entry, status=request.POST.get("status", ""), user=request.user),
        done=_("Status changed."),
    )
