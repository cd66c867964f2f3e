"""Follow-up pages: my follow-ups grouped overdue/today/upcoming, one-step completion with htmx,
reschedule with a reason, miss/cancel, notifications and the bell; query counts that stay flat."""

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom.models import FollowUp, Notification
from showroom.services.followups import followup_plan_schedule, followups_tick
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def customer(personas):
    return CustomerFactory(store=personas.store_a, name="李娜")


def schedule(personas, target, *, due_at, title="回访客户", assignee=None):
    return followup_plan_schedule(
        plan_code="manual",
        target=target,
        store=personas.store_a,
        assignee=assignee or personas.consultant,
        due_at=due_at,
        kind="call",
        title=title,
    )


def three_buckets(personas, customer):
    return (
        schedule(personas, customer, due_at=NOW + dt.timedelta(days=2), title="后天拜访"),
        schedule(personas, customer, due_at=NOW - dt.timedelta(hours=1), title="逾期回电"),
        schedule(personas, customer, due_at=NOW + dt.timedelta(hours=3), title="今天发报价"),
    )


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


class TestMyFollowUps:
    def test_grouped_overdue_then_today_then_upcoming_with_counts(self, personas, customer, web):
        # given one follow-up in each bucket and one of a colleague
        three_buckets(personas, customer)
        schedule(personas, customer, due_at=NOW, title="同事的", assignee=personas.sales_assistant)
        # when the consultant opens "My follow-ups"
        page = web(personas.consultant).get(reverse("followups:list")).content.decode()
        # then the sections come in order, each with its own follow-up, and the colleague's is absent
        positions = [page.index(f'data-testid="bucket-{b}"') for b in ("overdue", "today", "upcoming")]
        assert positions == sorted(positions)
        assert page.index("逾期回电") < page.index("今天发报价") < page.index("后天拜访")
        assert "同事的" not in page
        assert 'data-testid="count-all">3<' in page
        assert 'data-testid="count-overdue">1<' in page

    def test_bucket_filter_and_empty_state(self, personas, customer, web):
        three_buckets(personas, customer)
        client = web(personas.consultant)
        page = client.get(reverse("followups:list"), {"bucket": "today"}).content.decode()
        assert "今天发报价" in page and "逾期回电" not in page
        empty = web(personas.receptionist).get(reverse("followups:list")).content.decode()
        assert 'data-testid="empty"' in empty
        assert "You have no open follow-ups" in empty

    def test_the_menu_offers_my_followups_to_every_role(self, personas, web):
        for who in ("consultant", "warehouse_keeper", "general_manager"):
            page = web(getattr(personas, who)).get(reverse("home")).content.decode()
            assert reverse("followups:list") in page, who


