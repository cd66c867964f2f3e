"""Duty roster: the round-robin rule over a day (fair: walk-ins in turn differ by at most one among
consultants who were available, and every shortfall is a recorded skip), the overdue-skip rule
(25 h skipped and recorded, 23 h not), a manager's override with a reason, the roster's own
rules, and the signal inside the assignment's transaction."""

import datetime as dt
import random
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from showroom.models import Assignment, DutyRoster, Membership, Role, RosterEntry, Visit
from showroom.selectors.frontdesk import visit_sources_for
from showroom.selectors.roster import roster_fairness, roster_next_up
from showroom.services.followups import followup_plan_schedule
from showroom.services.frontdesk import frontdesk_settings_update, visit_leave, visit_log
from showroom.services.roster import roster_assign, roster_set, roster_status_set
from showroom.services.transitions import TransitionConflict
from showroom.signals import visit_assigned
from tests.factories import CustomerFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_consultants(store, n, prefix="c"):
    role = Role.objects.get(code="consultant")
    users = []
    for i in range(1, n + 1):
        user = UserFactory(username=f"{prefix}{i}", first_name=f"顾问{i}")
        Membership.objects.get_or_create(user=user, store=store, role=role)
        users.append(user)
    return users


def walk_in(personas, *, store=None, user=None) -> Visit:
    store = store or personas.store_a
    return visit_log(
        store=store,
        user=user or personas.receptionist,
        party_size=1,
        purpose="look",
        first_visit=True,
        source=visit_sources_for(store=store)[0],
    )


def overdue_followup(personas, consultant, *, hours):
    return followup_plan_schedule(
        plan_code="manual",
        target=CustomerFactory(store=personas.store_a),
        store=personas.store_a,
        assignee=consultant,
        due_at=NOW - dt.timedelta(hours=hours),
        kind="call",
        title="回访",
    )


def entry_of(consultant, day=TODAY) -> RosterEntry:
    return RosterEntry.objects.get(roster__day=day, consultant=consultant)


