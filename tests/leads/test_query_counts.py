"""Query counts of "my leads" (page and API) and the lead list (API and page) stay the same for 10
and for 100 leads."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads.models import Lead
from leads.services import grade_plan_code
from showroom.models import FollowUp
from tests.factories import CustomerFactory
from tests.leads.factories import VehicleModelFactory

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_leads(personas, n: int, offset: int = 0) -> None:
    """``n`` leads of the consultant in store A, each with a follow-up (half of them overdue), in
    bulk."""
    model = VehicleModelFactory(name=f"GL8-{offset}")
    customers = CustomerFactory.create_batch(n, store=personas.store_a)
    leads = Lead.objects.bulk_create(
        Lead(
            store=personas.store_a,
            customer=customer,
            consultant=personas.consultant,
            created_by=personas.consultant,
            source="walk_in",
            vehicle_model=model,
            grade="HABC"[i % 4],
        )
        for i, customer in enumerate(customers)
    )
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Lead)
    now = timezone.now()
    FollowUp.objects.bulk_create(
        FollowUp(
            store=personas.store_a,
            content_type=ct,
            object_id=lead.pk,
            target_label=str(lead.pk),
            plan=grade_plan_code(lead.grade),
            title="回访",
            due_at=now + dt.timedelta(hours=(-5 if i % 2 else 5) + i),
            assignee=personas.consultant,
        )
        for i, lead in enumerate(leads)
    )


@pytest.mark.parametrize(
    ("kind", "url_name", "expected"),
    [
        # 1 session, 2 user, 3 memberships, 4 the user's stores (switcher, menu), 5 count,
        # 6 the page of leads with customer, consultant, model and brand joined and the next
        # follow-up as a subquery
        ("page", "leads:mine", 6),
        # the same, and 7 the consultants and 8 the models of the filter bar
        ("page", "leads:all", 8),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page of leads (joins and subquery)
        ("api", "lead-list", 5),
        ("api", "lead-mine", 5),
    ],
)
def test_lead_lists_cost_the_same_for_10_and_100_leads(personas, api, web, kind, url_name, expected):
    client = api(personas.consultant) if kind == "api" else web(personas.consultant)
    url = reverse(url_name)
    add_leads(personas, 10)
    client.get(url)  # warm the session and the content-type cache
    ten = count_queries(client, url)
    add_leads(personas, 90, offset=1)
    hundred = count_queries(client, url)
    assert ten == hundred == expected


def test_my_leads_put_overdue_first_then_grade_then_due_time(personas, web, api):
    add_leads(personas, 8)
    rows = api(personas.consultant).get(reverse("lead-mine")).json()["results"]
    now = timezone.now()
    overdue = [dt.datetime.fromisoformat(r["next_followup_at"]) < now for r in rows]
    assert overdue == sorted(overdue, reverse=True)
    first_upcoming = overdue.index(False)
    for block in (rows[:first_upcoming], rows[first_upcoming:]):
        keys = [("HABC".index(r["grade"]), r["next_followup_at"]) for r in block]
        assert keys == sorted(keys)
    page = web(personas.consultant).get(reverse("leads:mine")).content.decode()
    assert page.count('data-overdue="1"') == overdue.count(True)
