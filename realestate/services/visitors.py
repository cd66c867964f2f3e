"""Visitors on site (篇7 1): intention records with the A/B/C/D grade and its follow-up rhythm,
credit and ownership checks, the sales manager's spot-checks of A customers, the consultant's
day's work log, and callers who did not visit, assigned to the sales supervisors the next day.
The receptionist logs calls and visits with the core front desk (``call_log``, ``visit_log``:
a known mobile finds the customer and shows who owns him)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import CallerAssignment, Intention, Project, SpotCheck, Subscription, WorkLog
from realestate.models.sales import LIVE_SUBSCRIPTION_STATES
from showroom import roles as r
from showroom.models import Call, FollowUp, Visit
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.followups import (
    EVENT_DONE,
    EVENT_MISSED,
    followup_cancel,
    followup_plan_schedule,
    followup_user_may_work,
)
from showroom.services.ownership import customer_contact_record
from showroom.services.transitions import TransitionConflict
from showroom.validators import mask_mobile

from ._common import require_role

# Days between follow-ups per grade (the seed names the grades, not the rhythm: our decision).
GRADE_RHYTHM_DAYS = {"A": 2, "B": 5, "C": 10, "D": 30}
CALLER_PLAN = "realestate.caller"


def grade_plan(grade: str) -> str:
    return f"realestate.grade.{grade}"


def _decimal_or_none(value, *, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        errors[field] = [_("Not a number.")]
        return None
    if number < 0:
        errors[field] = [_("Not below zero.")]
    return number


def _open_grade_followups(*, project_id: int, customer_id: int):
    from django.contrib.contenttypes.models import ContentType

    ids = Intention.objects.filter(project_id=project_id, customer_id=customer_id).values_list("pk", flat=True)
    return FollowUp.objects.filter(
        content_type=ContentType.objects.get_for_model(Intention),
        object_id__in=list(ids),
        state=FollowUp.State.OPEN,
        plan__startswith="realestate.grade.",
    )


def _schedule_next(*, intention: Intention, after: dt.datetime, created_by=None, sequence: int = 1) -> FollowUp:
    days = GRADE_RHYTHM_DAYS[intention.grade]
    return followup_plan_schedule(
        plan_code=grade_plan(intention.grade),
        target=intention,
        store=intention.store,
        assignee=intention.consultant,
        due_at=after + dt.timedelta(days=days),
        kind=FollowUp.Kind.CALL,
        title=_("Follow up grade %(grade)s customer %(name)s")
        % {"grade": intention.grade, "name": intention.customer.name},
        created_by=created_by,
        sequence=sequence,
    )


@transaction.atomic
def intention_record(
    *,
    user,
    project: Project,
    customer,
    grade: str,
    layouts: str,
    visit: Visit | None = None,
    area_from=None,
    area_to=None,
    budget=None,
    notes: str = "",
    now: dt.datetime | None = None,
) -> Intention:
    """The consultant records the intention with the unit types wanted and grades the customer;
    the grade's follow-up rhythm starts (an open follow-up of an earlier grade is cancelled)."""
    require_role(user=user, store_id=project.store_id, roles=(r.CONSULTANT, r.SALES_SUPERVISOR, r.SALES_MANAGER))
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if grade not in Intention.Grade.values:
        errors["grade"] = [_("Grade the customer A, B, C or D.")]
    layouts = (layouts or "").strip()
    if not layouts:
        errors["layouts"] = [_("Write down the unit types wanted.")]
    if customer is None or customer.store_id != project.store_id:
        errors["customer"] = [_("Choose a customer of this store.")]
    if visit is not None and (
        visit.store_id != project.store_id or (customer and visit.customer_id not in (None, customer.pk))
    ):
        errors["visit"] = [_("The visit is another customer's.")]
    low = _decimal_or_none(area_from, field="area_from", errors=errors)
    high = _decimal_or_none(area_to, field="area_to", errors=errors)
    if low is not None and high is not None and low > high:
        errors["area_to"] = [_("The largest area is at least the smallest.")]
    money = _decimal_or_none(budget, field="budget", errors=errors)
    if errors:
        raise ValidationError(errors)
    for followup in _open_grade_followups(project_id=project.pk, customer_id=customer.pk):
        if followup_user_may_work(followup=followup, user=user):
            followup_cancel(followup=followup, user=user, reason=_("Graded again: %(grade)s") % {"grade": grade})
    intention = Intention.objects.create(
        store_id=project.store_id,
        project=project,
        customer=customer,
        consultant=user,
        visit=visit,
        grade=grade,
        layouts=layouts[:200],
        area_from=low,
        area_to=high,
        budget=money,
        notes=(notes or "").strip(),
    )
    customer_contact_record(customer=customer, by=user, at=now)
    _schedule_next(intention=intention, after=now, created_by=user)
    return intention


