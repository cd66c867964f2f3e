"""The manager dashboard: each figure equals a count made here from the fixture records, every
figure's link lands on a list with exactly those records, and the page costs a fixed number of
queries whatever the number of records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leads.models import Lead
from showroom import roles as r
from showroom.models import ApprovalRequest, Customer, FollowUp
from showroom.selectors.dashboard import dashboard_data, dashboard_period
from testdrive.models import Booking
from tests.factories import MembershipFactory, UserFactory
from tests.showroom.dashboard_fixtures import NOW, at, call, followup, lead, reason, shift, source, visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def booking(store, the_lead, *, slot, state, minutes=45):
    from tests.testdrive.factories import DemoVehicleFactory, RouteFactory

    return Booking.objects.create(
        vehicle=DemoVehicleFactory(store=store),
        route=RouteFactory(store=store),
        started_at=slot if state == Booking.State.COMPLETED else None,
        ended_at=slot + dt.timedelta(minutes=minutes) if state == Booking.State.COMPLETED else None,
        store=store,
        lead=the_lead,
        customer=the_lead.customer,
        consultant=the_lead.consultant,
        created_by=the_lead.consultant,
        slot_start=slot,
        slot_end=slot + dt.timedelta(minutes=60),
        state=state,
    )


def approval(store, requester, target, *, hours_old, state="pending"):
    obj = ApprovalRequest.objects.create(
        store=store,
        kind="leads.lost_lead",
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        reason="客户已购他牌",
        requester=requester,
        state=state,
    )
    ApprovalRequest.objects.filter(pk=obj.pk).update(created_at=NOW - dt.timedelta(hours=hours_old))
    return obj


@pytest.fixture
def world(personas):
    """March 2026 up to the 20th (the period), February's first 20 days (last month), store B."""
    a, b = personas.store_a, personas.store_b
    c1 = personas.consultant
    c2 = UserFactory(username="a_consultant_2")
    MembershipFactory(user=c2, store=a, role_code=r.CONSULTANT)
    desk = personas.receptionist
    s = shift(a, desk)
    visits = [
        visit(a, s, desk, arrived=at(2, 10, 15), first=True, consultant=c1),
        visit(a, s, desk, arrived=at(2, 10, 40), first=False, consultant=c1),
        visit(a, s, desk, arrived=at(9, 14, 5), first=True, src=source(a, "web"), consultant=c2),
        visit(a, s, desk, arrived=at(16, 10, 30), first=True),
    ]
    last_month_visits = [visit(a, s, desk, arrived=at(10, 11, month=2))]
    visit(a, s, desk, arrived=at(25, 11, month=2))  # after the 20th: not in "the same period"
    visit(b, shift(b, personas.b_manager), personas.b_manager, arrived=at(3, 10))  # another store
    calls = [call(a, s, desk, when=at(2, 10, 20)), call(a, s, desk, when=at(9, 16))]
    call(a, s, desk, when=at(3, 10, month=2))

    r1, r2 = reason("价格"), reason("竞品")
    leads = [
        lead(a, c1, created=at(2, 11), created_by=c1, needs=True),
        lead(a, c1, created=at(9, 11), created_by=personas.showroom_manager, state="won"),
        lead(a, c2, created=at(10, 11), created_by=c2, state="lost", lost_reason=r1, competitor=("丰田", "凯美瑞")),
        lead(a, c2, created=at(11, 11), created_by=c2, state="lost", lost_reason=r1, competitor=("丰田", "凯美瑞")),
        lead(a, c1, created=at(12, 11), created_by=c1, state="lost", lost_reason=r2, needs=True),
    ]
    last_month_leads = [lead(a, c1, created=at(5, 11, month=2), created_by=c1, needs=True)]
    risky_h = lead(a, c1, created=at(5, 9, month=1), grade="H", state="contacted", last_contact=at(1, 9))
    risky_a = lead(a, c2, created=at(5, 9, month=1), grade="A", state="contacted", last_contact=at(19, 9))
    calm_h = lead(a, c1, created=at(5, 9, month=1), grade="H", state="contacted", last_contact=at(19, 9))
    lead(a, c1, created=at(5, 9, month=1), grade="B", state="contacted", last_contact=at(1, 1, month=1))

    followups = [
        followup(a, leads[0], c1, due=at(5, 10), state="done", done=at(5, 18)),  # on time
        followup(a, leads[0], c1, due=at(5, 10), state="done", done=at(6, 9)),  # late
        followup(a, leads[1], c1, due=at(7, 10), state="missed"),  # missed
        followup(a, leads[1], c1, due=at(19, 10)),  # open, past due
        followup(a, risky_a, c2, due=at(19, 12)),  # open, past due: risky_a is at risk
        followup(a, leads[1], c1, due=at(20, 16)),  # open, due later today: neither
    ]
    followup(a, leads[1], c1, due=at(25, 10))  # after the period
    bookings = [
        booking(a, leads[0], slot=at(3, 10), state=Booking.State.COMPLETED),
        booking(a, leads[0], slot=at(4, 10), state=Booking.State.CANCELLED),
    ]
    last_month_bookings = [booking(a, last_month_leads[0], slot=at(10, 10, month=2), state=Booking.State.COMPLETED)]
    approvals = [
        approval(a, c1, leads[2], hours_old=2),
        approval(a, c2, leads[3], hours_old=5 * 24),
        approval(a, c1, leads[4], hours_old=1, state="approved"),
    ]
    return {
        "store": a,
        "c1": c1,
        "c2": c2,
        "manager": personas.showroom_manager,
        "visits": visits,
        "last_month_visits": last_month_visits,
        "calls": calls,
        "leads": leads,
        "last_month_leads": last_month_leads,
        "risky": [risky_h, risky_a],
        "calm": calm_h,
        "followups": followups,
        "bookings": bookings,
        "last_month_bookings": last_month_bookings,
        "approvals": approvals,
    }


