"""The real-estate API: the whole sale through the transitions convention, the error bodies
(400 with fields, 403, 404, 409) that change nothing, and flat query counts for every list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realestate import services
from realestate.models import Building, Contract, PriceListBuilding, Receipt, Subscription, Unit
from showroom.models import ChecklistTemplate, Customer
from showroom.services.checklists import checklist_answer, checklist_run_start
from tests.factories import CustomerFactory
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import units_make

pytestmark = pytest.mark.django_db


def step(client, kind, pk, name, **data):
    return client.post(reverse(f"re-{kind}-transitions", args=[pk, name]), data, format="json")


def test_a_sale_through_the_api(personas, api, site, buyer):
    unit = site["units"][0]
    consultant = api(personas.consultant)
    # given the consultant subscribes the unit for a known mobile typed with spaces
    created = consultant.post(
        reverse("re-subscription-list"),
        {"unit": unit.pk, "mobile": "138 1234 5678", "payment_method": "full", "deposit": "50000"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    # then the known customer was found (no second customer) and the price follows the list
    assert body["customer"] == buyer.pk
    assert Customer.objects.filter(store=personas.store_a).count() == 1
    assert body["total_price"] == "1988500.00"
    assert body["state"] == "requested"
    assert body["available_transitions"] == ["cancel"]
    pk = body["id"]
    # when each role runs its step
    assert step(api(personas.sales_assistant), "subscription", pk, "issue_slip").status_code == 200
    assert step(api(personas.cashier), "subscription", pk, "pay").status_code == 200
    approved = step(api(personas.sales_manager), "subscription", pk, "approve")
    assert approved.status_code == 200
    assert approved.json()["state"] == "approved"
    assert approved.json()["number"].startswith("SA-")
    # and the assistant drafts the contract with a schedule
    total = Decimal(approved.json()["total_price"])
    drafted = api(personas.sales_assistant).post(
        reverse("re-contract-list"),
        {
            "subscription": pk,
            "loan_bank": "中国建设银行",
            "schedule": [
                {"kind": "down_payment", "amount": str(total - 1000000), "due_on": timezone.localdate().isoformat()},
                {
                    "kind": "loan",
                    "amount": "1000000",
                    "due_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
                },
            ],
        },
        format="json",
    )
    assert drafted.status_code == 201, drafted.json()
    contract = drafted.json()
    assert contract["deed_tax"] == "59655.00"
    assert len(contract["copies"]) == 5
    assert [line["kind"] for line in contract["payment_lines"]] == ["down_payment", "loan"]
    assert step(api(personas.cashier), "contract", contract["id"], "collect").status_code == 200
    # the manager cannot sign before the contract-documents checklist is complete: 409 naming it
    refused = step(api(personas.sales_manager), "contract", contract["id"], "sign")
    assert refused.status_code == 409
    assert refused.json()["code"] == "conflict"
    obj = Contract.objects.get(pk=contract["id"])
    run = checklist_run_start(template_code="realestate.contract_documents", target=obj, user=personas.consultant)
    for item in ChecklistTemplate.objects.get(code="realestate.contract_documents").items.all():
        checklist_answer(run=run, item=item, user=personas.consultant, ticked=True)
    assert step(api(personas.sales_manager), "contract", contract["id"], "sign").status_code == 200
    filed = step(
        api(personas.sales_assistant), "contract", contract["id"], "file", filing_number="备-1", certificate="预-2"
    )
    assert filed.status_code == 200
    assert filed.json()["filing_number"] == "备-1"
    # then the unit is filed and the cashier's receipts list the deposit, down payment and fees
    assert Unit.objects.get(pk=unit.pk).state == Unit.State.FILED
    kinds = sorted(r["kind"] for r in api(personas.cashier).get(reverse("re-receipt-list")).json()["results"])
    assert kinds == ["deed_tax", "deposit", "down_payment", "maintenance_fund", "registration_fee"]


def test_an_unknown_buyer_is_registered_with_consent(personas, api, site):
    response = api(personas.consultant).post(
        reverse("re-subscription-list"),
        {
            "unit": site["units"][1].pk,
            "mobile": "13900001111",
            "name": "李娜",
            "consent": True,
            "payment_method": "commercial",
            "deposit": "30000",
        },
        format="json",
    )
    assert response.status_code == 201
    customer = Customer.objects.get(pk=response.json()["customer"])
    assert (customer.mobile, customer.name) == ("+8613900001111", "李娜")


class TestErrors:
    def test_bad_input_is_400_with_fields_and_changes_nothing(self, personas, api, site, buyer):
        response = api(personas.consultant).post(
            reverse("re-subscription-list"),
            {"unit": site["units"][0].pk, "mobile": buyer.mobile, "payment_method": "barter", "deposit": "x"},
            format="json",
        )
        assert response.status_code == 400
        assert set(response.json()["fields"]) == {"payment_method", "deposit"}
        assert response.json()["code"] == "invalid"
        assert not Subscription.objects.exists()
        assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.AVAILABLE

    def test_a_deposit_above_the_price_is_400(self, personas, api, site, buyer):
        response = api(personas.consultant).post(
            reverse("re-subscription-list"),
            {"unit": site["units"][0].pk, "mobile": buyer.mobile, "payment_method": "full", "deposit": "99999999"},
            format="json",
        )
        assert response.status_code == 400
        assert "deposit" in response.json()["fields"]
        assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.AVAILABLE

    def test_a_taken_unit_is_409_naming_the_holder(self, personas, api, site, buyer):
        subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
        other = CustomerFactory(store=personas.store_a, mobile="+8613700000000")
        response = api(personas.sales_manager).post(
            reverse("re-subscription-list"),
            {"unit": site["units"][0].pk, "mobile": other.mobile, "payment_method": "full", "deposit": "1000"},
            format="json",
        )
        assert response.status_code == 409
        assert personas.consultant.get_full_name() in response.json()["detail"]
        assert Subscription.objects.count() == 1

    def test_wrong_role_is_403_and_changes_nothing(self, personas, api, site, buyer):
        sub = subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
        # the consultant cannot take the deposit (the cashier's step)
        response = step(api(personas.consultant), "subscription", sub.pk, "pay")
        assert response.status_code == 403
        assert Subscription.objects.get(pk=sub.pk).state == "slip_issued"
        assert not Receipt.objects.exists()
        # the consultant cannot hold a unit (the sales manager's)
        assert step(api(personas.consultant), "unit", site["units"][1].pk, "hold").status_code == 403
        assert step(api(personas.sales_manager), "unit", site["units"][1].pk, "hold").status_code == 200
        assert Unit.objects.get(pk=site["units"][1].pk).state == Unit.State.HELD

    def test_another_store_is_404(self, personas, api, site, buyer):
        sub = subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
        client = api(personas.b_manager)
        assert client.get(reverse("re-subscription-detail", args=[sub.pk])).status_code == 404
        assert step(client, "subscription", sub.pk, "cancel", note="x").status_code == 404
        assert client.get(reverse("re-project-grid", args=[site["project"].pk])).status_code == 404
        assert Subscription.objects.get(pk=sub.pk).state == "slip_issued"

    def test_a_step_without_its_service_is_404(self, personas, api, site, buyer):
        # "contract" is run by the contract's signature, never on its own
        sub = subscribe_through(personas, site["units"][0], buyer)
        response = step(api(personas.sales_manager), "subscription", sub.pk, "contract")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert Subscription.objects.get(pk=sub.pk).state == "approved"

    def test_cancel_needs_a_reason_and_frees_the_unit(self, personas, api, site, buyer):
        sub = subscribe_through(personas, site["units"][0], buyer, upto="issue_slip")
        client = api(personas.consultant)
        assert step(client, "subscription", sub.pk, "cancel").status_code == 400
        assert step(client, "subscription", sub.pk, "cancel", note="买方改变主意").status_code == 200
        assert Unit.objects.get(pk=site["units"][0].pk).state == Unit.State.AVAILABLE

    def test_refund_once_and_the_handed_over_day_is_409(self, personas, api, site, buyer):
        receipt = services.receipt_take(
            user=personas.cashier, project=site["project"], customer=buyer, kind="vip", amount="20000"
        )
        cashier = api(personas.cashier)
        assert api(personas.consultant).post(reverse("re-receipt-refund", args=[receipt.pk])).status_code == 404
        refund = cashier.post(reverse("re-receipt-refund", args=[receipt.pk]))
        assert refund.status_code == 201
        assert refund.json()["amount"] == "-20000.00"
        assert cashier.post(reverse("re-receipt-refund", args=[receipt.pk])).status_code == 409
        handed = cashier.post(reverse("re-receipt-hand-over"), {"store": personas.store_a.pk}, format="json")
        assert handed.status_code == 200
        assert (handed.json()["received"], handed.json()["refunded"]) == ("20000.00", "20000.00")
        assert cashier.post(reverse("re-receipt-hand-over"), {"store": personas.store_a.pk}).status_code == 409


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def _more_sales(personas, site, n):
    """``n`` more units, each with a reviewed subscription, a contract and receipts."""
    building = Building.objects.create(project=site["project"], name=f"楼{n}")
    site["project"].permits.get(kind="presale").buildings.add(building)
    PriceListBuilding.objects.create(price_list=site["price_list"], building=building, base_price_per_m2=20000)
    units = units_make(project=site["project"], building=building, floors=n, per_floor=1)
    for i, unit in enumerate(units):
        customer = CustomerFactory(store=personas.store_a, mobile=f"+86137{n:02d}{i:06d}")
        sub = subscribe_through(personas, unit, customer)
        services.contract_create(
            user=personas.sales_assistant,
            subscription=sub,
            schedule=[{"kind": "full_payment", "amount": str(sub.total_price), "due_on": timezone.localdate()}],
        )


@pytest.mark.parametrize(
    ("url_name", "user", "expected"),
    [
        # 1 session, 2 user, 3 memberships (the user's stores), 4 count, 5 the page of units with
        # building and holder joined
        ("re-unit-list", "consultant", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page with unit, building, customer,
        # consultant and project joined
        ("re-subscription-list", "consultant", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page with subscription, unit, building
        # and customer joined
        ("re-contract-list", "consultant", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page with customer joined and the
        # "refunded" flag as a subquery
        ("re-receipt-list", "cashier", 5),
    ],
)
def test_lists_cost_the_same_for_few_and_many_rows(personas, api, site, buyer, url_name, user, expected):
    client = api(getattr(personas, user))
    url = reverse(url_name) + "?page_size=200"
    _more_sales(personas, site, 2)
    few = _count(client, url)
    _more_sales(personas, site, 12)
    many = _count(client, url)
    assert few == many == expected


def test_grid_endpoint_costs_the_same_for_100_and_2000_units(personas, api, site):
    project = site["project"]
    client = api(personas.consultant)
    url = reverse("re-project-grid", args=[project.pk])
    units_make(project=project, building=Building.objects.create(project=project, name="2号楼"), floors=47, per_floor=2)
    # 1 session, 2 user, 3 memberships, 4 the project (scoped), 5 price list in force, 6 its base
    # prices, 7 units with building and holder, 8 totals per state
    assert _count(client, url) == 8
    units_make(
        project=project, building=Building.objects.create(project=project, name="3号楼"), floors=95, per_floor=20
    )
    assert Unit.objects.filter(project=project).count() == 2000
    assert _count(client, url) == 8
    grid = client.get(url).json()
    assert sum(s["count"] for s in grid["states"]) == 2000
    assert grid["buildings"][0]["floors"][0]["units"][0]["state"] == "available"


def test_vip_card_and_small_deposit_through_the_api(personas, api, site, buyer):
    project = site["project"]
    created = api(personas.consultant).post(
        reverse("re-vip-list"),
        {"project": project.pk, "customer": buyer.pk, "amount": "20000", "agreement_no": "RC-1"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert step(api(personas.cashier), "vip", pk, "pay").status_code == 200
    assert step(api(personas.sales_assistant), "vip", pk, "issue").status_code == 409  # not reviewed yet
    assert step(api(personas.sales_manager), "vip", pk, "review").status_code == 200
    issued = step(api(personas.sales_assistant), "vip", pk, "issue")
    assert (issued.json()["number"], issued.json()["sequence"]) == ("VIP-000001", 1)
    # a small deposit at or above the limit is a 400; below it the unit shows it
    unit = site["units"][0]
    client = api(personas.consultant)
    too_much = client.post(
        reverse("re-small-deposit-list"), {"unit": unit.pk, "customer": buyer.pk, "amount": "20000"}, format="json"
    )
    assert too_much.status_code == 400 and "amount" in too_much.json()["fields"]
    ok = client.post(
        reverse("re-small-deposit-list"), {"unit": unit.pk, "customer": buyer.pk, "amount": "5000"}, format="json"
    )
    assert ok.status_code == 201
    assert Unit.objects.get(pk=unit.pk).state == Unit.State.SMALL_DEPOSIT
    assert step(api(personas.cashier), "small-deposit", ok.json()["id"], "pay").status_code == 409


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of cards with the customer joined
        ("re-vip-list", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page with customer, unit, building joined
        ("re-small-deposit-list", 5),
    ],
)
def test_vip_and_small_deposit_lists_are_flat(personas, api, site, url_name, expected):
    client = api(personas.consultant)
    units = iter(site["units"])

    def add(n):
        for _i in range(n):
            customer = CustomerFactory(store=personas.store_a)
            services.vip_record(
                user=personas.consultant, project=site["project"], customer=customer, amount="1000", agreement_no="A"
            )
            services.small_deposit_apply(user=personas.consultant, unit=next(units), customer=customer, amount="1000")

    add(1)
    few = _count(client, reverse(url_name))
    add(4)
    assert few == _count(client, reverse(url_name)) == expected
