"""Grades and their follow-up rhythm.

Each store has its grade rules (H / A / B / C: buys within N days, follow up every M days, whether
the showroom manager confirms the plan), created with the defaults the first time a store needs
them. A lead's grade has a plan in the follow-ups engine, one plan code per grade
(``leads.grade.H`` …): a follow-up is scheduled when the grade is set, and each one completed (or
missed) schedules the next with the rhythm of the lead's grade, until the lead closes. Changing the
grade cancels the pending follow-up and starts the new grade's rhythm.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.models import GradeRule, Lead, lead_may_manage_plan
from leads.services._common import first_holders, in_site_language, lead_lock, notify, person, require, require_open
from showroom.models import FollowUp, Store
from showroom.permissions import has_role, roles_in
from showroom.registry import FollowUpPlan, register_followup_plan
from showroom.roles import GENERAL_MANAGER, SHOWROOM_MANAGER
from showroom.services.followups import (
    EVENT_DONE,
    EVENT_MISSED,
    followup_cancel,
    followup_plan_schedule,
    followup_user_may_work,
)
from showroom.services.transitions import TransitionConflict

GRADES = tuple(GradeRule.Grade.values)
# grade: (buys within days, follow up every days, plan confirmed by the showroom manager)
DEFAULT_GRADE_RULES = {
    "H": (7, 2, True),
    "A": (15, 3, True),
    "B": (30, 7, False),
    "C": (90, 14, False),
}
GRADE_PLAN_PREFIX = "leads.grade."
# The days a purchase timeline stands for, to propose a grade when none is given.
TIMELINE_DAYS = {
    Lead.Timeline.WEEK: 7,
    Lead.Timeline.FORTNIGHT: 15,
    Lead.Timeline.MONTH: 30,
    Lead.Timeline.QUARTER: 90,
    Lead.Timeline.LATER: None,
}
PLAN_CONFIRMERS = (SHOWROOM_MANAGER, GENERAL_MANAGER)


def grade_plan_code(grade: str) -> str:
    return f"{GRADE_PLAN_PREFIX}{grade}"


def grade_rules_for(store: Store | int) -> dict[str, GradeRule]:
    """The store's rule for each grade, creating the missing ones with the defaults."""
    store_id = store if isinstance(store, int) else store.pk
    rules = {rule.grade: rule for rule in GradeRule.objects.filter(store_id=store_id)}
    for grade, (within, every, needs_plan) in DEFAULT_GRADE_RULES.items():
        if grade not in rules:
            rules[grade], _created = GradeRule.objects.get_or_create(
                store_id=store_id,
                grade=grade,
                defaults={
                    "buy_within_days": within,
                    "follow_up_every_days": every,
                    "needs_manager_plan": needs_plan,
                },
            )
    return rules


def grade_for_timeline(*, rules: dict[str, GradeRule], timeline: str) -> str:
    """The grade whose "buys within" is the shortest that still covers the timeline; the longest
    one for "later or unsure"."""
    ordered = sorted(rules.values(), key=lambda rule: (rule.buy_within_days, rule.grade))
    days = TIMELINE_DAYS.get(timeline)
    if days is not None:
        for rule in ordered:
            if rule.buy_within_days >= days:
                return rule.grade
    return ordered[-1].grade


def _lead_type() -> ContentType:
    return ContentType.objects.get_for_model(Lead)


def grade_followups_open(*, lead: Lead):
    return FollowUp.objects.filter(
        content_type=_lead_type(),
        object_id=lead.pk,
        state=FollowUp.State.OPEN,
        plan__startswith=GRADE_PLAN_PREFIX,
    ).order_by("due_at", "id")


def grade_plan_schedule(
    *, lead: Lead, rule: GradeRule, created_by=None, sequence: int = 1, start: dt.datetime | None = None
) -> FollowUp | None:
    """Schedule the next follow-up of the lead's grade plan, ``rule.follow_up_every_days`` after
    ``start`` (now). None when the consultant no longer works in the store (nobody to remind)."""
    if not roles_in(lead.consultant, lead.store_id):
        return None
    start = start or timezone.now()
    with in_site_language():
        title = _("Grade %(grade)s follow-up: %(customer)s") % {"grade": rule.grade, "customer": lead.customer.name}
    return followup_plan_schedule(
        plan_code=grade_plan_code(rule.grade),
        target=lead,
        store=lead.store,
        assignee=lead.consultant,
        due_at=start + dt.timedelta(days=rule.follow_up_every_days),
        kind=FollowUp.Kind.CALL,
        title=title,
        created_by=created_by,
        sequence=sequence,
    )


def grade_plan_cancel(*, lead: Lead, user, reason: str) -> int:
    """Cancel the lead's pending grade follow-ups as ``user`` (who must be allowed to)."""
    cancelled = 0
    for followup in grade_followups_open(lead=lead):
        followup_cancel(followup=followup, user=user, reason=reason)
        cancelled += 1
    return cancelled


def grade_plan_close(*, lead: Lead, user, reason: str) -> int:
    """When a lead closes: cancel the pending grade follow-ups ``user`` may cancel. Those left (the
    user may not touch them, or no user ran the step) schedule nothing more when done: the plan's
    hook stops at a closed lead."""
    cancelled = 0
    for followup in grade_followups_open(lead=lead):
        if user is not None and followup_user_may_work(followup=followup, user=user):
            followup_cancel(followup=followup, user=user, reason=reason)
            cancelled += 1
    return cancelled


