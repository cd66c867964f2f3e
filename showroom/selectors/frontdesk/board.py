"""Everything the front-desk board shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from showroom.models import Call, FrontDeskSettings, ReceptionShift, Store, Visit, VisitSource
from showroom.selectors.frontdesk.common import day_bounds, local_today
from showroom.selectors.frontdesk.settings import frontdesk_settings_get, visit_sources_for
from showroom.selectors.frontdesk.shifts import shift_open_get

# --- the board ---------------------------------------------------------------------------------


@dataclass
class FrontDeskBoard:
    store: Store
    day: dt.date
    is_today: bool
    settings: FrontDeskSettings
    shift: ReceptionShift | None
    visits: list[Visit]
    calls: list[Call]
    sources: list[VisitSource]
    roster: object | None = None
    entries: list = field(default_factory=list)
    next_up: object | None = None
    skips: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def open_visits(self) -> list[Visit]:
        return [v for v in self.visits if v.left_at is None]

    @property
    def shift_ends_at(self) -> dt.datetime | None:
        if self.shift is None:
            return None
        return self.shift.opened_at + dt.timedelta(minutes=self.shift.planned_minutes)

    @property
    def shift_overrun(self) -> bool:
        ends = self.shift_ends_at
        return ends is not None and timezone.now() > ends


def frontdesk_board(*, store: Store, day: dt.date | None = None, now: dt.datetime | None = None) -> FrontDeskBoard:
    """Everything the front-desk board shows, in a fixed number of queries whatever the day's
    traffic: the settings, the open shift, the day's visits (and, today, visits still open from
    earlier days), the day's calls, the store's sources, the roster with who is next up."""
    from showroom.selectors.roster import roster_get, roster_rotation

    now = now or timezone.now()
    today = local_today(now)
    day = day or today
    settings = frontdesk_settings_get(store=store)  # 1
    shift = shift_open_get(store=store)  # 2
    start, end = day_bounds(day)
    in_day = Q(arrived_at__gte=start, arrived_at__lt=end)
    if day == today:
        in_day |= Q(left_at__isnull=True, arrived_at__lt=start)
    visits = list(Visit.objects.select_related("source", "consultant", "customer").filter(in_day, store=store))  # 3
    visits.sort(key=lambda v: (v.left_at is not None, -v.arrived_at.timestamp(), -v.pk))
    calls = list(
        Call.objects.select_related("consultant", "customer").filter(store=store, at__gte=start, at__lt=end)
    )  # 4
    sources = visit_sources_for(store=store)  # 5
    roster = roster_get(store=store, day=day)  # 6 (with its entries: 7)
    entries = list(roster.entries.all()) if roster is not None else []
    next_up, skips = (None, [])
    if roster is not None and day == today:
        next_up, skips = roster_rotation(store=store, day=day, entries=entries, now=now, settings=settings)  # 8, 9
    day_visits = [v for v in visits if start <= v.arrived_at < end]
    counts = {
        "visits": len(day_visits),
        "people": sum(v.party_size for v in day_visits),
        "first": sum(1 for v in day_visits if v.first_visit),
        "return": sum(1 for v in day_visits if not v.first_visit),
        "open": sum(1 for v in visits if v.left_at is None),
        "calls": len(calls),
        "callbacks": sum(1 for c in calls if c.callback_agreed_at),
    }
    return FrontDeskBoard(
        store=store,
        day=day,
        is_today=day == today,
        settings=settings,
        shift=shift,
        visits=visits,
        calls=calls,
        sources=sources,
        roster=roster,
        entries=entries,
        next_up=next_up,
        skips=skips,
        counts=counts,
    )
