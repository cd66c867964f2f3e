"""Reads of the jewellery counter day, scoped to the stores the user may see. Lists select what
their rows show in one query, so their query count does not grow with rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from showroom.permissions import store_ids_for
from warehouse.models import (
    Attendance,
    Counter,
    CounterDay,
    CounterSale,
    GroomingCheck,
    LunchRotation,
    RosterEntry,
    TradeCustomerRegistration,
    Tray,
    TrayCount,
)
from warehouse.models.jewellery import COUNTER_STAFF


def counter_list(*, user) -> QuerySet[Counter]:
    return (
        Counter.objects.filter(store_id__in=store_ids_for(user), is_active=True)
        .select_related("store")
        .annotate(tray_count=Count("trays"))
        .order_by("store__code", "name")
    )


def tray_list(*, user, counter_id: int | None = None) -> QuerySet[Tray]:
    rows = Tray.objects.filter(counter__store_id__in=store_ids_for(user), is_active=True).select_related("counter")
    if counter_id:
        rows = rows.filter(counter_id=counter_id)
    return rows.order_by("counter_id", "station", "category", "code")


def counter_day_list(*, user, date: dt.date | None = None) -> QuerySet[CounterDay]:
    rows = CounterDay.objects.filter(store_id__in=store_ids_for(user)).select_related("counter", "store")
    if date:
        rows = rows.filter(date=date)
    return rows.order_by("-date", "counter__name")


def counter_day_get(*, user, pk) -> CounterDay:
    return CounterDay.objects.select_related("counter", "store", "opened_by", "closed_by", "cause_by").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def day_trays(*, day: CounterDay) -> list[Tray]:
    """The day's trays with the last count of the day on each (two queries)."""
    latest = TrayCount.objects.filter(day=day, tray=OuterRef("pk")).order_by("-counted_at", "-id")
    trays = list(
        Tray.objects.filter(counter_id=day.counter_id, is_active=True)
        .annotate(last_count_id=Subquery(latest.values("pk")[:1]))
        .order_by("station", "category", "code")
    )
    counts = TrayCount.objects.in_bulk([t.last_count_id for t in trays if t.last_count_id])
    for tray in trays:
        tray.last_count = counts.get(tray.last_count_id)
    return trays


def phase_latest(day: CounterDay, kind: str) -> dict[int, TrayCount]:
    """The last count of ``kind`` of each tray on the day (one query)."""
    latest = TrayCount.objects.filter(day=day, tray=OuterRef("tray_id"), kind=kind).order_by("-counted_at", "-id")
    rows = TrayCount.objects.filter(day=day, kind=kind, pk=Subquery(latest.values("pk")[:1])).select_related("tray")
    return {row.tray_id: row for row in rows}


def phase_state(day: CounterDay, kind: str) -> tuple[list[str], list[TrayCount], dict[int, TrayCount]]:
    """(trays not counted, counts that differ, latest count per tray) of the opening or closing
    (two queries)."""
    latest = phase_latest(day, kind)
    trays = Tray.objects.filter(counter_id=day.counter_id, is_active=True).order_by("code")
    missing = [tray.code for tray in trays if tray.pk not in latest]
    differing = [count for count in latest.values() if not count.matches]
    return missing, differing, latest


def day_step_blocker(*, day: CounterDay, step: str) -> str:
    """Why ``open`` or ``close`` cannot run yet ("" when nothing stands in the way): the same
    checks the services make, so the day page can say it before anyone presses the button."""
    from django.utils.translation import gettext as _

    if step not in ("open", "close"):
        return ""
    kind, cause = (
        (TrayCount.Kind.OPENING, day.opening_cause) if step == "open" else (TrayCount.Kind.CLOSING, day.closing_cause)
    )
    missing, differing, _latest = phase_state(day, kind)
    if missing:
        return _("Count every tray first; missing: %(trays)s.") % {"trays": ", ".join(missing)}
    if differing and not cause:
        return _("The count differs from the book; the duty manager must record the cause first.")
    return ""


def day_counts(*, day: CounterDay) -> QuerySet[TrayCount]:
    return day.counts.select_related("tray", "counted_by").order_by("-counted_at", "-id")


def day_sales(*, day: CounterDay) -> QuerySet[CounterSale]:
    return day.sales.select_related("tray", "sold_by", "customer").order_by("-sold_at", "-id")


def day_roster(*, day: CounterDay) -> QuerySet[RosterEntry]:
    return day.roster.select_related("user").order_by("station", "user__username")


def day_rotations(*, day: CounterDay) -> QuerySet[LunchRotation]:
    return day.rotations.prefetch_related("away").order_by("starts_at")