def grade_followup_hook(*, followup: FollowUp, event: str) -> None:
    """Follow-up plan hook: a grade follow-up done schedules the next one at the rhythm of the
    customer's latest grade, until the customer subscribes (a missed one too: the rhythm goes on)."""
    if event not in (EVENT_DONE, EVENT_MISSED):
        return
    intention = Intention.objects.select_related("customer", "store").filter(pk=followup.object_id).first()
    if intention is None:
        return
    latest = (
        Intention.objects.select_related("customer", "store")
        .filter(project_id=intention.project_id, customer_id=intention.customer_id)
        .order_by("-created_at", "-pk")
        .first()
    )
    bought = Subscription.objects.filter(
        project_id=intention.project_id,
        customer_id=intention.customer_id,
        state__in=[*LIVE_SUBSCRIPTION_STATES, Subscription.State.CONTRACTED],
    ).exists()
    if bought or latest.pk != intention.pk:
        return
    _schedule_next(intention=latest, after=timezone.now(), sequence=followup.sequence + 1)


@transaction.atomic
def intention_checks_record(
    *, user, intention: Intention, credit_on: dt.date | None = None, ownership_on: dt.date | None = None
) -> Intention:
    """The credit check and the ownership check (existing homes) recorded as done, with the date."""
    require_role(user=user, store_id=intention.store_id, roles=(r.CONSULTANT, r.SALES_ASSISTANT, r.SALES_MANAGER))
    if credit_on is None and ownership_on is None:
        raise ValidationError({"credit_on": [_("Give the date of the credit or the ownership check.")]})
    today = timezone.localdate()
    for field, value in (("credit_on", credit_on), ("ownership_on", ownership_on)):
        if value is not None and value > today:
            raise ValidationError({field: [_("A check is recorded once done: not in the future.")]})
    fields = []
    if credit_on is not None:
        intention.credit_checked_on = credit_on
        fields.append("credit_checked_on")
    if ownership_on is not None:
        intention.ownership_checked_on = ownership_on
        fields.append("ownership_checked_on")
    intention.save(update_fields=fields)
    return intention


@transaction.atomic
def spot_check_record(*, user, intention: Intention, confirmed: bool, note: str = "") -> SpotCheck:
    """The sales manager spot-checks an A customer: a tick (confirmed or not) and a note."""
    require_role(user=user, store_id=intention.store_id, roles=(r.SALES_MANAGER,))
    if intention.grade != Intention.Grade.A:
        raise TransitionConflict(_("Only A customers are spot-checked."), state=intention.grade)
    note = (note or "").strip()
    if not confirmed and not note:
        raise ValidationError({"note": [_("Say what is wrong with the record.")]})
    return SpotCheck.objects.create(
        intention=intention, checked_by=user, checked_at=timezone.now(), confirmed=bool(confirmed), note=note[:300]
    )


@transaction.atomic
def work_log_submit(*, user, store, summary: str, day: dt.date | None = None) -> WorkLog:
    """The consultant submits the day's work log before leaving; the day's intention records are
    attached. Once a day (a second one is a 409)."""
    require_role(user=user, store_id=store.pk, roles=(r.CONSULTANT,))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": [_("Write what you did today.")]})
    day = day or timezone.localdate()
    if day != timezone.localdate():
        raise ValidationError({"day": [_("The work log is of today.")]})
    try:
        with transaction.atomic():
            log = WorkLog.objects.create(
                store=store, consultant=user, day=day, summary=summary, submitted_at=timezone.now()
            )
    except IntegrityError:
        raise TransitionConflict(_("Today's work log was already submitted.")) from None
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    Intention.objects.filter(
        store=store,
        consultant=user,
        work_log__isnull=True,
        created_at__gte=start,
        created_at__lt=start + dt.timedelta(days=1),
    ).update(work_log=log)
    return log


def _supervisors(store_id: int) -> list:
    return list(
        get_user_model()
        .objects.filter(
            memberships__store_id=store_id,
            memberships__role__code=r.SALES_SUPERVISOR,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _visited_since(call: Call) -> bool:
    customer = call.customer or customer_find_by_mobile(store=call.store_id, mobile=call.number)
    if customer is None:
        return False
    return Visit.objects.filter(store_id=call.store_id, customer=customer, arrived_at__gte=call.at).exists()


def callers_assign_job(*, store, day: dt.date) -> int:
    """Per-store job (the morning after): yesterday's callers who have not visited are shared out
    among the sales supervisors in turn, each as a call follow-up due today. Returns how many."""
    supervisors = _supervisors(store.pk)
    if not supervisors:
        return 0
    start = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), dt.time.min))
    calls = (
        Call.objects.filter(store=store, at__gte=start, at__lt=start + dt.timedelta(days=1))
        .exclude(pk__in=CallerAssignment.objects.values("call_id"))
        .select_related("customer")
        .order_by("at", "pk")
    )
    due = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    turn = CallerAssignment.objects.filter(store=store).count()
    assigned = 0
    for call in calls:
        if _visited_since(call):
            continue
        supervisor = supervisors[turn % len(supervisors)]
        turn += 1
        with transaction.atomic():
            row = CallerAssignment.objects.create(store=store, call=call, supervisor=supervisor, assigned_on=day)
            followup_plan_schedule(
                plan_code=CALLER_PLAN,
                target=row,
                store=store,
                assignee=supervisor,
                due_at=due,
                kind=FollowUp.Kind.CALL,
                title=_("Call back %(number)s (called, not visited)") % {"number": mask_mobile(call.number)},
            )
        assigned += 1
    return assigned
