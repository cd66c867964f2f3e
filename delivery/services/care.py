"""Owner care after the delivery (seed article 1, 八、售后跟踪).

``care_plan_start`` schedules the calls of plan ``delivery.care`` from the handover day: day 3,
day 7 and day 30, the first-service reminder a week before the earlier of its date and its
mileage estimate, the owners-club invitation (day 14) and the referral ask (day 60), each at the
call hour. ``care_call_record`` records what a call found (or that the owner was not reached); an
unanswered question becomes a task for the right person; three missed calls in a row escalate to
the showroom manager (the plan's hook).
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delivery.models import CareCall, Delivery, Referral
from delivery.services._common import at_local, delivery_setting, member_with_role, not_before_now
from showroom.models import Customer, FollowUp
from showroom.permissions import has_role, roles_in
from showroom.roles import GENERAL_MANAGER, SALES_MANAGER, SHOWROOM_MANAGER
from showroom.services.followups import (
    EVENT_MISSED,
    followup_complete,
    followup_miss,
    followup_plan_schedule,
    notification_send,
)

PLAN_CARE = "delivery.care"
PLAN_QUESTION = "delivery.care_question"
PLAN_CARE_ESCALATED = "delivery.care_escalated"
PLAN_REFERRAL_THANKS = "delivery.referral_thanks"
MISSED_IN_A_ROW = 3

# (step, days after the handover, kind, title); the first-service reminder is computed.
CARE_STEPS = (
    ("day3", 3, FollowUp.Kind.CALL, gettext_lazy("Day-3 care call: how is the car used, any questions?")),
    ("day7", 7, FollowUp.Kind.CALL, gettext_lazy("Day-7 care call: connected services, feedback, suggestions")),
    ("club", 14, FollowUp.Kind.CALL, gettext_lazy("Invite the owner to the owners' club")),
    ("day30", 30, FollowUp.Kind.CALL, gettext_lazy("Day-30 care call")),
    ("referral", 60, FollowUp.Kind.CALL, gettext_lazy("Ask the owner to refer friends, and thank him")),
)
FIRST_SERVICE_STEP = "first_service"
STEP_SEQUENCE = {"day3": 1, "day7": 2, "club": 3, "day30": 4, FIRST_SERVICE_STEP: 5, "referral": 6}
STEP_BY_SEQUENCE = {n: step for step, n in STEP_SEQUENCE.items()}


def first_service_due(*, delivery: Delivery) -> dt.date:
    """The earlier of the first-service date and the day the mileage estimate is reached."""
    handed = timezone.localtime(delivery.handed_over_at or timezone.now()).date()
    km = delivery.first_service_km or delivery_setting("FIRST_SERVICE_KM")
    per_day = delivery.km_per_day or delivery_setting("KM_PER_DAY")
    by_km = handed + dt.timedelta(days=max(1, km // per_day))
    return min(by_km, delivery.first_service_date) if delivery.first_service_date else by_km


def care_plan_dates(*, delivery: Delivery) -> dict[str, dt.datetime]:
    handed = timezone.localtime(delivery.handed_over_at or timezone.now()).date()
    hour = delivery_setting("CALL_HOUR")
    dates = {step: at_local(handed + dt.timedelta(days=days), hour) for step, days, _k, _t in CARE_STEPS}
    dates[FIRST_SERVICE_STEP] = at_local(first_service_due(delivery=delivery) - dt.timedelta(days=7), hour)
    return dates


def care_plan_start(*, delivery: Delivery, user) -> list[FollowUp]:
    dates = care_plan_dates(delivery=delivery)
    titles = {step: title for step, _d, _k, title in CARE_STEPS}
    service_day = first_service_due(delivery=delivery)
    titles[FIRST_SERVICE_STEP] = _("Remind the owner of the first service (by %(day)s or %(km)s km)") % {
        "day": service_day.isoformat(),
        "km": delivery.first_service_km or delivery_setting("FIRST_SERVICE_KM"),
    }
    created = []
    for step, due in sorted(dates.items(), key=lambda pair: (pair[1], STEP_SEQUENCE[pair[0]])):
        created.append(
            followup_plan_schedule(
                plan_code=PLAN_CARE,
                target=delivery,
                store=delivery.store,
                assignee=delivery.consultant,
                due_at=not_before_now(due),
                kind=FollowUp.Kind.CALL,
                title=str(titles[step]),
                created_by=user,
                sequence=STEP_SEQUENCE[step],
            )
        )
    return created


def _care_followup(followup: FollowUp) -> Delivery:
    if followup.plan != PLAN_CARE or followup.content_type_id != ContentType.objects.get_for_model(Delivery).pk:
        raise ValidationError({"followup": [_("This is not an owner-care call.")]})
    return Delivery.objects.select_related("store", "customer", "consultant").get(pk=followup.object_id)


@transaction.atomic
def care_call_record(
    *,
    followup: FollowUp,
    user,
    reached: bool,
    usage: str = "",
    connected_services: str = "",
    questions: str = "",
    unanswered: str = "",
    unanswered_to=None,
    suggestions: str = "",
) -> CareCall:
    """Record a care call. Reached: the follow-up is done with what was learned (usage, connected
    services, questions, suggestions); a question we could not answer becomes a task for
    ``unanswered_to`` (default: the store's showroom manager). Not reached: the call is missed."""
    delivery = _care_followup(followup)
    fields = {
        "usage": usage,
        "connected_services": connected_services,
        "questions": questions,
        "unanswered": unanswered,
        "suggestions": suggestions,
    }
    cleaned = {k: (v or "").strip()[:2000] for k, v in fields.items()}
    if reached and not (cleaned["usage"] or cleaned["connected_services"] or cleaned["questions"]):
        raise ValidationError({"usage": [_("Note how the car is used, the connected services or the questions.")]})
    if cleaned["unanswered"] and unanswered_to is not None and not roles_in(unanswered_to, delivery.store_id):
        raise ValidationError({"unanswered_to": [_("The person responsible must work in this store.")]})
    step = STEP_BY_SEQUENCE.get(followup.sequence, str(followup.sequence))
    if reached:
        summary = "\n".join(f"{k}: {v}" for k, v in cleaned.items() if v)
        followup = followup_complete(followup=followup, user=user, outcome=summary, result_code="reached")
    else:
        followup = followup_miss(followup=followup, user=user, note=_("Owner not reached"))
    call = CareCall.objects.create(
        delivery=delivery, followup=followup, step=step, reached=bool(reached), recorded_by=user, **cleaned
    )
    if reached and cleaned["unanswered"]:
        who = unanswered_to or member_with_role(
            store_id=delivery.store_id, roles=(SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER)
        )
        followup_plan_schedule(
            plan_code=PLAN_QUESTION,
            target=delivery,
            store=delivery.store,
            assignee=who or delivery.consultant,
            due_at=timezone.now() + dt.timedelta(days=1),
            kind=FollowUp.Kind.TASK,
            title=(_("Answer the owner's question: %(q)s") % {"q": cleaned["unanswered"]})[:200],
            created_by=user,
        )
    return call


def care_hook(*, followup: FollowUp, event: str) -> None:
    """The plan's hook: after a missed call, three missed care calls in a row (the latest closed
    ones) escalate to the showroom manager, with a follow-up of his own."""
    if event != EVENT_MISSED:
        return
    closed = list(
        FollowUp.objects.filter(
            content_type_id=followup.content_type_id,
            object_id=followup.object_id,
            plan=PLAN_CARE,
            state__in=(FollowUp.State.DONE, FollowUp.State.MISSED),
        )
        .order_by("-due_at", "-id")
        .values_list("state", flat=True)[:MISSED_IN_A_ROW]
    )
    if len(closed) < MISSED_IN_A_ROW or any(state != FollowUp.State.MISSED for state in closed):
        return
    manager = member_with_role(store_id=followup.store_id, roles=(SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER))
    if manager is None:
        return
    delivery = Delivery.objects.select_related("store", "customer").get(pk=followup.object_id)
    title = _("%(n)s care calls in a row missed: %(name)s") % {"n": MISSED_IN_A_ROW, "name": delivery.customer.name}
    notification_send(
        user=manager,
        key=f"delivery:{delivery.pk}:care_missed:{followup.pk}",
        title=title,
        body=str(delivery),
        url=f"/delivery/{delivery.pk}/",
    )
    followup_plan_schedule(
        plan_code=PLAN_CARE_ESCALATED,
        target=delivery,
        store=delivery.store,
        assignee=manager,
        due_at=timezone.now() + dt.timedelta(hours=4),
        kind=FollowUp.Kind.CALL,
        title=title[:200],
    )


@transaction.atomic
def referral_record(*, delivery: Delivery, referred: Customer, user) -> Referral:
    """Link a referred new customer to the referring owner; the consultant thanks the owner."""
    if not (
        user.pk == delivery.consultant_id
        or has_role(user, delivery.store_id, (SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER))
    ):
        raise PermissionDenied(_("Only the delivery's consultant or a sales manager of the store may do this."))
    errors = {}
    if delivery.state != Delivery.State.COMPLETED:
        errors["delivery"] = [_("Referrals are recorded for owners whose delivery is completed.")]
    if referred.store_id != delivery.store_id:
        errors["referred"] = [_("The referred customer belongs to another store.")]
    elif referred.pk == delivery.customer_id:
        errors["referred"] = [_("An owner does not refer himself.")]
    elif Referral.objects.filter(referred=referred).exists():
        errors["referred"] = [_("This customer was already referred by an owner.")]
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(store=delivery.store, delivery=delivery, referred=referred, created_by=user)
    followup_plan_schedule(
        plan_code=PLAN_REFERRAL_THANKS,
        target=delivery,
        store=delivery.store,
        assignee=delivery.consultant,
        due_at=timezone.now() + dt.timedelta(hours=2),
        kind=FollowUp.Kind.CALL,
        title=_("Thank %(owner)s for referring %(new)s") % {"owner": delivery.customer.name, "new": referred.name},
        created_by=user,
    )
    return referral