def _period():
    return dashboard_period(code="month", today=NOW.date())


def _needs(lead_obj) -> bool:
    return bool(lead_obj.usage or lead_obj.key_criteria or lead_obj.body_type or lead_obj.models_compared)


class TestFiguresEqualIndependentCounts:
    def test_traffic(self, world):
        # given the fixture month, when the dashboard is read
        data = dashboard_data(store_ids=[world["store"].pk], period=_period())
        traffic = data["traffic"]
        visits, calls = world["visits"], world["calls"]
        # then totals, first and return visits and calls equal counts over the records
        assert traffic["totals"]["visits"] == len(visits) == 4
        assert traffic["totals"]["first"] == sum(v.first_visit for v in visits) == 3
        assert traffic["totals"]["return"] == sum(not v.first_visit for v in visits) == 1
        assert traffic["totals"]["calls"] == len(calls) == 2
        # and by local hour, by weekday and by source
        local = lambda t: t.astimezone(NOW.tzinfo)  # noqa: E731
        for row in traffic["by_hour"]:
            assert row["visits"] == sum(local(v.arrived_at).hour == row["hour"] for v in visits)
            assert row["calls"] == sum(local(c.at).hour == row["hour"] for c in calls)
        for row in traffic["by_weekday"]:
            assert row["visits"] == sum(local(v.arrived_at).isoweekday() == row["weekday"] for v in visits)
        by_source = {row["code"]: row["visits"] for row in traffic["by_source"]}
        assert by_source == {"passing_by": 3, "web": 1}

    def test_funnel_and_last_month(self, world):
        data = dashboard_data(store_ids=[world["store"].pk], period=_period())
        funnel = {row["code"]: row for row in data["funnel"]}
        assert list(funnel)[:3] == ["core.walkins", "leads.needs_analysis", "testdrive.drives"]
        assert funnel["core.walkins"]["count"] == len(world["visits"])
        assert funnel["core.walkins"]["last_month"] == len(world["last_month_visits"])
        assert funnel["leads.needs_analysis"]["count"] == sum(_needs(x) for x in world["leads"]) == 2
        assert funnel["leads.needs_analysis"]["last_month"] == sum(_needs(x) for x in world["last_month_leads"])
        completed = [b for b in world["bookings"] if b.state == Booking.State.COMPLETED]
        assert funnel["testdrive.drives"]["count"] == len(completed) == 1
        assert funnel["testdrive.drives"]["last_month"] == len(world["last_month_bookings"])
        # conversion is each step over the step before, this month and last month
        assert funnel["leads.needs_analysis"]["conversion"] == Decimal("50.0")
        assert funnel["testdrive.drives"]["conversion"] == Decimal("50.0")
        assert funnel["leads.needs_analysis"]["conversion_last_month"] == Decimal("100.0")

    def test_consultants(self, world):
        data = dashboard_data(store_ids=[world["store"].pk], period=_period())
        table = {
            row["consultant"].pk: {cell["code"]: cell["value"] for cell in row["cells"]}
            for row in data["consultants"]["rows"]
        }
        c1, c2 = world["c1"].pk, world["c2"].pk
        visits, leads, fus = world["visits"], world["leads"], world["followups"]
        for pk in (c1, c2):
            row = table[pk]
            assert row["core.walkins_assigned"] == sum(v.consultant_id == pk for v in visits)
            assert row["leads.assigned"] == sum(x.consultant_id == pk for x in leads)
            assert row["leads.created"] == sum(x.created_by_id == pk for x in leads)
            mine = [f for f in fus if f.assignee_id == pk]
            on_time = [f for f in mine if f.state == "done" and f.done_at.date() <= f.due_at.date()]
            overdue = [
                f
                for f in mine
                if f.state == "missed"
                or (
                    f.state == "done"
                    and f.done_at.astimezone(NOW.tzinfo).date() > f.due_at.astimezone(NOW.tzinfo).date()
                )
                or (f.state == "open" and f.due_at < NOW)
            ]
            assert row["core.followups_on_time"] == len(on_time)
            assert row["core.followups_overdue"] == len(overdue)
        assert table[c1]["core.followups_on_time"] == 1 and table[c1]["core.followups_overdue"] == 3
        # the test-drive rate is test drives over walk-ins assigned; the close rate won over assigned
        assert table[c1]["testdrive.drives"] == 1
        assert table[c1]["testdrive.drives.rate"] == Decimal("50.0")
        assert table[c1]["leads.won.rate"] == Decimal("33.3")

    def test_panels_and_approvals(self, world):
        data = dashboard_data(store_ids=[world["store"].pk], period=_period())
        panels = {p["code"]: {row.label: row.value for row in p["rows"]} for p in data["panels"]}
        lost = [x for x in world["leads"] if x.state == "lost"]
        assert panels["leads.lost_reason"] == {
            "价格": sum(x.lost_reason.text == "价格" for x in lost),
            "竞品": sum(x.lost_reason.text == "竞品" for x in lost),
        }
        assert panels["leads.lost_competitor"] == {"丰田 凯美瑞": 2}
        at_risk = list(panels["leads.at_risk"].values())
        assert at_risk == [1, 1]  # one H (silent 19 days), one A (a follow-up overdue)
        approvals = data["approvals"]
        pending = [x for x in world["approvals"] if x.state == "pending"]
        assert approvals["total"] == len(pending) == 2
        assert [age["count"] for age in approvals["ages"]] == [1, 0, 1]
        assert approvals["oldest_days"] == 5


