"""The core's own contributions to the manager dashboard: the first funnel step (walk-ins), the
per-consultant walk-ins assigned and follow-ups on time / overdue, and the drill-down filters of
the records behind them (visits, calls, follow-ups) shared by the figures and the lists.

Registered at import through ``showroom.registry`` like any app's, so the dashboard treats the
core and the apps alike.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showroom.models import Assignment, Call, FollowUp, Visit
from showroom.registry import ConsultantFigure, FunnelStep, register_consultant_figure, register_funnel_step

#: The assignment kinds that hand a walk-in to a consultant (a skip hands nothing).
HANDED_KINDS = (
    Assignment.Kind.ASSIGNED,
    Assignment.Kind.OVERRIDE,
    Assignment.Kind.REQUESTED,
    Assignment.Kind.OWNER,
    Assignment.Kind.STAND_IN,
)
ON_TIME, OVERDUE = "on_time", "overdue"


def period_dates(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The local days [first, last] of the half-open period [start, end)."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end - dt.timedelta(microseconds=1)).date()
    return first, last


def query_url(name: str, **params) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(clean) if clean else "")


def _dates(start, end) -> dict:
    first, last = period_dates(start, end)
    return {"from": first.isoformat(), "to": last.isoformat()}


# --- the records behind the figures -------------------------------------------------------------


def dashboard_visits(
    *,
    store_ids: list[int],
    start: dt.datetime,
    end: dt.datetime,
    first: bool | None = None,
    source: str = "",
    hour: int | None = None,
    weekday: int | None = None,
    consultant_id: int | None = None,
) -> QuerySet[Visit]:
    """Walk-ins arrived in [start, end); ``weekday`` is ISO (1 Monday … 7 Sunday), ``hour`` local;
    ``consultant_id``: walk-ins handed to that consultant (by any assignment kind)."""
    qs = Visit.objects.filter(store_id__in=store_ids, arrived_at__gte=start, arrived_at__lt=end)
    if first is not None:
        qs = qs.filter(first_visit=first)
    if source:
        qs = qs.filter(source__code=source)
    if hour is not None:
        qs = qs.filter(arrived_at__hour=hour)
    if weekday is not None:
        qs = qs.filter(arrived_at__iso_week_day=weekday)
    if consultant_id:
        handed = Assignment.objects.filter(consultant_id=consultant_id, kind__in=HANDED_KINDS).values("visit_id")
        qs = qs.filter(pk__in=handed)
    return qs


def dashboard_calls(
    *, store_ids: list[int], start: dt.datetime, end: dt.datetime, hour: int | None = None, weekday: int | None = None
) -> QuerySet[Call]:
    qs = Call.objects.filter(store_id__in=store_ids, at__gte=start, at__lt=end)
    if hour is not None:
        qs = qs.filter(at__hour=hour)
    if weekday is not None:
        qs = qs.filter(at__iso_week_day=weekday)
    return qs


def followup_timing_q(now: dt.datetime) -> dict[str, Q]:
    """On time: done on or before its due (local) day. Overdue: missed, done after its due day,
    or still open after its due time."""
    return {
        ON_TIME: Q(state=FollowUp.State.DONE, done_day__lte=F("due_day")),
        # The leading state__in repeats what the branches say so PostgreSQL reads the covering
        # (store, state, due_at) index alone instead of a bitmap of heap pages (32 → 17 ms for a
        # month of a large store).
        OVERDUE: Q(state__in=[FollowUp.State.MISSED, FollowUp.State.DONE, FollowUp.State.OPEN])
        & (
            Q(state=FollowUp.State.MISSED)
            | Q(state=FollowUp.State.DONE, done_day__gt=F("due_day"))
            | Q(state=FollowUp.State.OPEN, due_at__lt=now)
        ),
    }


def dashboard_followups(
    *,
    store_ids: list[int],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
    consultant_id: int | None = None,
    timing: str = "",
) -> QuerySet[FollowUp]:
    """Follow-ups due in [start, end), with their due and done local days annotated."""
    now = now or timezone.now()
    qs = FollowUp.objects.filter(store_id__in=store_ids, due_at__gte=start, due_at__lt=end).annotate(
        due_day=TruncDate("due_at"), done_day=TruncDate("done_at")
    )
    if consultant_id:
        qs = qs.filter(assignee_id=consultant_id)
    condition = followup_timing_q(now).get(timing)
    if condition is not None:
        qs = qs.filter(condition)
    return qs


# --- registered figures -------------------------------------------------------------------------


def _walkins_count(*, store_ids, start, end) -> int:
    return dashboard_visits(store_ids=store_ids, start=start, end=end).count()


def _walkins_url(*, store_ids, start, end) -> str:
    return query_url("dashboard:visits", **_dates(start, end))


def _assigned_values(*, store_ids, start, end) -> dict[int, int]:
    rows = (
        Assignment.objects.filter(
            store_id__in=store_ids,
            kind__in=HANDED_KINDS,
            visit__arrived_at__gte=start,
            visit__arrived_at__lt=end,
        )
        .values("consultant_id")
        .annotate(n=Count("visit_id", distinct=True))
    )
    return {row["consultant_id"]: row["n"] for row in rows}


def _assigned_url(*, store_ids, start, end, consultant_id) -> str:
    return query_url("dashboard:visits", consultant=consultant_id, **_dates(start, end))


def _followup_values(timing: str):
    def values(*, store_ids, start, end) -> dict[int, int]:
        now = timezone.now()
        qs = dashboard_followups(store_ids=store_ids, start=start, end=end, now=now, timing=timing)
        return {row["assignee_id"]: row["n"] for row in qs.values("assignee_id").annotate(n=Count("id"))}

    return values


def _followup_url(timing: str):
    def url(*, store_ids, start, end, consultant_id) -> str:
        return query_url("dashboard:followups", consultant=consultant_id, timing=timing, **_dates(start, end))

    return url


register_funnel_step(
    FunnelStep(
        code="core.walkins",
        label=_("Walk-ins"),
        order=10,
        count=_walkins_count,
        list_url=_walkins_url,
        daily=True,
    )
)
register_consultant_figure(
    ConsultantFigure(
        code="core.walkins_assigned",
        label=_("Walk-ins assigned"),
        order=10,
        values=_assigned_values,
        list_url=_assigned_url,
        daily=True,
    )
)
register_consultant_figure(
    ConsultantFigure(
        code="core.followups_on_time",
        label=_("Follow-ups on time"),
        order=50,
        values=_followup_values(ON_TIME),
        list_url=_followup_url(ON_TIME),
        daily=True,
    )
)
register_consultant_figure(
    ConsultantFigure(
        code="core.followups_overdue",
        label=_("Follow-ups overdue"),
        order=51,
        values=_followup_values(OVERDUE),
        list_url=_followup_url(OVERDUE),
        daily=True,
    )
)
