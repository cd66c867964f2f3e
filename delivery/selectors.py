"""Reads of the delivery app shared by pages, API, dashboard and reports; scoped to the stores the
user may see. Each list costs a fixed number of queries whatever its length."""

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone

from delivery.models import (
    REPAIR_STAFF,
    Delivery,
    RepairBreach,
    RepairFinding,
    RepairTicket,
)
from delivery.services._common import add_months, at_local, delivery_setting
from showroom.models import FollowUp
from showroom.permissions import store_ids_for

FINE_PER_CASE = Decimal("10")  # article 9, 一.1 and 二.5: 每次罚款10元
BONUS_NO_COMPLAINT = Decimal("50")  # article 9, 二.6: 无任何投诉的,可奖励50元
CARE_PLANS = (
    "delivery.care",
    "delivery.safe_arrival",
    "delivery.referral_thanks",
    "delivery.care_question",
    "delivery.care_escalated",
)


def delivery_store_ids(user) -> list[int]:
    return store_ids_for(user)


def deliveries_for(*, user, store_ids: list[int] | None = None):
    ids = store_ids if store_ids is not None else delivery_store_ids(user)
    return Delivery.objects.filter(store_id__in=ids).select_related("customer", "consultant", "store")


def delivery_list(
    *, user, store_ids: list[int], state: str = "", handed_from: dt.date | None = None, handed_to: dt.date | None = None
):
    """Deliveries newest first; ``handed_from``/``handed_to`` filter the handover's local days."""
    qs = deliveries_for(user=user, store_ids=store_ids)
    if state:
        qs = qs.filter(state=state)
    if handed_from:
        qs = qs.filter(handed_over_at__gte=at_local(handed_from, 0))
    if handed_to:
        qs = qs.filter(handed_over_at__lt=at_local(handed_to + dt.timedelta(days=1), 0))
    return qs.order_by("-created_at", "-id")


def delivery_calendar(*, user, store_ids: list[int], start: dt.date, days: int = 7) -> dict:
    """The deliveries scheduled in ``days`` days from ``start`` grouped by local day, and those
    still to schedule (two queries)."""
    first, last = at_local(start, 0), at_local(start + dt.timedelta(days=days), 0)
    rows = list(
        deliveries_for(user=user, store_ids=store_ids)
        .filter(scheduled_at__gte=first, scheduled_at__lt=last)
        .exclude(state=Delivery.State.CANCELLED)
        .order_by("scheduled_at", "id")
    )
    by_day = defaultdict(list)
    for delivery in rows:
        by_day[timezone.localtime(delivery.scheduled_at).date()].append(delivery)
    waiting = list(
        deliveries_for(user=user, store_ids=store_ids)
        .filter(state__in=(Delivery.State.TO_SCHEDULE, Delivery.State.RESCHEDULED))
        .order_by("created_at", "id")[:50]
    )
    return {
        "days": [(start + dt.timedelta(days=n), by_day.get(start + dt.timedelta(days=n), [])) for n in range(days)],
        "waiting": waiting,
        "count": len(rows),
    }


def delivery_detail(*, user, pk: int) -> Delivery | None:
    return (
        deliveries_for(user=user)
        .select_related("order__quote", "order__reservation", "stock_move")
        .filter(pk=pk)
        .first()
    )


def care_calls_due(*, user, store_ids: list[int], day: dt.date | None = None, mine_only: bool = False):
    """Open owner-care follow-ups due by the end of ``day`` (today), oldest first."""
    day = day or timezone.localdate()
    ct = ContentType.objects.get_for_model(Delivery)
    rows = FollowUp.objects.filter(
        store_id__in=store_ids,
        content_type=ct,
        plan__in=CARE_PLANS,
        state=FollowUp.State.OPEN,
        due_at__lt=at_local(day + dt.timedelta(days=1), 0),
    ).select_related("assignee")
    if mine_only:
        rows = rows.filter(assignee=user)
    return rows.order_by("due_at", "id")


def deliveries_by_id(ids) -> dict[int, Delivery]:
    return {d.pk: d for d in Delivery.objects.filter(pk__in=set(ids)).select_related("customer")}


def repair_tickets_for(*, user, store_ids: list[int] | None = None):
    ids = store_ids if store_ids is not None else store_ids_for(user, REPAIR_STAFF)
    return RepairTicket.objects.filter(store_id__in=ids).select_related("customer", "received_by")


def repair_board(*, user, store_ids: list[int], now: dt.datetime | None = None) -> list[tuple[str, str, list]]:
    """Open tickets by state with their age in the state (one query); a ticket on our premises past
    the idle days, or at the vendor past its promised date, is flagged overdue."""
    now = now or timezone.now()
    idle = dt.timedelta(days=int(delivery_setting("REPAIR_IDLE_DAYS")))
    today = timezone.localdate()
    rows = (
        repair_tickets_for(user=user, store_ids=store_ids)
        .exclude(state=RepairTicket.State.COLLECTED)
        .order_by("state_since", "id")
    )
    columns = {state: [] for state in RepairTicket.State.values if state != RepairTicket.State.COLLECTED}
    for ticket in rows:
        ticket.age_days = (now - ticket.state_since).days
        if ticket.state in RepairTicket.ON_PREMISES:
            ticket.overdue = now - ticket.state_since > idle
        else:
            ticket.overdue = bool(ticket.vendor_promised_date and ticket.vendor_promised_date < today)
        columns[ticket.state].append(ticket)
    labels = dict(RepairTicket.State.choices)
    return [(state, labels[state], tickets) for state, tickets in columns.items()]


