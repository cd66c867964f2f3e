"""Front-desk pages: the board for each persona, the two-click quick add with htmx (the board
kept and refreshed), assign and leave buttons, shifts with handover, the managers' roster page
(order, override with reason, settings), reports with PDF and XLSX, the menu, the demo seeder,
and the board's query count (the same for 5 and 50 visits)."""

import datetime as dt
import json
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom import roles as r
from showroom.models import Assignment, Call, DutyRoster, FrontDeskSettings, ReceptionShift, Visit
from showroom.selectors.frontdesk import BOARD_READERS, REPORT_READERS, ROSTER_MANAGERS, visit_sources_for
from showroom.services.frontdesk import call_log, visit_log
from showroom.services.roster import roster_set
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def walk_in(personas, store=None, **extra) -> Visit:
    store = store or personas.store_a
    args = {
        "store": store,
        "user": personas.receptionist if store == personas.store_a else personas.b_manager,
        "party_size": 1,
        "purpose": "look",
        "first_visit": True,
        "source": visit_sources_for(store=store)[0],
    }
    args.update(extra)
    return visit_log(**args)


def web_source(personas):
    return next(s for s in visit_sources_for(store=personas.store_a) if s.code == "web")


def toast(response) -> dict:
    return json.loads(response["HX-Trigger"])["showToast"]


class TestBoard:
    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_sees_the_board(self, personas, web, role):
        response = web(getattr(personas, role)).get(reverse("frontdesk:board"))
        assert response.status_code == (200 if role in BOARD_READERS else 403)

    def test_the_desk_sees_the_quick_add_a_consultant_only_the_board(self, personas, web):
        walk_in(personas)
        desk = web(personas.receptionist).get(reverse("frontdesk:board")).content.decode()
        assert 'data-testid="visit-form"' in desk and 'data-testid="call-form"' in desk
        assert 'data-testid="visit-row"' in desk
        consultant = web(personas.consultant).get(reverse("frontdesk:board")).content.decode()
        assert 'data-testid="visit-form"' not in consultant
        assert 'data-testid="visit-row"' in consultant

    def test_an_empty_day_says_what_to_do(self, personas, web):
        page = web(personas.receptionist).get(reverse("frontdesk:board")).content.decode()
        assert 'data-testid="no-visits"' in page and 'data-testid="no-roster"' in page

    def test_next_up_and_the_skips_on_the_board(self, personas, web):
        second = UserFactory(username="c2", first_name="李娜")
        MembershipFactory(user=second, store=personas.store_a, role_code="consultant")
        roster_set(
            store=personas.store_a, day=TODAY, consultants=[personas.consultant, second], user=personas.sales_manager
        )
        web(personas.consultant).post(
            reverse("frontdesk:roster_status", args=[personas.consultant.roster_entries.get().pk]), {"status": "away"}
        )
        page = web(personas.receptionist).get(reverse("frontdesk:board")).content.decode()
        assert "李娜" in page.split('data-testid="next-up-name"')[1][:200]
        assert 'data-testid="skips"' in page

    def test_a_past_day_is_read_only_and_the_future_goes_back_to_today(self, personas, web, frozen):
        walk_in(personas)
        frozen.shift(dt.timedelta(days=1))
        client = web(personas.receptionist)
        page = client.get(reverse("frontdesk:board"), {"day": "2026-11-27"}).content.decode()
        assert 'data-testid="visit-row"' in page and 'data-testid="visit-form"' not in page
        assert client.get(reverse("frontdesk:board"), {"day": "2026-12-30"}).status_code == 302
        assert client.get(reverse("frontdesk:board"), {"day": "someday"}).status_code == 404


