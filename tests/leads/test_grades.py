"""Grades and their follow-up rhythm: defaults per store, the rhythm of each grade followed with time
travel, a grade change replacing the pending plan, and the showroom manager's plan confirmation."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from leads.models import GradeRule
from leads.services import grade_rules_for, lead_event, lead_grade_set, lead_plan_confirm
from showroom.models import FollowUp
from showroom.registry import followup_plan
from showroom.services.followups import followup_complete, followup_miss
from showroom.services.transitions import TransitionConflict
from tests.factories import StoreFactory
from tests.leads.factories import T0

pytestmark = pytest.mark.django_db


def open_followups(lead):
    return list(FollowUp.objects.filter(object_id=lead.pk, plan__startswith="leads.grade.", state="open"))


def only_open(lead) -> FollowUp:
    (followup,) = open_followups(lead)
    return followup


class TestGradeRules:
    def test_defaults_are_created_per_store_the_first_time(self, personas):
        # given a car store without rules
        assert not GradeRule.objects.filter(store=personas.store_a).exists()
        # when its rules are asked for
        rules = grade_rules_for(personas.store_a)
        # then the four defaults exist for that store only
        assert {g: (r.buy_within_days, r.follow_up_every_days, r.needs_manager_plan) for g, r in rules.items()} == {
            "H": (7, 2, True),
            "A": (15, 3, True),
            "B": (30, 7, False),
            "C": (90, 14, False),
        }
        assert not GradeRule.objects.filter(store=personas.store_b).exists()
        # and asking again creates nothing more
        grade_rules_for(personas.store_a)
        assert GradeRule.objects.filter(store=personas.store_a).count() == 4

    def test_an_edited_rule_is_kept_and_used(self, personas, open_lead):
        grade_rules_for(personas.store_a)
        GradeRule.objects.filter(store=personas.store_a, grade="B").update(follow_up_every_days=5)
        assert grade_rules_for(personas.store_a)["B"].follow_up_every_days == 5
        with time_machine.travel(T0, tick=False):
            lead = open_lead(grade="B")
        assert only_open(lead).due_at == T0 + dt.timedelta(days=5)

    @pytest.mark.parametrize(
        ("timeline", "grade"), [("week", "H"), ("fortnight", "A"), ("month", "B"), ("quarter", "C"), ("later", "C")]
    )
    def test_without_a_grade_the_timeline_proposes_one(self, open_lead, timeline, grade):
        assert open_lead(purchase_timeline=timeline).grade == grade

    def test_every_grade_plan_is_registered_with_a_hook(self):
        for grade in "HABC":
            plan = followup_plan(f"leads.grade.{grade}")
            assert plan is not None and plan.hook is not None


class TestRhythmWithTimeTravel:
    @pytest.mark.parametrize(("grade", "every"), [("H", 2), ("A", 3), ("B", 7), ("C", 14)])
    def test_each_completed_followup_schedules_the_next_with_the_grade_rhythm(self, personas, open_lead, grade, every):
        # given a lead opened at T0 with the grade
        with time_machine.travel(T0, tick=False):
            lead = open_lead(grade=grade)
        first = only_open(lead)
        # then the first follow-up is the grade's rhythm away, for the consultant, under the grade's plan
        assert (first.plan, first.sequence, first.assignee, first.due_at) == (
            f"leads.grade.{grade}",
            1,
            personas.consultant,
            T0 + dt.timedelta(days=every),
        )
        # when the consultant does it on its day, three times running
        due = first.due_at
        for step in (1, 2, 3):
            with time_machine.travel(due + dt.timedelta(hours=1), tick=False):
                followup_complete(followup=only_open(lead), user=personas.consultant, outcome=f"第{step}次回访")
            # then the next one is due the rhythm after it was done, and only one is ever open
            nxt = only_open(lead)
            assert nxt.sequence == step + 1
            assert nxt.due_at == due + dt.timedelta(hours=1, days=every)
            due = nxt.due_at
        # and each completed one counts as a contact
        lead.refresh_from_db()
        assert lead.last_contact_at == due - dt.timedelta(days=every)

    def test_a_missed_followup_keeps_the_rhythm_going(self, personas, open_lead):
        with time_machine.travel(T0, tick=False):
            lead = open_lead(grade="A")
        with time_machine.travel(T0 + dt.timedelta(days=4), tick=False):
            followup_miss(followup=only_open(lead), user=personas.consultant, note="没接电话")
        assert only_open(lead).due_at == T0 + dt.timedelta(days=7)

    def test_a_closed_lead_schedules_nothing_more(self, personas, open_lead):
        with time_machine.travel(T0, tick=False):
            lead = open_lead(grade="B")
        pending = only_open(lead)
        # a manager marks it won while the consultant's follow-up is still open (the manager may
        # cancel it: it is cancelled); a follow-up left open by someone who could not cancel it
        # schedules nothing when done
        lead_event(lead=lead, event="deposit_paid")  # no user: nobody cancels the pending one
        assert only_open(lead) == pending
        followup_complete(followup=pending, user=personas.consultant, outcome="客户已交定金")
        assert open_followups(lead) == []


class TestGradeChangeReplacesThePlan:
    def test_the_pending_followup_is_cancelled_and_the_new_rhythm_starts(self, personas, open_lead):
        # given a grade C lead opened at T0 (first follow-up due in 14 days)
        with time_machine.travel(T0, tick=False):
            lead = open_lead(grade="C")
        old = only_open(lead)
        assert old.due_at == T0 + dt.timedelta(days=14)
        # when the consultant raises it to H three days later
        later = T0 + dt.timedelta(days=3)
        with time_machine.travel(later, tick=False):
            lead = lead_grade_set(lead=lead, grade="H", user=personas.consultant)
        # then the C follow-up is cancelled with the reason, and one H follow-up is due in 2 days
        old.refresh_from_db()
        assert old.state == "cancelled"
        new = only_open(lead)
        assert (new.plan, new.sequence, new.due_at) == ("leads.grade.H", 1, later + dt.timedelta(days=2))
        assert lead.grade == "H"
        # and completing it continues with H's rhythm, not C's
        with time_machine.travel(new.due_at, tick=False):
            followup_complete(followup=new, user=personas.consultant, outcome="客户本周末来店")
        assert only_open(lead).due_at == new.due_at + dt.timedelta(days=2)

    def test_the_same_grade_changes_nothing(self, personas, open_lead):
        lead = open_lead(grade="B")
        first = only_open(lead)
        lead_grade_set(lead=lead, grade="B", user=personas.consultant)
        assert only_open(lead) == first

    def test_a_bad_grade_is_400_and_changes_nothing(self, personas, open_lead):
        lead = open_lead(grade="B")
        with pytest.raises(ValidationError) as refused:
            lead_grade_set(lead=lead, grade="Z", user=personas.consultant)
        assert "grade" in refused.value.message_dict
        lead.refresh_from_db()
        assert lead.grade == "B" and len(open_followups(lead)) == 1

    def test_another_consultant_may_not_change_it(self, personas, open_lead):
        from tests.factories import MembershipFactory, UserFactory

        colleague = UserFactory(username="colleague")
        MembershipFactory(user=colleague, store=personas.store_a, role_code="consultant")
        lead = open_lead(grade="B")
        with pytest.raises(PermissionDenied):
            lead_grade_set(lead=lead, grade="H", user=colleague)

    def test_the_grade_action_of_the_api(self, personas, api, open_lead):
        lead = open_lead(grade="B")
        response = api(personas.showroom_manager).post(reverse("lead-grade", args=[lead.pk]), {"grade": "A"})
        assert response.status_code == 200, response.json()
        assert response.json()["grade"] == "A"
        assert only_open(lead).plan == "leads.grade.A"


class TestPlanConfirmation:
    def test_h_and_a_plans_wait_for_the_showroom_manager_who_is_told(self, personas, open_lead):
        lead = open_lead(grade="H")
        assert lead.plan_confirmed_at is None
        assert personas.showroom_manager.notifications.filter(key__startswith=f"leads:plan:{lead.pk}:H").exists()

    def test_only_the_showroom_manager_confirms_with_the_plan_written_down(self, personas, open_lead):
        lead = open_lead(grade="A")
        with pytest.raises(PermissionDenied):
            lead_plan_confirm(lead=lead, user=personas.consultant, note="每三天电话一次")
        with pytest.raises(ValidationError) as refused:
            lead_plan_confirm(lead=lead, user=personas.showroom_manager, note=" ")
        assert "note" in refused.value.message_dict
        lead = lead_plan_confirm(lead=lead, user=personas.showroom_manager, note="每三天电话一次，周末邀约试驾")
        assert (lead.plan_confirmed_by, lead.plan_note) == (personas.showroom_manager, "每三天电话一次，周末邀约试驾")
        with pytest.raises(TransitionConflict):
            lead_plan_confirm(lead=lead, user=personas.showroom_manager, note="再确认")

    def test_b_and_c_need_no_confirmation(self, personas, open_lead):
        lead = open_lead(grade="B")
        with pytest.raises(TransitionConflict):
            lead_plan_confirm(lead=lead, user=personas.showroom_manager, note="计划")

    def test_a_grade_change_asks_for_a_new_confirmation(self, personas, open_lead):
        lead = open_lead(grade="A")
        lead = lead_plan_confirm(lead=lead, user=personas.showroom_manager, note="计划")
        lead = lead_grade_set(lead=lead, grade="H", user=personas.consultant)
        assert lead.plan_confirmed_at is None and lead.plan_note == ""

    def test_the_plans_page_lists_unconfirmed_h_and_a_leads(self, personas, web, open_lead):
        waiting = open_lead(grade="H")
        open_lead(grade="B")
        confirmed = lead_plan_confirm(lead=open_lead(grade="A"), user=personas.showroom_manager, note="计划")
        page = web(personas.showroom_manager).get(reverse("leads:plans")).content.decode()
        assert reverse("leads:detail", args=[waiting.pk]) in page
        assert reverse("leads:detail", args=[confirmed.pk]) not in page

    def test_rules_are_per_store(self, personas):
        other = StoreFactory(code="car-x")
        grade_rules_for(personas.store_a)
        GradeRule.objects.filter(store=personas.store_a, grade="H").update(buy_within_days=5)
        assert grade_rules_for(other)["H"].buy_within_days == 7
