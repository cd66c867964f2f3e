"""Campaign pages and API: the import's row-by-row report (400, nothing imported), permissions on
both sides (a consultant 403, another store 404), launching from the page, and query counts that
do not grow with the rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads.models import Campaign, Lead, Owner
from leads.services import campaign_create
from tests.factories import CustomerFactory
from tests.leads.factories import VehicleModelFactory

pytestmark = pytest.mark.django_db

HEADER = "name,mobile,model,purchase date,last service date,mileage"
GOOD = f"{HEADER}\n王伟,13812345678,英朗,2021-12-20,,\n李娜,13912345678,英朗,2021-12-25,2026-10-01,52000\n"
BAD = f"{HEADER}\n王伟,13812345678,英朗,2021-12-20,,\n李娜,139,英朗,2021-13-01,,\n"


def upload(text: str, name: str = "owners.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def a_campaign(personas, *, store=None, user=None) -> Campaign:
    today = timezone.localdate()
    return campaign_create(
        store=store or personas.store_a,
        user=user or personas.sales_manager,
        name="置换季",
        talking_points="置换补贴",
        due_from=today - dt.timedelta(days=30),
        due_to=today + dt.timedelta(days=90),
        visit_on=today + dt.timedelta(days=7),
    )


@pytest.fixture(autouse=True)
def yinglang(db):
    return VehicleModelFactory(name="英朗", segment="sedan_a")


class TestImportPage:
    def test_a_bad_file_shows_each_rows_error_with_400_and_imports_nothing(self, personas, web):
        client = web(personas.sales_manager)
        response = client.post(reverse("leads:owners_import"), {"file": upload(BAD)})
        assert response.status_code == 400
        rows = [(e.row, e.field) for e in response.context["report"].errors]
        assert rows == [(3, "mobile"), (3, "purchase_date")]
        assert response.content.decode().count('data-testid="import-error"') == 2
        assert Owner.objects.count() == 0

    def test_a_good_file_imports_and_returns_to_the_list(self, personas, web):
        client = web(personas.sales_manager)
        response = client.post(reverse("leads:owners_import"), {"file": upload(GOOD)})
        assert response.status_code == 302
        assert Owner.objects.filter(store=personas.store_a).count() == 2
        page = client.get(reverse("leads:owners"))
        assert page.content.decode().count('data-testid="owner-row"') == 2

    def test_a_consultant_gets_403_on_the_pages_and_the_import(self, personas, web):
        client = web(personas.consultant)
        assert client.post(reverse("leads:owners_import"), {"file": upload(GOOD)}).status_code == 403
        assert client.get(reverse("leads:owners")).status_code == 403
        assert client.post(reverse("leads:campaign_create"), {}).status_code == 403
        assert Owner.objects.count() == 0

    def test_the_owners_filters(self, personas, web):
        client = web(personas.sales_manager)
        client.post(reverse("leads:owners_import"), {"file": upload(GOOD)})
        response = client.get(reverse("leads:owners"), {"due_from": "2026-12-22", "bought_elsewhere": "no"})
        assert [o.customer.name for o in response.context["page"].object_list] == ["李娜"]


class TestCampaignPages:
    def test_create_launch_and_see_the_distribution(self, personas, web):
        client = web(personas.sales_manager)
        client.post(reverse("leads:owners_import"), {"file": upload(GOOD)})
        today = timezone.localdate()
        response = client.post(
            reverse("leads:campaign_create"),
            {
                "name": "置换季",
                "talking_points": "置换补贴",
                "due_from": (today - dt.timedelta(days=30)).isoformat(),
                "due_to": (today + dt.timedelta(days=90)).isoformat(),
                "visit_on": (today + dt.timedelta(days=7)).isoformat(),
            },
        )
        campaign = Campaign.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("leads:campaign", args=[campaign.pk])
        page = client.get(reverse("leads:campaign", args=[campaign.pk]))
        assert page.context["overview"].to_launch == 2 and 'data-testid="launch"' in page.content.decode()
        assert client.post(reverse("leads:campaign_launch", args=[campaign.pk])).status_code == 302
        assert Lead.objects.filter(campaign=campaign).count() == 2
        page = client.get(reverse("leads:campaign", args=[campaign.pk]))
        assert [row.leads for row in page.context["overview"].distribution] == [2]
        assert 'data-testid="launch"' not in page.content.decode()

    def test_a_bad_campaign_form_answers_400_and_creates_nothing(self, personas, web):
        response = web(personas.sales_manager).post(
            reverse("leads:campaign_create"),
            {
                "name": "x",
                "talking_points": "y",
                "due_from": "2026-12-01",
                "due_to": "2026-11-01",
                "visit_on": "2020-01-01",
            },
        )
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"due_to", "visit_on"}
        assert not Campaign.objects.exists()

    def test_another_stores_manager_gets_404(self, personas, web):
        campaign = a_campaign(personas)
        client = web(personas.b_manager)
        assert client.get(reverse("leads:campaign", args=[campaign.pk])).status_code == 404
        assert client.post(reverse("leads:campaign_launch", args=[campaign.pk])).status_code == 404

    def test_the_sales_manager_edits_a_cycle_others_only_read(self, personas, web):
        response = web(personas.sales_manager).post(reverse("leads:cycles"), {"segment": "suv", "months": "bad"})
        assert response.status_code == 400
        assert (
            web(personas.sales_manager).post(reverse("leads:cycles"), {"segment": "suv", "months": "60"}).status_code
            == 302
        )
        client = web(personas.showroom_manager)
        assert client.get(reverse("leads:cycles")).status_code == 200
        assert client.post(reverse("leads:cycles"), {"segment": "suv", "months": "50"}).status_code == 403


class TestApi:
    def test_import_bad_file_400_with_rows_good_file_201(self, personas, api):
        client = api(personas.sales_manager)
        url = reverse("lead-owner-import")
        bad = client.post(url, {"store": personas.store_a.pk, "file": upload(BAD)}, format="multipart")
        assert bad.status_code == 400
        assert [(e["row"], e["field"]) for e in bad.json()["errors"]] == [(3, "mobile"), (3, "purchase_date")]
        assert Owner.objects.count() == 0
        good = client.post(url, {"store": personas.store_a.pk, "file": upload(GOOD)}, format="multipart")
        assert good.status_code == 201 and good.json()["created"] == 2
        listing = client.get(reverse("lead-owner-list"), {"store": personas.store_a.pk})
        assert listing.json()["count"] == 2

    def test_consultant_403_on_import_create_and_launch(self, personas, api):
        campaign = a_campaign(personas)
        client = api(personas.consultant)
        imported = client.post(
            reverse("lead-owner-import"), {"store": personas.store_a.pk, "file": upload(GOOD)}, format="multipart"
        )
        assert imported.status_code == 403
        created = client.post(
            reverse("lead-campaign-list"),
            {
                "store": personas.store_a.pk,
                "name": "n",
                "talking_points": "t",
                "due_from": "2026-11-01",
                "due_to": "2027-01-01",
                "visit_on": "2026-12-24",
            },
            format="json",
        )
        assert created.status_code == 403
        assert client.post(reverse("lead-campaign-launch", args=[campaign.pk])).status_code == 403
        assert Owner.objects.count() == 0 and Campaign.objects.count() == 1 and not Lead.objects.exists()

    def test_other_store_404(self, personas, api):
        campaign = a_campaign(personas)
        api(personas.sales_manager).post(
            reverse("lead-owner-import"), {"store": personas.store_a.pk, "file": upload(GOOD)}, format="multipart"
        )
        owner = Owner.objects.first()
        client = api(personas.b_manager)
        assert client.post(reverse("lead-campaign-launch", args=[campaign.pk])).status_code == 404
        assert client.get(reverse("lead-campaign-detail", args=[campaign.pk])).status_code == 404
        assert (
            client.post(
                reverse("lead-owner-import"), {"store": personas.store_a.pk, "file": upload(GOOD)}, format="multipart"
            ).status_code
            == 404
        )
        marked = client.post(
            reverse("lead-owner-bought-elsewhere", args=[owner.pk]), {"brand": "丰田", "model": "凯美瑞"}, format="json"
        )
        assert marked.status_code == 404
        assert client.get(reverse("lead-owner-list")).json()["count"] == 0
        owner.refresh_from_db()
        assert not owner.bought_elsewhere

    def test_create_400_with_field_messages_and_launch_twice(self, personas, api):
        client = api(personas.sales_manager)
        client.post(
            reverse("lead-owner-import"), {"store": personas.store_a.pk, "file": upload(GOOD)}, format="multipart"
        )
        today = timezone.localdate()
        bad = client.post(
            reverse("lead-campaign-list"),
            {
                "store": personas.store_a.pk,
                "name": "",
                "talking_points": "t",
                "due_from": today.isoformat(),
                "due_to": today.isoformat(),
                "visit_on": today.isoformat(),
            },
            format="json",
        )
        assert bad.status_code == 400 and set(bad.json()["fields"]) == {"name", "visit_on"}
        created = client.post(
            reverse("lead-campaign-list"),
            {
                "store": personas.store_a.pk,
                "name": "置换季",
                "talking_points": "t",
                "due_from": (today - dt.timedelta(days=30)).isoformat(),
                "due_to": (today + dt.timedelta(days=90)).isoformat(),
                "visit_on": (today + dt.timedelta(days=7)).isoformat(),
            },
            format="json",
        )
        assert created.status_code == 201 and created.json()["to_launch"] == 2
        url = reverse("lead-campaign-launch", args=[created.json()["id"]])
        first, second = client.post(url), client.post(url)
        assert (len(first.json()["created"]), len(second.json()["created"])) == (2, 0)
        assert second.json()["campaign"]["lead_count"] == 2


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_owners(personas, n: int) -> None:
    customers = CustomerFactory.create_batch(n, store=personas.store_a)
    Owner.objects.bulk_create(
        Owner(
            store=personas.store_a,
            customer=customer,
            model_text="英朗",
            purchase_date=dt.date(2021, 1, 1),
            replacement_due=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            sold_by=personas.consultant,
        )
        for i, customer in enumerate(customers)
    )


def add_campaigns(personas, n: int) -> None:
    for _ in range(n):
        campaign = a_campaign(personas)
        customer = CustomerFactory(store=personas.store_a)
        Lead.objects.create(
            store=personas.store_a,
            customer=customer,
            consultant=personas.consultant,
            source="existing",
            campaign=campaign,
        )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # 1 session, 2 user, 3 memberships, 4 the user's stores (switcher, menu), 5 the filter
        # bar's models, 6 count, 7 the page of owners with customer, model, brand and seller
        # joined and "has an open lead" as a subquery
        ("page", 7),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of owners (joins and subquery)
        ("api", 5),
    ],
)
def test_the_owners_list_costs_the_same_for_few_and_many(personas, api, web, kind, expected):
    client = api(personas.sales_manager) if kind == "api" else web(personas.sales_manager)
    url = reverse("lead-owner-list") if kind == "api" else reverse("leads:owners")
    add_owners(personas, 3)
    few = count_queries(client, url)
    add_owners(personas, 22)
    many = count_queries(client, url)
    assert few == many == expected


def test_the_campaigns_api_costs_the_same_for_few_and_many(personas, api):
    client = api(personas.sales_manager)
    add_campaigns(personas, 2)
    few = count_queries(client, reverse("lead-campaign-list"))
    add_campaigns(personas, 10)
    many = count_queries(client, reverse("lead-campaign-list"))
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of campaigns with store and creator
    # joined and the lead counts aggregated
    assert few == many == 5


def test_launching_on_or_after_the_visit_day_is_a_conflict(personas, api):
    # given a campaign whose visit day has come
    campaign = a_campaign(personas)
    Campaign.objects.filter(pk=campaign.pk).update(visit_on=timezone.localdate())
    api(personas.sales_manager).post(
        reverse("lead-owner-import"), {"store": personas.store_a.pk, "file": upload(GOOD)}, format="multipart"
    )
    # when it is launched, then 409 and no lead
    response = api(personas.sales_manager).post(reverse("lead-campaign-launch", args=[campaign.pk]))
    assert response.status_code == 409
    assert not Lead.objects.exists()