class TestQuickAdd:
    def test_a_walk_in_in_two_clicks_keeps_the_board_and_refreshes_it(self, personas, web):
        # when the receptionist picks a source and presses "Log walk-in" (the rest has defaults)
        response = web(personas.receptionist).post(
            reverse("frontdesk:visit_create"),
            {"source": web_source(personas).pk, "purpose": "look", "first_visit": "1", "party_size": "1"},
            **HTMX,
        )
        # then it is logged, a fresh form comes back with the board's parts out of band, and a toast
        assert response.status_code == 200
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="visit-form-card">')
        assert 'id="board-main" hx-swap-oob="true"' in body and 'id="board-side" hx-swap-oob="true"' in body
        assert body.count('data-testid="visit-row"') == 1
        assert toast(response)["level"] == "success"
        visit = Visit.objects.get()
        assert (visit.source, visit.logged_by, visit.party_size) == (web_source(personas), personas.receptionist, 1)

    def test_without_a_source_the_form_comes_back_with_the_error_and_nothing_is_logged(self, personas, web):
        response = web(personas.receptionist).post(
            reverse("frontdesk:visit_create"), {"purpose": "look", "first_visit": "1", "party_size": "1"}, **HTMX
        )
        assert response.status_code == 400
        body = response.content.decode()
        assert 'data-testid="form-error"' in body and "Choose a source" in body
        assert "hx-swap-oob" not in body
        assert not Visit.objects.exists()

    def test_a_bad_plate_and_a_time_in_are_checked_by_the_service(self, personas, web):
        client = web(personas.receptionist)
        base = {"source": web_source(personas).pk, "purpose": "look", "first_visit": "0", "party_size": "2"}
        response = client.post(reverse("frontdesk:visit_create"), {**base, "licence_plate": "XYZ"}, **HTMX)
        assert response.status_code == 400 and "licence plate" in response.content.decode()
        response = client.post(reverse("frontdesk:visit_create"), {**base, "arrived_at": "09:40"}, **HTMX)
        assert response.status_code == 200
        assert Visit.objects.get().arrived_at == dt.datetime(2026, 11, 27, 9, 40, tzinfo=SHANGHAI)

    def test_without_javascript_the_form_posts_and_redirects(self, personas, web):
        response = web(personas.receptionist).post(
            reverse("frontdesk:visit_create"),
            {"source": web_source(personas).pk, "purpose": "service", "first_visit": "0", "party_size": "3"},
        )
        assert response.status_code == 302
        assert Visit.objects.get().purpose == "service"

    def test_a_consultant_may_not_log(self, personas, web):
        data = {"source": web_source(personas).pk, "purpose": "look", "first_visit": "1", "party_size": "1"}
        assert web(personas.consultant).post(reverse("frontdesk:visit_create"), data).status_code == 403
        response = web(personas.consultant).post(reverse("frontdesk:visit_create"), data, **HTMX)
        assert response.status_code == 403 and toast(response)["level"] == "danger"
        assert not Visit.objects.exists()

    def test_a_call_with_an_agreed_callback(self, personas, web):
        response = web(personas.receptionist).post(
            reverse("frontdesk:call_create"),
            {
                "number": "138 1234 5678",
                "question": "新款到店了吗？",
                "callback_agreed_at": "2026-11-28T10:30",
                "consultant": personas.consultant.pk,
            },
            **HTMX,
        )
        assert response.status_code == 200, response.content
        call = Call.objects.get()
        assert (call.number, call.callback_agreed_at) == (
            "13812345678",
            dt.datetime(2026, 11, 28, 10, 30, tzinfo=SHANGHAI),
        )
        assert 'data-testid="call-row"' in response.content.decode()

    def test_a_call_without_a_question_comes_back_with_the_error(self, personas, web):
        response = web(personas.receptionist).post(reverse("frontdesk:call_create"), {"number": "13812345678"}, **HTMX)
        assert response.status_code == 400
        assert "Write down what the caller asked" in response.content.decode()
        assert not Call.objects.exists()


class TestButtons:
    def test_assign_next_gives_the_walk_in_to_the_consultant_in_turn(self, personas, web):
        roster_set(store=personas.store_a, day=TODAY, consultants=[personas.consultant], user=personas.showroom_manager)
        visit = walk_in(personas)
        response = web(personas.receptionist).post(reverse("frontdesk:visit_assign", args=[visit.pk]), **HTMX)
        assert response.status_code == 200
        assert personas.consultant.get_full_name() in toast(response)["message"]
        visit.refresh_from_db()
        assert visit.consultant == personas.consultant
        assert 'id="board-side" hx-swap-oob="true"' in response.content.decode()

    def test_assign_without_a_roster_says_why(self, personas, web):
        visit = walk_in(personas)
        response = web(personas.receptionist).post(reverse("frontdesk:visit_assign", args=[visit.pk]), **HTMX)
        assert response.status_code == 409
        assert "roster" in toast(response)["message"]

    def test_leave_closes_the_visit(self, personas, web):
        visit = walk_in(personas)
        response = web(personas.receptionist).post(reverse("frontdesk:visit_leave", args=[visit.pk]), **HTMX)
        assert response.status_code == 200
        visit.refresh_from_db()
        assert visit.left_at == NOW

    def test_another_stores_visit_is_404(self, personas, web):
        theirs = walk_in(personas, store=personas.store_b)
        client = web(personas.showroom_manager)
        assert client.post(reverse("frontdesk:visit_leave", args=[theirs.pk])).status_code == 404
        assert client.post(reverse("frontdesk:visit_assign", args=[theirs.pk])).status_code == 404


