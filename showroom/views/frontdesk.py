"""Front-desk pages: the board (today's visits and calls, quick add in two clicks, the next-up
consultant, the open shift), the shift page, the managers' roster page and the reports (with PDF
and XLSX). Views parse input, call one service and render; the rules are the services'.

The board's quick-add forms and buttons work with htmx: a form answers with itself (fresh, or
with its errors) and the board's two live parts as out-of-band swaps, so the board is kept and
refreshed in one request; without JavaScript they post and redirect back.
"""

import datetime as dt
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from showroom.forms import BootstrapFormMixin
from showroom.models import FrontDeskReport, FrontDeskSettings, RosterEntry, Visit
from showroom.navigation import MenuEntry, register_menu_entry
from showroom.permissions import has_role
from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import (
    BOARD_READERS,
    DISTRIBUTION_EDITORS,
    REPORT_READERS,
    ROSTER_MANAGERS,
    frontdesk_board,
    frontdesk_day_counts,
    frontdesk_may_manage,
    frontdesk_may_read,
    frontdesk_may_read_reports,
    frontdesk_may_work,
    frontdesk_month_counts,
    frontdesk_settings_get,
    local_today,
    month_bounds,
    report_context,
    report_list,
    report_pdf_bytes,
    report_xlsx_bytes,
    shift_counts,
    shift_get,
    shift_visits,
    store_consultants,
    store_front_desk_staff,
    visit_get,
    visit_list,
    visit_source_for,
    visit_sources_for,
)
from showroom.selectors.roster import roster_entry_get, roster_get, roster_rotation, roster_section
from showroom.selectors.stores import store_get_for_user
from showroom.services.frontdesk import (
    call_log,
    frontdesk_settings_update,
    shift_close,
    shift_open,
    visit_leave,
    visit_log,
)
from showroom.services.roster import roster_assign, roster_set, roster_status_set
from showroom.services.transitions import TransitionConflict

register_menu_entry(MenuEntry("front_desk", gettext_lazy("Front desk"), "frontdesk:board", BOARD_READERS, 1))
register_menu_entry(MenuEntry("front_desk", gettext_lazy("Duty roster"), "frontdesk:roster", ROSTER_MANAGERS, 2))
register_menu_entry(MenuEntry("front_desk", gettext_lazy("Front-desk reports"), "frontdesk:reports", REPORT_READERS, 3))

HTMX_ERROR_STATUSES = (400, 403, 404, 409)


# --- helpers -----------------------------------------------------------------------------------


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _toast(response: HttpResponse, message: str, level: str = "success") -> HttpResponse:
    # json.dumps escapes non-ASCII, so the header stays ASCII whatever the language.
    response["HX-Trigger"] = json.dumps({"showToast": {"message": str(message), "level": level}})
    return response


def _error_text(exc: Exception) -> str:
    if isinstance(exc, TransitionConflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You are not allowed to do this.")


def _status_of(exc: Exception) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, TransitionConflict):
        return 409
    return 400


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, texts in errors.items():
        field = name if name in form.fields else None
        for text in texts:
            form.add_error(field, text)


def _current_store(request):
    store = request.store if getattr(request, "store", None) else None
    if store is None:
        raise Http404
    return store


def _store_for(request, check) -> object:
    """The store a page is about: ``?store=`` when given (one of the user's), else the current
    one; 403 when the user's role there does not use the page."""
    raw = request.GET.get("store") or request.POST.get("store")
    store = store_get_for_user(user=request.user, store_id=raw) if raw else _current_store(request)
    if not check(user=request.user, store=store):
        raise PermissionDenied(_("Your role does not use this page in this store."))
    return store


