"""Front desk: every walk-in and call logged in the open shift (one opened when none is), the
rules of each field, shifts and the handover (counts per shift add up to the day's visits; an
open visit handed over is not counted again), the signals inside the transaction, settings, and
the daily and monthly reports through the jobs tick with their e-mails."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog  # noqa: F401  (the follow-up engine's log is loaded)

from showroom.models import (
    Assignment,
    Call,
    DutyRoster,
    FollowUp,
    FrontDeskReport,
    ReceptionShift,
    RosterEntry,
    Visit,
    VisitSource,
)
from showroom.selectors.frontdesk import frontdesk_day_counts, shift_counts, visit_sources_for
from showroom.services.frontdesk import (
    CALLBACK_PLAN,
    call_log,
    frontdesk_settings_update,
    shift_close,
    shift_open,
    visit_customer_link,
    visit_leave,
    visit_log,
)
from showroom.services.jobs import jobs_tick
from showroom.services.transitions import TransitionConflict
from showroom.signals import visit_assigned, visit_logged
from tests.factories import CustomerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def source(store, code="passing_by") -> VisitSource:
    return next(s for s in visit_sources_for(store=store) if s.code == code)


def walk_in(personas, *, user=None, store=None, **overrides) -> Visit:
    store = store or personas.store_a
    args = {
        "store": store,
        "user": user or personas.receptionist,
        "party_size": 2,
        "purpose": "look",
        "first_visit": True,
        "source": source(store),
    }
    args.update(overrides)
    return visit_log(**args)


class TestVisitLog:
    def test_a_walk_in_is_logged_in_a_shift_opened_for_the_receptionist(self, personas):
        # given no open shift, when the receptionist logs a walk-in
        visit = walk_in(personas, licence_plate="沪a 12345")
        # then a shift is opened for her and the visit is counted in it, arriving now
        shift = ReceptionShift.objects.get()
        assert (shift.receptionist, shift.closed_at, shift.planned_minutes) == (personas.receptionist, None, 120)
        assert (visit.counted_shift, visit.current_shift, visit.arrived_at) == (shift, shift, NOW)
        assert (visit.licence_plate, visit.logged_by, visit.consultant) == ("沪A12345", personas.receptionist, None)

    def test_the_next_walk_in_goes_to_the_same_open_shift_whoever_logs_it(self, personas):
        first = walk_in(personas)
        second = walk_in(personas, user=personas.showroom_manager)
        assert second.counted_shift == first.counted_shift
        assert ReceptionShift.objects.count() == 1

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"party_size": 0}, "party_size"),
            ({"party_size": 51}, "party_size"),
            ({"purpose": "shopping"}, "purpose"),
            ({"source": None}, "source"),
            ({"licence_plate": "ABC123"}, "licence_plate"),
            ({"arrived_at": NOW + dt.timedelta(hours=1)}, "arrived_at"),
            ({"arrived_at": NOW - dt.timedelta(days=1)}, "arrived_at"),
            ({"arrived_at": dt.datetime(2026, 11, 27, 9, 0)}, "arrived_at"),
            ({"notes": "x" * 2001}, "notes"),
        ],
    )
    def test_bad_input_names_the_field_and_logs_nothing(self, personas, change, field):
        with pytest.raises(ValidationError) as refused:
            walk_in(personas, **change)
        assert field in refused.value.message_dict
        assert not Visit.objects.exists()
        assert not ReceptionShift.objects.exists()

    def test_a_source_customer_or_consultant_of_another_store_is_refused(self, personas):
        own = VisitSource.objects.create(store=personas.store_b, code="b_only", name="B 店传单")
        with pytest.raises(ValidationError) as refused:
            walk_in(
                personas,
                source=own,
                customer=CustomerFactory(store=personas.store_b),
                consultant=personas.b_consultant,
            )
        assert set(refused.value.message_dict) == {"source", "customer", "consultant"}
        assert not Visit.objects.exists()

    def test_a_store_may_hide_a_default_source_and_add_its_own(self, personas):
        VisitSource.objects.create(store=personas.store_a, code="advertising", name="广告", is_active=False)
        VisitSource.objects.create(store=personas.store_a, code="douyin", name="抖音", name_en="Douyin", order=5)
        codes = [s.code for s in visit_sources_for(store=personas.store_a)]
        assert codes[0] == "douyin"
        assert "advertising" not in codes
        assert "advertising" in [s.code for s in visit_sources_for(store=personas.store_b)]

    @pytest.mark.parametrize("role", ["consultant", "sales_assistant", "cashier", "warehouse_keeper", "finance"])
    def test_roles_outside_the_front_desk_cannot_log(self, personas, role):
        with pytest.raises(PermissionDenied):
            walk_in(personas, user=getattr(personas, role))
        assert not Visit.objects.exists()

    def test_a_manager_of_another_store_cannot_log_here(self, personas):
        with pytest.raises(PermissionDenied):
            walk_in(personas, user=personas.b_manager)

    def test_visit_logged_is_sent_inside_the_transaction(self, personas):
        # given a receiver that fails
        def explode(sender, visit, **kwargs):
            assert visit.pk is not None
            raise RuntimeError("the leads app is down")

        visit_logged.connect(explode, dispatch_uid="test.explode")
        try:
            with pytest.raises(RuntimeError):
                walk_in(personas)
        finally:
            visit_logged.disconnect(dispatch_uid="test.explode")
        # then nothing of the step is left: no visit, no shift
        assert not Visit.objects.exists()
        assert not ReceptionShift.objects.exists()

    def test_a_consultant_the_customer_asks_for_takes_the_walk_in_out_of_turn(self, personas):
        # given the consultant on today's roster
        roster = DutyRoster.objects.create(store=personas.store_a, day=NOW.date())
        entry = RosterEntry.objects.create(roster=roster, consultant=personas.consultant, position=1)
        received = []
        visit_assigned.connect(
            lambda sender, visit, consultant, **kw: received.append((visit.pk, consultant)),
            dispatch_uid="test.got",
            weak=False,
        )
        try:
            visit = walk_in(personas, first_visit=False, consultant=personas.consultant)
        finally:
            visit_assigned.disconnect(dispatch_uid="test.got")
        # then it is recorded as asked for (not counted for fairness) and he is with the customer
        assignment = Assignment.objects.get()
        assert (assignment.kind, assignment.counts_for_fairness, assignment.visit) == ("requested", False, visit)
        assert assignment.reason_text
        entry.refresh_from_db()
        assert entry.status == "with_customer"
        assert received == [(visit.pk, personas.consultant)]


class TestLeave:
    def test_leaving_closes_the_visit_and_frees_the_consultant(self, personas, frozen):
        roster = DutyRoster.objects.create(store=personas.store_a, day=NOW.date())
        entry = RosterEntry.objects.create(roster=roster, consultant=personas.consultant, position=1)
        visit = walk_in(personas, first_visit=False, consultant=personas.consultant)
        frozen.shift(dt.timedelta(minutes=40))
        visit_leave(visit=visit, user=personas.receptionist)
        visit.refresh_from_db()
        entry.refresh_from_db()
        assert visit.left_at == NOW + dt.timedelta(minutes=40)
        assert entry.status == "available"

    def test_a_consultant_with_another_visitor_stays_with_a_customer(self, personas):
        roster = DutyRoster.objects.create(store=personas.store_a, day=NOW.date())
        entry = RosterEntry.objects.create(roster=roster, consultant=personas.consultant, position=1)
        first = walk_in(personas, first_visit=False, consultant=personas.consultant)
        walk_in(personas, first_visit=False, consultant=personas.consultant)
        visit_leave(visit=first, user=personas.receptionist)
        entry.refresh_from_db()
        assert entry.status == "with_customer"

    def test_leaving_twice_is_a_conflict_and_before_arrival_is_refused(self, personas):
        visit = walk_in(personas)
        with pytest.raises(ValidationError) as refused:
            visit_leave(visit=visit, user=personas.receptionist, left_at=NOW - dt.timedelta(minutes=1))
        assert "left_at" in refused.value.message_dict
        visit_leave(visit=visit, user=personas.receptionist)
        with pytest.raises(TransitionConflict):
            visit_leave(visit=visit, user=personas.receptionist)

    def test_the_visits_consultant_may_close_it_a_colleague_may_not(self, personas):
        colleague = UserFactory(username="colleague")
        MembershipFactory(user=colleague, store=personas.store_a, role_code="consultant")
        visit = walk_in(personas, first_visit=False, consultant=personas.consultant)
        with pytest.raises(PermissionDenied):
            visit_leave(visit=visit, user=colleague)
        visit_leave(visit=visit, user=personas.consultant)
        visit.refresh_from_db()
        assert visit.left_at is not None

    def test_an_anonymous_visit_can_be_named_later(self, personas):
        visit = walk_in(personas)
        customer = CustomerFactory(store=personas.store_a)
        visit_customer_link(visit=visit, user=personas.receptionist, customer=customer)
        visit.refresh_from_db()
        assert visit.customer == customer
        with pytest.raises(ValidationError):
            visit_customer_link(
                visit=visit, user=personas.receptionist, customer=CustomerFactory(store=personas.store_b)
            )


class TestCalls:
    def test_a_call_is_logged_with_the_number_as_digits(self, personas):
        call = call_log(
            store=personas.store_a, user=personas.receptionist, number="+86 138-1234-5678", question="周末营业吗？"
        )
        assert (call.number, call.at, call.counted_shift.receptionist) == ("8613812345678", NOW, personas.receptionist)
        assert not FollowUp.objects.exists()

    def test_an_agreed_callback_becomes_a_follow_up_for_the_consultant(self, personas):
        when = NOW + dt.timedelta(days=1)
        call = call_log(
            store=personas.store_a,
            user=personas.receptionist,
            number="13812345678",
            question="新款SUV什么时候到店？",
            callback_agreed_at=when,
            callback_note="上午联系",
            consultant=personas.consultant,
        )
        followup = FollowUp.objects.get()
        assert (followup.target, followup.assignee, followup.due_at, followup.plan) == (
            call,
            personas.consultant,
            when,
            CALLBACK_PLAN,
        )

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"number": "12"}, "number"),
            ({"number": "1" * 21}, "number"),
            ({"question": "  "}, "question"),
            ({"callback_agreed_at": NOW - dt.timedelta(hours=1)}, "callback_agreed_at"),
            ({"callback_agreed_at": NOW + dt.timedelta(days=91)}, "callback_agreed_at"),
            ({"at": NOW + dt.timedelta(hours=2)}, "at"),
        ],
    )
    def test_bad_input_names_the_field_and_logs_nothing(self, personas, change, field):
        args = {"store": personas.store_a, "user": personas.receptionist, "number": "13812345678", "question": "价格？"}
        args.update(change)
        with pytest.raises(ValidationError) as refused:
            call_log(**args)
        assert field in refused.value.message_dict
        assert not Call.objects.exists()


class TestShifts:
    def test_opening_a_second_shift_is_a_conflict(self, personas):
        shift_open(store=personas.store_a, user=personas.receptionist)
        with pytest.raises(TransitionConflict):
            shift_open(store=personas.store_a, user=personas.showroom_manager)
        assert ReceptionShift.objects.count() == 1

    def test_only_the_front_desk_opens_and_closes_shifts(self, personas):
        with pytest.raises(PermissionDenied):
            shift_open(store=personas.store_a, user=personas.consultant)
        shift = shift_open(store=personas.store_a, user=personas.receptionist)
        with pytest.raises(PermissionDenied):
            shift_close(shift=shift, user=personas.consultant)
        with pytest.raises(PermissionDenied):
            shift_close(shift=shift, user=personas.b_manager)

    def test_a_handover_with_open_visits_counts_each_visit_in_exactly_one_shift(self, personas, frozen):
        # given the first receptionist's shift with five walk-ins, two of them still here
        second_desk = UserFactory(username="reception2")
        MembershipFactory(user=second_desk, store=personas.store_a, role_code="receptionist")
        morning = [walk_in(personas, party_size=n) for n in (1, 2, 3, 1, 2)]
        for visit in morning[:3]:
            frozen.shift(dt.timedelta(minutes=10))
            visit_leave(visit=visit, user=personas.receptionist)
        call_log(store=personas.store_a, user=personas.receptionist, number="13812345678", question="价格？")
        first_shift = morning[0].counted_shift
        # when she closes the shift and hands it over
        frozen.shift(dt.timedelta(hours=2))
        counts = shift_close(
            shift=first_shift, user=personas.receptionist, next_receptionist=second_desk, note="两位客户在休息区"
        )
        # then the counts are hers, the two open visits go to the next shift
        assert {k: counts[k] for k in ("visits", "first", "return", "people", "calls", "open")} == {
            "visits": 5,
            "first": 5,
            "return": 0,
            "people": 9,
            "calls": 1,
            "open": 2,
        }
        second_shift = ReceptionShift.objects.get(closed_at__isnull=True)
        assert (second_shift.receptionist, counts["handed_to"]) == (second_desk, second_shift.pk)
        first_shift.refresh_from_db()
        assert (first_shift.handed_to, first_shift.handover_note, first_shift.counts["visits"]) == (
            second_shift,
            "两位客户在休息区",
            5,
        )
        assert set(Visit.objects.filter(left_at__isnull=True).values_list("current_shift", "counted_shift")) == {
            (second_shift.pk, first_shift.pk)
        }
        # when the afternoon logs three more and one handed-over visitor leaves in it
        afternoon = [walk_in(personas, user=second_desk) for _ in range(3)]
        visit_leave(visit=morning[3], user=second_desk)
        afternoon_counts = shift_close(shift=second_shift, user=second_desk)
        # then the handed-over visits are not counted again, and the shifts add up to the day
        assert (afternoon_counts["visits"], afternoon_counts["received"], afternoon_counts["open"]) == (3, 2, 4)
        day = frontdesk_day_counts(store=personas.store_a, day=NOW.date())
        assert day["visits"] == 8 == sum(row["visits"] for row in day["shifts"])
        assert counts["visits"] + afternoon_counts["visits"] == day["visits"]
        assert {v.counted_shift_id for v in afternoon} == {second_shift.pk}

    def test_a_closed_shift_leaves_its_open_visits_to_the_next_shift_opened(self, personas):
        visit = walk_in(personas)
        first = visit.counted_shift
        shift_close(shift=first, user=personas.receptionist)
        following = shift_open(store=personas.store_a, user=personas.showroom_manager)
        visit.refresh_from_db()
        first.refresh_from_db()
        assert (visit.counted_shift, visit.current_shift, first.handed_to) == (first, following, following)
        assert shift_counts(shift=following) == {
            "visits": 0,
            "first": 0,
            "return": 0,
            "people": 0,
            "open": 1,
            "received": 1,
            "calls": 0,
        }

    def test_closing_twice_is_a_conflict(self, personas):
        shift = shift_open(store=personas.store_a, user=personas.receptionist)
        shift_close(shift=shift, user=personas.receptionist)
        with pytest.raises(TransitionConflict):
            shift_close(shift=shift, user=personas.receptionist)

    def test_a_handover_to_someone_outside_the_desk_is_refused_and_changes_nothing(self, personas):
        shift = shift_open(store=personas.store_a, user=personas.receptionist)
        with pytest.raises(ValidationError) as refused:
            shift_close(shift=shift, user=personas.receptionist, next_receptionist=personas.warehouse_keeper)
        assert "next_receptionist" in refused.value.message_dict
        shift.refresh_from_db()
        assert shift.closed_at is None

    def test_a_shift_left_open_overnight_is_closed_before_the_new_day_is_logged(self, personas, frozen):
        yesterday = walk_in(personas)
        old_shift = yesterday.counted_shift
        frozen.move_to(NOW + dt.timedelta(days=1))
        today = walk_in(personas, user=personas.showroom_manager)
        old_shift.refresh_from_db()
        assert old_shift.closed_at == NOW + dt.timedelta(days=1)
        assert old_shift.closed_by is None and old_shift.counts["visits"] == 1
        assert today.counted_shift != old_shift
        assert today.counted_shift.receptionist == personas.showroom_manager
        yesterday.refresh_from_db()
        assert yesterday.current_shift == today.counted_shift  # still here: looked after today
        assert frontdesk_day_counts(store=personas.store_a, day=NOW.date())["visits"] == 1


class TestSettings:
    def test_managers_change_the_shift_length_used_by_the_next_shift(self, personas):
        frontdesk_settings_update(store=personas.store_a, user=personas.showroom_manager, shift_minutes=90)
        assert shift_open(store=personas.store_a, user=personas.receptionist).planned_minutes == 90

    def test_the_distribution_rule_is_the_sales_managers(self, personas):
        with pytest.raises(PermissionDenied):
            frontdesk_settings_update(
                store=personas.store_a, user=personas.showroom_manager, distribution_rule="seller"
            )
        row = frontdesk_settings_update(store=personas.store_a, user=personas.sales_manager, distribution_rule="seller")
        assert row.distribution_rule == "seller"

    @pytest.mark.parametrize("user", ["receptionist", "consultant"])
    def test_others_are_refused(self, personas, user):
        with pytest.raises(PermissionDenied):
            frontdesk_settings_update(store=personas.store_a, user=getattr(personas, user), shift_minutes=60)

    def test_out_of_range_values_are_refused(self, personas):
        with pytest.raises(ValidationError) as refused:
            frontdesk_settings_update(
                store=personas.store_a, user=personas.showroom_manager, shift_minutes=10, overdue_skip_hours=0
            )
        assert set(refused.value.message_dict) == {"shift_minutes", "overdue_skip_hours"}


class TestReports:
    def _day_of_traffic(self, personas):
        walk_in(personas, source=source(personas.store_a, "web"), party_size=3)
        walk_in(personas, source=source(personas.store_a, "web"), first_visit=False, purpose="service")
        walk_in(
            personas, source=source(personas.store_a, "referral"), first_visit=False, consultant=personas.consultant
        )
        call_log(store=personas.store_a, user=personas.receptionist, number="13812345678", question="价格？")
        walk_in(personas, store=personas.store_b, user=personas.b_manager)  # another store's

    def test_the_closing_time_tick_stores_the_days_counts_and_mails_the_managers_once(
        self, personas, frozen, django_capture_on_commit_callbacks
    ):
        # given a day of traffic in store A (closing 18:00)
        self._day_of_traffic(personas)
        mail.outbox.clear()
        # when the jobs tick runs after closing time
        frozen.move_to(dt.datetime(2026, 11, 27, 18, 5, tzinfo=SHANGHAI))
        with django_capture_on_commit_callbacks(execute=True):
            jobs_tick()
        # then the day's report is stored with the right counts
        report = FrontDeskReport.objects.get(store=personas.store_a, kind="daily")
        data = report.data
        assert (report.day, data["visits"], data["people"], data["first"], data["return"], data["calls"]) == (
            NOW.date(),
            3,
            7,
            1,
            2,
            1,
        )
        assert {row["code"]: row["visits"] for row in data["by_source"]} == {"web": 2, "referral": 1}
        assert {row["code"]: row["visits"] for row in data["by_purpose"]}["service"] == 1
        assert [(row["id"], row["visits"]) for row in data["by_consultant"]] == [(personas.consultant.pk, 1), (None, 2)]
        assert {row["hour"]: row["visits"] for row in data["by_hour"]}[10] == 3
        # and mailed to its sales manager and marketing director (not store B's), once, with the PDF
        store_a_mail = [m for m in mail.outbox if personas.sales_manager.email in m.to]
        assert len(store_a_mail) == 1
        assert set(store_a_mail[0].to) == {personas.sales_manager.email, personas.marketing_director.email}
        assert store_a_mail[0].attachments[0][2] == "application/pdf"
        assert report.emailed_at is not None
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            jobs_tick()
        assert mail.outbox == []

    def test_nothing_before_closing_time(self, personas, frozen):
        frozen.move_to(dt.datetime(2026, 11, 27, 17, 55, tzinfo=SHANGHAI))
        jobs_tick()
        assert not FrontDeskReport.objects.exists()

    def test_only_car_showrooms_get_the_report(self, personas, frozen):
        personas.store_b.kind = "warehouse"
        personas.store_b.save()
        frozen.move_to(dt.datetime(2026, 11, 27, 18, 5, tzinfo=SHANGHAI))
        jobs_tick()
        assert list(FrontDeskReport.objects.values_list("store", flat=True)) == [personas.store_a.pk]

    def test_the_monthly_summary_on_the_first_covers_the_previous_month(
        self, personas, frozen, django_capture_on_commit_callbacks
    ):
        self._day_of_traffic(personas)
        frozen.move_to(dt.datetime(2026, 12, 1, 8, 30, tzinfo=SHANGHAI))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            jobs_tick()
        report = FrontDeskReport.objects.get(store=personas.store_a, kind="monthly")
        assert (report.day, report.data["visits"], report.data["calls"]) == (dt.date(2026, 11, 1), 3, 1)
        assert len(report.data["by_day"]) == 30
        assert report.data["by_day"][26] == {"day": "2026-11-27", "visits": 3, "first": 1, "calls": 1}
        assert any("2026-11" in m.subject for m in mail.outbox)

    def test_no_monthly_summary_on_other_days(self, personas, frozen):
        frozen.move_to(dt.datetime(2026, 12, 2, 8, 30, tzinfo=SHANGHAI))
        jobs_tick()
        assert not FrontDeskReport.objects.filter(kind="monthly").exists()
