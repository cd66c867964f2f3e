"""Checklists API: start, answer, 400/404/409, the guard's 409 with the missing items through the
generic transitions endpoint, and flat query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom.models import ChecklistAnswer, ChecklistRun, ChecklistTemplate
from showroom.registry import ChecklistGuard, register_checklist_guard, registry
from showroom.services.approvals import approval_request_create
from showroom.services.checklists import checklist_answer, checklist_run_start
from tests.factories import CustomerFactory
from tests.showroom.test_checklists import make_template, png

pytestmark = pytest.mark.django_db

RUNS = "checklist-run-list"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def customer(personas):
    return CustomerFactory(store=personas.store_a, name="试驾客户")


def start(client, code, target_type, object_id, **extra):
    return client.post(
        reverse(RUNS),
        {"template": code, "target_type": target_type, "object_id": object_id, **extra},
        format="json",
    )


def answers_url(run_id):
    return reverse("checklist-run-answers", args=[run_id])


class TestStart:
    def test_start_returns_the_run_with_items_and_again_the_same_run(self, personas, api, customer):
        client = api(personas.consultant)
        first = start(client, "testdrive.readiness", "showroom.customer", customer.pk)
        assert first.status_code == 201, first.json()
        body = first.json()
        assert body["template"] == "testdrive.readiness"
        assert body["target_type"] == "showroom.customer"
        assert body["state"] == "in_progress"
        assert len(body["items"]) == 5
        fuel = body["items"][2]
        assert (fuel["kind"], fuel["min_value"], fuel["text"]) == ("number", "0.500", "试驾车油量至少在二分之一")
        assert len(body["missing"]) == 5
        again = start(client, "testdrive.readiness", "showroom.customer", customer.pk)
        assert again.status_code == 200
        assert again.json()["id"] == body["id"]
        assert ChecklistRun.objects.count() == 1

    def test_store_level_list_on_the_store(self, personas, api):
        response = start(api(personas.showroom_manager), "audit.showroom", "showroom.store", personas.store_a.pk)
        assert response.status_code == 201
        assert response.json()["store"] == personas.store_a.pk

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"template": "no.such"}, "template"),
            ({"object_id": "abc"}, "object_id"),
            ({"template": ""}, "template"),
            ({"object_id": 10**20}, "object_id"),
        ],
    )
    def test_bad_input_is_400_with_the_field_and_starts_nothing(self, personas, api, customer, payload, field):
        data = {"template": "staff.grooming", "target_type": "showroom.customer", "object_id": customer.pk}
        data.update(payload)
        response = api(personas.consultant).post(reverse(RUNS), data, format="json")
        assert response.status_code == 400
        assert field in response.json()["fields"]
        assert not ChecklistRun.objects.exists()

    @pytest.mark.parametrize("target_type", ["showroom.customer", "no.model", "auth.user"])
    def test_another_stores_record_or_an_unknown_type_is_404(self, personas, api, customer, target_type):
        object_id = customer.pk if target_type != "auth.user" else personas.consultant.pk
        response = start(api(personas.b_consultant), "staff.grooming", target_type, object_id)
        assert response.status_code == 404
        assert not ChecklistRun.objects.exists()

    def test_ids_beyond_the_database_range_are_404_not_500(self, personas, api):
        client = api(personas.consultant)
        huge = 10**20
        assert client.get(reverse("checklist-run-detail", args=[huge])).status_code == 404
        assert client.post(answers_url(huge), {"item": 1, "ticked": True}, format="json").status_code == 404
        assert client.get(reverse(RUNS), {"object_id": huge, "store": huge}).json()["count"] == 0

    def test_anonymous_is_refused(self, api, customer):
        assert start(api(), "staff.grooming", "showroom.customer", customer.pk).status_code in (401, 403)


@pytest.fixture
def kinds(personas, customer):
    template = make_template()
    run = checklist_run_start(template_code=template.code, target=customer, store=None, user=personas.consultant)
    return run, {item.text_en: item for item in template.items.all()}


class TestAnswer:
    def test_tick_answer_records_who_and_updates_the_status(self, personas, api, kinds):
        run, items = kinds
        response = api(personas.sales_assistant).post(
            answers_url(run.pk), {"item": items["Tick it"].pk, "ticked": True, "note": "已核"}, format="json"
        )
        assert response.status_code == 200, response.json()
        row = next(i for i in response.json()["items"] if i["id"] == items["Tick it"].pk)
        assert row["ok"] is True
        assert row["answer"]["answered_by"] == personas.sales_assistant.username
        assert row["answer"]["note"] == "已核"
        assert "Tick it" not in response.json()["missing"]

    def test_out_of_bounds_number_is_recorded_and_stays_missing(self, personas, api, kinds):
        run, items = kinds
        response = api(personas.consultant).post(
            answers_url(run.pk), {"item": items["Count"].pk, "number": "7"}, format="json"
        )
        assert response.status_code == 200
        row = next(i for i in response.json()["items"] if i["id"] == items["Count"].pk)
        assert (row["ok"], row["answer"]["number"]) == (False, "7.000")
        assert row["message"] == "7 is above the maximum of 5."
        assert "Count" in response.json()["missing"]

    @pytest.mark.parametrize(
        ("item", "payload", "field"),
        [
            ("Pick", {"choice": "丙"}, "choice"),
            ("Count", {"number": "lots"}, "number"),
            ("Count", {"number": "1e400"}, "number"),
            ("Tick it", {}, "ticked"),
            ("Photo", {}, "file"),
            ("Tick it", {"ticked": "maybe"}, "ticked"),
        ],
    )
    def test_bad_answer_is_400_with_the_field_and_records_nothing(self, personas, api, kinds, item, payload, field):
        run, items = kinds
        response = api(personas.consultant).post(
            answers_url(run.pk), {"item": items[item].pk, **payload}, format="json"
        )
        assert response.status_code == 400
        assert field in response.json()["fields"], response.json()
        assert not ChecklistAnswer.objects.exists()

    def test_item_of_another_list_is_400(self, personas, api, kinds):
        run, _items = kinds
        foreign = ChecklistTemplate.objects.get(code="staff.grooming").items.first()
        response = api(personas.consultant).post(
            answers_url(run.pk), {"item": foreign.pk, "ticked": True}, format="json"
        )
        assert response.status_code == 400
        assert "item" in response.json()["fields"]

    def test_photo_uploads_as_multipart(self, personas, api, kinds):
        run, items = kinds
        response = api(personas.consultant).post(
            answers_url(run.pk), {"item": items["Photo"].pk, "file": png()}, format="multipart"
        )
        assert response.status_code == 200, response.json()
        row = next(i for i in response.json()["items"] if i["id"] == items["Photo"].pk)
        assert row["ok"] and row["answer"]["file"].startswith("http")

    def test_other_store_gets_404_for_the_run_and_its_answers(self, personas, api, kinds):
        run, items = kinds
        client = api(personas.b_manager)
        assert client.get(reverse("checklist-run-detail", args=[run.pk])).status_code == 404
        response = client.post(answers_url(run.pk), {"item": items["Tick it"].pk, "ticked": True}, format="json")
        assert response.status_code == 404
        assert not ChecklistAnswer.objects.exists()
        assert client.get(reverse(RUNS)).json()["count"] == 0

    def test_a_completed_run_answers_409(self, personas, api, customer):
        run = checklist_run_start(template_code="staff.grooming", target=customer, store=None, user=personas.consultant)
        for item in run.template.items.all():
            checklist_answer(run=run, item=item, user=personas.consultant, ticked=True)
        response = api(personas.consultant).post(
            answers_url(run.pk), {"item": run.template.items.first().pk, "ticked": False}, format="json"
        )
        assert response.status_code == 409
        detail = api(personas.consultant).get(reverse("checklist-run-detail", args=[run.pk])).json()
        assert detail["state"] == "completed" and detail["completed_at"]

    def test_list_filters(self, personas, api, customer):
        checklist_run_start(template_code="staff.grooming", target=customer, store=None, user=personas.consultant)
        checklist_run_start(template_code="counter.opening", target=personas.store_a, user=personas.consultant)
        client = api(personas.consultant)
        assert client.get(reverse(RUNS), {"template": "staff.grooming"}).json()["count"] == 1
        by_target = client.get(reverse(RUNS), {"target_type": "showroom.store", "object_id": personas.store_a.pk})
        assert [r["template"] for r in by_target.json()["results"]] == ["counter.opening"]
        assert client.get(reverse(RUNS), {"complete": "true"}).json()["count"] == 0


class TestTemplatesApi:
    def test_templates_list_with_items(self, personas, api):
        body = api(personas.consultant).get(reverse("checklist-template-list")).json()
        codes = {t["code"] for t in body}
        assert "delivery.handover" in codes and "audit.showroom" in codes
        handover = next(t for t in body if t["code"] == "delivery.handover")
        assert len(handover["items"]) == 24
        film = api(personas.consultant).get(reverse("checklist-template-list"), {"code": "delivery.pre_delivery"})
        choice = film.json()[0]["items"][4]
        assert choice["choices"] == [
            {"value": "remove", "label": "Remove the film"},
            {"value": "keep", "label": "Keep the film"},
        ]

    def test_templates_are_read_only(self, personas, api):
        response = api(personas.general_manager).post(reverse("checklist-template-list"), {"code": "x"}, format="json")
        assert response.status_code == 405


class TestGuardThroughTheApi:
    def test_guarded_transition_409_names_the_missing_items_then_succeeds(self, personas, api, customer):
        make_template(
            "test.api_guard",
            items=[
                {"text": "证件齐全", "text_en": "Documents complete", "kind": "tick"},
                {"text": "油量", "text_en": "Fuel level", "kind": "number", "min_value": Decimal("0.5")},
            ],
        )
        request = approval_request_create(
            target=customer,
            kind="realestate.exchange_larger",
            store=personas.store_a,
            requester=personas.consultant,
            reason="客户申请换大户型",
        )
        guard = register_checklist_guard(
            ChecklistGuard(model="showroom.approvalrequest", transition="approve", checklist_code="test.api_guard")
        )
        try:
            manager = api(personas.sales_manager)
            url = reverse("approval-transitions", kwargs={"pk": request.pk, "name": "approve"})
            refused = manager.post(url, {"note": "同意"}, format="json")
            assert refused.status_code == 409
            body = refused.json()
            assert body["code"] == "conflict"
            assert body["missing"] == ["Documents complete", "Fuel level"]
            assert body["state"] == "pending"

            consultant = api(personas.consultant)
            run = start(consultant, "test.api_guard", "showroom.approvalrequest", request.pk).json()
            items = {i["text_en"]: i["id"] for i in run["items"]}
            consultant.post(
                answers_url(run["id"]), {"item": items["Documents complete"], "ticked": True}, format="json"
            )
            assert manager.post(url, {}, format="json").json()["missing"] == ["Fuel level"]
            consultant.post(answers_url(run["id"]), {"item": items["Fuel level"], "number": "0.5"}, format="json")

            done = manager.post(url, {"note": "同意"}, format="json")
            assert done.status_code == 200, done.json()
            assert done.json()["state"] == "approved"
        finally:
            registry.checklist_guards.remove(guard)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_run_detail_and_list_queries_are_the_same_for_a_short_and_a_long_list(
    personas, api, customer, django_assert_num_queries
):
    client = api(personas.showroom_manager)
    short = checklist_run_start(template_code="counter.opening", target=personas.store_a, user=personas.consultant)
    long = checklist_run_start(template_code="audit.showroom", target=personas.store_a, user=personas.consultant)
    for run in (short, long):
        for item in list(run.template.items.all())[:4]:
            checklist_answer(run=run, item=item, user=personas.consultant, ticked=True)
    short_url = reverse("checklist-run-detail", args=[short.pk])
    long_url = reverse("checklist-run-detail", args=[long.pk])
    client.get(short_url)  # warm the session and content-type caches
    assert count(client, short_url) == count(client, long_url)
    # 1 session, 2 user, 3 memberships, 4 the run with template, store, starter and content type,
    # 5 the template's items, 6 the answers with who answered
    with django_assert_num_queries(6):
        client.get(long_url)

    for _ in range(10):
        checklist_run_start(
            template_code="staff.grooming",
            target=CustomerFactory(store=personas.store_a),
            store=None,
            user=personas.consultant,
        )
    few_runs = count(client, reverse(RUNS) + "?template=audit.showroom")
    many_runs = count(client, reverse(RUNS))
    assert few_runs == many_runs
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of runs (template, store, starter, type)
    with django_assert_num_queries(5):
        client.get(reverse(RUNS))
