"""Writes of the front desk: receptionist shifts (open, close, hand over), walk-ins and calls,
the store's front-desk settings, and the daily and monthly reports.

A store has at most one open shift (a partial unique constraint; the services lock the store's
row before opening one). Every visit and call is counted in the shift that was open when it was
logged; logging with no open shift opens one for the person logging (every walk-in is logged). A
shift opened on an earlier day is closed before anything is logged on a new day, so a day's shifts
count exactly that day's visits. Closing a shift snapshots its counts and hands its open visits
to the next shift (``current_shift`` moves, ``counted_shift`` never does), so an open visit is
neither lost nor counted twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from functools import partial

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.models import (
    Assignment,
    Call,
    Customer,
    FrontDeskReport,
    FrontDeskSettings,
    ReceptionShift,
    Store,
    Visit,
    VisitSource,
)
from showroom.permissions import has_role
from showroom.registry import FollowUpPlan, register_followup_plan
from showroom.selectors.frontdesk import (
    CLOCK_SKEW,
    DISTRIBUTION_EDITORS,
    FRONT_DESK_ROLES,
    ROSTER_MANAGERS,
    frontdesk_day_counts,
    frontdesk_may_work,
    frontdesk_month_counts,
    frontdesk_settings_get,
    is_store_consultant,
    local_today,
    previous_month,
    report_pdf_bytes,
    report_period_label,
    report_recipients,
    shift_counts,
    user_label,
    visit_sources_for,
)
from showroom.services.roster import roster_entry_busy, roster_entry_release
from showroom.services.transitions import TransitionConflict
from showroom.signals import visit_assigned, visit_logged
from showroom.validators import mask_mobile, validate_licence_plate

logger = logging.getLogger(__name__)

CALLBACK_PLAN = "frontdesk.callback"
register_followup_plan(FollowUpPlan(code=CALLBACK_PLAN, label=gettext_lazy("Call back a caller")))

MAX_PARTY = 50
MAX_TEXT = 2000
#: A callback may be agreed this far ahead.
MAX_CALLBACK_AHEAD = dt.timedelta(days=90)


def _require(user, store, roles, message: str) -> None:
    if not has_role(user, store, roles):
        raise PermissionDenied(message)


def _require_front_desk(user, store) -> None:
    _require(user, store, FRONT_DESK_ROLES, _("Only the front desk and the showroom's managers may do this."))


def _lock_store(store: Store) -> None:
    """Serialise the front desk's shift changes in one store."""
    Store.objects.select_for_update().filter(pk=store.pk).values_list("pk", flat=True).first()


def _check_time(value, *, field: str, errors: dict, now: dt.datetime, today_only: bool = True, not_before=None) -> None:
    """A time typed at the desk: aware, not in the future, today (local) unless told otherwise."""
    if value is None:
        return
    if not isinstance(value, dt.datetime):
        errors[field] = [_("Enter a date and time.")]
    elif timezone.is_naive(value):
        errors[field] = [_("Give the time with its time zone.")]
    elif value > now + CLOCK_SKEW:
        errors[field] = [_("This time is in the future.")]
    elif today_only and timezone.localtime(value).date() != local_today(now):
        errors[field] = [_("Only today's visitors and callers are logged here.")]
    elif not_before is not None and value < not_before:
        errors[field] = [_("This is earlier than the arrival.")]


def _check_customer(customer, *, store: Store, errors: dict) -> None:
    if customer is None:
        return
    if not isinstance(customer, Customer) or customer.store_id != store.pk:
        errors["customer"] = [_("Choose a customer of this store.")]


def _check_consultant(consultant, *, store: Store, errors: dict, field: str = "consultant") -> None:
    if consultant is None:
        return
    if not is_store_consultant(user=consultant, store=store):
        errors[field] = [_("Choose a consultant of this store.")]


def normalise_plate(value: str) -> str:
    return str(value or "").strip().upper().replace(" ", "").replace("·", "").replace("-", "")


def normalise_phone(value: str) -> str:
    """Any phone number as its digits (a leading + is dropped with the rest of the punctuation)."""
    return re.sub(r"\D", "", str(value or ""))


# --- shifts ------------------------------------------------------------------------------------


