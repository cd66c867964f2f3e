"""Log a phone call; an agreed callback becomes a follow-up (the plan registers when imported)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.models import Call, Customer, Store
from showroom.registry import FollowUpPlan, register_followup_plan
from showroom.services.frontdesk.common import (
    MAX_CALLBACK_AHEAD,
    MAX_TEXT,
    _check_consultant,
    _check_customer,
    _check_time,
    _require_front_desk,
    normalise_phone,
)
from showroom.services.frontdesk.shifts import _shift_for_logging
from showroom.validators import mask_mobile

CALLBACK_PLAN = "frontdesk.callback"
register_followup_plan(FollowUpPlan(code=CALLBACK_PLAN, label=gettext_lazy("Call back a caller")))


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
