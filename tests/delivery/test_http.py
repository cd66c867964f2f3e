# ruff: noqa: F401  (pytest fixtures imported from the conftest and quotes_fixtures)
"""Pages and API: query counts that do not grow with the rows (calendar, owner care list, repair
board), the permission matrix of the delivery and repair pages, and the API's answers."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery, RepairTicket
from showroom.services.followups import followup_plan_schedule
from tests.delivery.conftest import answer_all, soon
from tests.delivery.factories import DeliveryFactory, RepairTicketFactory
from tests.leads.quotes_fixtures import shop


def _deliveries(personas, n):
    rows = []
    for i in range(n):
        delivery = DeliveryFactory(store=personas.store_a, consultant=personas.consultant, scheduled_at=soon(1 + i % 5))
        rows.append(delivery)
    return rows


def _care_calls(personas, n):
    for delivery in _deliveries(personas, n):
        followup_plan_schedule(
            plan_code="delivery.care",
            target=delivery,
            store=personas.store_a,
            assignee=personas.consultant,
            due_at=timezone.now() - dt.timedelta(minutes=5),
            kind="call",
            title="Day-3 care call",
        )


def _tickets(personas, n):
    states = ["received", "at_vendor", "back", "ready"]
    for i in range(n):
        RepairTicketFactory(store=personas.store_a, received_by=personas.after_sales, state=states[i % 4])


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as counted:
        assert client.get(url).status_code == 200
    return len(counted.captured_queries)


@pytest.mark.parametrize("n", [2, 8])
def test_query_count_of_the_delivery_calendar(personas, api, web, n, django_assert_num_queries):
    _deliveries(personas, n)
    client = api(personas.consultant)
    # session, user, memberships (store scope), count, the page of deliveries with customer, consultant, store
    with django_assert_num_queries(5):
        response = client.get("/api/v1/delivery/deliveries/")
    assert response.json()["count"] == n
    # the page: the frame's fixed queries + the week's deliveries + those to schedule
    assert _page_queries(web(personas.consultant), reverse("delivery:calendar")) == CALENDAR_PAGE


@pytest.mark.parametrize("n", [2, 8])
def test_query_count_of_the_owner_care_list(personas, api, web, n, django_assert_num_queries):
    _care_calls(personas, n)
    client = api(personas.consultant)
    # session, user, memberships, count, the page of calls with their assignees
    with django_assert_num_queries(5):
        response = client.get("/api/v1/delivery/care-calls/")
    assert response.json()["count"] == n
    # the page: frame + the calls + their deliveries with customers
    assert _page_queries(web(personas.consultant), reverse("delivery:care")) == CARE_PAGE


@pytest.mark.parametrize("n", [2, 8])
def test_query_count_of_the_repair_board(personas, api, web, n, django_assert_num_queries):
    _tickets(personas, n)
    client = api(personas.after_sales)
    # session, user, memberships, count, the page of tickets with customer and receiver
    with django_assert_num_queries(5):
        response = client.get("/api/v1/delivery/repairs/")
    assert response.json()["count"] == n
    # the page: frame + the open tickets with customer and receiver
    assert _page_queries(web(personas.after_sales), reverse("delivery:repairs")) == BOARD_PAGE


# The pages' totals, the same at 2 and 8 rows. Each: session, user, memberships (roles), the
# user's stores (the current store), then
# calendar: the week's deliveries (customer, consultant, store joined), those still to schedule;
CALENDAR_PAGE = 6
# care list: the calls due (assignee joined), their deliveries with customers;
CARE_PAGE = 6
# repair board: the open tickets (customer, receiver joined).
BOARD_PAGE = 5


# --- permission matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "calendar", "repairs"),
    [
        ("consultant", 200, 403),
        ("showroom_manager", 200, 403),
        ("receptionist", 200, 403),
        ("after_sales", 200, 200),
        ("after_sales_manager", 200, 200),
        ("counter_leader", 200, 200),
        ("warehouse_keeper", 200, 403),
    ],
)
def test_page_permission_matrix(personas, web, role, calendar, repairs):
    client = web(getattr(personas, role))
    assert client.get(reverse("delivery:calendar")).status_code == calendar
    assert client.get(reverse("delivery:repairs")).status_code == repairs


def test_a_delivery_of_another_store_is_404_and_steps_are_refused_to_outsiders(personas, web, api, delivery):
    assert web(personas.b_manager).get(reverse("delivery:detail", args=[delivery.pk])).status_code == 404
    assert api(personas.b_manager).get(f"/api/v1/delivery/deliveries/{delivery.pk}/").status_code == 404
    at = soon().isoformat()
    url = f"/api/v1/delivery/deliveries/{delivery.pk}/transitions/schedule/"
    assert api(personas.receptionist).post(url, {"at": at}, format="json").status_code == 403
    assert api(personas.consultant).post(url, {"at": "not a time"}, format="json").status_code == 400
    response = api(personas.consultant).post(url, {"at": at, "bay": "交车区 1"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "scheduled"
    assert "prepare" in response.json()["available_transitions"]
    # scheduled twice: 409
    assert api(personas.consultant).post(url, {"at": at}, format="json").status_code == 409


def test_the_handover_over_http_refused_with_409_naming_the_items(personas, arrived, api, web):
    response = api(personas.consultant).post(
        f"/api/v1/delivery/deliveries/{arrived.pk}/transitions/hand_over/",
        {"signed_name": "王先生", "arrival_minutes": 30},
        format="json",
    )
    assert response.status_code == 409
    assert len(response.json()["missing"]) == 18  # 7.7–7.25 and 7.27, less the two consent stickers (optional)
    page = web(personas.consultant).post(
        reverse("delivery:action", args=[arrived.pk, "hand_over"]), {"signed_name": "王先生", "arrival_minutes": "30"}
    )
    assert page.status_code == 409 and 'data-testid="conflict"' in page.content.decode()


def test_pages_render(personas, web, arrived):
    client = web(personas.consultant)
    assert client.get(reverse("delivery:detail", args=[arrived.pk])).status_code == 200
    page = client.get(reverse("delivery:checklist", args=[arrived.pk, "delivery.handover"]))
    assert page.status_code == 200 and "first drive" in page.content.decode()
    assert client.get(reverse("delivery:care")).status_code == 200
    desk = web(personas.after_sales)
    assert desk.get(reverse("delivery:repair_intake")).status_code == 200
    assert desk.get(reverse("delivery:repair_report")).status_code == 200
    response = desk.post(
        reverse("delivery:repair_intake"),
        {
            "customer_mobile": "13812340000",
            "customer_name": "周先生",
            "consent_given": "on",
            "product": "耳机",
            "model": "B2",
            "fault": "左耳无声",
        },
    )
    ticket = RepairTicket.objects.get()
    assert response.status_code == 302 and response.url == reverse("delivery:repair", args=[ticket.pk])
    assert desk.get(response.url).status_code == 200


def test_repair_intake_api(personas, api):
    client = api(personas.after_sales)
    payload = {
        "store": personas.store_a.pk,
        "customer_mobile": "13812340001",
        "customer_name": "吴女士",
        "consent_given": True,
        "product": "平板",
        "model": "T10",
        "fault": "屏幕碎",
    }
    response = client.post("/api/v1/delivery/repairs/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["number"].startswith("RT-") and response.json()["customer_mobile"].startswith("138****")
    assert client.post("/api/v1/delivery/repairs/", {**payload, "fault": ""}, format="json").status_code == 400
    assert api(personas.consultant).post("/api/v1/delivery/repairs/", payload, format="json").status_code == 403


# --- the delivery list and the exports ------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 8])
def test_query_count_of_the_delivery_list(personas, web, n):
    _deliveries(personas, n)
    # session, user, memberships (roles), the user's stores (the current store), the page's count,
    # the page of deliveries with customer and consultant
    assert _page_queries(web(personas.consultant), reverse("delivery:list")) == 6


def _csv(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()


def test_the_delivery_list_exports_exactly_its_filtered_rows(personas, web):
    # given three deliveries of store A, one of them cancelled, and one of store B
    rows = _deliveries(personas, 3)
    Delivery.objects.filter(pk=rows[0].pk).update(state=Delivery.State.CANCELLED)
    DeliveryFactory(store=personas.store_b, consultant=personas.b_consultant)
    client = web(personas.consultant)
    # when the list filtered to the waiting state is exported
    lines = _csv(client.get(reverse("delivery:list"), {"state": rows[1].state, "export": "csv"}))
    # then the file holds the two other deliveries of store A, nothing else
    assert len(lines) == 3
    assert {rows[1].vin, rows[2].vin} == {line.split(",")[1] for line in lines[1:]}


def test_the_repair_desk_exports_every_ticket_of_the_store(personas, web):
    _tickets(personas, 3)
    RepairTicketFactory(store=personas.store_a, received_by=personas.after_sales, state="collected")
    RepairTicketFactory(store=personas.store_b, received_by=personas.after_sales)
    lines = _csv(web(personas.after_sales).get(reverse("delivery:repairs"), {"export": "csv"}))
    assert len(lines) == 1 + 4  # the header, the three open tickets and the collected one