def _open_locked(*, store: Store, user, now: dt.datetime) -> ReceptionShift:
    """Open a shift (the store is locked and has no open shift) and adopt the open visits that
    closed shifts left behind."""
    planned = frontdesk_settings_get(store=store).shift_minutes
    try:
        with transaction.atomic():
            shift = ReceptionShift.objects.create(
                store=store, receptionist=user, opened_at=now, planned_minutes=planned
            )
    except IntegrityError as exc:  # another desk opened one between our check and our insert
        raise TransitionConflict(_("Another shift was opened at the same time. Reload the board.")) from exc
    left_behind = Visit.objects.filter(store=store, left_at__isnull=True, current_shift__closed_at__isnull=False)
    previous = set(left_behind.values_list("current_shift_id", flat=True))
    if previous:
        left_behind.update(current_shift=shift)
        ReceptionShift.objects.filter(pk__in=previous, handed_to__isnull=True).update(handed_to=shift)
    return shift


def _close_locked(*, shift: ReceptionShift, user, now: dt.datetime, note: str = "") -> dict:
    counts = shift_counts(shift=shift)
    shift.closed_at = max(now, shift.opened_at)
    shift.closed_by = user
    shift.counts = counts
    shift.handover_note = note
    shift.save(update_fields=["closed_at", "closed_by", "counts", "handover_note"])
    return counts


def _is_stale(shift: ReceptionShift, now: dt.datetime) -> bool:
    return timezone.localtime(shift.opened_at).date() < local_today(now)


def _shift_for_logging(*, store: Store, user, now: dt.datetime) -> ReceptionShift:
    """The open shift a visit or call is counted in: today's open shift, or a new one for
    ``user`` (closing a shift left open since an earlier day first)."""
    shift = ReceptionShift.objects.select_for_update().filter(store=store, closed_at__isnull=True).first()
    if shift is not None and not _is_stale(shift, now):
        return shift
    _lock_store(store)
    shift = ReceptionShift.objects.select_for_update().filter(store=store, closed_at__isnull=True).first()
    if shift is not None:
        if not _is_stale(shift, now):
            return shift
        _close_locked(shift=shift, user=None, now=now, note=_("Closed automatically: still open on a new day."))
    return _open_locked(store=store, user=user, now=now)


@transaction.atomic
def shift_open(*, store: Store, user) -> ReceptionShift:
    """Open a shift for ``user`` at the store's desk. A shift still open from an earlier day is
    closed first; one open today must be closed or handed over instead (409)."""
    _require_front_desk(user, store)
    now = timezone.now()
    _lock_store(store)
    current = ReceptionShift.objects.select_for_update().filter(store=store, closed_at__isnull=True).first()
    if current is not None:
        if not _is_stale(current, now):
            raise TransitionConflict(
                _("%(name)s's shift is open since %(time)s; close it or have it handed over to you.")
                % {
                    "name": user_label(current.receptionist),
                    "time": timezone.localtime(current.opened_at).strftime("%H:%M"),
                }
            )
        _close_locked(shift=current, user=None, now=now, note=_("Closed automatically: still open on a new day."))
    return _open_locked(store=store, user=user, now=now)


