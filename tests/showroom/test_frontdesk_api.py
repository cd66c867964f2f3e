"""The front desk and duty roster over the API: every permission rule for each persona, store
isolation (404), bad input (400, nothing changed), conflicts (409), and the visits list's query
count (the same for 5 and 50 visits)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom import roles as r
from showroom.models import Assignment, Call, DutyRoster, ReceptionShift, RosterEntry, Visit
from showroom.selectors.frontdesk import BOARD_READERS, FRONT_DESK_ROLES, ROSTER_MANAGERS, visit_sources_for
from showroom.services.frontdesk import visit_log
from showroom.services.roster import roster_set

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def walk_in(personas, store=None, user=None) -> Visit:
    store = store or personas.store_a
    return visit_log(
        store=store,
        user=user or (personas.receptionist if store == personas.store_a else personas.b_manager),
        party_size=1,
        purpose="look",
        first_visit=True,
        source=visit_sources_for(store=store)[0],
    )


def visit_body(personas, **extra) -> dict:
    return {"store": personas.store_a.pk, "source": "web", "party_size": 2, "purpose": "look", **extra}


def roster_of_one(personas):
    return roster_set(
        store=personas.store_a, day=TODAY, consultants=[personas.consultant], user=personas.showroom_manager
    )


class TestVisitsPermissions:
    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_log_a_walk_in(self, personas, api, role):
        response = api(getattr(personas, role)).post(
            reverse("frontdesk-visit-list"), visit_body(personas), format="json"
        )
        expected = 201 if role in FRONT_DESK_ROLES else 403
        assert response.status_code == expected, response.content
        assert Visit.objects.count() == (1 if expected == 201 else 0)

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_read_the_visits(self, personas, api, role):
        visit = walk_in(personas)
        client = api(getattr(personas, role))
        listed = client.get(reverse("frontdesk-visit-list"), {"store": personas.store_a.pk})
        detail = client.get(reverse("frontdesk-visit-detail", args=[visit.pk]))
        expected = 200 if role in BOARD_READERS else 403
        assert (listed.status_code, detail.status_code) == (expected, expected)
        if expected == 200:
            assert [row["id"] for row in listed.json()["results"]] == [visit.pk]

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_see_a_visitor_out(self, personas, api, role):
        visit = walk_in(personas)
        response = api(getattr(personas, role)).post(
            reverse("frontdesk-visit-leave", args=[visit.pk]), {}, format="json"
        )
        expected = 200 if role in FRONT_DESK_ROLES else 403
        assert response.status_code == expected
        visit.refresh_from_db()
        assert (visit.left_at is not None) == (expected == 200)

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_assign_in_turn(self, personas, api, role):
        roster_of_one(personas)
        visit = walk_in(personas)
        response = api(getattr(personas, role)).post(
            reverse("frontdesk-visit-assign", args=[visit.pk]), {}, format="json"
        )
        expected = 200 if role in FRONT_DESK_ROLES else 403
        assert response.status_code == expected
        assert Assignment.objects.count() == (1 if expected == 200 else 0)

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_override_the_order(self, personas, api, role):
        roster_of_one(personas)
        visit = walk_in(personas)
        response = api(getattr(personas, role)).post(
            reverse("frontdesk-visit-assign", args=[visit.pk]),
            {"consultant": personas.consultant.pk, "reason": "客户点名"},
            format="json",
        )
        expected = 200 if role in ROSTER_MANAGERS else 403
        assert response.status_code == expected
        if expected == 200:
            assert response.json()["kind"] == "override"


class TestVisitsApi:
    def test_a_walk_in_logged_through_the_api(self, personas, api):
        response = api(personas.receptionist).post(
            reverse("frontdesk-visit-list"),
            visit_body(personas, licence_plate="沪A12345", first_visit=False, notes="两位"),
            format="json",
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["source_code"], body["licence_plate"], body["first_visit"], body["is_open"]) == (
            "web",
            "沪A12345",
            False,
            True,
        )
        assert body["counted_shift"] == ReceptionShift.objects.get().pk

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"party_size": 0}, "party_size"),
            ({"purpose": "shopping"}, "purpose"),
            ({"source": "nowhere"}, "source"),
            ({"licence_plate": "12345"}, "licence_plate"),
            ({"arrived_at": "2026-11-27T12:00:00+08:00"}, "arrived_at"),
            ({"consultant": 999999}, "consultant"),
            ({"customer": 999999}, "customer"),
        ],
    )
    def test_bad_input_answers_400_with_the_field_and_logs_nothing(self, personas, api, change, field):
        response = api(personas.receptionist).post(
            reverse("frontdesk-visit-list"), visit_body(personas, **change), format="json"
        )
        assert response.status_code == 400
        assert field in response.json()["fields"]
        assert not Visit.objects.exists() and not ReceptionShift.objects.exists()

    def test_another_stores_visits_answer_404(self, personas, api):
        theirs = walk_in(personas, store=personas.store_b)
        client = api(personas.showroom_manager)
        assert client.get(reverse("frontdesk-visit-detail", args=[theirs.pk])).status_code == 404
        assert client.post(reverse("frontdesk-visit-leave", args=[theirs.pk]), {}, format="json").status_code == 404
        assert client.post(reverse("frontdesk-visit-assign", args=[theirs.pk]), {}, format="json").status_code == 404
        assert client.get(reverse("frontdesk-visit-list"), {"store": personas.store_b.pk}).status_code == 404
        response = client.post(reverse("frontdesk-visit-list"), {**visit_body(personas), "store": personas.store_b.pk})
        assert response.status_code == 404
        assert client.get(reverse("frontdesk-visit-list")).json()["count"] == 0
        theirs.refresh_from_db()
        assert theirs.left_at is None

    def test_out_of_range_ids_answer_404(self, personas, api):
        client = api(personas.receptionist)
        assert client.get(reverse("frontdesk-visit-detail", args=[2**70])).status_code == 404
        assert client.get(reverse("frontdesk-shift-detail", args=[2**70])).status_code == 404

    def test_the_day_and_open_filters(self, personas, api, frozen):
        gone = walk_in(personas)
        here = walk_in(personas)
        api(personas.receptionist).post(reverse("frontdesk-visit-leave", args=[gone.pk]), {}, format="json")
        client = api(personas.receptionist)
        rows = client.get(reverse("frontdesk-visit-list"), {"open": "true"}).json()["results"]
        assert [row["id"] for row in rows] == [here.pk]
        assert client.get(reverse("frontdesk-visit-list"), {"day": "2026-11-26"}).json()["count"] == 0
        assert client.get(reverse("frontdesk-visit-list"), {"day": "27/11/2026"}).status_code == 400

    def test_override_without_a_reason_is_400_and_assigns_nothing(self, personas, api):
        roster_of_one(personas)
        visit = walk_in(personas)
        response = api(personas.showroom_manager).post(
            reverse("frontdesk-visit-assign", args=[visit.pk]), {"consultant": personas.consultant.pk}, format="json"
        )
        assert response.status_code == 400
        assert "reason" in response.json()["fields"]
        visit.refresh_from_db()
        assert visit.consultant is None and not Assignment.objects.exists()

    def test_nobody_available_answers_409(self, personas, api):
        roster_of_one(personas)
        RosterEntry.objects.update(status="away")
        visit = walk_in(personas)
        response = api(personas.receptionist).post(
            reverse("frontdesk-visit-assign", args=[visit.pk]), {}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "conflict"

    def test_leaving_twice_answers_409(self, personas, api):
        visit = walk_in(personas)
        client = api(personas.receptionist)
        assert client.post(reverse("frontdesk-visit-leave", args=[visit.pk]), {}, format="json").status_code == 200
        assert client.post(reverse("frontdesk-visit-leave", args=[visit.pk]), {}, format="json").status_code == 409

    def test_naming_the_customer_of_a_visit(self, personas, api):
        from tests.factories import CustomerFactory

        visit = walk_in(personas)
        mine = CustomerFactory(store=personas.store_a)
        theirs = CustomerFactory(store=personas.store_b)
        client = api(personas.receptionist)
        url = reverse("frontdesk-visit-customer", args=[visit.pk])
        assert client.post(url, {"customer": theirs.pk}, format="json").status_code == 400
        response = client.post(url, {"customer": mine.pk}, format="json")
        assert response.status_code == 200 and response.json()["customer"] == mine.pk


class TestCallsApi:
    def test_a_call_is_logged_and_the_number_masked_in_the_list(self, personas, api):
        client = api(personas.receptionist)
        response = client.post(
            reverse("frontdesk-call-list"),
            {"store": personas.store_a.pk, "number": "138 1234 5678", "question": "价格？"},
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["number"] == "13812345678"
        listed = client.get(reverse("frontdesk-call-list"), {"store": personas.store_a.pk}).json()["results"]
        assert listed[0]["number"] == "138****5678"

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_log_a_call(self, personas, api, role):
        response = api(getattr(personas, role)).post(
            reverse("frontdesk-call-list"),
            {"store": personas.store_a.pk, "number": "13812345678", "question": "价格？"},
            format="json",
        )
        assert response.status_code == (201 if role in FRONT_DESK_ROLES else 403)
        assert Call.objects.count() == (1 if role in FRONT_DESK_ROLES else 0)

    def test_bad_input_answers_400(self, personas, api):
        response = api(personas.receptionist).post(
            reverse("frontdesk-call-list"), {"store": personas.store_a.pk, "number": "1", "question": ""}, format="json"
        )
        assert response.status_code == 400
        assert {"number", "question"} <= set(response.json()["fields"])


class TestShiftsApi:
    def test_open_close_and_hand_over(self, personas, api):
        client = api(personas.receptionist)
        opened = client.post(reverse("frontdesk-shift-open"), {"store": personas.store_a.pk}, format="json")
        assert opened.status_code == 201
        assert (
            client.post(reverse("frontdesk-shift-open"), {"store": personas.store_a.pk}, format="json").status_code
            == 409
        )
        walk_in(personas)
        closed = client.post(
            reverse("frontdesk-shift-close", args=[opened.json()["id"]]),
            {"next_receptionist": personas.showroom_manager.pk, "note": "一位客户在等"},
            format="json",
        )
        assert closed.status_code == 200
        body = closed.json()
        assert (body["counts"]["visits"], body["counts"]["open"]) == (1, 1)
        assert body["next_shift"]["receptionist"] == personas.showroom_manager.pk
        assert body["shift"]["is_open"] is False

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_open_a_shift(self, personas, api, role):
        response = api(getattr(personas, role)).post(
            reverse("frontdesk-shift-open"), {"store": personas.store_a.pk}, format="json"
        )
        assert response.status_code == (201 if role in FRONT_DESK_ROLES else 403)

    def test_another_stores_shift_answers_404(self, personas, api):
        theirs = walk_in(personas, store=personas.store_b).counted_shift
        client = api(personas.showroom_manager)
        assert client.get(reverse("frontdesk-shift-detail", args=[theirs.pk])).status_code == 404
        assert client.post(reverse("frontdesk-shift-close", args=[theirs.pk]), {}, format="json").status_code == 404
        assert (
            client.post(reverse("frontdesk-shift-open"), {"store": personas.store_b.pk}, format="json").status_code
            == 404
        )


class TestRosterApi:
    def test_a_manager_sets_the_order_and_the_desk_sees_who_is_next(self, personas, api):
        from tests.factories import MembershipFactory, UserFactory

        second = UserFactory(username="c2", first_name="李娜")
        MembershipFactory(user=second, store=personas.store_a, role_code="consultant")
        response = api(personas.showroom_manager).post(
            reverse("frontdesk-roster-list"),
            {"store": personas.store_a.pk, "consultants": [second.pk, personas.consultant.pk]},
            format="json",
        )
        assert response.status_code == 200
        assert [e["consultant"] for e in response.json()["entries"]] == [second.pk, personas.consultant.pk]
        client = api(personas.receptionist)
        today = client.get(reverse("frontdesk-roster-today"), {"store": personas.store_a.pk}).json()
        assert today["day"] == "2026-11-27"
        next_up = client.get(reverse("frontdesk-roster-next-up"), {"store": personas.store_a.pk}).json()
        assert next_up["consultant"] == {"id": second.pk, "name": "李娜"}
        status = client.post(
            reverse("frontdesk-roster-status", args=[today["id"]]),
            {"consultant": second.pk, "status": "away"},
            format="json",
        )
        assert status.status_code == 200
        next_up = client.get(reverse("frontdesk-roster-next-up"), {"store": personas.store_a.pk}).json()
        assert next_up["consultant"]["id"] == personas.consultant.pk
        assert next_up["skips"] == [
            {"consultant": {"id": second.pk, "name": "李娜"}, "reason_code": "away", "reason": "Away from the showroom"}
        ]

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_may_set_the_roster(self, personas, api, role):
        response = api(getattr(personas, role)).post(
            reverse("frontdesk-roster-list"),
            {"store": personas.store_a.pk, "consultants": [personas.consultant.pk]},
            format="json",
        )
        assert response.status_code == (200 if role in ROSTER_MANAGERS else 403)
        assert DutyRoster.objects.exists() == (role in ROSTER_MANAGERS)

    def test_a_consultant_of_another_store_is_400(self, personas, api):
        response = api(personas.showroom_manager).post(
            reverse("frontdesk-roster-list"),
            {"store": personas.store_a.pk, "consultants": [personas.b_consultant.pk]},
            format="json",
        )
        assert response.status_code == 400
        assert "consultants" in response.json()["fields"]

    def test_another_stores_roster_answers_404(self, personas, api):
        roster = roster_set(
            store=personas.store_b, day=TODAY, consultants=[personas.b_consultant], user=personas.b_manager
        )
        client = api(personas.showroom_manager)
        assert client.get(reverse("frontdesk-roster-detail", args=[roster.pk])).status_code == 404
        assert client.get(reverse("frontdesk-roster-next-up"), {"store": personas.store_b.pk}).status_code == 404
        response = client.post(
            reverse("frontdesk-roster-status", args=[roster.pk]),
            {"consultant": personas.b_consultant.pk, "status": "away"},
            format="json",
        )
        assert response.status_code == 404

    def test_assignments_are_listed_with_their_reasons(self, personas, api):
        roster_of_one(personas)
        RosterEntry.objects.update(status="away")
        visit = walk_in(personas)
        api(personas.showroom_manager).post(
            reverse("frontdesk-visit-assign", args=[visit.pk]),
            {"consultant": personas.consultant.pk, "reason": "客户点名"},
            format="json",
        )
        rows = api(personas.receptionist).get(reverse("frontdesk-assignment-list"), {"store": personas.store_a.pk})
        assert [(row["kind"], row["reason_text"]) for row in rows.json()["results"]] == [("override", "客户点名")]
        assert api(personas.receptionist).get(reverse("frontdesk-assignment-list"), {"kind": "x"}).status_code == 400

    def test_the_sources_of_a_store(self, personas, api):
        rows = api(personas.receptionist).get(reverse("frontdesk-source-list"), {"store": personas.store_a.pk}).json()
        assert [row["code"] for row in rows][:3] == ["web", "referral", "passing_by"]
        assert api(personas.receptionist).get(reverse("frontdesk-source-list")).status_code == 400


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_the_visits_list_costs_the_same_for_5_and_50_visits(personas, api, django_assert_num_queries):
    client = api(personas.receptionist)
    url = reverse("frontdesk-visit-list")
    params = {"store": personas.store_a.pk, "day": "2026-11-27"}
    for _ in range(5):
        walk_in(personas)
    client.get(url, params)  # warm the session
    five = count_queries(lambda: client.get(url, params))
    for _ in range(45):
        walk_in(personas)
    fifty = count_queries(lambda: client.get(url, params))
    assert five == fifty
    # 1 session, 2 user, 3 the user's memberships (roles), 4 the store of ?store=, 5 count,
    # 6 the page of visits with their store, source, consultant, customer and logger (one join)
    with django_assert_num_queries(6):
        response = client.get(url, params)
    assert response.json()["count"] == 50
