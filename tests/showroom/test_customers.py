"""Customers: store isolation, validation, masking, permissions, query counts."""

import pytest
from django.db import DataError
from django.urls import reverse

from showroom.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

VALID = {"name": "张伟", "mobile": "138 1234 5678", "consent_given": True}
# A valid resident ID (check digit X) and the same with a wrong check digit.
GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"


def api_url(pk=None):
    return reverse("customer-detail", args=[pk]) if pk else reverse("customer-list")


class TestStoreIsolation:
    def test_store_b_user_gets_404_for_store_a_customer_in_api_and_pages(self, personas, api, web):
        # given a customer of store A
        customer = CustomerFactory(store=personas.store_a)
        # when a store-B consultant asks for it
        response = api(personas.b_consultant).get(api_url(customer.pk))
        page = web(personas.b_consultant).get(reverse("customers:detail", args=[customer.pk]))
        # then it does not exist for him
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert page.status_code == 404

    def test_lists_never_show_other_stores(self, personas, api, web):
        CustomerFactory(store=personas.store_a, name="甲店客户")
        CustomerFactory(store=personas.store_b, name="乙店客户")
        names = [c["name"] for c in api(personas.b_consultant).get(api_url()).json()["results"]]
        page = web(personas.b_consultant).get(reverse("customers:list"))
        assert names == ["乙店客户"]
        assert "乙店客户" in page.content.decode()
        assert "甲店客户" not in page.content.decode()

    def test_store_a_user_sees_store_a(self, personas, api):
        customer = CustomerFactory(store=personas.store_a)
        assert api(personas.consultant).get(api_url(customer.pk)).status_code == 200

    def test_cannot_create_in_a_store_without_membership(self, personas, api):
        response = api(personas.b_consultant).post(api_url(), {**VALID, "store": personas.store_a.pk}, format="json")
        assert response.status_code == 404
        assert not Customer.objects.exists()


