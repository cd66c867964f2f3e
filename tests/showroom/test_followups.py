"""Follow-ups: scheduling, the four transitions, plan hooks, the tick (notify once, escalate once,
with time travel), e-mail on commit, the API's permission matrix, notifications, timeline, demo."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django_fsm_log.models import StateLog

from showroom.models import FollowUp, Notification, Store
from showroom.registry import FollowUpPlan, register_followup_plan, unregister
from showroom.services.followups import (
    followup_cancel,
    followup_complete,
    followup_miss,
    followup_plan_schedule,
    followup_reschedule,
    followups_tick,
    notification_mark_read,
)
from showroom.services.transitions import TransitionConflict
from tests.factories import CustomerFactory, MembershipFactory, StoreFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def customer(personas):
    return CustomerFactory(store=personas.store_a, name="张伟")


def schedule(personas, target, *, due_at, assignee=None, plan="manual", store=None, title="回访客户", **kw):
    return followup_plan_schedule(
        plan_code=plan,
        target=target,
        store=store or personas.store_a,
        assignee=assignee or personas.consultant,
        due_at=due_at,
        kind=kw.pop("kind", "call"),
        title=title,
        **kw,
    )


@pytest.fixture
def hook_calls():
    """A plan "test.plan" whose hook records events and, on "done", schedules the next step."""
    calls = []

    def hook(*, followup, event):
        calls.append((followup.pk, event, followup.state))
        if event == "done" and followup.sequence < 3:
            followup_plan_schedule(
                plan_code="test.plan",
                target=followup.target,
                store=followup.store,
                assignee=followup.assignee,
                due_at=followup.due_at + dt.timedelta(days=3),
                kind="call",
                title=f"第{followup.sequence + 1}次回访",
                sequence=followup.sequence + 1,
            )

    register_followup_plan(FollowUpPlan(code="test.plan", label="test plan", hook=hook))
    yield calls
    unregister("followup_plans", "test.plan")


@pytest.mark.django_db
class TestSchedule:
    def test_schedules_one_followup_about_the_record(self, personas, customer):
        # given a customer of store A, when a plan schedules a call for the consultant
        fu = schedule(personas, customer, due_at=T0, created_by=personas.receptionist)
        # then the follow-up points at the customer, open, with the plan and step
        fu.refresh_from_db()
        assert (fu.target, fu.target_label, fu.state, fu.plan, fu.sequence) == (
            customer,
            "张伟",
            "open",
            "manual",
            1,
        )
        assert (fu.assignee, fu.created_by, fu.due_at) == (personas.consultant, personas.receptionist, T0)

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"assignee": "b_consultant"}, "assignee"),
            ({"due_at": dt.datetime(2026, 11, 27, 9, 0)}, "due_at"),
            ({"plan": "no.such.plan"}, "plan"),
            ({"title": "  "}, "title"),
            ({"kind": "fax"}, "kind"),
        ],
    )
    def test_bad_input_is_refused_with_the_field_and_nothing_is_created(self, personas, customer, change, field):
        args = {"due_at": T0}
        for key, value in change.items():
            args[key] = getattr(personas, value) if key == "assignee" else value
        with pytest.raises(ValidationError) as refused:
            schedule(personas, customer, **args)
        assert field in refused.value.message_dict
        assert not FollowUp.objects.exists()

    def test_a_record_of_another_store_is_refused(self, personas):
        other = CustomerFactory(store=personas.store_b)
        with pytest.raises(ValidationError) as refused:
            schedule(personas, other, due_at=T0)
        assert "target" in refused.value.message_dict


@pytest.mark.django_db
class TestTransitions:
    def test_complete_needs_an_outcome_and_changes_nothing_without_one(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with pytest.raises(ValidationError) as refused:
            followup_complete(followup=fu, user=personas.consultant, outcome="  ")
        assert "outcome" in refused.value.message_dict
        fu.refresh_from_db()
        assert (fu.state, fu.done_at) == ("open", None)

    def test_complete_records_outcome_result_and_time_and_logs_the_note(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
            fu = followup_complete(
                followup=fu, user=personas.consultant, outcome="客户周六来店", result_code="visit_booked"
            )
        fu.refresh_from_db()
        assert (fu.state, fu.outcome, fu.result_code) == ("done", "客户周六来店", "visit_booked")
        assert fu.done_at == T0 + dt.timedelta(minutes=5)
        log = StateLog.objects.for_(fu).get()
        assert (log.transition, log.by, log.description) == ("complete", personas.consultant, "客户周六来店")

    def test_a_done_followup_cannot_be_completed_again(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        followup_complete(followup=fu, user=personas.consultant, outcome="已联系")
        with pytest.raises(TransitionConflict):
            followup_complete(followup=fu, user=personas.showroom_manager, outcome="再次")

    def test_reschedule_needs_a_reason_and_a_future_time(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with time_machine.travel(T0, tick=False):
            with pytest.raises(ValidationError) as refused:
                followup_reschedule(followup=fu, user=personas.consultant, due_at=T0 + dt.timedelta(hours=1), reason="")
            assert "reason" in refused.value.message_dict
            with pytest.raises(ValidationError) as refused:
                followup_reschedule(
                    followup=fu, user=personas.consultant, due_at=T0 - dt.timedelta(hours=1), reason="客户出差"
                )
            assert "due_at" in refused.value.message_dict
        fu.refresh_from_db()
        assert fu.due_at == T0

    def test_reschedule_moves_the_due_time_and_rearms_the_reminder(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
            followups_tick()
        fu.refresh_from_db()
        assert fu.notified_at and fu.escalated_at
        new_due = T0 + dt.timedelta(days=2)
        with time_machine.travel(T0 + dt.timedelta(hours=4), tick=False):
            fu = followup_reschedule(followup=fu, user=personas.consultant, due_at=new_due, reason="客户出差")
        fu.refresh_from_db()
        assert (fu.state, fu.due_at, fu.notified_at, fu.escalated_at, fu.escalated_to) == (
            "open",
            new_due,
            None,
            None,
            None,
        )
        assert StateLog.objects.for_(fu).get().description == "客户出差"

    def test_cancel_needs_a_reason(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with pytest.raises(ValidationError):
            followup_cancel(followup=fu, user=personas.consultant, reason="")
        fu = followup_cancel(followup=fu, user=personas.consultant, reason="客户已购车")
        assert fu.state == "cancelled"
        assert StateLog.objects.for_(fu).get().description == "客户已购车"

    def test_a_colleague_without_a_manager_role_is_refused(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with pytest.raises(PermissionDenied):
            followup_miss(followup=fu, user=personas.receptionist)
        fu.refresh_from_db()
        assert fu.state == "open"


@pytest.mark.django_db
class TestPlanHook:
    def test_completing_a_step_schedules_the_next_through_the_plan_hook(self, personas, customer, hook_calls):
        # given the first follow-up of a three-step plan
        first = schedule(personas, customer, due_at=T0, plan="test.plan")
        # when it is completed
        followup_complete(followup=first, user=personas.consultant, outcome="已接通")
        # then the hook saw it done and created step 2, three days later, for the same person
        assert hook_calls == [(first.pk, "done", "done")]
        second = FollowUp.objects.exclude(pk=first.pk).get()
        assert (second.plan, second.sequence, second.state, second.assignee) == (
            "test.plan",
            2,
            "open",
            personas.consultant,
        )
        assert second.due_at == T0 + dt.timedelta(days=3)
        assert second.target == customer

    def test_missing_calls_the_hook_with_missed(self, personas, customer, hook_calls):
        fu = schedule(personas, customer, due_at=T0, plan="test.plan")
        followup_miss(followup=fu, user=personas.showroom_manager, note="未接通")
        assert hook_calls == [(fu.pk, "missed", "missed")]
        assert FollowUp.objects.count() == 1

    def test_a_failing_hook_rolls_the_completion_back(self, personas, customer):
        def hook(*, followup, event):
            raise RuntimeError("the lead refused")

        register_followup_plan(FollowUpPlan(code="test.broken", label="broken", hook=hook))
        try:
            fu = schedule(personas, customer, due_at=T0, plan="test.broken")
            with pytest.raises(RuntimeError):
                followup_complete(followup=fu, user=personas.consultant, outcome="已接通")
        finally:
            unregister("followup_plans", "test.broken")
        fu.refresh_from_db()
        assert (fu.state, fu.outcome) == ("open", "")
        assert not StateLog.objects.for_(fu).exists()


@pytest.mark.django_db
class TestTick:
    def test_a_due_followup_notifies_its_assignee_once_however_often_the_tick_runs(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with time_machine.travel(T0 - dt.timedelta(minutes=1), tick=False):
            assert followups_tick() == {"notified": 0, "escalated": 0}
        with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
            assert followups_tick() == {"notified": 1, "escalated": 0}
            assert followups_tick() == {"notified": 0, "escalated": 0}
        notice = Notification.objects.get()
        assert (notice.user, notice.key, notice.title) == (personas.consultant, f"followup:{fu.pk}:due", "回访客户")
        assert notice.url == reverse("followups:detail", args=[fu.pk])
        assert "张伟" in notice.body
        fu.refresh_from_db()
        assert fu.notified_at == T0 + dt.timedelta(minutes=1)

    def test_overdue_by_more_than_the_setting_escalates_to_the_showroom_manager_once(
        self, personas, customer, hook_calls, settings
    ):
        settings.SHOWROOM = {**settings.SHOWROOM, "FOLLOWUP_ESCALATE_AFTER_MINUTES": 120}
        fu = schedule(personas, customer, due_at=T0, plan="test.plan")
        # given it was reminded when due
        with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
            assert followups_tick() == {"notified": 1, "escalated": 0}
        # when exactly 120 minutes overdue: not yet
        with time_machine.travel(T0 + dt.timedelta(minutes=120), tick=False):
            assert followups_tick() == {"notified": 0, "escalated": 0}
        # when 121 minutes overdue, twice: escalated once
        with time_machine.travel(T0 + dt.timedelta(minutes=121), tick=False):
            assert followups_tick() == {"notified": 0, "escalated": 1}
            assert followups_tick() == {"notified": 0, "escalated": 0}
        with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
            assert followups_tick() == {"notified": 0, "escalated": 0}
        fu.refresh_from_db()
        assert (fu.escalated_to, fu.escalated_at, fu.state) == (
            personas.showroom_manager,
            T0 + dt.timedelta(minutes=121),
            "open",
        )
        notices = Notification.objects.order_by("id").values_list("user__username", "key")
        assert list(notices) == [
            ("a_consultant", f"followup:{fu.pk}:due"),
            ("a_showroom_manager", f"followup:{fu.pk}:escalated"),
        ]
        assert hook_calls == [(fu.pk, "escalated", "open")]

    def test_a_property_site_escalates_to_the_sales_manager(self, personas):
        site = StoreFactory(code="prop-x", kind=Store.Kind.PROPERTY_SITE)
        for code in ("consultant", "showroom_manager", "sales_manager"):
            MembershipFactory(user=getattr(personas, code), store=site, role_code=code)
        unit = CustomerFactory(store=site)
        fu = schedule(personas, unit, due_at=T0, store=site)
        with time_machine.travel(T0 + dt.timedelta(hours=5), tick=False):
            assert followups_tick() == {"notified": 1, "escalated": 1}
        fu.refresh_from_db()
        assert fu.escalated_to == personas.sales_manager

    def test_a_managers_own_followup_goes_to_the_next_manager(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0, assignee=personas.showroom_manager)
        with time_machine.travel(T0 + dt.timedelta(hours=5), tick=False):
            followups_tick()
        fu.refresh_from_db()
        assert fu.escalated_to == personas.sales_manager

    def test_without_a_manager_nothing_is_escalated_and_the_next_tick_tries_again(self, personas):
        lonely = StoreFactory(code="lonely")
        user = UserFactory(username="lonely_consultant")
        MembershipFactory(user=user, store=lonely, role_code="consultant")
        fu = schedule(personas, CustomerFactory(store=lonely), due_at=T0, store=lonely, assignee=user)
        with time_machine.travel(T0 + dt.timedelta(hours=5), tick=False):
            assert followups_tick() == {"notified": 1, "escalated": 0}
        fu.refresh_from_db()
        assert fu.escalated_at is None
        boss = UserFactory(username="lonely_boss")
        MembershipFactory(user=boss, store=lonely, role_code="showroom_manager")
        with time_machine.travel(T0 + dt.timedelta(hours=6), tick=False):
            assert followups_tick() == {"notified": 0, "escalated": 1}

    def test_closed_followups_are_never_reminded(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        followup_cancel(followup=fu, user=personas.consultant, reason="重复")
        with time_machine.travel(T0 + dt.timedelta(days=1), tick=False):
            assert followups_tick() == {"notified": 0, "escalated": 0}
        assert not Notification.objects.exists()

    def test_the_mail_is_sent_on_commit_once_and_only_to_users_with_an_address(
        self, personas, customer, django_capture_on_commit_callbacks
    ):
        schedule(personas, customer, due_at=T0)
        personas.receptionist.email = ""
        personas.receptionist.save()
        schedule(personas, customer, due_at=T0, assignee=personas.receptionist, title="无邮箱")
        with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                assert followups_tick()["notified"] == 2
            assert len(callbacks) == 1
            with django_capture_on_commit_callbacks(execute=True):
                followups_tick()
        assert [m.to for m in mail.outbox] == [[personas.consultant.email]]
        assert "回访客户" in mail.outbox[0].subject
        assert Notification.objects.get(user=personas.consultant).emailed_at is not None
        assert Notification.objects.get(user=personas.receptionist).emailed_at is None

    def test_due_again_after_a_reschedule_raises_the_same_notice_again(self, personas, customer):
        fu = schedule(personas, customer, due_at=T0)
        with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
            followups_tick()
        notice = Notification.objects.get()
        notification_mark_read(notification=notice, user=personas.consultant)
        with time_machine.travel(T0 + dt.timedelta(minutes=2), tick=False):
            followup_reschedule(
                followup=fu, user=personas.consultant, due_at=T0 + dt.timedelta(days=1), reason="改约明天"
            )
        with time_machine.travel(T0 + dt.timedelta(days=1, minutes=1), tick=False):
            assert followups_tick()["notified"] == 1
        notice = Notification.objects.get()
        assert notice.read_at is None
        assert notice.created_at == T0 + dt.timedelta(days=1, minutes=1)

    def test_the_task_is_registered_and_scheduled_every_five_minutes(self, settings):
        from showroom import tasks
        from showroom.tasks.followups import followups_tick_task

        assert "followups_tick_task" in tasks.followups.__all__
        assert followups_tick_task.name == "showroom.followups_tick"
        entry = settings.CELERY_BEAT_SCHEDULE["showroom-followups-tick"]
        assert entry == {"task": "showroom.followups_tick", "schedule": 300.0}


@pytest.mark.django_db(transaction=True)
def test_two_ticks_racing_notify_and_escalate_each_followup_once(personas):
    # given twenty follow-ups long overdue
    customer = CustomerFactory(store=personas.store_a)
    ids = [schedule(personas, customer, due_at=T0, title=f"回访{i}").pk for i in range(20)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(followups_tick(now=T0 + dt.timedelta(hours=5)))
        except Exception as exc:  # pragma: no cover - surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    # when two ticks run at the same moment
    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # then each follow-up was notified and escalated exactly once between them
    assert not errors
    assert sum(r["notified"] for r in results) == 20
    assert sum(r["escalated"] for r in results) == 20
    assert Notification.objects.filter(key__endswith=":due").count() == 20
    assert Notification.objects.filter(key__endswith=":escalated").count() == 20
    assert FollowUp.objects.filter(pk__in=ids, notified_at__isnull=False, escalated_at__isnull=False).count() == 20


# --- the API ------------------------------------------------------------------------------------

TRANSITION_BODIES = {
    "complete": {"outcome": "客户确认周六到店"},
    "reschedule": {"due_at": "2030-01-02T10:00:00+08:00", "reason": "客户出差"},
    "miss": {"note": "未接通"},
    "cancel": {"reason": "客户已在别处购车"},
}
EXPECTED_STATE = {"complete": "done", "reschedule": "open", "miss": "missed", "cancel": "cancelled"}


@pytest.mark.django_db
class TestPermissionMatrix:
    @pytest.mark.parametrize("name", list(TRANSITION_BODIES))
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("consultant", 200),  # the assignee
            ("showroom_manager", 200),
            ("sales_manager", 200),
            ("general_manager", 200),
            ("receptionist", 403),
            ("sales_assistant", 403),
            ("finance", 403),
            ("b_manager", 404),  # a manager of another store
        ],
    )
    def test_assignee_and_store_managers_may_others_may_not(self, personas, customer, api, name, who, status):
        fu = schedule(personas, customer, due_at=T0)
        response = api(getattr(personas, who)).post(
            reverse("followup-transitions", args=[fu.pk, name]), TRANSITION_BODIES[name], format="json"
        )
        assert response.status_code == status, response.json()
        fu.refresh_from_db()
        if status == 200:
            assert response.json()["state"] == EXPECTED_STATE[name]
            assert fu.state == EXPECTED_STATE[name]
        else:
            assert (fu.state, fu.due_at) == ("open", T0)
            assert not StateLog.objects.for_(fu).exists()


@pytest.mark.django_db
class TestApi:
    def test_my_list_is_overdue_then_today_then_upcoming_with_filters(self, personas, customer, api):
        now = T0 + dt.timedelta(hours=1)  # 10:00 in Shanghai
        with time_machine.travel(now, tick=False):
            later = schedule(personas, customer, due_at=now + dt.timedelta(days=1), title="明天")
            overdue = schedule(personas, customer, due_at=now - dt.timedelta(hours=2), title="逾期")
            today = schedule(personas, customer, due_at=now + dt.timedelta(hours=13, minutes=59), title="今天")
            schedule(personas, customer, due_at=now, assignee=personas.sales_assistant, title="别人的")
            done = schedule(personas, customer, due_at=now - dt.timedelta(days=1), title="已完成")
            followup_complete(followup=done, user=personas.consultant, outcome="好")
            client = api(personas.consultant)
            rows = client.get(reverse("followup-list")).json()["results"]
            assert [(r["id"], r["bucket"]) for r in rows] == [
                (overdue.pk, "overdue"),
                (today.pk, "today"),
                (later.pk, "upcoming"),
            ]
            assert "available_transitions" not in rows[0]
            ids = lambda **q: [r["id"] for r in client.get(reverse("followup-list"), q).json()["results"]]  # noqa: E731
            assert ids(bucket="overdue") == [overdue.pk]
            assert ids(bucket="today") == [today.pk]
            assert ids(state="done") == [done.pk]
            assert ids(plan="manual") == [overdue.pk, today.pk, later.pk]
            assert ids(plan="leads.new") == []

    def test_detail_lists_the_transitions_i_may_run(self, personas, customer, api):
        fu = schedule(personas, customer, due_at=T0)
        detail = api(personas.consultant).get(reverse("followup-detail", args=[fu.pk])).json()
        assert sorted(detail["available_transitions"]) == ["cancel", "complete", "miss", "reschedule"]
        assert detail["plan_label"] == "One-off follow-up"
        assert (
            api(personas.receptionist).get(reverse("followup-detail", args=[fu.pk])).json()["available_transitions"]
            == []
        )
        assert api(personas.b_manager).get(reverse("followup-detail", args=[fu.pk])).status_code == 404

    def test_create_schedules_a_one_off_followup_for_a_customer_of_my_store(self, personas, customer, api):
        response = api(personas.consultant).post(
            reverse("followup-list"),
            {"customer": customer.pk, "kind": "visit", "title": "上门送资料", "due_at": "2030-01-02T10:00:00+08:00"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["plan"], body["kind"], body["assignee"], body["target_label"], body["state"]) == (
            "manual",
            "visit",
            personas.consultant.pk,
            "张伟",
            "open",
        )
        assert FollowUp.objects.get().created_by == personas.consultant

    @pytest.mark.parametrize(
        ("body", "status", "field"),
        [
            ({"title": "", "due_at": "2030-01-02T10:00:00+08:00"}, 400, "title"),
            ({"title": "x", "due_at": "tomorrow"}, 400, "due_at"),
            ({"title": "x", "due_at": "9999-12-31T23:59:59Z"}, 400, "due_at"),
            ({"title": "x", "due_at": "2030-01-02T10:00:00+08:00", "kind": "fax"}, 400, "kind"),
            ({"title": "x", "due_at": "2030-01-02T10:00:00+08:00", "assignee": "B"}, 400, "assignee"),
            ({"title": "x", "due_at": "2030-01-02T10:00:00+08:00", "assignee": 0}, 400, "assignee"),
        ],
    )
    def test_create_bad_input_is_400_with_the_field(self, personas, customer, api, body, status, field):
        response = api(personas.consultant).post(
            reverse("followup-list"), {"customer": customer.pk, **body}, format="json"
        )
        assert response.status_code == status
        assert field in response.json()["fields"]
        assert not FollowUp.objects.exists()

    def test_create_for_a_colleague_of_another_store_is_400_and_another_stores_customer_404(
        self, personas, customer, api
    ):
        client = api(personas.consultant)
        due = "2030-01-02T10:00:00+08:00"
        response = client.post(
            reverse("followup-list"),
            {"customer": customer.pk, "title": "x", "due_at": due, "assignee": personas.b_consultant.pk},
            format="json",
        )
        assert response.status_code == 400
        assert "assignee" in response.json()["fields"]
        other = CustomerFactory(store=personas.store_b)
        response = client.post(
            reverse("followup-list"), {"customer": other.pk, "title": "x", "due_at": due}, format="json"
        )
        assert response.status_code == 404
        assert not FollowUp.objects.exists()

    @pytest.mark.parametrize(
        ("name", "body", "field"),
        [
            ("complete", {}, "outcome"),
            ("complete", {"outcome": "ok", "result_code": "x" * 41}, "result_code"),
            ("reschedule", {"due_at": "2030-01-02T10:00:00+08:00"}, "reason"),
            ("reschedule", {"due_at": "2020-01-02T10:00:00+08:00", "reason": "出差"}, "due_at"),
            ("reschedule", {"reason": "出差"}, "due_at"),
            ("reschedule", {"due_at": "9999-12-31T23:59:59Z", "reason": "出差"}, "due_at"),
            ("cancel", {}, "reason"),
        ],
    )
    def test_transition_bad_input_is_400_and_changes_nothing(self, personas, customer, api, name, body, field):
        fu = schedule(personas, customer, due_at=T0)
        response = api(personas.consultant).post(
            reverse("followup-transitions", args=[fu.pk, name]), body, format="json"
        )
        assert response.status_code == 400
        assert field in response.json()["fields"]
        fu.refresh_from_db()
        assert (fu.state, fu.due_at) == ("open", T0)

    def test_wrong_state_is_409_and_an_unknown_step_404(self, personas, customer, api):
        fu = schedule(personas, customer, due_at=T0)
        client = api(personas.consultant)
        url = reverse("followup-transitions", args=[fu.pk, "complete"])
        assert client.post(url, {"outcome": "好"}, format="json").status_code == 200
        again = client.post(url, {"outcome": "再次"}, format="json")
        assert again.status_code == 409
        assert again.json()["state"] == "done"
        assert (
            client.post(reverse("followup-transitions", args=[fu.pk, "explode"]), {}, format="json").status_code == 404
        )

    def test_notifications_are_mine_and_can_be_marked_read(self, personas, customer, api):
        schedule(personas, customer, due_at=T0)
        schedule(personas, customer, due_at=T0, assignee=personas.sales_assistant)
        followups_tick(now=T0 + dt.timedelta(minutes=1))
        client = api(personas.consultant)
        rows = client.get(reverse("notification-list")).json()["results"]
        assert [(r["title"], r["kind"], r["unread"]) for r in rows] == [("回访客户", "Follow-up due", True)]
        assert client.get(reverse("notification-unread-count")).json() == {"unread": 1}
        others = Notification.objects.get(user=personas.sales_assistant)
        assert client.post(reverse("notification-read", args=[others.pk])).status_code == 404
        assert client.post(reverse("notification-read", args=[rows[0]["id"]])).json()["unread"] is False
        assert client.get(reverse("notification-unread-count")).json() == {"unread": 0}
        assert client.get(reverse("notification-list"), {"unread": "true"}).json()["results"] == []
        assistant = api(personas.sales_assistant)
        assert assistant.post(reverse("notification-read-all")).json() == {"marked": 1}


@pytest.mark.django_db
def test_the_timeline_of_the_customer_shows_its_followups(personas, customer):
    from showroom.selectors.timeline import timeline_for

    fu = schedule(personas, customer, due_at=T0)
    followup_complete(followup=fu, user=personas.consultant, outcome="客户已到店")
    entries = [e for e in timeline_for(target=customer) if e.kind == "followup"]
    assert [e.title for e in entries] == ["Follow-up planned: 回访客户", "Follow-up done: 回访客户"]
    assert entries[1].detail == "客户已到店"
    assert entries[0].url == reverse("followups:detail", args=[fu.pk])


@pytest.mark.django_db
def test_the_demo_seeder_creates_overdue_today_and_tomorrow_followups_once():
    import io

    from showroom.demo import seed_core
    from showroom.demo_followups import DEMO_FOLLOWUPS, seed_followups
    from showroom.registry import registry
    from showroom.selectors.followups import followup_bucket

    assert registry.seeders["followups"].depends_on == ("core",)
    out = io.StringIO()
    seed_core(stdout=out)
    seed_followups(stdout=out)
    seed_followups(stdout=out)
    rows = list(FollowUp.objects.filter(store__code="car01", assignee__username="consultant"))
    assert len(rows) == len(DEMO_FOLLOWUPS) == 6
    buckets = sorted(followup_bucket(followup=fu) for fu in rows)
    assert buckets == ["overdue", "overdue", "today", "today", "upcoming", "upcoming"]
    assert all(fu.target_label for fu in rows)