class TestCompleteWithHtmx:
    def test_one_step_completion_removes_the_row_and_toasts(self, personas, customer, web):
        _later, overdue, _today = three_buckets(personas, customer)
        response = web(personas.consultant).post(
            reverse("followups:complete", args=[overdue.pk]), {"outcome": "客户约周六试驾"}, **HTMX
        )
        # an empty 200 replaces the row (outerHTML) with nothing; the toast comes as an event
        assert response.status_code == 200
        assert response.content == b""
        trigger = json.loads(response["HX-Trigger"])
        assert trigger["showToast"]["level"] == "success"
        assert "逾期回电" in trigger["showToast"]["message"]
        overdue.refresh_from_db()
        assert (overdue.state, overdue.outcome) == ("done", "客户约周六试驾")

    def test_without_an_outcome_the_row_comes_back_with_the_reason_and_400(self, personas, customer, web):
        fu = schedule(personas, customer, due_at=NOW)
        response = web(personas.consultant).post(reverse("followups:complete", args=[fu.pk]), {"outcome": " "}, **HTMX)
        assert response.status_code == 400
        body = response.content.decode()
        assert f'id="followup-{fu.pk}"' in body and 'data-testid="row-error"' in body
        assert "Say what came of it." in body
        assert json.loads(response["HX-Trigger"])["showToast"]["level"] == "danger"
        fu.refresh_from_db()
        assert fu.state == "open"

    def test_a_closed_followup_answers_409_and_a_stranger_403_or_404(self, personas, customer, web, client):
        fu = schedule(personas, customer, due_at=NOW)
        url = reverse("followups:complete", args=[fu.pk])
        assert web(personas.receptionist).post(url, {"outcome": "x"}, **HTMX).status_code == 403
        client.logout()
        assert web(personas.b_manager).post(url, {"outcome": "x"}, **HTMX).status_code == 404
        client.logout()
        manager = web(personas.showroom_manager)
        assert manager.post(url, {"outcome": "经理代为完成"}, **HTMX).status_code == 200
        again = manager.post(url, {"outcome": "再次"}, **HTMX)
        assert again.status_code == 409
        assert "already closed" in json.loads(again["HX-Trigger"])["showToast"]["message"]

    def test_without_javascript_the_form_posts_and_redirects(self, personas, customer, web):
        fu = schedule(personas, customer, due_at=NOW)
        response = web(personas.consultant).post(
            reverse("followups:complete", args=[fu.pk]), {"outcome": "已回电", "next": "https://evil.example/"}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("followups:list")
        fu.refresh_from_db()
        assert fu.state == "done"


class TestRescheduleAndClose:
    def test_reschedule_needs_a_reason_and_moves_the_due_time(self, personas, customer, web):
        fu = schedule(personas, customer, due_at=NOW)
        client = web(personas.consultant)
        url = reverse("followups:reschedule", args=[fu.pk])
        assert client.get(url).status_code == 200
        refused = client.post(url, {"due_at": "2026-11-29T15:30", "reason": ""})
        assert refused.status_code == 400
        assert "Say why the follow-up is moved." in refused.content.decode()
        past = client.post(url, {"due_at": "2026-11-20T15:30", "reason": "客户出差"})
        assert past.status_code == 400
        fu.refresh_from_db()
        assert fu.due_at == NOW
        done = client.post(url, {"due_at": "2026-11-29T15:30", "reason": "客户出差", "next": "/followups/"})
        assert done.status_code == 302
        fu.refresh_from_db()
        assert fu.due_at == dt.datetime(2026, 11, 29, 15, 30, tzinfo=SHANGHAI)

    def test_reschedule_page_is_403_for_a_colleague_and_404_for_another_store(self, personas, customer, web, client):
        fu = schedule(personas, customer, due_at=NOW)
        url = reverse("followups:reschedule", args=[fu.pk])
        assert web(personas.receptionist).get(url).status_code == 403
        client.logout()
        assert web(personas.b_manager).get(url).status_code == 404

    def test_cancel_from_the_page_needs_a_reason(self, personas, customer, web):
        fu = schedule(personas, customer, due_at=NOW)
        client = web(personas.consultant)
        url = reverse("followups:close", args=[fu.pk, "cancel"])
        page = client.post(url, {"note": ""}, follow=True).content.decode()
        assert "Say why the follow-up is cancelled." in page
        fu.refresh_from_db()
        assert fu.state == "open"
        client.post(url, {"note": "客户已在别处购车"})
        fu.refresh_from_db()
        assert fu.state == "cancelled"

    def test_detail_shows_the_timeline_and_only_allowed_buttons(self, personas, customer, web, client):
        fu = schedule(personas, customer, due_at=NOW)
        mine = web(personas.consultant).get(reverse("followups:detail", args=[fu.pk])).content.decode()
        assert 'data-testid="timeline"' in mine
        assert reverse("followups:close", args=[fu.pk, "cancel"]) in mine
        assert reverse("followups:complete", args=[fu.pk]) in mine
        client.logout()
        theirs = web(personas.receptionist).get(reverse("followups:detail", args=[fu.pk])).content.decode()
        assert reverse("followups:close", args=[fu.pk, "cancel"]) not in theirs
        assert reverse("followups:complete", args=[fu.pk]) not in theirs


class TestNotifications:
    def test_the_page_lists_mine_and_open_marks_read_and_goes_to_the_followup(self, personas, customer, web):
        fu = schedule(personas, customer, due_at=NOW - dt.timedelta(minutes=5))
        followups_tick()
        client = web(personas.consultant)
        page = client.get(reverse("followups:notifications")).content.decode()
        assert "回访客户" in page and "Follow-up due" in page
        notice = Notification.objects.get()
        response = client.post(reverse("followups:notification_open", args=[notice.pk]))
        assert response["Location"] == reverse("followups:detail", args=[fu.pk])
        notice.refresh_from_db()
        assert notice.read_at is not None

    def test_someone_elses_notification_is_404(self, personas, customer, web):
        schedule(personas, customer, due_at=NOW - dt.timedelta(minutes=5))
        followups_tick()
        notice = Notification.objects.get()
        client = web(personas.sales_assistant)
        assert client.post(reverse("followups:notification_open", args=[notice.pk])).status_code == 404
        assert client.post(reverse("followups:notification_read", args=[notice.pk])).status_code == 404
        notice.refresh_from_db()
        assert notice.read_at is None

    def test_mark_all_read(self, personas, customer, web):
        for i in range(3):
            schedule(personas, customer, due_at=NOW - dt.timedelta(minutes=5), title=f"回访{i}")
        followups_tick()
        web(personas.consultant).post(reverse("followups:notifications_read_all"))
        assert not Notification.objects.filter(read_at__isnull=True).exists()

    def test_the_bell_is_in_the_top_bar_before_the_language_switch(self, personas, web):
        page = web(personas.consultant).get(reverse("home")).content.decode()
        assert page.index('data-testid="notifications-menu"') < page.index('id="language-switch"')
        assert reverse("followups:notifications_count") in page

    def test_the_bell_count_costs_one_query(self, personas, customer, web, django_assert_num_queries):
        for i in range(4):
            schedule(personas, customer, due_at=NOW - dt.timedelta(minutes=5), title=f"回访{i}")
        followups_tick()
        client = web(personas.consultant)
        url = reverse("followups:notifications_count")
        badge = client.get(url).content.decode()
        assert 'data-testid="notifications-count"' in badge
        assert re.search(r">\s*4\s*<span", badge)
        # 1 session, 2 user, 3 the unread count
        with django_assert_num_queries(3):
            client.get(url)
        menu = client.get(reverse("followups:notifications_menu")).content.decode()
        assert menu.count("回访") == 4


@pytest.mark.parametrize("kind", ["page", "api"])
def test_my_followups_queries_do_not_grow_with_rows(personas, customer, web, api, kind, django_assert_num_queries):
    # given the consultant's follow-ups, first a few, then many
    user = personas.consultant
    client = web(user) if kind == "page" else api(user)
    url = reverse("followups:list") if kind == "page" else reverse("followup-list")
    for i in range(3):
        schedule(personas, customer, due_at=NOW + dt.timedelta(hours=i - 1), title=f"少{i}")
    client.get(url)  # warm the session and content-type caches
    few = count_queries(lambda: client.get(url))
    for i in range(40):
        schedule(personas, customer, due_at=NOW + dt.timedelta(hours=i - 20), title=f"多{i}")
    many = count_queries(lambda: client.get(url))
    assert few == many
    assert FollowUp.objects.filter(assignee=user).count() == 43
    if kind == "page":
        # 1 session, 2 user, 3 the user's memberships, 4 the user's stores (current store, switcher),
        # 5 the counts per bucket (one aggregate, also the paginator's total),
        # 6 the page of follow-ups with store, assignee and content type (one join)
        with django_assert_num_queries(6):
            assert client.get(url).status_code == 200
    else:
        # 1 session, 2 user, 3 the user's memberships, 4 count, 5 the page of follow-ups with store,
        # assignee and content type (one join)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
