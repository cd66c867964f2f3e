"""Personal data: masked unless a role needs it, every reveal logged, export and erasure on request."""

import json
from io import BytesIO

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog
from openpyxl import load_workbook

from leads.models import Lead
from showroom.models import Customer, PersonalDataAccess
from showroom.services.privacy import customer_pseudonym
from tests.factories import CustomerFactory
from tests.leads.factories import LeadContactFactory, LeadFactory

MOBILE = "+8613812345678"
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def customer(personas):
    return CustomerFactory(
        store=personas.store_a, name="张三丰", mobile=MOBILE, id_number=ID_NUMBER, notes="VIP 张三丰"
    )


@pytest.mark.django_db
def test_the_detail_page_masks_until_show_and_logs_each_reveal(web, personas, customer):
    client = web(personas.consultant)
    masked = client.get(reverse("customers:detail", args=[customer.pk]))
    assert b"13812345678" not in masked.content and b"138****5678" in masked.content
    assert not PersonalDataAccess.objects.exists()
    shown = client.get(reverse("customers:detail", args=[customer.pk]) + "?reveal=1")
    assert b"138 1234 5678" in shown.content or b"13812345678" in shown.content
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.customer, log.action, log.channel) == (personas.consultant, customer, "reveal", "page")
    assert log.customer_ref == customer_pseudonym(customer=customer)


@pytest.mark.django_db
def test_a_role_without_need_sees_masked_numbers_and_nothing_is_logged(web, personas, customer):
    response = web(personas.warehouse_keeper).get(reverse("customers:detail", args=[customer.pk]) + "?reveal=1")
    assert response.status_code == 200
    assert b"13812345678" not in response.content and b"138 1234 5678" not in response.content
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_the_api_logs_the_full_numbers_it_hands_out_but_lists_stay_masked(api, personas, customer):
    client = api(personas.consultant)
    listed = client.get("/api/v1/core/customers/").json()
    assert listed["results"][0]["mobile"] != MOBILE
    assert not PersonalDataAccess.objects.exists()
    detail = client.get(f"/api/v1/core/customers/{customer.pk}/").json()
    assert detail["mobile"] == MOBILE and detail["id_number"] == ID_NUMBER
    assert PersonalDataAccess.objects.get().channel == "api"


@pytest.mark.django_db
def test_export_holds_everything_linked_to_the_customer(web, personas, customer):
    lead = LeadFactory(store=personas.store_a, customer=customer, consultant=personas.consultant)
    contact = LeadContactFactory(lead=lead)
    client = web(personas.showroom_manager)
    data = json.loads(client.get(reverse("customers:export", args=[customer.pk, "json"])).content)
    assert data["showroom.Customer"][0]["mobile"] == MOBILE
    assert [row["id"] for row in data["leads.Lead"]] == [lead.pk]
    assert [row["id"] for row in data["leads.LeadContact"]] == [contact.pk]
    book = load_workbook(BytesIO(client.get(reverse("customers:export", args=[customer.pk, "xlsx"])).content))
    assert {"showroom Customer", "leads Lead", "leads LeadContact"} <= set(book.sheetnames)
    assert PersonalDataAccess.objects.filter(action="export", user=personas.showroom_manager).count() == 2


@pytest.mark.django_db
def test_export_and_erasure_are_for_the_stores_managers_only(web, personas, customer):
    assert web(personas.consultant).get(reverse("customers:export", args=[customer.pk, "json"])).status_code == 403
    assert (
        web(personas.consultant).post(reverse("customers:erase", args=[customer.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert web(personas.b_manager).get(reverse("customers:export", args=[customer.pk, "json"])).status_code == 404
    assert (
        web(personas.b_manager).post(reverse("customers:erase", args=[customer.pk]), {"reason": "x"}).status_code == 404
    )
    customer.refresh_from_db()
    assert customer.mobile == MOBILE


@pytest.mark.django_db
def test_erasure_is_refused_while_a_sale_is_open(web, personas, customer):
    lead = LeadFactory(store=personas.store_a, customer=customer, consultant=personas.consultant)
    response = web(personas.showroom_manager).post(
        reverse("customers:erase", args=[customer.pk]), {"reason": "客户书面申请"}
    )
    assert response.status_code == 409
    assert f"#{lead.pk}".encode() in response.content
    customer.refresh_from_db()
    assert customer.name == "张三丰" and customer.mobile == MOBILE


@pytest.mark.django_db
def test_erasure_anonymises_the_customer_and_the_logs_keep_a_pseudonym(web, personas, customer):
    # given a closed lead whose log and notes name the customer, and an earlier reveal
    lead = LeadFactory(
        store=personas.store_a, customer=customer, consultant=personas.consultant, plan_note="张三丰 13812345678"
    )
    Lead.objects.filter(pk=lead.pk).update(state="lost")
    StateLog.objects.create(
        content_object=lead, transition="lose", state="lost", source_state="new", description="张三丰 不买了"
    )
    web(personas.consultant).get(reverse("customers:detail", args=[customer.pk]) + "?reveal=1")
    pseudonym = customer_pseudonym(customer=customer)
    # when the manager erases the data on the customer's request
    response = web(personas.showroom_manager).post(
        reverse("customers:erase", args=[customer.pk]), {"reason": "客户书面申请"}
    )
    # then the customer row names nobody, the lead stays and its texts read the pseudonym
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == pseudonym and customer.id_number == "" and customer.notes == ""
    assert MOBILE not in customer.mobile
    lead.refresh_from_db()
    assert "张三丰" not in lead.plan_note and "13812345678" not in lead.plan_note and pseudonym in lead.plan_note
    assert StateLog.objects.get(object_id=str(lead.pk)).description == f"{pseudonym} 不买了"
    # and the access log keeps who saw what, by pseudonym
    assert set(PersonalDataAccess.objects.values_list("action", "customer_ref")) == {
        ("reveal", pseudonym),
        ("erase", pseudonym),
    }
    assert Customer.objects.filter(name="张三丰").count() == 0
