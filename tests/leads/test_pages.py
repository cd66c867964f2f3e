"""Lead pages: my leads, the list with its filters and exports, the new-lead form (customer found by
mobile first), and the lead page's parts (needs analysis, contacts in place, objections, test
drive, appraisal)."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leads.models import AppraisalRequest, Lead, LeadContact, LeadObjection
from leads.services import lead_event
from showroom.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


class TestMyLeadsAndList:
    def test_an_empty_my_leads_says_what_to_do(self, personas, web):
        page = web(personas.consultant).get(reverse("leads:mine")).content.decode()
        assert 'data-testid="empty"' in page
        assert reverse("leads:create") in page

    def test_my_leads_show_grade_state_and_next_followup(self, personas, web, open_lead):
        lead = open_lead(grade="H", customer=CustomerFactory(store=personas.store_a, name="张伟"))
        page = web(personas.consultant).get(reverse("leads:mine")).content.decode()
        assert "张伟" in page and 'data-grade="H"' in page and 'data-state="new"' in page
        assert reverse("leads:detail", args=[lead.pk]) in page
        # another consultant's leads are not mine
        assert web(personas.showroom_manager).get(reverse("leads:mine")).content.decode().count("张伟") == 0

    def test_the_list_filters_and_exports_exactly_what_is_filtered(self, personas, web, open_lead):
        hot = open_lead(grade="H", customer=CustomerFactory(store=personas.store_a, name="热客户"))
        open_lead(grade="C", customer=CustomerFactory(store=personas.store_a, name="冷客户"))
        client = web(personas.showroom_manager)
        page = client.get(reverse("leads:all"), {"grade": "H"}).content.decode()
        assert "热客户" in page and "冷客户" not in page
        partial = client.get(reverse("leads:all"), {"grade": "H"}, HTTP_HX_REQUEST="true")
        assert "<html" not in partial.content.decode() and "热客户" in partial.content.decode()
        response = client.get(reverse("leads:all"), {"grade": "H", "export": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert len(rows) == 2 and rows[1][0] == str(hot.pk)
        assert "****" in rows[1][2]  # the mobile is masked
        response = client.get(reverse("leads:all"), {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row == 3

    def test_bad_filters_are_ignored_not_500(self, personas, web):
        response = web(personas.consultant).get(reverse("leads:all"), {"created_from": "nope", "consultant": "x"})
        assert response.status_code == 200


class TestNewLead:
    def test_a_customer_found_by_mobile_gets_the_lead(self, personas, web, gl8):
        customer = CustomerFactory(store=personas.store_a, name="王芳", mobile="13912345678")
        client = web(personas.consultant)
        page = client.get(reverse("leads:create"), {"mobile": "139 1234 5678"}).content.decode()
        assert "王芳" in page and f"?customer={customer.pk}" in page
        response = client.post(
            reverse("leads:create"),
            {
                "customer": customer.pk,
                "lead-source": "walk_in",
                "lead-vehicle_model": gl8.pk,
                "lead-budget": "350,000",
                "lead-purchase_timeline": "week",
            },
        )
        lead = Lead.objects.get(customer=customer)
        assert response.status_code == 302 and response["Location"] == reverse("leads:detail", args=[lead.pk])
        assert (lead.consultant, lead.grade, str(lead.budget)) == (personas.consultant, "H", "350000.00")

    def test_a_customer_with_an_open_lead_is_shown_with_it(self, personas, web, open_lead):
        lead = open_lead(customer=CustomerFactory(store=personas.store_a, mobile="13912345678"))
        page = web(personas.receptionist).get(reverse("leads:create"), {"mobile": "13912345678"}).content.decode()
        assert reverse("leads:detail", args=[lead.pk]) in page

    def test_nobody_with_the_number_creates_customer_and_lead_together(self, personas, web):
        client = web(personas.receptionist)
        page = client.get(reverse("leads:create"), {"mobile": "13700001111"}).content.decode()
        assert "customer-name" in page
        data = {
            "mobile": "137 0000 1111",
            "customer-name": "赵敏",
            "customer-consent_given": "on",
            "lead-consultant": personas.consultant.pk,
            "lead-source": "phone",
            "lead-purchase_timeline": "month",
        }
        # without consent nothing is created, and the errors are shown
        refused = client.post(reverse("leads:create"), {**data, "customer-consent_given": ""})
        assert refused.status_code == 400
        assert not Customer.objects.filter(name="赵敏").exists() and not Lead.objects.exists()
        response = client.post(reverse("leads:create"), data)
        assert response.status_code == 302
        lead = Lead.objects.get()
        assert (lead.customer.name, lead.customer.mobile[3:], lead.consultant, lead.created_by, lead.source) == (
            "赵敏",
            "13700001111",
            personas.consultant,
            personas.receptionist,
            "phone",
        )

    def test_a_bad_mobile_is_shown_next_to_the_number(self, personas, web):
        response = web(personas.consultant).post(
            reverse("leads:create"),
            {
                "mobile": "12345",
                "customer-name": "钱伟",
                "customer-consent_given": "on",
                "lead-source": "walk_in",
                "lead-purchase_timeline": "month",
            },
        )
        assert response.status_code == 400
        assert re.search(r'is-invalid"\s+id="id_mobile"', response.content.decode())
        assert not Customer.objects.filter(name="钱伟").exists()

    def test_a_receptionist_must_choose_the_consultant(self, personas, web):
        customer = CustomerFactory(store=personas.store_a)
        response = web(personas.receptionist).post(
            reverse("leads:create"),
            {"customer": customer.pk, "lead-source": "walk_in", "lead-purchase_timeline": "month"},
        )
        assert response.status_code == 400
        assert "Choose the consultant" in response.content.decode()
        assert not Lead.objects.exists()

    def test_roles_that_do_not_open_leads_get_403(self, personas, web):
        assert web(personas.warehouse_keeper).get(reverse("leads:create")).status_code == 403


class TestLeadPage:
    def test_the_page_shows_parts_buttons_and_timeline(self, personas, web, open_lead):
        lead = lead_event(lead=open_lead(grade="A"), event="visited", user=personas.consultant)
        page = web(personas.consultant).get(reverse("leads:detail", args=[lead.pk])).content.decode()
        for marker in (
            'data-testid="timeline"',
            'data-transition="drive"',
            'id="needs"',
            'id="contacts"',
            'data-testid="plan"',
        ):
            assert marker in page
        assert 'data-transition="contact"' not in page  # behind the current state

    def test_the_needs_analysis_is_saved_and_bad_input_comes_back_with_errors(self, personas, web, open_lead, gl8):
        lead = open_lead()
        client = web(personas.consultant)
        url = reverse("leads:update", args=[lead.pk])
        base = {"needs-vehicle_model": gl8.pk, "needs-purchase_timeline": "month"}
        bad = client.post(url, {**base, "needs-passengers": "0", "needs-budget": "abc"})
        assert bad.status_code == 400
        lead.refresh_from_db()
        assert lead.passengers is None
        good = client.post(
            url,
            {
                **base,
                "needs-usage": "家庭出行",
                "needs-passengers": "7",
                "needs-trade_in": "on",
                "needs-trade_in_details": "2016 朗逸",
                "needs-budget": "¥300,000",
            },
        )
        assert good.status_code == 302
        lead.refresh_from_db()
        assert (lead.usage, lead.passengers, lead.trade_in, str(lead.budget)) == ("家庭出行", 7, True, "300000.00")

    def test_a_contact_is_recorded_in_place_with_htmx(self, personas, web, open_lead):
        lead = open_lead()
        client = web(personas.consultant)
        url = reverse("leads:contact", args=[lead.pk])
        refused = client.post(url, {"contact-kind": "call", "contact-summary": ""}, HTTP_HX_REQUEST="true")
        assert refused.status_code == 400
        assert json.loads(refused["HX-Trigger"])["showToast"]["level"] == "danger"
        assert not LeadContact.objects.exists()
        done = client.post(url, {"contact-kind": "call", "contact-summary": "约了周六试驾"}, HTTP_HX_REQUEST="true")
        assert done.status_code == 200
        assert "约了周六试驾" in done.content.decode() and "<html" not in done.content.decode()
        lead.refresh_from_db()
        assert lead.state == "contacted"

    def test_objections_test_drive_and_appraisal(self, personas, web, open_lead):
        lead = open_lead()
        client = web(personas.consultant)
        client.post(reverse("leads:objection", args=[lead.pk]), {"objection-objection": "价格偏高"})
        objection = LeadObjection.objects.get()
        client.post(
            reverse("leads:objection_answer", args=[lead.pk, objection.pk]),
            {f"answer-{objection.pk}-answer": "含三年保养", f"answer-{objection.pk}-resolved": "on"},
        )
        objection.refresh_from_db()
        assert (objection.answer, objection.resolved) == ("含三年保养", True)
        client.post(reverse("leads:test_drive", args=[lead.pk]), {"accepted": "no"})
        lead.refresh_from_db()
        assert lead.test_drive == "declined"
        # no trade-in and no plate: the appraisal is not offered
        refused = client.post(reverse("leads:appraisal", args=[lead.pk]), {"appraisal-car_details": "朗逸"})
        assert refused.status_code == 400 and not AppraisalRequest.objects.exists()
        # the customer drove in: with the plate it is requested and the appraiser told
        client.post(
            reverse("leads:appraisal", args=[lead.pk]),
            {"appraisal-car_details": "2016 大众朗逸 8 万公里", "appraisal-licence_plate": "沪A·12345"},
        )
        appraisal = AppraisalRequest.objects.get()
        assert (appraisal.licence_plate, appraisal.store) == ("沪A12345", personas.store_a)
        assert personas.appraiser.notifications.filter(key=f"leads:appraisal:{appraisal.pk}").exists()

    def test_a_colleague_sees_the_lead_read_only(self, personas, web, open_lead):
        from tests.factories import MembershipFactory, UserFactory

        colleague = UserFactory(username="a_consultant_2")
        MembershipFactory(user=colleague, store=personas.store_a, role_code="consultant")
        lead = open_lead()
        page = web(colleague).get(reverse("leads:detail", args=[lead.pk])).content.decode()
        assert reverse("leads:update", args=[lead.pk]) not in page
        response = web(colleague).post(reverse("leads:update", args=[lead.pk]), {"needs-purchase_timeline": "week"})
        assert response.status_code == 403