class TestDrillDown:
    def _total(self, client, url) -> int:
        response = client.get(url)
        assert response.status_code == 200, url
        return response.context["page"].paginator.count

    def test_every_link_lists_exactly_the_records_counted(self, world, web):
        # given the manager, when each figure's link is followed
        client = web(world["manager"])
        data = dashboard_data(store_ids=[world["store"].pk], period=_period())
        for step in data["funnel"]:
            assert self._total(client, step["url"]) == step["count"], step["code"]
        for key in ("visits", "first", "return", "calls"):
            assert self._total(client, data["traffic"]["totals"]["urls"][key]) == data["traffic"]["totals"][key]
        for row in data["traffic"]["by_hour"] + data["traffic"]["by_weekday"]:
            assert self._total(client, row["visits_url"]) == row["visits"]
            assert self._total(client, row["calls_url"]) == row["calls"]
        for row in data["traffic"]["by_source"]:
            assert self._total(client, row["url"]) == row["visits"]
        for row in data["consultants"]["rows"]:
            for cell in row["cells"]:
                if cell["url"] and cell["code"] != "core.audit_score":
                    assert self._total(client, cell["url"]) == cell["value"], cell["code"]
        for panel in data["panels"]:
            for row in panel["rows"]:
                assert self._total(client, row.url) == row.value, (panel["code"], row.label)

    def test_the_page_renders_for_a_manager_and_refuses_a_consultant(self, world, web, personas):
        response = web(world["manager"]).get("/dashboard/?period=month")
        assert response.status_code == 200
        assert 'data-testid="funnel-leads.needs_analysis"' in response.content.decode()
        assert web(personas.consultant).get("/dashboard/").status_code == 403
        assert web(personas.consultant).get("/dashboard/visits/").status_code == 403

    def test_store_b_manager_sees_only_store_b(self, world, web, personas):
        response = web(personas.b_manager).get("/dashboard/?period=month")
        assert response.status_code == 200
        assert response.context["traffic"]["totals"]["visits"] == 1
        # asking for store A (not his) keeps his own store
        response = web(personas.b_manager).get(f"/dashboard/?store={world['store'].pk}")
        assert response.context["store"].pk == personas.store_b.pk

    def test_the_pdf_renders(self, world, web):
        response = web(world["manager"]).get("/dashboard/dashboard.pdf?period=month")
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")