def grade_plan_hook(*, followup: FollowUp, event: str) -> None:
    """Registered for every grade plan: a follow-up done (or missed) schedules the next one with
    the rhythm of the lead's grade, unless the lead closed or already has one pending. A done one
    counts as a contact with the customer."""
    if event not in (EVENT_DONE, EVENT_MISSED):
        return
    lead = (
        Lead.objects.select_for_update(of=("self",))
        .select_related("store", "customer", "consultant")
        .filter(pk=followup.object_id)
        .first()
    )
    if lead is None or not lead.is_open:
        return
    if (
        event == EVENT_DONE
        and followup.done_at
        and (lead.last_contact_at is None or followup.done_at > lead.last_contact_at)
    ):
        lead.last_contact_at = followup.done_at
        lead.save(update_fields=["last_contact_at", "updated_at"])
    if followup.plan != grade_plan_code(lead.grade) or grade_followups_open(lead=lead).exists():
        return
    rule = grade_rules_for(lead.store)[lead.grade]
    grade_plan_schedule(lead=lead, rule=rule, sequence=followup.sequence + 1)


def register_grade_plans() -> None:
    for grade in GRADES:
        register_followup_plan(
            FollowUpPlan(
                code=grade_plan_code(grade),
                label=format_lazy("{} {}", gettext_lazy("Lead follow-up, grade"), grade),
                hook=grade_plan_hook,
            )
        )


def plan_confirmation_request(*, lead: Lead, rule: GradeRule) -> None:
    """Tell the showroom manager an H or A lead's plan waits for confirmation."""
    if not rule.needs_manager_plan:
        return
    managers = first_holders(
        store_id=lead.store_id, roles=(SHOWROOM_MANAGER, GENERAL_MANAGER), exclude_user_id=lead.consultant_id
    )
    with in_site_language():
        title = _("Confirm the follow-up plan of a grade %(grade)s lead") % {"grade": lead.grade}
        body = _("%(customer)s, consultant %(consultant)s") % {
            "customer": lead.customer.name,
            "consultant": person(lead.consultant),
        }
    for manager in managers:
        notify(
            user=manager,
            key=f"leads:plan:{lead.pk}:{lead.grade}:{timezone.now():%Y%m%d%H%M%S}",
            title=title,
            body=body,
            url=reverse("leads:detail", args=[lead.pk]),
        )


@transaction.atomic
def lead_grade_set(*, lead: Lead, grade: str, user) -> Lead:
    """Change the grade: the pending grade follow-up is cancelled and the new grade's rhythm starts
    now. H and A plans then wait for the showroom manager's confirmation again."""
    lead = lead_lock(lead)
    require(
        lead_may_manage_plan(lead, user),
        _("Only the lead's consultant or a showroom or sales manager may change its grade."),
    )
    require_open(lead)
    if grade not in GRADES:
        raise ValidationError({"grade": [_("Choose H, A, B or C.")]})
    if grade == lead.grade:
        return lead
    rules = grade_rules_for(lead.store)
    old = lead.grade
    with in_site_language():
        reason = _("Grade changed from %(old)s to %(new)s by %(who)s; the plan is replaced.") % {
            "old": old,
            "new": grade,
            "who": person(user),
        }
    grade_plan_cancel(lead=lead, user=user, reason=reason)
    lead.grade = grade
    lead.plan_confirmed_at = None
    lead.plan_confirmed_by = None
    lead.plan_note = ""
    lead.save(update_fields=["grade", "plan_confirmed_at", "plan_confirmed_by", "plan_note", "updated_at"])
    grade_plan_schedule(lead=lead, rule=rules[grade], created_by=user)
    plan_confirmation_request(lead=lead, rule=rules[grade])
    return lead


@transaction.atomic
def lead_plan_confirm(*, lead: Lead, user, note: str) -> Lead:
    """The showroom manager confirms an H or A lead's follow-up plan, with the plan and talking
    points agreed with the consultant."""
    lead = lead_lock(lead)
    require(
        has_role(user, lead.store_id, PLAN_CONFIRMERS),
        _("Only the showroom manager confirms a follow-up plan."),
    )
    require_open(lead)
    rule = grade_rules_for(lead.store)[lead.grade]
    if not rule.needs_manager_plan:
        raise TransitionConflict(
            _("A grade %(grade)s lead needs no confirmed plan.") % {"grade": lead.grade}, state=lead.state
        )
    if lead.plan_confirmed_at is not None:
        raise TransitionConflict(_("This plan is already confirmed."), state=lead.state)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Write down the follow-up plan and the talking points agreed.")]})
    lead.plan_confirmed_at = timezone.now()
    lead.plan_confirmed_by = user
    lead.plan_note = note
    lead.save(update_fields=["plan_confirmed_at", "plan_confirmed_by", "plan_note", "updated_at"])
    with in_site_language():
        title = _("Your follow-up plan is confirmed: %(customer)s") % {"customer": lead.customer.name}
    notify(
        user=lead.consultant,
        key=f"leads:plan-confirmed:{lead.pk}:{lead.plan_confirmed_at:%Y%m%d%H%M%S}",
        title=title,
        body=note,
        url=reverse("leads:detail", args=[lead.pk]),
    )
    return lead
