"""The visitors' API: intention records with checks and spot-checks, work logs; errors and flat
query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realestate import services
from realestate.models import Intention, SpotCheck, WorkLog
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_intention_checks_spot_check_and_work_log(personas, api, site, buyer):
    consultant = api(personas.consultant)
    created = consultant.post(
        reverse("re-intention-list"),
        {"project": site["project"].pk, "customer": buyer.pk, "grade": "A", "layouts": "三室两厅"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    # bad input: 400 with the fields, nothing recorded
    bad = consultant.post(
        reverse("re-intention-list"),
        {"project": site["project"].pk, "customer": buyer.pk, "grade": "Z", "layouts": ""},
        format="json",
    )
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"grade", "layouts"}
    assert Intention.objects.count() == 1
    today = timezone.localdate().isoformat()
    checked = consultant.post(reverse("re-intention-checks", args=[pk]), {"ownership_on": today}, format="json")
    assert checked.json()["ownership_checked_on"] == today
    # only the sales manager spot-checks
    assert consultant.post(reverse("re-intention-spot-check", args=[pk]), {"confirmed": True}).status_code == 403
    assert (
        api(personas.sales_manager)
        .post(reverse("re-intention-spot-check", args=[pk]), {"confirmed": True}, format="json")
        .status_code
        == 201
    )
    assert SpotCheck.objects.count() == 1
    # another store's manager does not see it, nor learns it exists from a bad body (404, not 400)
    b_manager = api(personas.b_manager)
    assert b_manager.get(reverse("re-intention-detail", args=[pk])).status_code == 404
    assert b_manager.post(reverse("re-intention-spot-check", args=[pk]), {}, format="json").status_code == 404
    assert b_manager.post(reverse("re-intention-checks", args=[pk]), {"x": 1}, format="json").status_code == 404
    assert SpotCheck.objects.count() == 1
    logged = consultant.post(
        reverse("re-work-log-list"), {"store": personas.store_a.pk, "summary": "接待3组"}, format="json"
    )
    assert logged.status_code == 201 and logged.json()["intentions"] == 1
    again = consultant.post(reverse("re-work-log-list"), {"store": personas.store_a.pk, "summary": "x"})
    assert again.status_code == 409
    assert WorkLog.objects.count() == 1


@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page with customer, project, consultant
        ("re-intention-list", 5),
        # 1 session, 2 user, 3 memberships, 4 count, 5 the page with the intentions counted
        ("re-work-log-list", 5),
    ],
)
def test_lists_are_flat(personas, api, site, url_name, expected):
    client = api(personas.sales_manager)
    services.intention_record(
        user=personas.consultant,
        project=site["project"],
        customer=CustomerFactory(store=personas.store_a),
        grade="B",
        layouts="两室",
    )
    services.work_log_submit(user=personas.consultant, store=personas.store_a, summary="a")
    few = _count(client, reverse(url_name))
    for _i in range(4):
        services.intention_record(
            user=personas.sales_supervisor,
            project=site["project"],
            customer=CustomerFactory(store=personas.store_a),
            grade="C",
            layouts="两室",
        )
    assert _count(client, reverse(url_name)) == few == expected