class TestShiftPages:
    def test_open_then_hand_over_to_a_colleague(self, personas, web):
        colleague = UserFactory(username="reception2", first_name="杨雪")
        MembershipFactory(user=colleague, store=personas.store_a, role_code="receptionist")
        client = web(personas.receptionist)
        assert client.post(reverse("frontdesk:shift_open")).status_code == 302
        walk_in(personas)
        shift = ReceptionShift.objects.get()
        response = client.post(
            reverse("frontdesk:shift_close", args=[shift.pk]), {"next_receptionist": colleague.pk, "note": "客户在等"}
        )
        assert response.status_code == 302 and response["Location"] == reverse("frontdesk:shift", args=[shift.pk])
        page = client.get(response["Location"]).content.decode()
        assert 'data-testid="shift-visits">' in page and "杨雪" in page and "客户在等" in page
        assert ReceptionShift.objects.get(closed_at__isnull=True).receptionist == colleague

    def test_taking_over_the_desk(self, personas, web):
        walk_in(personas)
        shift = ReceptionShift.objects.get()
        web(personas.showroom_manager).post(reverse("frontdesk:shift_close", args=[shift.pk]), {"take_over": "1"})
        assert ReceptionShift.objects.get(closed_at__isnull=True).receptionist == personas.showroom_manager

    def test_a_consultant_may_look_but_not_close(self, personas, web):
        shift = walk_in(personas).counted_shift
        client = web(personas.consultant)
        assert client.get(reverse("frontdesk:shift", args=[shift.pk])).status_code == 200
        assert client.post(reverse("frontdesk:shift_close", args=[shift.pk])).status_code == 403
        assert web(personas.warehouse_keeper).get(reverse("frontdesk:shift", args=[shift.pk])).status_code == 403

    def test_another_stores_shift_is_404(self, personas, web):
        theirs = walk_in(personas, store=personas.store_b).counted_shift
        assert web(personas.showroom_manager).get(reverse("frontdesk:shift", args=[theirs.pk])).status_code == 404


class TestRosterPage:
    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_sees_the_roster_page(self, personas, web, role):
        response = web(getattr(personas, role)).get(reverse("frontdesk:roster"))
        assert response.status_code == (200 if role in ROSTER_MANAGERS else 403)

    def test_a_manager_sets_the_order_with_positions(self, personas, web):
        second = UserFactory(username="c2", first_name="李娜")
        MembershipFactory(user=second, store=personas.store_a, role_code="consultant")
        client = web(personas.showroom_manager)
        response = client.post(
            reverse("frontdesk:roster_set"),
            {
                "day": "2026-11-27",
                "on_duty": [personas.consultant.pk, second.pk],
                f"position_{personas.consultant.pk}": "2",
                f"position_{second.pk}": "1",
            },
        )
        assert response.status_code == 302
        roster = DutyRoster.objects.get()
        assert [e.consultant for e in roster.entries.order_by("position")] == [second, personas.consultant]
        page = client.get(reverse("frontdesk:roster")).content.decode()
        assert "李娜" in page.split('data-testid="next-up-name"')[1][:200]

    def test_a_receptionist_cannot_set_the_order(self, personas, web):
        response = web(personas.receptionist).post(
            reverse("frontdesk:roster_set"), {"day": "2026-11-27", "on_duty": [personas.consultant.pk]}
        )
        assert response.status_code == 403
        assert not DutyRoster.objects.exists()

    def test_an_override_without_a_reason_shows_the_error_and_with_one_assigns(self, personas, web):
        roster_set(store=personas.store_a, day=TODAY, consultants=[personas.consultant], user=personas.showroom_manager)
        visit = walk_in(personas)
        client = web(personas.showroom_manager)
        refused = client.post(
            reverse("frontdesk:roster_override"),
            {"visit": visit.pk, "consultant": personas.consultant.pk, "reason": ""},
        )
        assert refused.status_code == 400 and "Say why the order is overridden" in refused.content.decode()
        assert not Assignment.objects.exists()
        done = client.post(
            reverse("frontdesk:roster_override"),
            {"visit": visit.pk, "consultant": personas.consultant.pk, "reason": "客户点名"},
        )
        assert done.status_code == 302
        assert Assignment.objects.get().kind == "override"
        page = client.get(reverse("frontdesk:roster")).content.decode()
        assert 'data-kind="override"' in page and "客户点名" in page

    def test_override_is_refused_to_the_receptionist(self, personas, web):
        roster_set(store=personas.store_a, day=TODAY, consultants=[personas.consultant], user=personas.showroom_manager)
        visit = walk_in(personas)
        response = web(personas.receptionist).post(
            reverse("frontdesk:roster_override"),
            {"visit": visit.pk, "consultant": personas.consultant.pk, "reason": "x"},
        )
        assert response.status_code == 403

    def test_settings_on_the_roster_page(self, personas, web):
        response = web(personas.sales_manager).post(
            reverse("frontdesk:settings"),
            {"shift_minutes": "90", "overdue_skip_hours": "12", "distribution_rule": "seller"},
        )
        assert response.status_code == 302
        row = FrontDeskSettings.objects.get(store=personas.store_a)
        assert (row.shift_minutes, row.overdue_skip_hours, row.distribution_rule) == (90, 12, "seller")
        # the showroom manager changes the shift but not the distribution rule
        web(personas.showroom_manager).post(
            reverse("frontdesk:settings"),
            {"shift_minutes": "100", "overdue_skip_hours": "12", "distribution_rule": "round_robin"},
        )
        row.refresh_from_db()
        assert (row.shift_minutes, row.distribution_rule) == (100, "seller")
        assert (
            web(personas.receptionist).post(reverse("frontdesk:settings"), {"shift_minutes": "60"}).status_code == 403
        )