@pytest.mark.django_db
class TestRoundRobin:
    def test_thirty_walk_ins_over_four_available_consultants_are_fair(self, personas, frozen):
        # given four consultants on today's roster
        consultants = make_consultants(personas.store_a, 4)
        roster_set(store=personas.store_a, day=TODAY, consultants=consultants, user=personas.showroom_manager)
        # when thirty walk-ins come one after another, each assigned and leaving again
        order = []
        for _ in range(30):
            visit = walk_in(personas)
            order.append(roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit).consultant)
            frozen.shift(dt.timedelta(minutes=5))
            visit_leave(visit=visit, user=personas.receptionist)
        # then they went round in roster order, so nobody has two more than another
        assert order[:8] == consultants + consultants
        counts = [order.count(c) for c in consultants]
        assert counts == [8, 8, 7, 7]
        fairness = roster_fairness(store=personas.store_a, day=TODAY)
        assert (fairness["spread"], fairness["skipped"]) == (1, 0)
        assert [row.assigned for row in fairness["rows"]] == counts

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(seed=st.integers(min_value=0, max_value=10_000))
    def test_whoever_is_away_falls_behind_only_by_recorded_skips(self, personas, seed):
        # given four consultants, each sometimes away or still with a customer
        store = personas.store_a
        Assignment.objects.all().delete()
        Visit.objects.all().delete()
        DutyRoster.objects.all().delete()
        consultants = make_consultants(store, 4, prefix=f"h{seed}_")
        roster_set(store=store, day=TODAY, consultants=consultants, user=personas.showroom_manager)
        rng = random.Random(seed)
        open_visits = []
        for _ in range(24):
            for consultant in consultants:
                entry = entry_of(consultant)
                if entry.status != "with_customer" and rng.random() < 0.2:
                    roster_status_set(entry=entry, status=rng.choice(["away", "available"]), user=consultant)
            visit = walk_in(personas)
            try:
                roster_assign(store=store, user=personas.receptionist, visit=visit)
            except TransitionConflict:
                pass  # nobody can take it now: nothing is recorded
            else:
                open_visits.append(visit)
            while open_visits and (len(open_visits) > 2 or rng.random() < 0.6):
                visit_leave(visit=open_visits.pop(rng.randrange(len(open_visits))), user=personas.receptionist)
        # then each consultant's turns (walk-ins in turn plus recorded skips) differ by at most one,
        # so whoever has fewer walk-ins has the recorded reasons for it
        fairness = roster_fairness(store=store, day=TODAY)
        assert fairness["turn_spread"] <= 1
        for row in fairness["rows"]:
            assert row.assigned + row.skipped == row.turns
        for skip in Assignment.objects.filter(kind="skipped"):
            assert skip.reason_code in ("away", "with_customer") and skip.reason_text

    def test_assigning_records_each_consultant_passed_over_with_the_reason(self, personas):
        first, second, third = make_consultants(personas.store_a, 3)
        roster_set(
            store=personas.store_a, day=TODAY, consultants=[first, second, third], user=personas.showroom_manager
        )
        roster_status_set(entry=entry_of(first), status="away", user=first)
        assignment = roster_assign(store=personas.store_a, user=personas.receptionist, visit=walk_in(personas))
        assert assignment.consultant == second
        skip = Assignment.objects.get(kind="skipped")
        assert (skip.consultant, skip.reason_code, skip.visit, skip.counts_for_fairness) == (
            first,
            "away",
            assignment.visit,
            False,
        )
        assert entry_of(second).status == "with_customer"
        assert roster_next_up(store=personas.store_a, day=TODAY) == third

    def test_the_rotation_continues_after_the_last_one_assigned(self, personas):
        first, second, third = make_consultants(personas.store_a, 3)
        roster_set(
            store=personas.store_a, day=TODAY, consultants=[first, second, third], user=personas.showroom_manager
        )
        roster_assign(store=personas.store_a, user=personas.receptionist, visit=walk_in(personas))
        roster_set(
            store=personas.store_a, day=TODAY, consultants=[third, first, second], user=personas.showroom_manager
        )
        # the order changed: after "first" comes "second" in the new order
        assert roster_next_up(store=personas.store_a, day=TODAY) == second

    def test_nobody_available_is_a_conflict_and_records_nothing(self, personas):
        (only,) = make_consultants(personas.store_a, 1)
        roster_set(store=personas.store_a, day=TODAY, consultants=[only], user=personas.showroom_manager)
        roster_status_set(entry=entry_of(only), status="away", user=personas.receptionist)
        visit = walk_in(personas)
        with pytest.raises(TransitionConflict):
            roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
        assert not Assignment.objects.exists()
        visit.refresh_from_db()
        assert visit.consultant is None

    def test_without_a_roster_it_is_a_conflict(self, personas):
        with pytest.raises(TransitionConflict):
            roster_assign(store=personas.store_a, user=personas.receptionist, visit=walk_in(personas))

    def test_a_visit_already_taken_or_gone_is_a_conflict(self, personas):
        first, second = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[first, second], user=personas.showroom_manager)
        visit = walk_in(personas)
        roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
        with pytest.raises(TransitionConflict):
            roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
        gone = walk_in(personas)
        visit_leave(visit=gone, user=personas.receptionist)
        with pytest.raises(TransitionConflict):
            roster_assign(store=personas.store_a, user=personas.receptionist, visit=gone)
        assert Assignment.objects.count() == 1

    @pytest.mark.parametrize("role", ["consultant", "sales_assistant", "marketing_director", "cashier"])
    def test_only_the_front_desk_assigns_in_turn(self, personas, role):
        make_consultants(personas.store_a, 1)
        with pytest.raises(PermissionDenied):
            roster_assign(store=personas.store_a, user=getattr(personas, role), visit=walk_in(personas))

    def test_a_receivers_failure_rolls_the_assignment_back(self, personas):
        (only,) = make_consultants(personas.store_a, 1)
        roster_set(store=personas.store_a, day=TODAY, consultants=[only], user=personas.showroom_manager)
        visit = walk_in(personas)

        def explode(sender, visit, consultant, **kwargs):
            raise RuntimeError("no lead today")

        visit_assigned.connect(explode, dispatch_uid="test.explode")
        try:
            with pytest.raises(RuntimeError):
                roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
        finally:
            visit_assigned.disconnect(dispatch_uid="test.explode")
        visit.refresh_from_db()
        assert (visit.consultant, Assignment.objects.count(), entry_of(only).status) == (None, 0, "available")


