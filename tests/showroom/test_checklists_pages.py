"""Checklist pages: the tablet run page with phase tabs and htmx answers, the runs list, the
templates page for managers, store scoping and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom.models import ChecklistAnswer, ChecklistRun
from showroom.services.checklists import checklist_answer, checklist_run_start
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def customer(personas):
    return CustomerFactory(store=personas.store_a, name="交车客户")


@pytest.fixture
def handover(personas, customer):
    return checklist_run_start(template_code="delivery.handover", target=customer, store=None, user=personas.consultant)


def item(run, **filters):
    return run.template.items.filter(**filters).order_by("order").first()


class TestRunPage:
    def test_page_is_a_touch_list_with_phase_tabs_opening_on_the_first_phase(self, personas, web, handover):
        page = web(personas.consultant).get(reverse("checklists:run", args=[handover.pk]))
        html = page.content.decode()
        assert page.status_code == 200
        assert 'class="touch checklist-run"' in html
        assert html.count('data-phase="') == 3  # before, at, after
        assert "在交车当天是否与车主确认到店时间" in html  # a "before" item
        assert "是否介绍车辆的保险理赔规定" not in html  # an "at" item, on its own tab
        assert "0 of 22 required items done" in html

    def test_phase_tab_shows_that_phase(self, personas, web, handover):
        html = web(personas.consultant).get(reverse("checklists:run", args=[handover.pk]), {"phase": "at"}).content
        html = html.decode()
        assert "是否介绍车辆的保险理赔规定" in html
        assert "在交车当天是否与车主确认到店时间" not in html

    def test_htmx_tick_updates_the_row_and_the_progress_counter(self, personas, web, handover):
        first = item(handover, phase="before")
        response = web(personas.consultant).post(
            reverse("checklists:answer", args=[handover.pk, first.pk]), {"ticked": "1", "phase": "before"}, **HTMX
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert f'id="item-{first.pk}"' in html
        assert 'data-ok="1"' in html
        assert 'id="run-progress"' in html and 'hx-swap-oob="true"' in html
        assert "1 of 22 required items done" in html
        answer = ChecklistAnswer.objects.get(run=handover, item=first)
        assert (answer.ticked, answer.answered_by) == (True, personas.consultant)

    def test_htmx_bad_number_is_400_with_the_message_in_the_row(self, personas, web, handover):
        fuel = item(handover, kind="number")
        response = web(personas.consultant).post(
            reverse("checklists:answer", args=[handover.pk, fuel.pk]), {"number": "半箱", "phase": "at"}, **HTMX
        )
        assert response.status_code == 400
        assert "Enter a number" in response.content.decode()
        assert not ChecklistAnswer.objects.exists()

    def test_out_of_bounds_fuel_shows_why_it_is_missing(self, personas, web, handover):
        fuel = item(handover, kind="number")
        response = web(personas.consultant).post(
            reverse("checklists:answer", args=[handover.pk, fuel.pk]), {"number": "0.125", "phase": "at"}, **HTMX
        )
        assert response.status_code == 200
        assert "0.125 is below the minimum of 0.25." in response.content.decode()

    def test_without_htmx_the_answer_redirects_back_to_the_tab(self, personas, web, handover):
        first = item(handover, phase="at")
        response = web(personas.consultant).post(
            reverse("checklists:answer", args=[handover.pk, first.pk]), {"ticked": "1", "phase": "at"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith("?phase=at")
        assert ChecklistAnswer.objects.filter(run=handover, item=first, ticked=True).exists()

    def test_the_answer_that_completes_the_run_reloads_the_page_as_final(self, personas, web, customer):
        run = checklist_run_start(template_code="staff.grooming", target=customer, store=None, user=personas.consultant)
        items = list(run.template.items.order_by("order"))
        for it in items[:-1]:
            checklist_answer(run=run, item=it, user=personas.consultant, ticked=True)
        client = web(personas.consultant)
        response = client.post(reverse("checklists:answer", args=[run.pk, items[-1].pk]), {"ticked": "1"}, **HTMX)
        assert response["HX-Refresh"] == "true"
        page = client.get(reverse("checklists:run", args=[run.pk])).content.decode()
        assert "its answers are final" in page
        assert 'class="checklist-answer"' not in page
        again = client.post(reverse("checklists:answer", args=[run.pk, items[0].pk]), {"ticked": "0"}, **HTMX)
        assert again.status_code == 409
        assert ChecklistAnswer.objects.get(run=run, item=items[0]).ticked is True

    def test_another_store_gets_404_for_the_page_and_the_answer(self, personas, web, handover):
        client = web(personas.b_manager)
        assert client.get(reverse("checklists:run", args=[handover.pk])).status_code == 404
        first = item(handover, phase="before")
        response = client.post(reverse("checklists:answer", args=[handover.pk, first.pk]), {"ticked": "1"}, **HTMX)
        assert response.status_code == 404
        assert not ChecklistAnswer.objects.exists()

    def test_item_of_another_list_is_404(self, personas, web, handover, customer):
        other = checklist_run_start(
            template_code="staff.grooming", target=customer, store=None, user=personas.consultant
        )
        response = web(personas.consultant).post(
            reverse("checklists:answer", args=[handover.pk, item(other).pk]), {"ticked": "1"}, **HTMX
        )
        assert response.status_code == 404

    def test_ids_beyond_the_database_range_are_404(self, personas, web, handover):
        client = web(personas.consultant)
        assert client.get(reverse("checklists:run", args=[10**20])).status_code == 404
        first = item(handover)
        response = client.post(reverse("checklists:answer", args=[handover.pk, 10**20]), {"ticked": "1"}, **HTMX)
        assert response.status_code == 404
        response = client.post(
            reverse("checklists:start"),
            {"template": "staff.grooming", "target_type": "showroom.customer", "object_id": str(10**20)},
        )
        assert response.status_code == 404
        assert first is not None and not ChecklistAnswer.objects.exists()

    def test_pages_need_login(self, client, handover):
        response = client.get(reverse("checklists:run", args=[handover.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]


class TestRunsAndTemplatesPages:
    def test_empty_runs_page_says_what_to_do(self, personas, web):
        html = web(personas.consultant).get(reverse("checklists:runs")).content.decode()
        assert "No checklist has been started in this store yet" in html

    def test_store_level_list_starts_from_the_runs_page(self, personas, web):
        client = web(personas.counter_leader)
        response = client.post(reverse("checklists:start"), {"template": "counter.opening"})
        run = ChecklistRun.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("checklists:run", args=[run.pk])
        assert (run.store, run.target) == (personas.store_a, personas.store_a)
        html = client.get(reverse("checklists:runs")).content.decode()
        assert reverse("checklists:run", args=[run.pk]) in html

    def test_start_on_another_stores_record_is_404(self, personas, web):
        other = CustomerFactory(store=personas.store_b)
        response = web(personas.consultant).post(
            reverse("checklists:start"),
            {"template": "staff.grooming", "target_type": "showroom.customer", "object_id": other.pk},
        )
        assert response.status_code == 404
        assert not ChecklistRun.objects.exists()

    def test_templates_page_shows_every_list_with_its_items_to_managers(self, personas, web):
        html = web(personas.showroom_manager).get(reverse("checklists:templates")).content.decode()
        for code in ("testdrive.readiness", "delivery.handover", "audit.showroom", "realestate.contract_documents"):
            assert f'data-code="{code}"' in html
        assert "试驾车油量至少在二分之一" in html
        assert "无房证明" in html

    def test_templates_page_is_for_managers(self, personas, web):
        assert web(personas.consultant).get(reverse("checklists:templates")).status_code == 403

    def test_menu_offers_the_pages(self, personas, web):
        manager = web(personas.showroom_manager).get("/").content.decode()
        assert f'href="{reverse("checklists:templates")}"' in manager
        assert f'href="{reverse("checklists:runs")}"' in manager


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_run_page_queries_are_the_same_for_a_short_and_a_long_list(personas, web, django_assert_num_queries):
    client = web(personas.showroom_manager)
    short = checklist_run_start(template_code="staff.grooming", target=personas.store_a, user=personas.consultant)
    long = checklist_run_start(template_code="audit.showroom", target=personas.store_a, user=personas.consultant)
    for run in (short, long):
        for it in list(run.template.items.all())[:3]:
            checklist_answer(run=run, item=it, user=personas.consultant, ticked=True)
    short_url = reverse("checklists:run", args=[short.pk])
    long_url = reverse("checklists:run", args=[long.pk])
    client.get(short_url)  # warm the session and content-type caches
    assert count(client, short_url) == count(client, long_url)
    # 1 session, 2 user, 3 memberships, 4 the run with template, store, starter and content type,
    # 5 the template's items, 6 the answers with who answered, 7 the user's stores (switcher)
    with django_assert_num_queries(7):
        client.get(long_url)
