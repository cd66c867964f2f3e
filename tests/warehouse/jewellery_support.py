"""Fixtures of the jewellery counter tests: store A's counter with three trays (two on the
千足金 island, one at the 万足金 counter) and helpers that run the day's steps by the persona
whose job it is."""

import datetime as dt
from decimal import Decimal

import pytest

from showroom.models import ChecklistItem
from warehouse.models import Station
from warehouse.services import jewellery as jw


@pytest.fixture
def counter(personas):
    p = personas
    counter = jw.counter_create(user=p.counter_leader, store=p.store_a, name="一号柜")

    class Counter:
        pass

    c = Counter()
    c.p = p
    c.counter = counter
    c.ring = jw.tray_create(
        user=p.counter_leader,
        counter=counter,
        code="T1",
        category="戒指",
        station=Station.QIANZU_ISLAND,
        pieces=20,
        weight="100.500",
    )
    c.chain = jw.tray_create(
        user=p.counter_leader,
        counter=counter,
        code="T2",
        category="项链",
        station=Station.QIANZU_ISLAND,
        pieces=10,
        weight="250.000",
    )
    c.bar = jw.tray_create(
        user=p.counter_leader,
        counter=counter,
        code="T3",
        category="金条",
        station=Station.WANZU_COUNTER,
        pieces=5,
        weight="500.000",
    )
    c.trays = [c.ring, c.chain, c.bar]
    c.day = jw.counter_day_start(user=p.consultant, counter=counter, date=dt.date(2026, 6, 2))

    def counts(overrides=None):
        overrides = overrides or {}
        return [
            {
                "tray": t,
                "pieces": overrides.get(t.code, (t.pieces, t.weight))[0],
                "weight": Decimal(str(overrides.get(t.code, (t.pieces, t.weight))[1])),
            }
            for t in c.trays
        ]

    def checklist_all():
        return list(ChecklistItem.objects.filter(template__code="counter.opening").values_list("pk", flat=True))

    def opening(overrides=None, user=None):
        return jw.counter_opening_record(
            day=c.day,
            user=user or p.consultant,
            counts=counts(overrides),
            safe_empty=True,
            safe_closed=True,
            checklist=checklist_all(),
        )

    def open_day(overrides=None):
        opening(overrides)
        c.day = jw.counter_day_open(day=c.day, user=p.consultant)
        return c.day

    c.counts = counts
    c.checklist_all = checklist_all
    c.opening = opening
    c.open_day = open_day
    return c