@pytest.mark.django_db
class TestOverdueSkip:
    def test_a_consultant_with_a_follow_up_overdue_by_25_hours_is_skipped_and_it_is_recorded(self, personas):
        behind, other = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[behind, other], user=personas.showroom_manager)
        overdue_followup(personas, behind, hours=25)
        assert roster_next_up(store=personas.store_a, day=TODAY) == other
        assignment = roster_assign(store=personas.store_a, user=personas.receptionist, visit=walk_in(personas))
        assert assignment.consultant == other
        skip = Assignment.objects.get(kind="skipped")
        assert (skip.consultant, skip.reason_code, skip.details) == (
            behind,
            "overdue_followups",
            {"overdue": 1, "hours": 24},
        )
        assert "24" in skip.reason_text

    def test_23_hours_overdue_is_not_skipped(self, personas):
        behind, other = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[behind, other], user=personas.showroom_manager)
        overdue_followup(personas, behind, hours=23)
        assignment = roster_assign(store=personas.store_a, user=personas.receptionist, visit=walk_in(personas))
        assert assignment.consultant == behind
        assert not Assignment.objects.filter(kind="skipped").exists()

    def test_the_stores_setting_decides_how_overdue_is_too_late(self, personas):
        behind, other = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[behind, other], user=personas.showroom_manager)
        overdue_followup(personas, behind, hours=5)
        frontdesk_settings_update(store=personas.store_a, user=personas.showroom_manager, overdue_skip_hours=4)
        assert roster_next_up(store=personas.store_a, day=TODAY) == other

    def test_a_manager_overrides_the_skip_with_a_reason(self, personas):
        behind, other = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[behind, other], user=personas.showroom_manager)
        overdue_followup(personas, behind, hours=30)
        visit = walk_in(personas)
        assignment = roster_assign(
            store=personas.store_a,
            user=personas.showroom_manager,
            visit=visit,
            consultant=behind,
            reason="客户点名找他",
        )
        assert (assignment.kind, assignment.reason, assignment.counts_for_fairness) == (
            "override",
            "客户点名找他",
            False,
        )
        visit.refresh_from_db()
        assert visit.consultant == behind
        # the override takes nobody's turn: the rotation has not moved
        assert roster_next_up(store=personas.store_a, day=TODAY) == other


@pytest.mark.django_db
class TestOverride:
    @pytest.mark.parametrize("role", ["showroom_manager", "sales_supervisor", "sales_manager", "general_manager"])
    def test_managers_may_override_with_a_reason(self, personas, role):
        first, second = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[first, second], user=personas.showroom_manager)
        assignment = roster_assign(
            store=personas.store_a,
            user=getattr(personas, role),
            visit=walk_in(personas),
            consultant=second,
            reason="老客户",
        )
        assert (assignment.consultant, assignment.decided_by) == (second, getattr(personas, role))

    @pytest.mark.parametrize("role", ["receptionist", "consultant", "marketing_director"])
    def test_others_may_not_override(self, personas, role):
        first, second = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[first, second], user=personas.showroom_manager)
        with pytest.raises(PermissionDenied):
            roster_assign(
                store=personas.store_a,
                user=getattr(personas, role),
                visit=walk_in(personas),
                consultant=second,
                reason="x",
            )
        assert not Assignment.objects.exists()

    def test_an_override_needs_a_reason(self, personas):
        first, second = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[first, second], user=personas.showroom_manager)
        visit = walk_in(personas)
        with pytest.raises(ValidationError) as refused:
            roster_assign(
                store=personas.store_a, user=personas.showroom_manager, visit=visit, consultant=second, reason=" "
            )
        assert "reason" in refused.value.message_dict
        visit.refresh_from_db()
        assert (visit.consultant, Assignment.objects.count()) == (None, 0)

    def test_an_override_reassigns_and_frees_the_previous_consultant(self, personas):
        first, second = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[first, second], user=personas.showroom_manager)
        visit = walk_in(personas)
        roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit)
        roster_assign(
            store=personas.store_a, user=personas.showroom_manager, visit=visit, consultant=second, reason="语言沟通"
        )
        assert (entry_of(first).status, entry_of(second).status) == ("available", "with_customer")

    def test_only_a_consultant_on_the_days_roster(self, personas):
        first, second = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[first], user=personas.showroom_manager)
        with pytest.raises(ValidationError) as refused:
            roster_assign(
                store=personas.store_a,
                user=personas.showroom_manager,
                visit=walk_in(personas),
                consultant=second,
                reason="x",
            )
        assert "consultant" in refused.value.message_dict