class TestValidation:
    @pytest.mark.parametrize(
        ("field", "value"),
        [("mobile", "12345"), ("mobile", "021 6458 1234"), ("id_number", BAD_ID), ("consent_given", False)],
    )
    def test_bad_input_is_400_with_field_message_and_nothing_saved(self, personas, api, field, value):
        payload = {**VALID, "store": personas.store_a.pk, field: value}
        response = api(personas.consultant).post(api_url(), payload, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert field in body["fields"]
        assert body["fields"][field][0]
        assert Customer.objects.count() == 0

    def test_wrong_check_digit_names_the_check_digit(self, personas, api):
        payload = {**VALID, "store": personas.store_a.pk, "id_number": BAD_ID}
        body = api(personas.consultant).post(api_url(), payload, format="json").json()
        assert "check digit" in body["fields"]["id_number"][0]

    def test_missing_consent_field_is_400(self, personas, api):
        payload = {"name": "张伟", "mobile": "13812345678", "store": personas.store_a.pk}
        response = api(personas.consultant).post(api_url(), payload, format="json")
        assert response.status_code == 400
        assert "consent_given" in response.json()["fields"]

    def test_valid_customer_is_saved_normalised_with_consent_time(self, personas, api):
        payload = {**VALID, "store": personas.store_a.pk, "id_number": GOOD_ID.lower()}
        response = api(personas.consultant).post(api_url(), payload, format="json")
        assert response.status_code == 201, response.json()
        customer = Customer.objects.get()
        assert customer.mobile == "+8613812345678"
        assert customer.id_number == GOOD_ID
        assert customer.consent_at is not None
        assert customer.created_by == personas.consultant

    def test_page_form_shows_field_errors_and_saves_nothing(self, personas, web):
        response = web(personas.consultant).post(
            reverse("customers:create"), {"name": "张伟", "mobile": "999", "source": "walk_in"}
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert "mobile" in form.errors
        assert "consent_given" in form.errors
        assert not Customer.objects.exists()

    def test_update_validates_the_same_way(self, personas, api):
        customer = CustomerFactory(store=personas.store_a)
        response = api(personas.consultant).patch(api_url(customer.pk), {"mobile": "abc"}, format="json")
        assert response.status_code == 400
        customer.refresh_from_db()
        assert customer.mobile != "abc"


class TestPermissions:
    def test_warehouse_keeper_cannot_create_customers(self, personas, api):
        response = api(personas.warehouse_keeper).post(
            api_url(), {**VALID, "store": personas.store_a.pk}, format="json"
        )
        assert response.status_code == 403
        assert not Customer.objects.exists()

    def test_receptionist_can_create_customers(self, personas, api):
        response = api(personas.receptionist).post(api_url(), {**VALID, "store": personas.store_a.pk}, format="json")
        assert response.status_code == 201

    def test_anonymous_is_refused(self, api):
        assert api().get(api_url()).status_code in (401, 403)

    def test_pages_need_login(self, client):
        response = client.get(reverse("customers:list"))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


class TestMasking:
    def test_list_masks_phone_and_id_for_everyone(self, personas, api):
        CustomerFactory(store=personas.store_a, mobile="13812345678", id_number=GOOD_ID)
        row = api(personas.showroom_manager).get(api_url()).json()["results"][0]
        assert row["mobile"] == "138****5678"
        assert row["id_number"] == "110105********002X"

    def test_detail_reveals_to_roles_that_need_it(self, personas, api):
        customer = CustomerFactory(store=personas.store_a, mobile="13812345678")
        assert api(personas.consultant).get(api_url(customer.pk)).json()["mobile"] == "+8613812345678"

    def test_detail_stays_masked_for_warehouse_keeper(self, personas, api):
        customer = CustomerFactory(store=personas.store_a, mobile="13812345678")
        assert api(personas.warehouse_keeper).get(api_url(customer.pk)).json()["mobile"] == "138****5678"

    def test_page_masks_until_reveal_click(self, personas, web):
        customer = CustomerFactory(store=personas.store_a, mobile="13812345678")
        client = web(personas.consultant)
        url = reverse("customers:detail", args=[customer.pk])
        assert "13812345678" not in client.get(url).content.decode()
        assert "13812345678" in client.get(url + "?reveal=1").content.decode()

    def test_reveal_refused_for_warehouse_keeper(self, personas, web):
        customer = CustomerFactory(store=personas.store_a, mobile="13812345678")
        url = reverse("customers:detail", args=[customer.pk]) + "?reveal=1"
        assert "13812345678" not in web(personas.warehouse_keeper).get(url).content.decode()


class TestListFeatures:
    def test_search_by_name_and_phone_digits(self, personas, api):
        CustomerFactory(store=personas.store_a, name="李雷", mobile="13900001111")
        CustomerFactory(store=personas.store_a, name="韩梅梅", mobile="13800002222")
        client = api(personas.consultant)
        assert [c["name"] for c in client.get(api_url(), {"q": "李"}).json()["results"]] == ["李雷"]
        assert [c["name"] for c in client.get(api_url(), {"q": "2222"}).json()["results"]] == ["韩梅梅"]

    def test_filter_by_source(self, personas, api):
        CustomerFactory(store=personas.store_a, source="phone")
        CustomerFactory(store=personas.store_a, source="walk_in")
        results = api(personas.consultant).get(api_url(), {"source": "phone"}).json()["results"]
        assert len(results) == 1

    def test_csv_export_is_filtered_and_masked(self, personas, web):
        CustomerFactory(store=personas.store_a, name="李雷", mobile="13900001111")
        CustomerFactory(store=personas.store_a, name="韩梅梅", mobile="13800002222")
        response = web(personas.consultant).get(reverse("customers:list"), {"q": "李", "export": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "李雷" in body and "139****1111" in body
        assert "韩梅梅" not in body

    def test_xlsx_export(self, personas, web):
        CustomerFactory(store=personas.store_a, name="李雷")
        response = web(personas.consultant).get(reverse("customers:list"), {"export": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response.content[:2] == b"PK"

    def test_empty_state_offers_next_step(self, personas, web):
        page = web(personas.consultant).get(reverse("customers:list")).content.decode()
        assert reverse("customers:create") in page


@pytest.mark.parametrize("error", [OverflowError("Python int too large"), DataError("integer out of range")])
def test_a_value_out_of_the_databases_range_is_400_not_500(error):
    # SQLite raises OverflowError for a huge filter value (found by schemathesis), PostgreSQL DataError
    from showroom.api.errors import exception_handler

    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
