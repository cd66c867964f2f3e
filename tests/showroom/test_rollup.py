"""The dashboard's daily roll-up: a rolled-up period shows exactly what counting it live shows, the
days not rolled up (today, a gap) are counted live, a cohort figure is never rolled up, the nightly
job rewrites its window, and the page's queries stay fixed with the roll-up in play."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from showroom.models import DailyFigure, DailyRollup, JobRun, Visit
from showroom.registry import (
    consultant_figures,
    dashboard_metrics,
    dashboard_panels,
    funnel_steps,
    scheduled_jobs,
)
from showroom.selectors.dashboard import dashboard_data, dashboard_rolled
from showroom.services.jobs import jobs_tick
from showroom.services.rollups import (
    REFRESH_DAYS,
    ROLLUP_JOB,
    dashboard_day_roll_up,
    dashboard_days_roll_up,
)
from showroom.templatetags.showroom_tags import consultant_rows
from tests.races import race
from tests.showroom import test_dashboard as dashboard_tests
from tests.showroom.dashboard_fixtures import NOW, at
from tests.showroom.test_dashboard import _period, budget

# the dashboard tests' fixture month (frozen at NOW) and its records
frozen = dashboard_tests.frozen
world = dashboard_tests.world

pytestmark = pytest.mark.django_db

MARCH_19 = dt.date(2026, 3, 19)  # the last closed day at NOW (20 March, 15:00)


def _figures(data: dict) -> tuple[dict, dict]:
    """The consultant table and the funnel as plain values, to compare two readings."""
    table = {
        row["consultant"].pk: {cell["code"]: cell["value"] for cell in row["cells"]}
        for row in data["consultants"]["rows"]
    }
    funnel = {row["code"]: (row["count"], row["last_month"]) for row in data["funnel"]}
    return table, funnel


def _roll_up(store, first: dt.date, last: dt.date = MARCH_19) -> None:
    dashboard_days_roll_up(store=store, first=first, last=last)


class TestRolledUpEqualsLive:
    def test_a_rolled_up_period_shows_what_counting_live_shows(self, world):
        # given the fixture month read live (nothing rolled up yet)
        store = world["store"]
        live = _figures(dashboard_data(store_ids=[store.pk], period=_period()))
        assert dashboard_rolled(store_ids=[store.pk], period=_period()).until is None
        # when every closed day since February is rolled up
        _roll_up(store, dt.date(2026, 2, 1))
        # then both periods are read from the roll-up up to yesterday, and every figure is the same
        assert dashboard_rolled(store_ids=[store.pk], period=_period()).until == MARCH_19
        assert dashboard_rolled(store_ids=[store.pk], period=_period().previous_month()).until == dt.date(2026, 2, 20)
        assert DailyFigure.objects.filter(store=store, code="core.followups_overdue").exists()
        assert _figures(dashboard_data(store_ids=[store.pk], period=_period())) == live

    def test_the_roll_up_is_read_not_recounted(self, world):
        # given the closed days rolled up
        store = world["store"]
        _roll_up(store, dt.date(2026, 3, 1))
        # when a walk-in of 2 March disappears behind the roll-up's back (raw delete, no service)
        gone = world["visits"][0]
        Visit.objects.filter(pk=gone.pk).delete()
        funnel = _figures(dashboard_data(store_ids=[store.pk], period=_period()))[1]
        # then the dashboard still shows the rolled-up count: the closed day is read, not recounted
        assert funnel["core.walkins"][0] == len(world["visits"])
        # and the next roll-up of that day brings the change in
        dashboard_day_roll_up(store=store, day=dt.date(2026, 3, 2))
        funnel = _figures(dashboard_data(store_ids=[store.pk], period=_period()))[1]
        assert funnel["core.walkins"][0] == len(world["visits"]) - 1

    def test_a_gap_in_the_roll_up_is_counted_live(self, world):
        # given March rolled up except the 7th (the day of the missed follow-up)
        store = world["store"]
        live = _figures(dashboard_data(store_ids=[store.pk], period=_period()))
        _roll_up(store, dt.date(2026, 3, 1), dt.date(2026, 3, 6))
        _roll_up(store, dt.date(2026, 3, 8))
        # then the roll-up is read up to the 6th and the rest counted live: the same figures
        assert dashboard_rolled(store_ids=[store.pk], period=_period()).until == dt.date(2026, 3, 6)
        assert _figures(dashboard_data(store_ids=[store.pk], period=_period())) == live

    def test_a_period_over_two_stores_uses_the_days_both_rolled_up(self, world, personas):
        # given store A rolled up and store B not
        a, b = world["store"], personas.store_b
        live = _figures(dashboard_data(store_ids=[a.pk, b.pk], period=_period()))
        _roll_up(a, dt.date(2026, 3, 1))
        # then the two-store period is counted live, and the same
        assert dashboard_rolled(store_ids=[a.pk, b.pk], period=_period()).until is None
        assert _figures(dashboard_data(store_ids=[a.pk, b.pk], period=_period())) == live
        # and once B is rolled up too, read from the roll-up, still the same
        _roll_up(b, dt.date(2026, 3, 1))
        assert dashboard_rolled(store_ids=[a.pk, b.pk], period=_period()).until == MARCH_19
        assert _figures(dashboard_data(store_ids=[a.pk, b.pk], period=_period())) == live

    def test_a_cohort_figure_is_never_rolled_up(self, world):
        # given the closed days rolled up
        store = world["store"]
        _roll_up(store, dt.date(2026, 3, 1))
        assert not DailyFigure.objects.filter(code__in=["leads.won", "leads.assigned", "leads.needs_analysis"]).exists()
        # when a lead opened on 12 March is won today
        lost = world["leads"][4]
        type(lost).objects.filter(pk=lost.pk).update(state="won")
        table = _figures(dashboard_data(store_ids=[store.pk], period=_period()))[0]
        # then "leads won" shows it at once (opened in the period, won since)
        assert table[world["c1"].pk]["leads.won"] == 2


class TestRollUpService:
    def test_an_open_day_is_refused_and_nothing_is_written(self, world):
        with pytest.raises(ValueError, match="not closed"):
            dashboard_day_roll_up(store=world["store"], day=NOW.date())
        assert not DailyRollup.objects.exists() and not DailyFigure.objects.exists()

    def test_a_day_rolled_up_twice_holds_one_set_of_rows(self, world):
        store = world["store"]
        first = dashboard_day_roll_up(store=store, day=dt.date(2026, 3, 5))
        rows = sorted(DailyFigure.objects.filter(store=store).values_list("code", "consultant_id", "value"))
        second = dashboard_day_roll_up(store=store, day=dt.date(2026, 3, 5))
        assert first == second == len(rows) > 0
        assert sorted(DailyFigure.objects.filter(store=store).values_list("code", "consultant_id", "value")) == rows
        assert DailyRollup.objects.filter(store=store).count() == 1
        # 5 March: one follow-up done on time and one done the next day, both c1's
        c1 = world["c1"].pk
        assert ("core.followups_on_time", c1, 1) in rows and ("core.followups_overdue", c1, 1) in rows

    def test_only_daily_figures_and_steps_are_kept(self, world):
        _roll_up(world["store"], dt.date(2026, 3, 1))
        daily = {f.code for f in consultant_figures() if f.daily} | {s.code for s in funnel_steps() if s.daily}
        kept = set(DailyFigure.objects.values_list("code", flat=True))
        assert kept and kept <= daily
        assert not any(f.daily and f.average for f in consultant_figures())


@pytest.mark.django_db(transaction=True)
def test_two_roll_ups_of_one_day_at_once_leave_one_set_of_rows(personas):
    # given two workers rolling up the same closed day of one store at the same moment
    store = personas.store_a
    day = MARCH_19 - dt.timedelta(days=2)
    # when both run at once
    _results, errors = race(*[lambda: dashboard_day_roll_up(store=store, day=day)] * 2)
    # then neither failed and the day has one marker
    assert errors == []
    assert DailyRollup.objects.filter(store=store, day=day).count() == 1


class TestNightlyJob:
    def test_the_job_rewrites_the_closed_days_of_its_window(self, world):
        # given the job registered at 01:30
        job = next(j for j in scheduled_jobs() if j.code == ROLLUP_JOB)
        assert job.at == "01:30"
        store = world["store"]
        # when the clock ticks at 01:31 on 21 March (time_machine moves on from the frozen NOW)
        import time_machine

        with time_machine.travel(at(21, 1, 31), tick=False):
            jobs_tick()
            # then the 62 closed days before the 21st are rolled up, and the dashboard reads them
            days = set(DailyRollup.objects.filter(store=store).values_list("day", flat=True))
            assert min(days) == dt.date(2026, 3, 21) - dt.timedelta(days=REFRESH_DAYS)
            assert max(days) == dt.date(2026, 3, 20)
            assert len(days) == REFRESH_DAYS
            assert JobRun.objects.filter(store=store, job=ROLLUP_JOB, status=JobRun.Status.DONE).count() == 1
            # and a second tick the same night does not run it again
            jobs_tick()
            assert JobRun.objects.get(store=store, job=ROLLUP_JOB).attempts == 1


class TestQueries:
    def test_the_page_costs_the_same_with_the_days_rolled_up(self, world, web):
        # given the manager and every closed day of both periods rolled up
        client = web(world["manager"])
        _roll_up(world["store"], dt.date(2026, 2, 1))
        client.get("/dashboard/?period=month")  # warms the process's caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/dashboard/?period=month").status_code == 200
        # then: the budget without roll-up, plus the two periods' sums (2), less the live count of
        # each daily funnel step last month (those days are all rolled up; this month's today is live)
        daily_steps = sum(1 for s in funnel_steps() if s.daily)
        assert len(ctx.captured_queries) == budget() + 2 - daily_steps
        assert daily_steps >= 4 and len(consultant_figures()) and dashboard_panels() and dashboard_metrics()


class TestConsultantRows:
    def test_values_links_rates_gaps_and_escaping(self, personas):
        # given one consultant's row with a linked count, an empty rate, a rate and an odd name
        person = personas.consultant
        html = consultant_rows(
            [
                {
                    "consultant": person,
                    "name": "<b>王</b>",
                    "cells": [
                        {"code": "a", "value": 3, "url": "/x/?consultant=1&from=2026-03-01"},
                        {"code": "a.rate", "value": None, "rate": True, "url": ""},
                        {"code": "b.rate", "value": Decimal("33.3"), "rate": True, "url": ""},
                        {"code": "<c>", "value": 0, "url": ""},
                    ],
                }
            ]
        )
        # then each cell is what the template wrote, every value escaped
        assert html.startswith(f'<tr data-consultant="{person.pk}"><th scope="row" class="fw-normal">&lt;b&gt;王')
        assert '<td class="text-end" data-code="a"><a href="/x/?consultant=1&amp;from=2026-03-01">3</a></td>' in html
        assert '<td class="text-end" data-code="a.rate">—</td>' in html
        assert '<td class="text-end" data-code="b.rate">33.3%</td>' in html
        assert '<td class="text-end" data-code="&lt;c&gt;">0</td>' in html
        assert html.endswith("</tr>")


class TestCommand:
    def test_it_rolls_up_the_days_asked_of_the_stores_asked(self, world, personas):
        from io import StringIO

        from django.core.management import CommandError, call_command

        out = StringIO()
        call_command("dashboard_rollup", "--days", "10", "--store", world["store"].code, stdout=out)
        days = sorted(DailyRollup.objects.filter(store=world["store"]).values_list("day", flat=True))
        assert days[0] == MARCH_19 - dt.timedelta(days=9) and days[-1] == MARCH_19 and len(days) == 10
        assert not DailyRollup.objects.filter(store=personas.store_b).exists()
        assert f"{world['store'].code}: 10 days" in out.getvalue()
        with pytest.raises(CommandError, match="no active store"):
            call_command("dashboard_rollup", "--store", "nowhere")
        with pytest.raises(CommandError, match="at least 1"):
            call_command("dashboard_rollup", "--days", "0")