@pytest.mark.django_db
class TestRosterSet:
    @pytest.mark.parametrize("role", ["receptionist", "consultant", "marketing_director", "cashier"])
    def test_only_managers_set_the_roster(self, personas, role):
        consultants = make_consultants(personas.store_a, 2)
        with pytest.raises(PermissionDenied):
            roster_set(store=personas.store_a, day=TODAY, consultants=consultants, user=getattr(personas, role))
        assert not DutyRoster.objects.exists()

    def test_a_manager_of_another_store_may_not(self, personas):
        with pytest.raises(PermissionDenied):
            roster_set(
                store=personas.store_a,
                day=TODAY,
                consultants=make_consultants(personas.store_a, 1),
                user=personas.b_manager,
            )

    @pytest.mark.parametrize(
        ("case", "field"),
        [("other_store", "consultants"), ("twice", "consultants"), ("empty", "consultants"), ("past", "day")],
    )
    def test_bad_rosters_are_refused_and_change_nothing(self, personas, case, field):
        (mine,) = make_consultants(personas.store_a, 1)
        args = {
            "other_store": {"consultants": [mine, personas.b_consultant]},
            "twice": {"consultants": [mine, mine]},
            "empty": {"consultants": []},
            "past": {"consultants": [mine], "day": TODAY - dt.timedelta(days=1)},
        }[case]
        with pytest.raises(ValidationError) as refused:
            roster_set(store=personas.store_a, user=personas.showroom_manager, **{"day": TODAY, **args})
        assert field in refused.value.message_dict
        assert not DutyRoster.objects.exists()

    def test_setting_again_keeps_statuses_and_drops_those_left_out(self, personas):
        first, second, third = make_consultants(personas.store_a, 3)
        roster_set(
            store=personas.store_a, day=TODAY, consultants=[first, second, third], user=personas.showroom_manager
        )
        roster_status_set(entry=entry_of(second), status="away", user=second)
        roster = roster_set(store=personas.store_a, day=TODAY, consultants=[second, first], user=personas.sales_manager)
        assert [(e.consultant, e.position, e.status) for e in roster.entries.order_by("position")] == [
            (second, 1, "away"),
            (first, 2, "available"),
        ]

    def test_tomorrows_roster_can_be_set_in_advance(self, personas):
        consultants = make_consultants(personas.store_a, 2)
        roster = roster_set(
            store=personas.store_a,
            day=TODAY + dt.timedelta(days=1),
            consultants=consultants,
            user=personas.showroom_manager,
        )
        assert roster.entries.count() == 2
        assert roster_next_up(store=personas.store_a, day=TODAY) is None


@pytest.mark.django_db
class TestStatus:
    def test_a_consultant_sets_his_own_status_not_a_colleagues(self, personas):
        first, second = make_consultants(personas.store_a, 2)
        roster_set(store=personas.store_a, day=TODAY, consultants=[first, second], user=personas.showroom_manager)
        roster_status_set(entry=entry_of(first), status="away", user=first)
        with pytest.raises(PermissionDenied):
            roster_status_set(entry=entry_of(second), status="away", user=first)
        assert (entry_of(first).status, entry_of(second).status) == ("away", "available")

    def test_an_unknown_status_is_refused(self, personas):
        (only,) = make_consultants(personas.store_a, 1)
        roster_set(store=personas.store_a, day=TODAY, consultants=[only], user=personas.showroom_manager)
        with pytest.raises(ValidationError):
            roster_status_set(entry=entry_of(only), status="asleep", user=personas.receptionist)

    def test_a_past_days_status_cannot_change(self, personas, frozen):
        (only,) = make_consultants(personas.store_a, 1)
        roster_set(store=personas.store_a, day=TODAY, consultants=[only], user=personas.showroom_manager)
        frozen.shift(dt.timedelta(days=1))
        with pytest.raises(TransitionConflict):
            roster_status_set(entry=entry_of(only), status="away", user=personas.receptionist)


@pytest.mark.django_db(transaction=True)
def test_two_desks_assigning_at_once_give_two_different_consultants(personas):
    # given two consultants and two open walk-ins
    first, second = make_consultants(personas.store_a, 2)
    roster_set(store=personas.store_a, day=TODAY, consultants=[first, second], user=personas.showroom_manager)
    visits = [walk_in(personas), walk_in(personas)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def assign(visit):
        try:
            barrier.wait()
            results.append(roster_assign(store=personas.store_a, user=personas.receptionist, visit=visit).consultant_id)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    # when both desks press "assign" at the same moment
    threads = [threading.Thread(target=assign, args=(v,)) for v in visits]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then the roster lock makes them take turns: one each
    assert errors == []
    assert sorted(results) == sorted([first.pk, second.pk])
