"""The showroom manager dashboard: one read assembling the core's front-desk traffic, pending
approvals and the figures, funnel steps and panels the apps register (``showroom.registry``).

Every part costs a fixed number of queries whatever the number of records: traffic 7, approvals
2, the rolled-up days 2 per period (this one and the same days last month; 1 while none is
rolled up), consultants 1 + one per registered figure, the funnel two per step (this period and
the same period last month), one (or the panel's own fixed number) per panel, one per metric card.
A ``daily`` figure or step of a period whose days are all rolled up costs no query of its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from showroom import roles as r
from showroom.models import ApprovalRequest, DailyFigure, DailyRollup, Membership
from showroom.permissions import store_ids_for
from showroom.registry import consultant_figures, dashboard_metrics, dashboard_panels, funnel_steps
from showroom.selectors import dashboard_core  # noqa: F401  (registers the core's figures)
from showroom.selectors.dashboard_core import dashboard_calls, dashboard_visits, query_url
from showroom.selectors.frontdesk.common import day_bounds, local_today

#: Who reads the manager dashboard and audits consultants.
DASHBOARD_ROLES = r.MANAGERS

TODAY, WEEK, MONTH, CUSTOM = "today", "week", "month", "custom"
PERIODS = [
    (TODAY, gettext_lazy("Today")),
    (WEEK, gettext_lazy("This week")),
    (MONTH, gettext_lazy("This month")),
    (CUSTOM, gettext_lazy("Custom")),
]
WEEKDAYS = [
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
]
#: Age buckets of pending approvals (upper bound in hours, label).
AGE_BUCKETS = [
    (24, gettext_lazy("Under a day")),
    (72, gettext_lazy("1–3 days")),
    (None, gettext_lazy("Over 3 days")),
]


def dashboard_store_ids(*, user) -> list[int]:
    return store_ids_for(user, DASHBOARD_ROLES)


# --- the period ---------------------------------------------------------------------------------


def _months_back(day: dt.date, months: int = 1) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    code: str
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return day_bounds(self.first)[0]

    @property
    def end(self) -> dt.datetime:
        return day_bounds(self.last)[1]

    def previous_month(self) -> Period:
        """The same days one month earlier (the 31st falls back to the month's last day)."""
        return Period(self.code, _months_back(self.first), _months_back(self.last))


def dashboard_period(
    *, code: str = MONTH, date_from: dt.date | None = None, date_to: dt.date | None = None, today: dt.date | None = None
) -> Period:
    today = today or local_today()
    if code == TODAY:
        return Period(TODAY, today, today)
    if code == WEEK:
        return Period(WEEK, today - dt.timedelta(days=today.weekday()), today)
    if code == CUSTOM and date_from and date_to:
        first, last = sorted((date_from, date_to))
        return Period(CUSTOM, first, min(last, first + dt.timedelta(days=366)))
    return Period(MONTH, today.replace(day=1), today)


def _dates(period: Period) -> dict:
    return {"from": period.first.isoformat(), "to": period.last.isoformat()}


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- traffic (7 queries) ------------------------------------------------------------------------


def dashboard_traffic(*, store_ids: list[int], period: Period) -> dict:
    start, end = period.start, period.end
    visits = dashboard_visits(store_ids=store_ids, start=start, end=end)
    calls = dashboard_calls(store_ids=store_ids, start=start, end=end)
    totals = visits.aggregate(visits=Count("id"), first=Count("id", filter=Q(first_visit=True)))
    totals["return"] = totals["visits"] - totals["first"]
    totals["calls"] = calls.count()
    dates = _dates(period)
    totals["urls"] = {
        "visits": query_url("dashboard:visits", **dates),
        "first": query_url("dashboard:visits", first=1, **dates),
        "return": query_url("dashboard:visits", first=0, **dates),
        "calls": query_url("dashboard:calls", **dates),
    }

    v_hours = dict(
        visits.annotate(h=ExtractHour("arrived_at")).values("h").annotate(n=Count("id")).values_list("h", "n")
    )
    c_hours = dict(calls.annotate(h=ExtractHour("at")).values("h").annotate(n=Count("id")).values_list("h", "n"))
    busy = sorted(set(v_hours) | set(c_hours))
    hours = list(range(min([9, *busy]), max([18, *busy]) + 1))
    by_hour = [
        {
            "hour": h,
            "label": f"{h:02d}:00",
            "visits": v_hours.get(h, 0),
            "calls": c_hours.get(h, 0),
            "visits_url": query_url("dashboard:visits", hour=h, **dates),
            "calls_url": query_url("dashboard:calls", hour=h, **dates),
        }
        for h in hours
    ]
    v_days = dict(
        visits.annotate(d=ExtractIsoWeekDay("arrived_at")).values("d").annotate(n=Count("id")).values_list("d", "n")
    )
    c_days = dict(calls.annotate(d=ExtractIsoWeekDay("at")).values("d").annotate(n=Count("id")).values_list("d", "n"))
    by_weekday = [
        {
            "weekday": d,
            "label": str(WEEKDAYS[d - 1]),
            "visits": v_days.get(d, 0),
            "calls": c_days.get(d, 0),
            "visits_url": query_url("dashboard:visits", weekday=d, **dates),
            "calls_url": query_url("dashboard:calls", weekday=d, **dates),
        }
        for d in range(1, 8)
    ]
    english = (get_language() or "").startswith("en")
    by_source = []
    for row in (
        visits.values("source__code", "source__name", "source__name_en")
        .annotate(n=Count("id"), first=Count("id", filter=Q(first_visit=True)))
        .order_by("-n", "source__code")
    ):
        label = row["source__name_en"] if english and row["source__name_en"] else row["source__name"]
        by_source.append(
            {
                "code": row["source__code"],
                "label": label,
                "visits": row["n"],
                "first": row["first"],
                "url": query_url("dashboard:visits", source=row["source__code"], **dates),
            }
        )
    return {"totals": totals, "by_hour": by_hour, "by_weekday": by_weekday, "by_source": by_source}


# --- pending approvals (2 queries) --------------------------------------------------------------


def dashboard_approvals(*, store_ids: list[int], now: dt.datetime | None = None) -> dict:
    """Pending approvals now (not bound to the period): how many, how old, the oldest, by kind."""
    from showroom.registry import approval_kind

    now = now or timezone.now()
    pending = ApprovalRequest.objects.filter(store_id__in=store_ids, state=ApprovalRequest.State.PENDING)
    buckets = {}
    lower = None
    for hours, _label in AGE_BUCKETS:
        q = Q()
        if lower is not None:
            q &= Q(created_at__lte=now - dt.timedelta(hours=lower))
        if hours is not None:
            q &= Q(created_at__gt=now - dt.timedelta(hours=hours))
        buckets[f"b{hours}"] = Count("id", filter=q)
        lower = hours
    totals = pending.aggregate(total=Count("id"), oldest=Min("created_at"), **buckets)
    ages = [{"label": str(label), "count": totals[f"b{hours}"]} for hours, label in AGE_BUCKETS]
    by_kind = []
    for row in pending.values("kind").annotate(n=Count("id"), oldest=Min("created_at")).order_by("-n", "kind"):
        kind = approval_kind(row["kind"])
        by_kind.append(
            {
                "kind": row["kind"],
                "label": str(kind.label) if kind else row["kind"],
                "count": row["n"],
                "oldest_days": (now - row["oldest"]).days,
            }
        )
    oldest = totals["oldest"]
    return {
        "total": totals["total"],
        "oldest_days": (now - oldest).days if oldest else None,
        "oldest_hours": int((now - oldest).total_seconds() // 3600) if oldest else None,
        "ages": ages,
        "by_kind": by_kind,
        "url": query_url("approvals:inbox"),
    }


# --- the rolled-up days (2 queries a period, 1 when none is rolled up) ---------------------------


@dataclass(frozen=True)
class Rolled:
    """What the nightly roll-up (``showroom.services.rollups``) holds for a period: the days from
    the period's first to ``until`` are rolled up for every store asked, and ``sums`` are their
    ``daily`` figures, ``{code: {consultant_id or None: value}}``. The days after ``until`` are
    counted live."""

    period: Period
    until: dt.date | None = None
    sums: dict | None = None

    def split(self, entry) -> tuple[dict, dt.datetime | None]:
        """For a registered figure or funnel step: its rolled-up sums and the start of the days
        still to count live (None: none). A figure that is not ``daily`` is all live."""
        if not entry.daily or self.until is None:
            return {}, self.period.start
        kept = (self.sums or {}).get(entry.code, {})
        if self.until >= self.period.last:
            return kept, None
        return kept, day_bounds(self.until + dt.timedelta(days=1))[0]


def _add(values: dict, more: dict) -> dict:
    return {key: values.get(key, 0) + more.get(key, 0) for key in values.keys() | more.keys()}


def dashboard_rolled(*, store_ids: list[int], period: Period, today: dt.date | None = None) -> Rolled:
    today = today or local_today()
    last = min(period.last, today - dt.timedelta(days=1))
    if last < period.first or not store_ids:
        return Rolled(period)
    rolled: dict[int, set[dt.date]] = {pk: set() for pk in store_ids}
    for store_id, day in DailyRollup.objects.filter(
        store_id__in=store_ids, day__gte=period.first, day__lte=last
    ).values_list("store_id", "day"):
        rolled[store_id].add(day)
    # the longest run of days from the period's first that every store has rolled up
    until = None
    day = period.first
    while day <= last and all(day in days for days in rolled.values()):
        until = day
        day += dt.timedelta(days=1)
    if until is None:
        return Rolled(period)
    sums: dict[str, dict] = {}
    for row in (
        DailyFigure.objects.filter(store_id__in=store_ids, day__gte=period.first, day__lte=until)
        .values("code", "consultant_id")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        sums.setdefault(row["code"], {})[row["consultant_id"]] = row["total"]
    return Rolled(period, until, sums)


def _figure_values(figure, *, store_ids: list[int], rolled: Rolled) -> dict:
    """A consultant figure over the period: the rolled-up days' sums plus the rest counted live."""
    kept, live_start = rolled.split(figure)
    if live_start is None:
        return kept
    live = figure.values(store_ids=store_ids, start=live_start, end=rolled.period.end)
    return _add(kept, live) if kept else live


def _step_count(step, *, store_ids: list[int], rolled: Rolled) -> int:
    kept, live_start = rolled.split(step)
    if live_start is None:
        return kept.get(None, 0)
    return kept.get(None, 0) + step.count(store_ids=store_ids, start=live_start, end=rolled.period.end)


# --- per consultant (1 query + one per registered figure) ---------------------------------------


_CONSULTANT_SLOT = 9_876_543_210_123  # a stand-in id no record has, replaced in each row's links


def dashboard_consultants(*, store_ids: list[int], period: Period, rolled: Rolled | None = None) -> dict:
    User = get_user_model()
    ids = Membership.objects.filter(
        store_id__in=store_ids, role__code=r.CONSULTANT, is_active=True, user__is_active=True
    ).values("user_id")
    people = list(User.objects.filter(pk__in=ids).order_by("first_name", "username"))
    figures = consultant_figures()
    if rolled is None:
        rolled = dashboard_rolled(store_ids=store_ids, period=period)
    columns = []
    values = {}
    for figure in figures:
        values[figure.code] = _figure_values(figure, store_ids=store_ids, rolled=rolled)
        columns.append({"code": figure.code, "label": str(figure.label)})
        if figure.rate_of:
            columns.append({"code": f"{figure.code}.rate", "label": str(figure.rate_label or figure.label)})
    # Each figure's list link is built once, for a stand-in consultant whose id is then swapped
    # for each person's: building it per cell (reverse, dates, urlencode) was most of the table's
    # time with the fifty consultants of a large store.
    links = {
        figure.code: figure.list_url(
            store_ids=store_ids, start=period.start, end=period.end, consultant_id=_CONSULTANT_SLOT
        )
        for figure in figures
        if figure.list_url
    }
    rows = []
    for person in people:
        cells = []
        for figure in figures:
            value = values[figure.code].get(person.pk, None if figure.average else 0)
            link = links.get(figure.code)
            url = link.replace(str(_CONSULTANT_SLOT), str(person.pk)) if link and value is not None else ""
            cells.append({"code": figure.code, "value": value, "url": url})
            if figure.rate_of:
                base = values.get(figure.rate_of, {}).get(person.pk, 0)
                cells.append({"code": f"{figure.code}.rate", "value": percent(value, base), "rate": True, "url": ""})
        rows.append({"consultant": person, "name": person.get_full_name() or person.get_username(), "cells": cells})
    return {"columns": columns, "rows": rows}


# --- the funnel (2 queries per step) ------------------------------------------------------------


def dashboard_funnel(
    *, store_ids: list[int], period: Period, rolled: Rolled | None = None, rolled_before: Rolled | None = None
) -> list[dict]:
    if rolled is None:
        rolled = dashboard_rolled(store_ids=store_ids, period=period)
    if rolled_before is None:
        rolled_before = dashboard_rolled(store_ids=store_ids, period=period.previous_month())
    rows: list[dict] = []
    for step in funnel_steps():
        count = _step_count(step, store_ids=store_ids, rolled=rolled)
        last = _step_count(step, store_ids=store_ids, rolled=rolled_before)
        row = {
            "code": step.code,
            "label": str(step.label),
            "count": count,
            "last_month": last,
            "url": step.list_url(store_ids=store_ids, start=period.start, end=period.end) if step.list_url else "",
            "conversion": None,
            "conversion_last_month": None,
        }
        if rows:
            row["conversion"] = percent(count, rows[-1]["count"])
            row["conversion_last_month"] = percent(last, rows[-1]["last_month"])
        rows.append(row)
    return rows


# --- panels and metric cards --------------------------------------------------------------------


def dashboard_panel_data(*, store_ids: list[int], period: Period) -> list[dict]:
    return [
        {
            "code": panel.code,
            "title": str(panel.title),
            "help_text": str(panel.help_text),
            "rows": panel.rows(store_ids=store_ids, start=period.start, end=period.end),
        }
        for panel in dashboard_panels()
    ]


def dashboard_cards(*, store_ids: list[int], period: Period, store_kind: str = "") -> list[dict]:
    """The registered metric cards meant for the store's kind (all of them without a kind)."""
    from django.urls import NoReverseMatch, reverse

    cards = []
    for metric in dashboard_metrics():
        if store_kind and metric.store_kinds and store_kind not in metric.store_kinds:
            continue
        try:
            url = reverse(metric.list_url_name) if metric.list_url_name else ""
        except NoReverseMatch:
            url = ""
        cards.append(
            {
                "code": metric.code,
                "label": str(metric.label),
                "value": metric.func(store_ids=store_ids, start=period.start, end=period.end),
                "url": url,
            }
        )
    return cards


def dashboard_data(
    *, store_ids: list[int], period: Period, now: dt.datetime | None = None, store_kind: str = ""
) -> dict:
    """Everything the dashboard page (and its PDF) shows, as plain values."""
    rolled = dashboard_rolled(store_ids=store_ids, period=period)
    rolled_before = dashboard_rolled(store_ids=store_ids, period=period.previous_month())
    return {
        "period": period,
        "traffic": dashboard_traffic(store_ids=store_ids, period=period),
        "approvals": dashboard_approvals(store_ids=store_ids, now=now),
        "consultants": dashboard_consultants(store_ids=store_ids, period=period, rolled=rolled),
        "funnel": dashboard_funnel(store_ids=store_ids, period=period, rolled=rolled, rolled_before=rolled_before),
        "panels": dashboard_panel_data(store_ids=store_ids, period=period),
        "cards": dashboard_cards(store_ids=store_ids, period=period, store_kind=store_kind),
    }


def visit_rows(qs):
    """The drill-down list of walk-ins with what a row shows (one query)."""
    return qs.select_related("source", "customer", "consultant").order_by("-arrived_at", "-id")


def call_rows(qs):
    return qs.select_related("customer", "consultant").order_by("-at", "-id")


# The core's audit-score column registers itself with the others (imported last: it reads this module).
from showroom.selectors import dashboard_audits  # noqa: E402, F401
