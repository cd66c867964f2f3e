"""The leads API: create and update with field messages, the actions, filters, personal data."""

import pytest
from django.urls import reverse

from leads.models import Lead
from leads.services import lead_event
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


class TestCreate:
    def test_the_consultant_opens_a_lead_for_himself(self, personas, api, gl8):
        customer = CustomerFactory(store=personas.store_a)
        response = api(personas.consultant).post(
            reverse("lead-list"),
            {
                "store": personas.store_a.pk,
                "customer": customer.pk,
                "vehicle_model": gl8.pk,
                "trim": gl8.trims.get().pk,
                "budget": "320000",
                "purchase_timeline": "fortnight",
                "passengers": 7,
                "usage": "家庭出行",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["consultant"], body["grade"], body["state"], body["passengers"]) == (
            personas.consultant.pk,
            "A",
            "new",
            7,
        )
        assert "contact" in body["available_transitions"]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"trim": "other"}, "trim"),
            ({"budget": "-1"}, "budget"),
            ({"passengers": 99}, "passengers"),
            ({"grade": "Z"}, "grade"),
            ({"customer": "store_b"}, None),  # another store's customer: 404
        ],
    )
    def test_bad_input_is_400_with_the_field_and_nothing_is_created(self, personas, api, gl8, change, field):
        from tests.leads.factories import TrimFactory

        body = {
            "store": personas.store_a.pk,
            "customer": CustomerFactory(store=personas.store_a).pk,
            "vehicle_model": gl8.pk,
        }
        for key, value in change.items():
            if value == "other":
                value = TrimFactory().pk
            elif value == "store_b":
                value = CustomerFactory(store=personas.store_b).pk
            body[key] = value
        response = api(personas.consultant).post(reverse("lead-list"), body, format="json")
        if field is None:
            assert response.status_code == 404
        else:
            assert response.status_code == 400
            assert field in response.json()["fields"]
        assert not Lead.objects.exists()

    def test_a_second_open_lead_for_the_customer_is_refused(self, personas, api, open_lead):
        lead = open_lead()
        response = api(personas.showroom_manager).post(
            reverse("lead-list"),
            {"store": personas.store_a.pk, "customer": lead.customer_id, "consultant": personas.consultant.pk},
            format="json",
        )
        assert response.status_code == 400
        assert "customer" in response.json()["fields"]

    def test_the_consultant_must_work_in_the_store(self, personas, api):
        response = api(personas.showroom_manager).post(
            reverse("lead-list"),
            {
                "store": personas.store_a.pk,
                "customer": CustomerFactory(store=personas.store_a).pk,
                "consultant": personas.b_consultant.pk,
            },
            format="json",
        )
        assert response.status_code == 400 and "consultant" in response.json()["fields"]

    def test_another_stores_store_is_404_and_a_cashier_403(self, personas, api):
        customer = CustomerFactory(store=personas.store_a)
        body = {"store": personas.store_b.pk, "customer": customer.pk}
        assert api(personas.consultant).post(reverse("lead-list"), body, format="json").status_code == 404
        body["store"] = personas.store_a.pk
        assert api(personas.cashier).post(reverse("lead-list"), body, format="json").status_code == 403


class TestWorkingALead:
    def test_update_contacts_objections_test_drive_appraisal_and_plan(self, personas, api, open_lead):
        lead = open_lead(grade="H")
        client = api(personas.consultant)
        response = client.patch(
            reverse("lead-detail", args=[lead.pk]), {"trade_in": True, "trade_in_details": "2015 凯美瑞"}, format="json"
        )
        assert response.status_code == 200 and response.json()["trade_in"] is True
        response = client.post(reverse("lead-contacts", args=[lead.pk]), {"kind": "fax", "summary": ""}, format="json")
        assert response.status_code == 400 and {"kind", "summary"} <= set(response.json()["fields"])
        response = client.post(
            reverse("lead-contacts", args=[lead.pk]), {"kind": "call", "summary": "约试驾"}, format="json"
        )
        assert response.status_code == 201
        response = client.post(reverse("lead-objections", args=[lead.pk]), {"objection": "油耗高"}, format="json")
        assert response.status_code == 201
        response = client.post(reverse("lead-test-drive", args=[lead.pk]), {"accepted": True}, format="json")
        assert response.json()["test_drive"] == "accepted"
        response = client.post(reverse("lead-appraisal", args=[lead.pk]), {}, format="json")
        assert response.status_code == 201 and response.json()["car_details"] == "2015 凯美瑞"
        assert client.post(reverse("lead-appraisal", args=[lead.pk]), {}, format="json").status_code == 409
        assert (
            client.post(reverse("lead-plan-confirm", args=[lead.pk]), {"note": "x"}, format="json").status_code == 403
        )
        response = api(personas.showroom_manager).post(
            reverse("lead-plan-confirm", args=[lead.pk]), {"note": "每两天电话"}, format="json"
        )
        assert response.status_code == 200 and response.json()["plan_note"] == "每两天电话"
        body = client.get(reverse("lead-detail", args=[lead.pk])).json()
        assert (body["state"], len(body["contacts"]), len(body["objections"]), len(body["appraisals"])) == (
            "contacted",
            1,
            1,
            1,
        )

    def test_a_closed_lead_is_409_for_changes(self, personas, api, open_lead):
        lead = lead_event(lead=open_lead(), event="deposit_paid")
        client = api(personas.consultant)
        assert client.patch(reverse("lead-detail", args=[lead.pk]), {"usage": "x"}, format="json").status_code == 409
        assert (
            client.post(reverse("lead-contacts", args=[lead.pk]), {"kind": "call", "summary": "x"}).status_code == 409
        )

    def test_the_mobile_is_masked_in_lists_and_shown_in_the_detail(self, personas, api, open_lead):
        lead = open_lead(customer=CustomerFactory(store=personas.store_a, mobile="13812345678"))
        client = api(personas.consultant)
        (row,) = client.get(reverse("lead-list")).json()["results"]
        assert row["customer_mobile"] == "138****5678"
        assert client.get(reverse("lead-detail", args=[lead.pk])).json()["customer_mobile"] == "+8613812345678"
        assert api(personas.warehouse_keeper).get(reverse("lead-detail", args=[lead.pk])).json()["customer_mobile"] == (
            "138****5678"
        )

    def test_filters(self, personas, api, open_lead):
        hot = open_lead(grade="H", customer=CustomerFactory(store=personas.store_a, name="张伟"))
        open_lead(grade="C")
        client = api(personas.showroom_manager)
        ids = lambda **q: [r["id"] for r in client.get(reverse("lead-list"), q).json()["results"]]  # noqa: E731
        assert ids(grade="H") == [hot.pk]
        assert ids(q="张伟") == [hot.pk]
        assert ids(state="won") == []
        assert len(ids(consultant=personas.consultant.pk)) == 2
        assert client.get(reverse("lead-list"), {"state": "flying"}).status_code == 400
