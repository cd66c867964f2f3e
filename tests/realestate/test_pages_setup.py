"""Pages of the set-up (project, building, permit upload, price-list version, opening), the contract
with its buttons, the visitors' pages and the sales report (with query counts that stay flat)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realestate import services
from realestate.models import Building, Contract, Intention, Permit, PriceList, Project, SpotCheck, Unit
from showroom.models import ApprovalRequest, ChecklistTemplate
from showroom.services.checklists import checklist_answer, checklist_run_start
from tests.factories import CustomerFactory
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import property_store

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


class TestSetUp:
    def test_the_manager_sets_a_project_up_page_by_page(self, personas, web):
        property_store(personas.store_a)
        client = web(personas.sales_manager)
        # a project
        response = client.post(
            reverse("realestate:project_new"),
            {
                "name": "翠湖天地",
                "code": "cuihu",
                "fund_bank": "工商银行",
                "fund_account_name": "翠湖监管户",
                "fund_account_no": "6222001",
            },
        )
        project = Project.objects.get(code="cuihu")
        assert response.url == reverse("realestate:setup", args=[project.pk])
        assert project.state == Project.State.PREPARING
        # a building of 3 floors × 2 units
        client.post(
            reverse("realestate:building_new", args=[project.pk]),
            {
                "name": "1号楼",
                "floors": "3",
                "units_per_floor": "2",
                "built_area": "98.5",
                "inner_area": "80",
                "layout": "三室",
                "orientations": ["south", "north"],
            },
        )
        building = Building.objects.get(project=project)
        assert sorted(Unit.objects.filter(building=building).values_list("number", flat=True)) == [
            "101",
            "102",
            "201",
            "202",
            "301",
            "302",
        ]
        assert Unit.objects.get(building=building, number="102").orientation == "north"
        # the pre-sale permit with its scan, cap and building
        client.post(
            reverse("realestate:permit_new", args=[project.pk]),
            {
                "kind": "presale",
                "number": "津预售2026-01",
                "issued_on": "2026-01-05",
                "max_price_per_m2": "30000",
                "buildings": [building.pk],
                "scan": SimpleUploadedFile("presale.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
            },
        )
        permit = Permit.objects.get(project=project)
        assert (permit.max_price_per_m2, list(permit.buildings.all())) == (Decimal("30000.00"), [building])
        # a price list above the cap is saved as a draft but refused on submission
        client.post(
            reverse("realestate:price_list_new", args=[project.pk]),
            {"effective_from": "2026-02-01", f"base_{building.pk}": "31000", "d_full": "3"},
        )
        draft = PriceList.objects.get(project=project)
        assert (draft.version, draft.state) == (1, "draft")
        page = client.post(
            reverse("realestate:price_list_submit", args=[project.pk, draft.pk]), follow=True
        ).content.decode()
        draft.refresh_from_db()
        assert draft.state == "draft"
        assert "30,000" in page or "30000" in page
        # opening is refused while four permits are missing
        client.post(reverse("realestate:project_open", args=[project.pk]))
        project.refresh_from_db()
        assert project.state == Project.State.PREPARING
        setup = client.get(reverse("realestate:setup", args=[project.pk])).content.decode()
        assert 'data-testid="problems"' in setup

    def test_a_price_list_under_the_cap_goes_for_approval(self, personas, web, site):
        client = web(personas.sales_manager)
        project, building = site["project"], site["building"]
        client.post(
            reverse("realestate:price_list_new", args=[project.pk]),
            {"effective_from": timezone.localdate().isoformat(), f"base_{building.pk}": "21000", "floor_step": "50"},
        )
        v2 = PriceList.objects.get(project=project, version=2)
        client.post(reverse("realestate:price_list_submit", args=[project.pk, v2.pk]))
        v2.refresh_from_db()
        assert v2.state == "pending"
        assert ApprovalRequest.objects.filter(kind="realestate.price_change", object_id=v2.pk).exists()

    def test_others_cannot_set_up(self, personas, web, site):
        project = site["project"]
        assert web(personas.consultant).get(reverse("realestate:setup", args=[project.pk])).status_code == 403
        assert web(personas.consultant).get(reverse("realestate:project_new")).status_code == 403
        assert web(personas.b_manager).get(reverse("realestate:setup", args=[project.pk])).status_code == 404
        response = web(personas.sales_assistant).post(
            reverse("realestate:building_new", args=[project.pk]),
            {"name": "9号楼", "floors": "1", "units_per_floor": "1", "built_area": "90", "inner_area": "80"},
        )
        assert response.status_code == 403
        assert not Building.objects.filter(name="9号楼").exists()

    def test_setup_page_query_count(self, personas, web, site):
        client = web(personas.sales_manager)
        url = reverse("realestate:setup", args=[site["project"].pk])
        client.get(url)
        # 1 session, 2 user, 3 memberships, 4 project, 5 permits, 6 their buildings, 7 buildings
        # with unit counts, 8 price lists with creator, 9 their base prices (+ buildings joined),
        # 10 price list in force, 11 its bases… measured once and pinned
        first = _count(client, url)
        services.building_create(
            user=personas.sales_manager,
            project=site["project"],
            name="2号楼",
            floors=10,
            units_per_floor=4,
            built_area="100",
            inner_area="80",
        )
        assert _count(client, url) == first


class TestContractPage:
    def _contract(self, personas, site, buyer, web):
        sub = subscribe_through(personas, site["units"][0], buyer)
        client = web(personas.sales_assistant)
        response = client.post(
            reverse("realestate:contract_new", args=[sub.pk]),
            {"full_payment_amount": str(sub.total_price), "full_payment_due": timezone.localdate().isoformat()},
        )
        contract = Contract.objects.get(subscription=sub)
        assert response.url == reverse("realestate:contract", args=[contract.pk])
        return contract

    def test_every_step_through_the_buttons(self, personas, site, buyer, client):
        contract = self._contract(personas, site, buyer, lambda u: (client.force_login(u), client)[1])

        def press(user, name, **data):
            client.force_login(user)
            return client.post(reverse("realestate:contract_step", args=[contract.pk, name]), data)

        # the buttons each role sees
        client.force_login(personas.cashier)
        page = client.get(reverse("realestate:contract", args=[contract.pk])).content.decode()
        assert 'data-transition="collect"' in page
        client.force_login(personas.consultant)
        assert (
            'data-transition="collect"'
            not in client.get(reverse("realestate:contract", args=[contract.pk])).content.decode()
        )
        press(personas.consultant, "collect")
        assert Contract.objects.get(pk=contract.pk).state == "draft"
        press(personas.cashier, "collect")
        assert Contract.objects.get(pk=contract.pk).state == "collected"
        # signing waits for the checklist
        press(personas.sales_manager, "sign")
        assert Contract.objects.get(pk=contract.pk).state == "collected"
        run = checklist_run_start(
            template_code="realestate.contract_documents", target=contract, user=personas.consultant
        )
        for item in ChecklistTemplate.objects.get(code="realestate.contract_documents").items.all():
            checklist_answer(run=run, item=item, user=personas.consultant, ticked=True)
        press(personas.sales_manager, "sign")
        assert Contract.objects.get(pk=contract.pk).state == "signed"
        press(personas.sales_assistant, "copy", holder="buyer")
        assert contract.copies.get(holder="buyer").delivered_at is not None
        press(personas.sales_assistant, "lend", item="id_card")
        row = contract.custody.get()
        press(personas.sales_assistant, "file", filing_number="备-7", certificate="预-8")
        assert Contract.objects.get(pk=contract.pk).state == "filed"
        press(personas.sales_assistant, "return", custody=row.pk)
        row.refresh_from_db()
        assert row.returned_at is not None
        # invoices against the returned receipts, the final one (no loan: full payment)
        press(personas.cashier, "invoice", kind="final", number="F-1")
        assert not contract.invoices.exists()  # the payment invoice comes first
        press(personas.cashier, "invoice", kind="payment", number="P-1")
        press(personas.cashier, "invoice", kind="deed_tax", number="D-1")
        press(personas.cashier, "invoice", kind="final", number="F-1")
        assert sorted(contract.invoices.values_list("kind", flat=True)) == ["deed_tax", "final", "payment"]
        assert not contract.receipts.filter(kind__in=["full_payment", "deed_tax"], taken_back_at__isnull=True).exists()
        # the handover: notice first, then both handed to the buyer
        press(personas.consultant, "hand_over", guarantee_given="on", manual_given="on")
        assert Contract.objects.get(pk=contract.pk).state == "filed"
        press(personas.sales_assistant, "notice")
        press(personas.consultant, "hand_over", guarantee_given="on")
        assert Contract.objects.get(pk=contract.pk).state == "filed"
        press(personas.consultant, "hand_over", guarantee_given="on", manual_given="on")
        assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.HANDED_OVER
        assert press(personas.consultant, "nonsense").status_code == 404

    def test_a_schedule_that_does_not_add_up_is_refused(self, personas, site, buyer, web):
        sub = subscribe_through(personas, site["units"][0], buyer)
        response = web(personas.sales_assistant).post(
            reverse("realestate:contract_new", args=[sub.pk]),
            {"down_payment_amount": "100", "down_payment_due": timezone.localdate().isoformat()},
            follow=True,
        )
        assert "add up" in response.content.decode() or "合计" in response.content.decode()
        assert not Contract.objects.exists()


class TestVisitorPages:
    def test_consultant_records_an_intention_and_the_work_log(self, personas, site, buyer, web):
        client = web(personas.consultant)
        assert client.get(reverse("realestate:visitors")).status_code == 200
        client.post(
            reverse("realestate:intention_new"),
            {"project": site["project"].pk, "mobile": "13812345678", "grade": "A", "layouts": "三室两厅"},
        )
        assert Intention.objects.get().customer == buyer
        # an unknown number is refused: the front desk registers visitors
        client.post(
            reverse("realestate:intention_new"),
            {"project": site["project"].pk, "mobile": "13999999999", "grade": "B", "layouts": "两室"},
        )
        assert Intention.objects.count() == 1
        intention = Intention.objects.get()
        today = timezone.localdate().isoformat()
        client.post(reverse("realestate:intention_checks", args=[intention.pk]), {"credit_on": today})
        intention.refresh_from_db()
        assert intention.credit_checked_on.isoformat() == today and intention.ownership_checked_on is None
        client.post(reverse("realestate:work_log", args=[personas.store_a.pk]), {"summary": "接待2组"})
        page = client.get(reverse("realestate:visitors")).content.decode()
        assert 'data-testid="work-log-done"' in page

    def test_the_manager_ticks_a_customers_and_the_list_is_flat(self, personas, site, buyer, web):
        project = site["project"]
        services.intention_record(user=personas.consultant, project=project, customer=buyer, grade="A", layouts="三室")
        client = web(personas.sales_manager)
        url = reverse("realestate:a_customers", args=[project.pk])
        assert web(personas.consultant).get(url).status_code == 403
        client = web(personas.sales_manager)
        # 1 session, 2 user, 3 memberships, 4 the project, 5 the A customers (latest record per
        # customer with the last spot-check as subqueries), + the frame
        few = _count(client, url)
        for _i in range(5):
            services.intention_record(
                user=personas.consultant,
                project=project,
                customer=CustomerFactory(store=personas.store_a),
                grade="A",
                layouts="两室",
            )
        assert _count(client, url) == few
        intention = Intention.objects.filter(customer=buyer).get()
        client.post(reverse("realestate:spot_check", args=[intention.pk]), {"note": "已核实"})
        check = SpotCheck.objects.get()
        assert (check.confirmed, check.note) == (False, "已核实")
        client.post(reverse("realestate:spot_check", args=[intention.pk]), {"confirmed": "on"})
        page = client.get(url).content.decode()
        assert "✓" in page


class TestReport:
    def test_figures_by_consultant_and_building_and_a_flat_query_count(self, personas, site, buyer, web):
        client = web(personas.sales_manager)
        url = reverse("realestate:report") + "?period=month"
        first = _count(client, url)
        sub = subscribe_through(personas, site["units"][0], buyer)
        other = CustomerFactory(store=personas.store_a)
        subscribe_through(personas, site["units"][1], other, deposit="30000")
        assert _count(client, url) == first
        page = client.get(url).content.decode()
        # two units of 100 m²; deposits collected 80,000; sell-through 2 of 6
        assert "¥3,977,000.00" in page  # 2 × 1,988,500
        assert "¥80,000.00" in page
        assert "33.3%" in page
        assert f"consultant={personas.consultant.pk}" in page
        assert sub.consultant == personas.consultant
        assert web(personas.consultant).get(url).status_code == 403

    def test_overdue_and_lent_lists(self, personas, site, buyer, web):
        sub = subscribe_through(personas, site["units"][0], buyer)
        type(sub).objects.filter(pk=sub.pk).update(overdue_at=timezone.now())
        page = web(personas.sales_manager).get(reverse("realestate:report")).content.decode()
        assert sub.number in page