def attendance_list(*, user, date: dt.date | None = None, store_id: int | None = None) -> QuerySet[Attendance]:
    rows = Attendance.objects.filter(store_id__in=store_ids_for(user)).select_related("user", "store")
    if date:
        rows = rows.filter(date=date)
    if store_id:
        rows = rows.filter(store_id=store_id)
    return rows.order_by("-date", "clocked_in_at")


def counter_sale_get(*, user, pk) -> CounterSale:
    return CounterSale.objects.select_related("day__counter", "tray", "sold_by", "customer").get(
        pk=pk, day__store_id__in=store_ids_for(user)
    )


def counter_sale_list(*, user, day_id: int | None = None) -> QuerySet[CounterSale]:
    rows = CounterSale.objects.filter(day__store_id__in=store_ids_for(user)).select_related(
        "tray", "sold_by", "customer", "day__counter"
    )
    if day_id:
        rows = rows.filter(day_id=day_id)
    return rows.order_by("-sold_at", "-id")


def trade_customer_list(*, user) -> QuerySet[TradeCustomerRegistration]:
    return TradeCustomerRegistration.objects.filter(store_id__in=store_ids_for(user)).order_by("company")


def grooming_check_list(*, user, date: dt.date | None = None) -> QuerySet[GroomingCheck]:
    rows = GroomingCheck.objects.filter(store_id__in=store_ids_for(user)).select_related("person", "scored_by")
    if date:
        rows = rows.filter(date=date)
    return rows.order_by("-date", "person__username")


def _month(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1)


def grooming_monthly_scores(*, store_ids: list[int], month: dt.date) -> list[dict]:
    """纳入《月度绩效考核制度》: each person's grooming scores of the month summed (one query):
    ``[{"person_id", "name", "total", "max", "checks", "average"}]`` by name. The core's monthly
    performance view may show it next to the audits."""
    first, following = _month(month)
    rows = (
        GroomingCheck.objects.filter(store_id__in=store_ids, date__gte=first, date__lt=following)
        .values("person_id", "person__first_name", "person__last_name", "person__username")
        .annotate(total=Sum("score"), max=Sum("max_score"), checks=Count("id"))
    )
    result = []
    for row in rows:
        name = f"{row['person__first_name']} {row['person__last_name']}".strip() or row["person__username"]
        result.append(
            {
                "person_id": row["person_id"],
                "name": name,
                "total": row["total"],
                "max": row["max"],
                "checks": row["checks"],
                "average": (Decimal(row["total"]) / row["checks"]).quantize(Decimal("0.1")),
            }
        )
    return sorted(result, key=lambda r: (r["name"], r["person_id"]))


def grooming_month_grid(*, store_ids: list[int], month: dt.date) -> dict:
    """The month as a grid: one row per person, one cell per day with the day's score (one query)."""
    first, following = _month(month)
    days = [first + dt.timedelta(days=n) for n in range((following - first).days)]
    cells: dict[int, dict] = defaultdict(dict)
    for check in GroomingCheck.objects.filter(store_id__in=store_ids, date__gte=first, date__lt=following):
        cells[check.person_id][check.date] = check.score
    rows = []
    for total in grooming_monthly_scores(store_ids=store_ids, month=month):
        rows.append({**total, "days": [cells[total["person_id"]].get(d) for d in days]})
    return {"days": days, "rows": rows}


def counter_staff_choices(*, store_id: int):
    """The users who may work at a counter of the store (for rosters and grooming)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__store_id=store_id,
            memberships__is_active=True,
            memberships__role__code__in=COUNTER_STAFF,
        )
        .distinct()
        .order_by("username")
    )


def grooming_scores_by_month(*, store_ids: list[int], start, end) -> list[dict]:
    """The duty manager's daily grooming scores as the core's monthly performance view shows them
    (registered as a staff score source): per person, the average of each month (one query)."""
    from django.db.models.functions import TruncMonth

    rows = (
        GroomingCheck.objects.filter(
            store_id__in=store_ids, date__gte=timezone.localdate(start), date__lt=timezone.localdate(end)
        )
        .annotate(m=TruncMonth("date"))
        .values("m", "person_id", "person__first_name", "person__last_name", "person__username")
        .annotate(total=Sum("score"), checks=Count("id"))
    )
    people: dict[int, dict] = {}
    for row in rows:
        name = f"{row['person__first_name']} {row['person__last_name']}".strip() or row["person__username"]
        person = people.setdefault(row["person_id"], {"person_id": row["person_id"], "name": name, "months": {}})
        person["months"][row["m"]] = (Decimal(row["total"]) / row["checks"]).quantize(Decimal("0.1"))
    return list(people.values())