@transaction.atomic
def shift_close(*, shift: ReceptionShift, user, next_receptionist=None, note: str = "") -> dict:
    """Close the shift and return its counts. Its open visits go to the next shift: the one opened
    now for ``next_receptionist`` when given, else the next one opened. Nothing is counted twice:
    a visit stays counted in the shift it was logged in."""
    _require_front_desk(user, shift.store)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if next_receptionist is not None and (
        not getattr(next_receptionist, "is_active", False)
        or not has_role(next_receptionist, shift.store_id, FRONT_DESK_ROLES)
    ):
        errors["next_receptionist"] = [_("Hand over to someone who works the desk in this store.")]
    if len(note) > MAX_TEXT:
        errors["note"] = [_("Keep the handover note under 2000 characters.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    _lock_store(shift.store)
    locked = ReceptionShift.objects.select_for_update().select_related("store").get(pk=shift.pk)
    if locked.closed_at is not None:
        raise TransitionConflict(_("This shift is already closed."), state="closed")
    counts = _close_locked(shift=locked, user=user, now=now, note=note)
    if next_receptionist is not None:
        following = _open_locked(store=locked.store, user=next_receptionist, now=now)
        counts["handed_to"] = following.pk
    shift.closed_at, shift.counts, shift.closed_by = locked.closed_at, locked.counts, user
    return counts


# --- visits ------------------------------------------------------------------------------------


@transaction.atomic
def visit_log(
    *,
    store: Store,
    user,
    party_size: int,
    purpose: str,
    first_visit: bool,
    source: VisitSource | None,
    arrived_at: dt.datetime | None = None,
    licence_plate: str = "",
    customer: Customer | None = None,
    consultant=None,
    notes: str = "",
) -> Visit:
    """Log a walk-in in the open shift (opening one for ``user`` when none is open). With a
    consultant, the customer asked for him: recorded as such (it takes nobody's turn)."""
    _require_front_desk(user, store)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if not isinstance(party_size, int) or isinstance(party_size, bool) or not 1 <= party_size <= MAX_PARTY:
        errors["party_size"] = [_("A party is 1 to %(max)s people.") % {"max": MAX_PARTY}]
    if purpose not in Visit.Purpose.values:
        errors["purpose"] = [_("Choose what the visitor came for.")]
    if not isinstance(first_visit, bool):
        errors["first_visit"] = [_("Say whether this is the first visit.")]
    if source is None or source.pk not in {s.pk for s in visit_sources_for(store=store)}:
        errors["source"] = [_("Choose a source from the store's list.")]
    _check_time(arrived_at, field="arrived_at", errors=errors, now=now)
    plate = normalise_plate(licence_plate)
    if plate:
        try:
            validate_licence_plate(plate)
        except ValidationError as exc:
            errors["licence_plate"] = exc.messages
    _check_customer(customer, store=store, errors=errors)
    _check_consultant(consultant, store=store, errors=errors)
    notes = (notes or "").strip()
    if len(notes) > MAX_TEXT:
        errors["notes"] = [_("Keep the notes under 2000 characters.")]
    if errors:
        raise ValidationError(errors)

    shift = _shift_for_logging(store=store, user=user, now=now)
    visit = Visit.objects.create(
        store=store,
        counted_shift=shift,
        current_shift=shift,
        arrived_at=arrived_at or now,
        party_size=party_size,
        purpose=purpose,
        first_visit=first_visit,
        source=source,
        licence_plate=plate,
        customer=customer,
        consultant=consultant,
        notes=notes,
        logged_by=user,
    )
    visit_logged.send(sender=Visit, visit=visit)
    if consultant is not None:
        entry = roster_entry_busy(consultant_id=consultant.pk, store=store, now=now)
        Assignment.objects.create(
            store=store,
            day=local_today(now),
            roster_entry=entry,
            consultant=consultant,
            visit=visit,
            kind=Assignment.Kind.REQUESTED,
            counts_for_fairness=False,
            decided_by=user,
        )
        visit_assigned.send(sender=Visit, visit=visit, consultant=consultant)
    return visit


def _lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update(of=("self",)).select_related("store").get(pk=visit.pk)


@transaction.atomic
def visit_leave(*, visit: Visit, user, left_at: dt.datetime | None = None) -> Visit:
    """The visitor left. The consultant is available again when he has no other open visit."""
    locked = _lock_visit(visit)
    if not (
        frontdesk_may_work(user=user, store=locked.store) or (user is not None and locked.consultant_id == user.pk)
    ):
        raise PermissionDenied(_("Only the front desk, the visit's consultant or a manager may do this."))
    if locked.left_at is not None:
        raise TransitionConflict(
            _("This visitor already left at %(time)s.")
            % {"time": timezone.localtime(locked.left_at).strftime("%H:%M")},
            state="left",
        )
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    _check_time(left_at, field="left_at", errors=errors, now=now, today_only=False, not_before=locked.arrived_at)
    if errors:
        raise ValidationError(errors)
    locked.left_at = left_at or max(now, locked.arrived_at)
    locked.save(update_fields=["left_at"])
    roster_entry_release(consultant_id=locked.consultant_id, store=locked.store, now=now)
    visit.left_at = locked.left_at
    return locked


@transaction.atomic
def visit_customer_link(*, visit: Visit, user, customer: Customer) -> Visit:
    """Name the customer of an anonymous visit (or correct it)."""
    locked = _lock_visit(visit)
    if not (
        frontdesk_may_work(user=user, store=locked.store) or (user is not None and locked.consultant_id == user.pk)
    ):
        raise PermissionDenied(_("Only the front desk, the visit's consultant or a manager may do this."))
    errors: dict[str, list[str]] = {}
    if customer is None:
        errors["customer"] = [_("Choose a customer of this store.")]
    _check_customer(customer, store=locked.store, errors=errors)
    if errors:
        raise ValidationError(errors)
    locked.customer = customer
    locked.save(update_fields=["customer"])
    return locked


# --- calls -------------------------------------------------------------------------------------


@transaction.atomic
def call_log(
    *,
    store: Store,
    user,
    number: str,
    question: str,
    at: dt.datetime | None = None,
    callback_agreed_at: dt.datetime | None = None,
    callback_note: str = "",
    customer: Customer | None = None,
    consultant=None,
) -> Call:
    """Log a phone call in the open shift (opening one when none is open). An agreed callback
    becomes a follow-up for the consultant (or for whoever took the call)."""
    _require_front_desk(user, store)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    digits = normalise_phone(number)
    if not 3 <= len(digits) <= 20:
        errors["number"] = [_("Enter the caller's number (3 to 20 digits).")]
    question = (question or "").strip()
    if not question:
        errors["question"] = [_("Write down what the caller asked.")]
    elif len(question) > MAX_TEXT:
        errors["question"] = [_("Keep it under 2000 characters.")]
    _check_time(at, field="at", errors=errors, now=now)
    called_at = at or now
    if callback_agreed_at is not None:
        if not isinstance(callback_agreed_at, dt.datetime):
            errors["callback_agreed_at"] = [_("Enter a date and time.")]
        elif timezone.is_naive(callback_agreed_at):
            errors["callback_agreed_at"] = [_("Give the time with its time zone.")]
        elif isinstance(called_at, dt.datetime) and callback_agreed_at < called_at:
            errors["callback_agreed_at"] = [_("The callback comes after the call.")]
        elif callback_agreed_at > now + MAX_CALLBACK_AHEAD:
            errors["callback_agreed_at"] = [_("Agree a callback within the next 90 days.")]
    callback_note = (callback_note or "").strip()
    if len(callback_note) > 200:
        errors["callback_note"] = [_("Keep the callback note under 200 characters.")]
    _check_customer(customer, store=store, errors=errors)
    _check_consultant(consultant, store=store, errors=errors)
    if errors:
        raise ValidationError(errors)

    shift = _shift_for_logging(store=store, user=user, now=now)
    call = Call.objects.create(
        store=store,
        counted_shift=shift,
        at=called_at,
        number=digits,
        question=question,
        callback_agreed_at=callback_agreed_at,
        callback_note=callback_note,
        customer=customer,
        consultant=consultant,
        logged_by=user,
    )
    if callback_agreed_at is not None:
        from showroom.services.followups import followup_plan_schedule

        with translation.override(django_settings.LANGUAGE_CODE):
            title = _("Call back %(number)s: %(question)s") % {
                "number": mask_mobile(digits),
                "question": question[:80],
            }
        followup_plan_schedule(
            plan_code=CALLBACK_PLAN,
            target=call,
            store=store,
            assignee=consultant or user,
            due_at=callback_agreed_at,
            kind="call",
            title=title[:200],
            created_by=user,
        )
    return call


# --- settings ----------------------------------------------------------------------------------

_SETTING_BOUNDS = {
    "shift_minutes": (30, 720),
    "overdue_skip_hours": (1, 24 * 30),
    "dormant_after_days": (1, 3650),
}


@transaction.atomic
def frontdesk_settings_update(
    *,
    store: Store,
    user,
    shift_minutes: int | None = None,
    overdue_skip_hours: int | None = None,
    dormant_after_days: int | None = None,
    distribution_rule: str | None = None,
) -> FrontDeskSettings:
    """Change the store's front-desk settings (managers; the distribution rule: the sales
    manager or the general manager). Values left out keep theirs."""
    _require(user, store, ROSTER_MANAGERS, _("Only the showroom's managers may change the front-desk settings."))
    if distribution_rule is not None:
        _require(
            user, store, DISTRIBUTION_EDITORS, _("Only the sales manager sets how campaign leads are distributed.")
        )
    values = {
        "shift_minutes": shift_minutes,
        "overdue_skip_hours": overdue_skip_hours,
        "dormant_after_days": dormant_after_days,
    }
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if value is None:
            continue
        low, high = _SETTING_BOUNDS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    if distribution_rule is not None and distribution_rule not in FrontDeskSettings.DistributionRule.values:
        errors["distribution_rule"] = [_("Choose round-robin or back to the seller.")]
    if errors:
        raise ValidationError(errors)
    row, _created = FrontDeskSettings.objects.select_for_update().get_or_create(store=store)
    for name, value in values.items():
        if value is not None:
            setattr(row, name, value)
    if distribution_rule is not None:
        row.distribution_rule = distribution_rule
    row.save()
    return row


# --- reports -----------------------------------------------------------------------------------


def _store_report(*, store: Store, kind: str, day: dt.date, data: dict) -> FrontDeskReport:
    report, created = FrontDeskReport.objects.get_or_create(store=store, kind=kind, day=day, defaults={"data": data})
    if not created:
        report.data = data
        report.emailed_at = None
        report.save(update_fields=["data", "emailed_at", "updated_at"])
    transaction.on_commit(partial(frontdesk_report_email_send, report_id=report.pk))
    return report


def frontdesk_report_daily(*, store: Store, day: dt.date) -> FrontDeskReport:
    """The daily front-desk report (run by the beat at the store's closing time): the day's counts,
    stored, and e-mailed to the store's sales managers and marketing directors once committed."""
    return _store_report(
        store=store, kind=FrontDeskReport.Kind.DAILY, day=day, data=frontdesk_day_counts(store=store, day=day)
    )


def frontdesk_report_monthly(*, store: Store, day: dt.date) -> FrontDeskReport:
    """The monthly summary (run on the first day of a month): the previous month's counts."""
    first, _last = previous_month(day)
    return _store_report(
        store=store,
        kind=FrontDeskReport.Kind.MONTHLY,
        day=first,
        data=frontdesk_month_counts(store=store, day=first),
    )


def frontdesk_report_email_send(*, report_id: int) -> bool:
    """E-mail one stored report to the store's sales managers and marketing directors, once: the
    row is claimed before sending and released when sending fails. True when sent now."""
    now = timezone.now()
    if not FrontDeskReport.objects.filter(pk=report_id, emailed_at__isnull=True).update(emailed_at=now):
        return False
    report = FrontDeskReport.objects.select_related("store").get(pk=report_id)
    recipients = report_recipients(store=report.store)
    if not recipients:
        FrontDeskReport.objects.filter(pk=report_id).update(emailed_at=None)
        logger.info("front-desk report %s: the store has no sales manager or marketing director", report_id)
        return False
    with translation.override(django_settings.LANGUAGE_CODE):
        period = report_period_label(kind=report.kind, day=report.day)
        data = report.data
        subject = _("[%(app)s] Front-desk report %(period)s · %(store)s") % {
            "app": _("Showroom"),
            "period": period,
            "store": report.store.name,
        }
        body = "\n".join(
            [
                _("Visits: %(visits)s (first %(first)s, return %(return)s), %(people)s people")
                % {k: data.get(k, 0) for k in ("visits", "first", "return", "people")},
                _("Calls: %(calls)s, callbacks agreed: %(callbacks)s")
                % {k: data.get(k, 0) for k in ("calls", "callbacks")},
                "",
                _("The report with every breakdown is attached and on the reports page:"),
                _report_url(report),
            ]
        )
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=django_settings.DEFAULT_FROM_EMAIL,
        to=[u.email for u in recipients],
    )
    try:
        message.attach(
            f"frontdesk-{report.kind}-{report.day:%Y%m%d}.pdf",
            report_pdf_bytes(store=report.store, kind=report.kind, day=report.day, data=report.data),
            "application/pdf",
        )
    except Exception:
        logger.exception("front-desk report %s: the PDF could not be rendered; sent without it", report_id)
    try:
        message.send()
    except Exception:
        logger.exception("front-desk report %s: e-mail failed", report_id)
        FrontDeskReport.objects.filter(pk=report_id).update(emailed_at=None)
        return False
    return True


def _report_url(report: FrontDeskReport) -> str:
    base = getattr(django_settings, "SHOWROOM", {}).get("BASE_URL", "")
    if report.kind == FrontDeskReport.Kind.MONTHLY:
        query = f"?month={report.day:%Y-%m}"
    else:
        query = f"?day={report.day:%Y-%m-%d}"
    return f"{base}{reverse('frontdesk:reports')}{query}&store={report.store_id}"


__all__ = [
    "CALLBACK_PLAN",
    "call_log",
    "frontdesk_report_daily",
    "frontdesk_report_email_send",
    "frontdesk_report_monthly",
    "frontdesk_settings_update",
    "shift_close",
    "shift_open",
    "visit_customer_link",
    "visit_leave",
    "visit_log",
]