class TestReports:
    def _traffic(self, personas):
        walk_in(personas, first_visit=False)
        walk_in(personas)
        call_log(store=personas.store_a, user=personas.receptionist, number="13812345678", question="价格？")

    @pytest.mark.parametrize("role", r.ROLE_CODES)
    def test_who_reads_the_reports(self, personas, web, role):
        response = web(getattr(personas, role)).get(reverse("frontdesk:reports"))
        assert response.status_code == (200 if role in REPORT_READERS else 403)

    def test_the_days_report_shows_the_counts_and_the_shifts_adding_up(self, personas, web):
        self._traffic(personas)
        page = web(personas.sales_manager).get(reverse("frontdesk:reports"), {"day": "2026-11-27"}).content.decode()
        assert 'data-testid="total-visits">2<' in page
        assert 'data-testid="total-first">1<' in page
        assert 'data-testid="total-calls">1<' in page
        assert 'data-testid="shift-total">2<' in page

    def test_the_monthly_summary_page(self, personas, web):
        self._traffic(personas)
        page = web(personas.marketing_director).get(reverse("frontdesk:reports"), {"month": "2026-11"}).content.decode()
        assert 'data-testid="by-day"' in page and 'data-testid="total-visits">2<' in page
        assert (
            web(personas.marketing_director).get(reverse("frontdesk:reports"), {"month": "2026-13"}).status_code == 404
        )

    def test_pdf_download(self, personas, web):
        self._traffic(personas)
        response = web(personas.sales_manager).get(
            reverse("frontdesk:report_download", args=["pdf"]), {"day": "2026-11-27"}
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert 'filename="frontdesk-daily-20261127.pdf"' in response["Content-Disposition"]

    def test_xlsx_download_has_the_counts(self, personas, web):
        from openpyxl import load_workbook

        self._traffic(personas)
        response = web(personas.sales_manager).get(
            reverse("frontdesk:report_download", args=["xlsx"]), {"month": "2026-11"}
        )
        assert response.status_code == 200
        book = load_workbook(BytesIO(response.content))
        summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
        assert (summary["Visits"], summary["First visits"], summary["Calls"]) == (2, 1, 1)
        by_day = book["By day"]
        assert [c.value for c in by_day[28]] == ["2026-11-27", 2, 1, 1]

    def test_another_stores_report_is_404_and_an_unknown_format_too(self, personas, web):
        client = web(personas.sales_manager)
        assert client.get(reverse("frontdesk:reports"), {"store": personas.store_b.pk}).status_code == 404
        assert client.get(reverse("frontdesk:report_download", args=["doc"])).status_code == 404


def test_the_menu_shows_the_front_desk_to_whom_it_concerns(personas, web):
    board, roster = reverse("frontdesk:board"), reverse("frontdesk:roster")
    receptionist = web(personas.receptionist).get("/").content.decode()
    assert f'href="{board}"' in receptionist and f'href="{roster}"' not in receptionist
    manager = web(personas.showroom_manager).get("/").content.decode()
    assert f'href="{board}"' in manager and f'href="{roster}"' in manager
    keeper = web(personas.warehouse_keeper).get("/").content.decode()
    assert f'href="{board}"' not in keeper


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_the_board_costs_the_same_for_5_and_50_visits(personas, web, django_assert_num_queries):
    # given a roster, some calls and five walk-ins, one assigned
    roster_set(store=personas.store_a, day=TODAY, consultants=[personas.consultant], user=personas.showroom_manager)
    for _ in range(3):
        call_log(store=personas.store_a, user=personas.receptionist, number="13812345678", question="价格？")
    for _ in range(5):
        walk_in(personas)
    client = web(personas.receptionist)
    url = reverse("frontdesk:board")
    client.get(url)  # warm the session and content-type caches
    five = count_queries(lambda: client.get(url))
    for _ in range(45):
        walk_in(personas)
    fifty = count_queries(lambda: client.get(url))
    assert five == fifty
    # 1 session, 2 user, 3 memberships (roles), 4 the user's stores (current store and switcher),
    # 5 front-desk settings, 6 the open shift with its receptionist, 7 the day's visits with source,
    # consultant and customer, 8 the day's calls with consultant and customer, 9 the store's visit
    # sources, 10 today's roster, 11 its entries with their consultants, 12 the last assignment in
    # turn, 13 overdue follow-ups of the available consultants, 14 the store's consultants (quick
    # add), 15 the desk staff to hand over to
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.content.decode().count('data-testid="visit-row"') == 50


def test_the_demo_seeder_is_idempotent(frozen):
    from django.core.management import call_command

    frozen.move_to(dt.datetime(2026, 11, 27, 15, 0, tzinfo=SHANGHAI))
    call_command("seed_demo", stdout=StringIO())
    counts = (Visit.objects.count(), Call.objects.count(), Assignment.objects.count(), ReceptionShift.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (
        Visit.objects.count(),
        Call.objects.count(),
        Assignment.objects.count(),
        ReceptionShift.objects.count(),
    ) == counts
    assert counts[0] == 20 and counts[1] == 8
    assert ReceptionShift.objects.filter(closed_at__isnull=True).count() == 1
    assert DutyRoster.objects.get(day=TODAY).entries.count() >= 4
    # the shifts add up to the day, and the handed-over visits stay counted once
    assert sum(s.counted_visits.count() for s in ReceptionShift.objects.all()) == 20


def test_the_report_sections_registered_with_the_core_render(personas):
    from django.template.loader import render_to_string

    from showroom.registry import report_sections

    walk_in(personas)
    roster_set(store=personas.store_a, day=TODAY, consultants=[personas.consultant], user=personas.showroom_manager)
    sections = {entry.code: entry for entry in report_sections()}
    assert {"frontdesk.traffic", "frontdesk.roster"} <= set(sections)
    traffic = sections["frontdesk.traffic"]
    html = render_to_string(traffic.template, traffic.func(store=personas.store_a, day=TODAY))
    assert 'data-testid="total-visits">1<' in html
    roster = sections["frontdesk.roster"]
    html = render_to_string(roster.template, roster.func(store=personas.store_a, day=TODAY))
    assert 'data-testid="fairness"' in html


def test_a_customers_timeline_shows_the_visits_and_calls(personas, web):
    from showroom.selectors.timeline import timeline_for
    from tests.factories import CustomerFactory

    customer = CustomerFactory(store=personas.store_a, name="周杰")
    walk_in(personas, customer=customer, first_visit=False)
    call_log(
        store=personas.store_a, user=personas.receptionist, number="13812345678", question="试驾", customer=customer
    )
    kinds = [entry.kind for entry in timeline_for(target=customer)]
    assert kinds.count("visit") == 1 and kinds.count("call") == 1
    assert [e.kind for e in timeline_for(target=personas.store_a)] == []


def test_a_call_detail_shows_the_whole_number_to_the_desk(personas, api):
    call = call_log(store=personas.store_a, user=personas.receptionist, number="13812345678", question="价格？")
    detail = api(personas.receptionist).get(reverse("frontdesk-call-detail", args=[call.pk])).json()
    assert detail["number"] == "13812345678"
