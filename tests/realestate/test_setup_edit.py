"""Set-up edits by the sales manager: a unit's surveyed areas, layout and orientation while it is
available (refused once it is taken), and the project's rates; pages with field errors, the API,
permissions and query counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from realestate import services
from realestate.models import Project, Unit
from realestate.pricing import signing_fees
from showroom.services.transitions import TransitionConflict
from tests.realestate.conftest import subscribe_through

pytestmark = pytest.mark.django_db

RATES = {
    "deed_tax_rate": "1.5",
    "maintenance_fund_rate": "2",
    "registration_fee": "550",
    "small_deposit_limit": "10000",
    "small_deposit_days": "5",
    "sign_within_days": "10",
}


def _count(client, method, url, data=None) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    return response.status_code, len(ctx.captured_queries)


class TestUnitSurvey:
    def test_the_manager_corrects_an_available_unit_and_the_price_follows(self, personas, site):
        unit = site["units"][0]
        updated = services.unit_survey_update(
            user=personas.sales_manager,
            unit=unit,
            built_area="101.25",
            inner_area="82.10",
            layout="两室两厅",
            orientation="north",
        )
        unit.refresh_from_db()
        assert (unit.built_area, unit.inner_area, unit.layout, unit.orientation) == (
            Decimal("101.25"),
            Decimal("82.10"),
            "两室两厅",
            "north",
        )
        assert updated.changed_at >= site["units"][0].changed_at

    def test_a_sold_unit_is_refused_with_a_clear_message(self, personas, site, buyer):
        unit = site["units"][0]
        subscribe_through(personas, unit, buyer, upto="issue_slip")
        with pytest.raises(TransitionConflict) as refused:
            services.unit_survey_update(
                user=personas.sales_manager, unit=unit, built_area="90", inner_area="80", layout="", orientation="south"
            )
        assert "1号楼-101" in refused.value.message and "available" in refused.value.message
        assert Unit.objects.get(pk=unit.pk).built_area == Decimal("100.00")

    @pytest.mark.parametrize(
        ("values", "fields"),
        [
            ({"built_area": "abc", "inner_area": "80"}, {"built_area"}),
            ({"built_area": "90", "inner_area": "95"}, {"inner_area"}),
            ({"built_area": "0", "inner_area": "-1"}, {"built_area", "inner_area"}),
            ({"built_area": "90.123", "inner_area": "80", "orientation": "up"}, {"built_area", "orientation"}),
            ({"built_area": "90", "inner_area": "80", "layout": "x" * 41}, {"layout"}),
        ],
    )
    def test_bad_input_names_the_fields_and_writes_nothing(self, personas, site, values, fields):
        unit = site["units"][0]
        args = {"layout": "", "orientation": "south", **values}
        with pytest.raises(ValidationError) as refused:
            services.unit_survey_update(user=personas.sales_manager, unit=unit, **args)
        assert set(refused.value.message_dict) == fields
        assert Unit.objects.get(pk=unit.pk).built_area == Decimal("100.00")

    @pytest.mark.parametrize("role", ["consultant", "sales_assistant", "marketing_director", "general_manager"])
    def test_only_the_sales_manager(self, personas, site, role):
        with pytest.raises(PermissionDenied):
            services.unit_survey_update(
                user=getattr(personas, role),
                unit=site["units"][0],
                built_area="90",
                inner_area="80",
                layout="",
                orientation="south",
            )


class TestProjectRates:
    def test_new_rates_apply_to_contracts_drafted_after(self, personas, site, buyer):
        project = services.project_rates_update(user=personas.sales_manager, project=site["project"], **RATES)
        project = Project.objects.get(pk=project.pk)
        assert (project.deed_tax_rate, project.registration_fee, project.sign_within_days) == (
            Decimal("1.50"),
            Decimal("550.00"),
            10,
        )
        sub = subscribe_through(personas, site["units"][0], buyer)
        assert (sub.sign_due_on - sub.approved_at.astimezone(sub.approved_at.tzinfo).date()).days in (10, 11)
        fees = signing_fees(total=sub.total_price, project=project)
        assert fees["registration_fee"] == Decimal("550.00")

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"deed_tax_rate": "100"}, "deed_tax_rate"),
            ({"maintenance_fund_rate": "-1"}, "maintenance_fund_rate"),
            ({"registration_fee": "8.001"}, "registration_fee"),
            ({"small_deposit_limit": "0"}, "small_deposit_limit"),
            ({"small_deposit_days": "0"}, "small_deposit_days"),
            ({"sign_within_days": "seven"}, "sign_within_days"),
        ],
    )
    def test_bad_rates_name_their_field_and_write_nothing(self, personas, site, change, field):
        with pytest.raises(ValidationError) as refused:
            services.project_rates_update(user=personas.sales_manager, project=site["project"], **{**RATES, **change})
        assert set(refused.value.message_dict) == {field}
        assert Project.objects.get(pk=site["project"].pk).deed_tax_rate == Decimal("3.00")

    def test_others_are_refused(self, personas, site):
        for role in ("consultant", "marketing_director", "cashier"):
            with pytest.raises(PermissionDenied):
                services.project_rates_update(user=getattr(personas, role), project=site["project"], **RATES)


class TestPages:
    def test_rates_page_saves_and_shows_field_errors(self, personas, site, web):
        project = site["project"]
        client = web(personas.sales_manager)
        url = reverse("realestate:project_rates", args=[project.pk])
        assert client.get(url).status_code == 200
        bad = client.post(url, {**RATES, "deed_tax_rate": "120"})
        assert bad.status_code == 400
        page = bad.content.decode()
        assert "is-invalid" in page and 'id="e-deed_tax_rate"' in page and 'value="120"' in page
        ok = client.post(url, RATES)
        assert ok.status_code == 302
        assert Project.objects.get(pk=project.pk).small_deposit_days == 5

    def test_unit_page_edits_an_available_unit_and_refuses_a_sold_one(self, personas, site, web, buyer):
        available, sold = site["units"][0], site["units"][1]
        client = web(personas.sales_manager)
        url = reverse("realestate:unit_edit", args=[available.pk])
        bad = client.post(url, {"built_area": "90", "inner_area": "99", "layout": "", "orientation": "south"})
        assert bad.status_code == 400 and 'id="e-inner_area"' in bad.content.decode()
        ok = client.post(url, {"built_area": "90", "inner_area": "70", "layout": "一室", "orientation": "east"})
        assert ok.status_code == 302
        assert Unit.objects.get(pk=available.pk).orientation == "east"
        subscribe_through(personas, sold, buyer, upto="issue_slip")
        sold_url = reverse("realestate:unit_edit", args=[sold.pk])
        page = client.get(sold_url).content.decode()
        assert 'data-testid="refusal"' in page
        refused = client.post(sold_url, {"built_area": "90", "inner_area": "70", "layout": "", "orientation": "east"})
        assert refused.status_code == 409 and "available" in refused.content.decode()

    def test_the_unit_panel_offers_the_edit_to_the_manager_while_available(self, personas, site, web, buyer):
        unit, sold = site["units"][0], site["units"][1]
        subscribe_through(personas, sold, buyer, upto="issue_slip")
        manager = web(personas.sales_manager)
        assert 'data-testid="unit-edit"' in manager.get(reverse("realestate:unit", args=[unit.pk])).content.decode()
        assert 'data-testid="unit-edit"' not in manager.get(reverse("realestate:unit", args=[sold.pk])).content.decode()
        consultant = web(personas.consultant)
        assert (
            'data-testid="unit-edit"' not in consultant.get(reverse("realestate:unit", args=[unit.pk])).content.decode()
        )

    def test_permissions_on_the_pages(self, personas, site, web):
        project, unit = site["project"], site["units"][0]
        for url in (
            reverse("realestate:project_rates", args=[project.pk]),
            reverse("realestate:unit_edit", args=[unit.pk]),
        ):
            assert web(personas.consultant).get(url).status_code == 403
            assert web(personas.marketing_director).get(url).status_code == 403
            assert web(personas.b_manager).get(url).status_code == 404
        assert (
            web(personas.consultant).post(reverse("realestate:project_rates", args=[project.pk]), RATES).status_code
            == 403
        )
        assert Project.objects.get(pk=project.pk).deed_tax_rate == Decimal("3.00")

    def test_query_counts_are_fixed(self, personas, site, web):
        client = web(personas.sales_manager)
        rates = reverse("realestate:project_rates", args=[site["project"].pk])
        unit = reverse("realestate:unit_edit", args=[site["units"][0].pk])
        client.get(rates)
        # rates page: 1 session, 2 user, 3 memberships (the user's stores), 4 the project
        # (scoped), 5 the manager's role in its store; the layout reuses the memberships
        status, rates_get = _count(client, "get", rates)
        assert (status, rates_get) == (200, 5)
        status, unit_get = _count(client, "get", unit)
        assert status == 200
        # a refused save: the page's five, plus the service's savepoint, its role check and the
        # savepoint's rollback — nothing written
        status, rates_bad = _count(client, "post", rates, {**RATES, "sign_within_days": "0"})
        assert (status, rates_bad) == (400, rates_get + 3)
        # a save: session, user, memberships, project, role, role (service), savepoint, lock,
        # update, savepoint release, messages — the same whatever the project's size
        _status, save_small = _count(client, "post", rates, RATES)
        services.building_create(
            user=personas.sales_manager,
            project=site["project"],
            name="2号楼",
            floors=20,
            units_per_floor=4,
            built_area="100",
            inner_area="80",
        )
        _status, save_big = _count(client, "post", rates, RATES)
        assert save_small == save_big
        assert _count(client, "get", unit)[1] == unit_get


class TestApi:
    def test_rates_and_survey_through_the_api(self, personas, site, api, buyer):
        project, unit, sold = site["project"], site["units"][0], site["units"][1]
        client = api(personas.sales_manager)
        response = client.post(reverse("re-project-rates", args=[project.pk]), RATES, format="json")
        assert response.status_code == 200 and response.json()["sign_within_days"] == 10
        bad = client.post(
            reverse("re-project-rates", args=[project.pk]), {**RATES, "deed_tax_rate": "x"}, format="json"
        )
        assert bad.status_code == 400 and "deed_tax_rate" in str(bad.json())
        survey = {"built_area": "95.5", "inner_area": "80", "layout": "三室", "orientation": "west"}
        response = client.post(reverse("re-unit-survey", args=[unit.pk]), survey, format="json")
        assert response.status_code == 200 and response.json()["built_area"] == "95.50"
        subscribe_through(personas, sold, buyer, upto="issue_slip")
        assert client.post(reverse("re-unit-survey", args=[sold.pk]), survey, format="json").status_code == 409
        assert (
            api(personas.consultant).post(reverse("re-unit-survey", args=[unit.pk]), survey, format="json").status_code
            == 403
        )
        assert (
            api(personas.b_manager)
            .post(reverse("re-project-rates", args=[project.pk]), RATES, format="json")
            .status_code
            == 404
        )
        assert Unit.objects.get(pk=sold.pk).built_area == Decimal("100.00")