def _day(request, *, default: dt.date) -> dt.date:
    raw = request.GET.get("day", "")
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise Http404 from exc


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def _today_at(value: dt.time | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.make_aware(dt.datetime.combine(local_today(), value))


# --- forms -------------------------------------------------------------------------------------


class VisitQuickForm(BootstrapFormMixin, forms.Form):
    """The walk-in quick add: a source and "Log walk-in" are the two clicks; the rest has defaults."""

    source = forms.ChoiceField(label=gettext_lazy("Source"), widget=forms.RadioSelect, required=False)
    purpose = forms.ChoiceField(
        label=gettext_lazy("Purpose"),
        choices=Visit.Purpose.choices,
        initial=Visit.Purpose.LOOK,
        widget=forms.RadioSelect,
    )
    first_visit = forms.TypedChoiceField(
        label=gettext_lazy("First or return visit"),
        choices=[("1", gettext_lazy("First visit")), ("0", gettext_lazy("Return visit"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    party_size = forms.IntegerField(label=gettext_lazy("Party size"), initial=1, min_value=1, max_value=50)
    arrived_at = forms.TimeField(
        label=gettext_lazy("Time in"),
        required=False,
        help_text=gettext_lazy("Empty: now."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    licence_plate = forms.CharField(
        label=gettext_lazy("Licence plate"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("When the visitor drove in, e.g. 沪A12345."),
    )
    consultant = forms.TypedChoiceField(
        label=gettext_lazy("Consultant asked for"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=gettext_lazy("Only when the customer asks for someone; otherwise assign the next one in turn."),
    )
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=2000)

    def __init__(self, *args, sources=(), consultants=(), **kwargs):
        kwargs.setdefault("auto_id", "visit_%s")
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(str(s.pk), s.label) for s in sources]
        self.fields["consultant"].choices = [("", "—")] + [(c.pk, c.get_full_name() or c.username) for c in consultants]
        for name in ("source", "purpose", "first_visit"):
            self.fields[name].widget.attrs["class"] = "btn-check"


class CallQuickForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    question = forms.CharField(label=gettext_lazy("Question"), max_length=2000, required=False)
    callback_agreed_at = forms.DateTimeField(
        label=gettext_lazy("Callback agreed for"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    callback_note = forms.CharField(label=gettext_lazy("Callback note"), max_length=200, required=False)
    consultant = forms.TypedChoiceField(label=gettext_lazy("Consultant"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, consultants=(), **kwargs):
        kwargs.setdefault("auto_id", "call_%s")
        super().__init__(*args, **kwargs)
        self.fields["consultant"].choices = [("", "—")] + [(c.pk, c.get_full_name() or c.username) for c in consultants]


class HandoverForm(BootstrapFormMixin, forms.Form):
    next_receptionist = forms.TypedChoiceField(
        label=gettext_lazy("Hand over to"), required=False, coerce=int, empty_value=None
    )
    note = forms.CharField(
        label=gettext_lazy("Handover note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Who is still in the showroom and what they wait for."),
    )

    def __init__(self, *args, staff=(), **kwargs):
        kwargs.setdefault("auto_id", "handover_%s")
        super().__init__(*args, **kwargs)
        self.fields["next_receptionist"].choices = [("", _("Nobody yet (the next one opens a shift)"))] + [
            (u.pk, u.get_full_name() or u.username) for u in staff
        ]


class OverrideForm(BootstrapFormMixin, forms.Form):
    visit = forms.TypedChoiceField(label=gettext_lazy("Walk-in"), coerce=int, empty_value=None, required=False)
    consultant = forms.TypedChoiceField(label=gettext_lazy("Consultant"), coerce=int, empty_value=None)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,  # required by the service, which says so in the user's words
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, visits=(), entries=(), **kwargs):
        kwargs.setdefault("auto_id", "override_%s")
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [("", _("No walk-in (a lead)"))] + [
            (v.pk, _visit_choice_label(v)) for v in visits
        ]
        self.fields["consultant"].choices = [
            (e.consultant_id, e.consultant.get_full_name() or e.consultant.username) for e in entries
        ]


def _visit_choice_label(visit: Visit) -> str:
    when = timezone.localtime(visit.arrived_at).strftime("%H:%M")
    who = visit.consultant.get_full_name() if visit.consultant_id else _("not assigned")
    return f"{when} · {visit.get_purpose_display()} · {visit.party_size} · {who}"


class SettingsForm(BootstrapFormMixin, forms.Form):
    shift_minutes = forms.IntegerField(label=gettext_lazy("Receptionist shift (minutes)"), min_value=30, max_value=720)
    overdue_skip_hours = forms.IntegerField(
        label=gettext_lazy("Skip a consultant with follow-ups overdue by more than (hours)"),
        min_value=1,
        max_value=720,
    )
    distribution_rule = forms.ChoiceField(
        label=gettext_lazy("Distribution of campaign leads"),
        choices=FrontDeskSettings.DistributionRule.choices,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "settings_%s")
        super().__init__(*args, **kwargs)


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
        context.update(_forms_context(request, store, context["board"]))
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


def _field_errors(form: forms.Form) -> list[str]:
    return [str(text) for texts in form.errors.values() for text in texts]


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


# --- shifts ------------------------------------------------------------------------------------


@require_POST
@login_required
def shift_open_view(request):
    store = _current_store(request)
    try:
        shift_open(store=store, user=request.user)
    except PermissionDenied:
        raise
    except (TransitionConflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Your shift is open."))
    return redirect("frontdesk:board")


@require_POST
@login_required
def shift_close_view(request, pk):
    """Close, or hand over: to the person chosen, or (``take_over``) to the user himself."""
    shift = shift_get(user=request.user, pk=pk)
    staff = list(store_front_desk_staff(store=shift.store))
    form = HandoverForm(request.POST, staff=staff)
    if not form.is_valid():
        messages.error(request, " ".join(_field_errors(form)))
        return redirect("frontdesk:board")
    following = None
    if request.POST.get("take_over"):
        following = request.user
    elif form.cleaned_data["next_receptionist"]:
        following = user_by_id(form.cleaned_data["next_receptionist"])
    try:
        counts = shift_close(
            shift=shift, user=request.user, next_receptionist=following, note=form.cleaned_data["note"]
        )
    except PermissionDenied:
        raise
    except (TransitionConflict, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect("frontdesk:board")
    text = (
        _("Shift closed: %(visits)s visits (%(first)s first), %(calls)s calls; %(open)s visitors handed on.") % counts
    )
    messages.success(request, text)
    return redirect("frontdesk:shift", pk=shift.pk)


@require_GET
@login_required
def shift_detail_view(request, pk):
    shift = shift_get(user=request.user, pk=pk)
    if not frontdesk_may_read(user=request.user, store=shift.store):
        raise PermissionDenied
    counts = shift.counts if shift.closed_at else shift_counts(shift=shift)
    visits = list(shift_visits(shift=shift))
    for visit in visits:
        visit.received = visit.counted_shift_id != shift.pk
    previous = list(shift.handed_from.select_related("receptionist"))
    return render(
        request,
        "showroom/frontdesk/shift.html",
        {
            "shift": shift,
            "counts": counts,
            "visits": visits,
            "previous_shifts": previous,
            "may_work": frontdesk_may_work(user=request.user, store=shift.store) and shift.closed_at is None,
            "handover_form": HandoverForm(
                staff=[u for u in store_front_desk_staff(store=shift.store) if u.pk != request.user.pk]
            ),
        },
    )


# --- the roster (managers) ---------------------------------------------------------------------


def _roster_context(request, store, day: dt.date, **forms_given) -> dict:
    roster = roster_get(store=store, day=day)
    entries = list(roster.entries.all()) if roster is not None else []
    consultants = list(store_consultants(store=store))
    positions = {e.consultant_id: e.position for e in entries}
    candidates = sorted(
        consultants, key=lambda c: (c.pk not in positions, positions.get(c.pk, 0), c.get_full_name() or c.username)
    )
    today = local_today()
    next_up, skips = (None, [])
    if day == today:
        next_up, skips = roster_rotation(store=store, day=day, entries=entries)
    open_visits = list(visit_list(user=request.user, store=store, day=day, open_only=True)) if day == today else []
    settings = frontdesk_settings_get(store=store)
    settings_form = forms_given.get("settings_form") or SettingsForm(
        initial={
            "shift_minutes": settings.shift_minutes,
            "overdue_skip_hours": settings.overdue_skip_hours,
            "distribution_rule": settings.distribution_rule,
        }
    )
    may_set_distribution = has_role(request.user, store, DISTRIBUTION_EDITORS)
    if not may_set_distribution:
        settings_form.fields["distribution_rule"].disabled = True
    return {
        "store": store,
        "day": day,
        "is_today": day == today,
        "editable": day >= today,
        "roster": roster,
        "entries": entries,
        "candidates": [{"user": c, "position": positions.get(c.pk)} for c in candidates],
        "next_up": next_up,
        "skips": skips,
        **roster_section(store=store, day=day),
        "override_form": forms_given.get("override_form") or OverrideForm(visits=open_visits, entries=entries),
        "settings_form": settings_form,
        "status_choices": RosterEntry.Status.choices,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "settings": settings,
    }


@require_GET
@login_required
def roster_view(request):
    store = _store_for(request, frontdesk_may_manage)
    day = _day(request, default=local_today())
    return render(request, "showroom/frontdesk/roster.html", _roster_context(request, store, day))


def _roster_url(day: dt.date) -> str:
    return f"{reverse('frontdesk:roster')}?day={day:%Y-%m-%d}"


@require_POST
@login_required
def roster_set_view(request):
    """The order: each consultant on duty ticked, with a position number (ties keep the list's
    order)."""
    store = _current_store(request)
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        day = None
    picked = []
    for index, raw in enumerate(request.POST.getlist("on_duty")):
        user = user_by_id(raw)
        if user is None:
            continue
        try:
            position = int(request.POST.get(f"position_{user.pk}") or 0)
        except ValueError:
            position = 0
        picked.append((position or 1000 + index, index, user))
    picked.sort(key=lambda row: (row[0], row[1]))
    try:
        roster_set(store=store, day=day, consultants=[row[2] for row in picked], user=request.user)
    except PermissionDenied:
        raise
    except (ValidationError, TransitionConflict) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The duty order is saved."))
    return redirect(_roster_url(day or local_today()))


@require_POST
@login_required
def roster_override_view(request):
    store = _current_store(request)
    if not frontdesk_may_manage(user=request.user, store=store):
        raise PermissionDenied(_("Only a manager may override the duty order."))
    day = local_today()
    roster = roster_get(store=store, day=day)
    entries = list(roster.entries.all()) if roster is not None else []
    open_visits = list(visit_list(user=request.user, store=store, day=day, open_only=True))
    form = OverrideForm(request.POST, visits=open_visits, entries=entries)
    if form.is_valid():
        data = form.cleaned_data
        visit = visit_get(user=request.user, pk=data["visit"]) if data["visit"] else None
        try:
            assignment = roster_assign(
                store=store,
                user=request.user,
                visit=visit,
                consultant=user_by_id(data["consultant"]),
                reason=data["reason"],
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_service_errors(form, exc)
        except TransitionConflict as exc:
            form.add_error(None, exc.message)
        else:
            name = assignment.consultant.get_full_name() or assignment.consultant.username
            messages.success(request, _("Assigned to %(name)s by override.") % {"name": name})
            return redirect(_roster_url(day))
    context = _roster_context(request, store, day, override_form=form)
    return render(request, "showroom/frontdesk/roster.html", context, status=400)


@require_POST
@login_required
def settings_view(request):
    store = _current_store(request)
    form = SettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            frontdesk_settings_update(
                store=store,
                user=request.user,
                shift_minutes=data["shift_minutes"],
                overdue_skip_hours=data["overdue_skip_hours"],
                distribution_rule=(
                    data["distribution_rule"] or None if has_role(request.user, store, DISTRIBUTION_EDITORS) else None
                ),
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Front-desk settings saved."))
            return redirect("frontdesk:roster")
    if not frontdesk_may_manage(user=request.user, store=store):
        raise PermissionDenied
    context = _roster_context(request, store, local_today(), settings_form=form)
    return render(request, "showroom/frontdesk/roster.html", context, status=400)


# --- reports -----------------------------------------------------------------------------------


def _period(request) -> tuple[str, dt.date]:
    """``?month=YYYY-MM`` for a monthly summary, else ``?day=YYYY-MM-DD`` (default today)."""
    month = request.GET.get("month", "")
    if month:
        try:
            first = dt.date.fromisoformat(f"{month}-01")
        except ValueError as exc:
            raise Http404 from exc
        return FrontDeskReport.Kind.MONTHLY, first
    return FrontDeskReport.Kind.DAILY, _day(request, default=local_today())


def _period_data(store, kind: str, day: dt.date) -> dict:
    if kind == FrontDeskReport.Kind.MONTHLY:
        return frontdesk_month_counts(store=store, day=day)
    return frontdesk_day_counts(store=store, day=day)


@require_GET
@login_required
def reports_view(request):
    store = _store_for(request, frontdesk_may_read_reports)
    kind, day = _period(request)
    context = report_context(store=store, kind=kind, day=day, data=_period_data(store, kind, day))
    first, _last = month_bounds(day)
    context.update(
        {
            "is_monthly": kind == FrontDeskReport.Kind.MONTHLY,
            "day_value": day.strftime("%Y-%m-%d"),
            "month_value": first.strftime("%Y-%m"),
            "query": f"month={first:%Y-%m}" if kind == FrontDeskReport.Kind.MONTHLY else f"day={day:%Y-%m-%d}",
            "stored": report_list(store=store),
            "previous": day - dt.timedelta(days=1) if kind == FrontDeskReport.Kind.DAILY else None,
            "following": day + dt.timedelta(days=1)
            if kind == FrontDeskReport.Kind.DAILY and day < local_today()
            else None,
        }
    )
    return render(request, "showroom/frontdesk/reports.html", context)


@require_GET
@login_required
def report_download_view(request, fmt):
    store = _store_for(request, frontdesk_may_read_reports)
    kind, day = _period(request)
    data = _period_data(store, kind, day)
    name = f"frontdesk-{kind}-{day:%Y%m%d}" if kind == FrontDeskReport.Kind.DAILY else f"frontdesk-{kind}-{day:%Y%m}"
    if fmt == "pdf":
        content = report_pdf_bytes(store=store, kind=kind, day=day, data=data)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if fmt == "xlsx":
        content = report_xlsx_bytes(store=store, kind=kind, day=day, data=data)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404