def repair_month_report(*, store_ids: list[int], month: dt.date) -> dict:
    """The monthly service report: per staff member the tickets handled, the 7-day breaches, the
    unregistered repairs found, the fines (10 a case), whether the month had no complaint (the 50
    bonus); and the faults by product and model (four queries). A report, not payroll."""
    first = month.replace(day=1)
    start, end = at_local(first, 0), at_local(add_months(first, 1), 0)
    tickets = RepairTicket.objects.filter(store_id__in=store_ids, created_at__gte=start, created_at__lt=end)
    handled = dict(tickets.values("received_by_id").annotate(n=Count("id")).values_list("received_by_id", "n"))
    breaches = dict(
        RepairBreach.objects.filter(ticket__store_id__in=store_ids, escalated_at__gte=start, escalated_at__lt=end)
        .values("staff_id")
        .annotate(n=Count("id"))
        .values_list("staff_id", "n")
    )
    findings = RepairFinding.objects.filter(
        store_id__in=store_ids, found_on__gte=first, found_on__lt=add_months(first, 1)
    ).values_list("staff_id", "kind")
    unregistered, complaints = Counter(), Counter()
    for staff_id, kind in findings:
        (unregistered if kind == RepairFinding.Kind.UNREGISTERED else complaints)[staff_id] += 1
    from django.contrib.auth import get_user_model

    staff_ids = set(handled) | set(breaches) | set(unregistered) | set(complaints)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=staff_ids)}
    rows = []
    for pk in sorted(staff_ids, key=lambda i: users[i].get_full_name() or users[i].get_username()):
        cases = breaches.get(pk, 0) + unregistered[pk]
        rows.append(
            {
                "user": users[pk],
                "handled": handled.get(pk, 0),
                "breaches": breaches.get(pk, 0),
                "unregistered": unregistered[pk],
                "fines": FINE_PER_CASE * cases,
                "complaints": complaints[pk],
                "bonus": BONUS_NO_COMPLAINT if complaints[pk] == 0 and handled.get(pk, 0) else Decimal("0"),
            }
        )
    faults = list(tickets.values("product", "model").annotate(n=Count("id")).order_by("-n", "product", "model"))
    return {"month": first, "rows": rows, "faults": faults}


# --- dashboard and reports ------------------------------------------------------------------


def handed_over_count(*, store_ids, start, end) -> int:
    return Delivery.objects.filter(store_id__in=store_ids, handed_over_at__gte=start, handed_over_at__lt=end).count()


def care_on_time_count(*, store_ids, start, end) -> int:
    """Owner-care calls due in the period and done by their due day."""
    ct = ContentType.objects.get_for_model(Delivery)
    rows = FollowUp.objects.filter(
        store_id__in=store_ids,
        content_type=ct,
        plan="delivery.care",
        due_at__gte=start,
        due_at__lt=end,
        state=FollowUp.State.DONE,
    ).values_list("due_at", "done_at")
    return sum(1 for due, done in rows if timezone.localtime(done).date() <= timezone.localtime(due).date())


def repair_breaches_count(*, store_ids, start, end) -> int:
    return RepairBreach.objects.filter(
        ticket__store_id__in=store_ids, escalated_at__gte=start, escalated_at__lt=end
    ).count()


def delivery_day_section(*, store, day: dt.date) -> dict:
    """The daily report's section: handovers of the day, tomorrow's schedule, care calls due, repairs
    over the idle limit (four queries)."""
    start, end = at_local(day, 0), at_local(day + dt.timedelta(days=1), 0)
    handed = list(
        Delivery.objects.filter(store=store, handed_over_at__gte=start, handed_over_at__lt=end).select_related(
            "customer", "consultant"
        )
    )
    tomorrow = (
        Delivery.objects.filter(store=store, scheduled_at__gte=end, scheduled_at__lt=end + dt.timedelta(days=1))
        .exclude(state=Delivery.State.CANCELLED)
        .count()
    )
    ct = ContentType.objects.get_for_model(Delivery)
    care_open = FollowUp.objects.filter(
        store=store, content_type=ct, plan="delivery.care", state=FollowUp.State.OPEN, due_at__lt=end
    ).count()
    limit = timezone.now() - dt.timedelta(days=int(delivery_setting("REPAIR_IDLE_DAYS")))
    idle = RepairTicket.objects.filter(
        Q(state__in=RepairTicket.ON_PREMISES) & Q(state_since__lt=limit), store=store
    ).count()
    return {"handed": handed, "tomorrow": tomorrow, "care_open": care_open, "repairs_idle": idle}
