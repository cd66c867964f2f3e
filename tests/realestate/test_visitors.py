"""Visitors on site: property visits through the core front desk, intention records with the
grade's follow-up rhythm, credit and ownership checks, the manager's spot-check of A customers,
the day's work log, and yesterday's callers who did not visit, shared among the supervisors."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from realestate import services
from realestate.models import CallerAssignment, Intention, WorkLog
from showroom.models import FollowUp
from showroom.selectors.frontdesk import visit_sources_for
from showroom.services.followups import followup_complete
from showroom.services.frontdesk import call_log, visit_log
from showroom.services.jobs import jobs_tick
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TZ = timezone.get_default_timezone()


def _visit(personas, **kwargs):
    store = personas.store_a
    source = next(iter(visit_sources_for(store=store)))
    return visit_log(
        store=store, user=personas.receptionist, party_size=2, purpose="look", first_visit=True, source=source, **kwargs
    )


def _open_grade_followups(customer):
    return FollowUp.objects.filter(state="open", plan__startswith="realestate.grade.")


class TestIntentions:
    def test_a_visit_by_known_mobile_finds_the_customer_and_the_intention_starts_the_rhythm(
        self, personas, site, buyer
    ):
        # given the receptionist logs the visit with the buyer's number typed differently
        visit = _visit(personas, customer_mobile="138-1234-5678")
        assert visit.customer_id == buyer.pk
        # when the consultant records the intention and grades the buyer A
        now = timezone.now()
        intention = services.intention_record(
            user=personas.consultant,
            project=site["project"],
            customer=buyer,
            visit=visit,
            grade="A",
            layouts="三室两厅",
            area_from="90",
            area_to="120",
            now=now,
        )
        # then an A follow-up is due in 2 days for the consultant
        followup = FollowUp.objects.get(plan="realestate.grade.A")
        assert (followup.assignee, followup.object_id) == (personas.consultant, intention.pk)
        assert followup.due_at == now + dt.timedelta(days=2)

    def test_grading_again_replaces_the_rhythm_and_done_schedules_the_next(self, personas, site, buyer):
        services.intention_record(
            user=personas.consultant, project=site["project"], customer=buyer, grade="C", layouts="两室"
        )
        # graded B later: the C follow-up is cancelled, a B one is open
        second = services.intention_record(
            user=personas.consultant, project=site["project"], customer=buyer, grade="B", layouts="两室"
        )
        assert list(FollowUp.objects.values_list("plan", "state").order_by("pk")) == [
            ("realestate.grade.C", "cancelled"),
            ("realestate.grade.B", "open"),
        ]
        # done: the next B follow-up follows 5 days later
        with time_machine.travel(timezone.now() + dt.timedelta(days=5), tick=False):
            followup_complete(
                followup=FollowUp.objects.get(state="open"), user=personas.consultant, outcome="约周末看房"
            )
            nxt = FollowUp.objects.get(state="open")
            assert (nxt.plan, nxt.object_id, nxt.sequence) == ("realestate.grade.B", second.pk, 2)
            assert nxt.due_at == timezone.now() + dt.timedelta(days=5)

    def test_bad_input_and_roles(self, personas, site, buyer):
        with pytest.raises(ValidationError) as exc:
            services.intention_record(
                user=personas.consultant,
                project=site["project"],
                customer=buyer,
                grade="E",
                layouts=" ",
                area_from="150",
                area_to="90",
            )
        assert set(exc.value.message_dict) == {"grade", "layouts", "area_to"}
        with pytest.raises(PermissionDenied):
            services.intention_record(
                user=personas.cashier, project=site["project"], customer=buyer, grade="A", layouts="三室"
            )
        assert not Intention.objects.exists() and not FollowUp.objects.exists()

    def test_checks_are_recorded_with_their_date_never_ahead(self, personas, site, buyer):
        intention = services.intention_record(
            user=personas.consultant, project=site["project"], customer=buyer, grade="A", layouts="三室"
        )
        today = timezone.localdate()
        with pytest.raises(ValidationError):
            services.intention_checks_record(
                user=personas.consultant, intention=intention, credit_on=today + dt.timedelta(days=1)
            )
        services.intention_checks_record(user=personas.consultant, intention=intention, credit_on=today)
        intention.refresh_from_db()
        assert (intention.credit_checked_on, intention.ownership_checked_on) == (today, None)


class TestSpotChecksAndWorkLog:
    def test_the_manager_spot_checks_a_customers_only(self, personas, site, buyer):
        a = services.intention_record(
            user=personas.consultant, project=site["project"], customer=buyer, grade="A", layouts="三室"
        )
        other = CustomerFactory(store=personas.store_a)
        c = services.intention_record(
            user=personas.consultant, project=site["project"], customer=other, grade="C", layouts="两室"
        )
        with pytest.raises(PermissionDenied):
            services.spot_check_record(user=personas.consultant, intention=a, confirmed=True)
        with pytest.raises(TransitionConflict):
            services.spot_check_record(user=personas.sales_manager, intention=c, confirmed=True)
        with pytest.raises(ValidationError):
            services.spot_check_record(user=personas.sales_manager, intention=a, confirmed=False)
        check = services.spot_check_record(
            user=personas.sales_manager, intention=a, confirmed=False, note="客户说还没定"
        )
        assert (check.confirmed, check.note, check.checked_by) == (False, "客户说还没定", personas.sales_manager)

    def test_the_work_log_takes_the_days_intentions_once(self, personas, site, buyer):
        intention = services.intention_record(
            user=personas.consultant, project=site["project"], customer=buyer, grade="B", layouts="三室"
        )
        with pytest.raises(ValidationError):
            services.work_log_submit(user=personas.consultant, store=personas.store_a, summary="")
        log = services.work_log_submit(user=personas.consultant, store=personas.store_a, summary="接待3组")
        intention.refresh_from_db()
        assert intention.work_log_id == log.pk
        with pytest.raises(TransitionConflict):
            services.work_log_submit(user=personas.consultant, store=personas.store_a, summary="again")
        assert WorkLog.objects.count() == 1


def test_callers_who_did_not_visit_go_to_the_supervisors_next_morning(personas, site, buyer):
    second_supervisor = UserFactory(username="a_supervisor2")
    MembershipFactory(user=second_supervisor, store=personas.store_a, role_code="sales_supervisor")
    day = timezone.make_aware(dt.datetime(2026, 6, 1, 11, 0), TZ)
    with time_machine.travel(day, tick=False):
        # the buyer calls and then visits the same day; two strangers only call
        call_log(store=personas.store_a, user=personas.receptionist, number=buyer.mobile, question="价格?")
        call_log(store=personas.store_a, user=personas.receptionist, number="13911112222", question="户型?")
        call_log(store=personas.store_a, user=personas.receptionist, number="02223456789", question="交房?")
    with time_machine.travel(day + dt.timedelta(hours=1), tick=False):
        _visit(personas, customer=buyer)
    # the next morning at 08:30 the job shares the two out, once
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 6, 2, 8, 45), TZ), tick=False):
        jobs_tick()
        jobs_tick()
    rows = list(CallerAssignment.objects.order_by("pk"))
    assert [row.supervisor for row in rows] == [personas.sales_supervisor, second_supervisor] or [
        row.supervisor for row in rows
    ] == [second_supervisor, personas.sales_supervisor]
    assert len({row.supervisor_id for row in rows}) == 2
    assert FollowUp.objects.filter(plan="realestate.caller", state="open").count() == 2