def _volume(store, consultant, n: int) -> None:
    """``n`` leads (a third lost, a few H) with their customers, and ``n`` walk-ins and follow-ups."""
    customers = Customer.objects.bulk_create(
        Customer(store=store, name=f"量{i}", mobile=f"+86139{i:08d}", consent_given=True, consent_at=NOW)
        for i in range(n)
    )
    reasons = [reason("价格"), reason("距离")]
    Lead.objects.bulk_create(
        Lead(
            store=store,
            customer=c,
            consultant=consultant,
            created_by=consultant,
            source="walk_in",
            grade="H" if i % 7 == 0 else "B",
            state="lost" if i % 3 == 0 else "contacted",
            lost_reason=reasons[i % 2] if i % 3 == 0 else None,
            lost_competitor_brand="品牌" if i % 3 == 0 else "",
            lost_competitor_model=f"车{i % 5}" if i % 3 == 0 else "",
            usage="家用" if i % 2 else "",
        )
        for i, c in enumerate(customers)
    )
    ct = ContentType.objects.get_for_model(Customer)
    FollowUp.objects.bulk_create(
        FollowUp(
            store=store,
            content_type=ct,
            object_id=c.pk,
            title="回访",
            due_at=NOW - dt.timedelta(hours=i % 48),
            assignee=consultant,
        )
        for i, c in enumerate(customers)
    )


# The dashboard's queries, whatever the number of records:
#  1 session  2 user  3 memberships  4 the current store
#  5 walk-in totals  6 calls  7 walk-ins by hour  8 calls by hour  9 walk-ins by weekday
#  10 calls by weekday  11 walk-ins by source
#  12 pending approvals (count, ages, oldest)  13 pending approvals by kind
#  14 the rolled-up days of the period  15 of the same days last month (with days rolled up, one
#  more each: their sums; see test_rollup.py)
#  16 the consultants, then one per registered consultant column (walk-ins assigned, leads
#  assigned, leads created, quotes sent, test drives, follow-ups on time, overdue, leads won, days
#  to order, audit scores)
#  then two per funnel step (this period and the same days last month: walk-ins, needs analysis,
#  test drives, quotes, orders), one per panel (H/A at risk, lost by reason, lost by competitor),
#  one per metric card meant for the store's kind (each app adds its own)
#  and last the stores of the store filter
def budget(store_kind: str = "car") -> int:
    from showroom.registry import consultant_figures, dashboard_metrics, dashboard_panels, funnel_steps

    fixed = 4 + 7 + 2 + 2 + 1 + 1
    cards = [m for m in dashboard_metrics() if not m.store_kinds or store_kind in m.store_kinds]
    return fixed + len(consultant_figures()) + 2 * len(funnel_steps()) + len(dashboard_panels()) + len(cards)


class TestQueryBudget:
    def _count(self, client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/dashboard/?period=month")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def test_the_same_queries_at_10_and_at_1000_leads(self, personas, web):
        # given a manager and 10 leads, then 1,000 more
        client = web(personas.showroom_manager)
        _volume(personas.store_a, personas.consultant, 10)
        self._count(client)  # warms the process's caches (content types, sources) as in production
        small = self._count(client)
        FollowUp.objects.all().delete()
        Lead.objects.all().delete()
        Customer.objects.all().delete()
        _volume(personas.store_a, personas.consultant, 1000)
        large = self._count(client)
        # then the page costs the same number of queries: session, user, memberships (3); the
        # store (1); traffic 7; approvals 2; consultants 1 + one per figure (10 figures); the
        # funnel 2 per step (3 steps); panels: lost by reason 1, by competitor 1, at risk 2
        # (the content type is cached after the first); metric cards one each (6); menu/frame.
        assert small == large
        assert large == budget()


def test_metric_cards_follow_the_store_kind(db):
    """A property site's dashboard shows the sales office's cards, not the dealership's test
    drives; a car showroom the other way round."""
    from showroom.selectors.dashboard import dashboard_cards

    property_cards = {c["code"] for c in dashboard_cards(store_ids=[], period=_period(), store_kind="property")}
    car_cards = {c["code"] for c in dashboard_cards(store_ids=[], period=_period(), store_kind="car")}
    assert "realestate.subscriptions" in property_cards and "testdrive.completed" not in property_cards
    assert "testdrive.completed" in car_cards and "realestate.subscriptions" not in car_cards
    assert "warehouse.slips_waiting_for_credit" not in car_cards
