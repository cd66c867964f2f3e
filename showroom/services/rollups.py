"""The dashboard's daily roll-up: each closed local day's ``daily`` figures (consultant columns and
funnel steps, see ``showroom.registry``) of a store, computed by the figures' own functions for
that one day and kept in ``DailyFigure``. The dashboard sums the rolled-up days of a period and
counts only the rest (today) live.

A day is rewritten whole, so running it twice is harmless. The nightly job rewrites the last
``REFRESH_DAYS`` closed days, so a late correction (a follow-up cancelled a week after its due
day) reaches this month's and last month's figures by the next morning; a day older than that
keeps the figures it had when it left the window.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from showroom.models import DailyFigure, DailyRollup, Store
from showroom.registry import consultant_figures, funnel_steps
from showroom.selectors.frontdesk.common import day_bounds, local_today

#: Closed days the nightly job rewrites: this month and last month, what the dashboard shows
#: by default and compares with.
REFRESH_DAYS = 62
ROLLUP_JOB = "dashboard.rollup"


def _day_rows(*, store: Store, day: dt.date) -> list[DailyFigure]:
    start, end = day_bounds(day)
    rows = []
    for figure in consultant_figures():
        if not figure.daily:
            continue
        for consultant_id, value in figure.values(store_ids=[store.pk], start=start, end=end).items():
            if consultant_id is not None and value:
                rows.append(
                    DailyFigure(store=store, day=day, code=figure.code, consultant_id=consultant_id, value=value)
                )
    for step in funnel_steps():
        if not step.daily:
            continue
        value = step.count(store_ids=[store.pk], start=start, end=end)
        if value:
            rows.append(DailyFigure(store=store, day=day, code=step.code, consultant=None, value=value))
    return rows


def dashboard_day_roll_up(*, store: Store, day: dt.date, now: dt.datetime | None = None) -> int:
    """Rewrite the rolled-up figures of one closed day of the store; returns the rows written.
    Today and later are refused (ValueError): an open day is always counted live."""
    now = now or timezone.now()
    if day >= local_today(now):
        raise ValueError(f"{day} is not closed yet")
    with transaction.atomic():
        marker, _created = DailyRollup.objects.get_or_create(store=store, day=day, defaults={"computed_at": now})
        # one roll-up of a store's day at a time: the second waits here and then rewrites it
        DailyRollup.objects.select_for_update().filter(pk=marker.pk).get()
        DailyFigure.objects.filter(store=store, day=day).delete()
        rows = DailyFigure.objects.bulk_create(_day_rows(store=store, day=day))
        DailyRollup.objects.filter(pk=marker.pk).update(computed_at=now)
    return len(rows)


class RollUpRun(NamedTuple):
    first: dt.date
    last: dt.date  # the last day rolled up: yesterday at the latest
    days: int
    rows: int


def dashboard_days_roll_up(*, store: Store, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> RollUpRun:
    """Roll up the closed days of [first, last] (days not closed yet are skipped)."""
    now = now or timezone.now()
    last = min(last, local_today(now) - dt.timedelta(days=1))
    days = rows = 0
    day = first
    while day <= last:
        rows += dashboard_day_roll_up(store=store, day=day, now=now)
        days += 1
        day += dt.timedelta(days=1)
    return RollUpRun(first, last, days, rows)


def dashboard_recent_days_roll_up(*, store: Store, day: dt.date | None = None, days: int = REFRESH_DAYS) -> RollUpRun:
    """Roll up the ``days`` closed days before ``day`` (today): the nightly job's window."""
    day = day or local_today()
    return dashboard_days_roll_up(store=store, first=day - dt.timedelta(days=days), last=day - dt.timedelta(days=1))


def dashboard_rollup_job(*, store: Store, day: dt.date) -> None:
    """The nightly job (registered in ``showroom.apps``): the ``REFRESH_DAYS`` closed days before ``day``."""
    dashboard_recent_days_roll_up(store=store, day=day)
