# ruff: noqa: F811  (the ``counter`` fixture is imported from jewellery_support)
"""The jewellery counter day through the API and the pages: the permission matrix (counter staff,
counter leader, duty manager, other roles 403, another store 404), the day run end to end, and
the query counts of the day page, the tray list and the API lists (flat for few and many rows)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from showroom.models import ChecklistItem
from tests.warehouse.jewellery_support import counter  # noqa: F401
from warehouse.models import CounterDay, CounterSale, Station, Tray
from warehouse.services import jewellery as jw

pytestmark = pytest.mark.django_db
API = "/api/v1/warehouse/"


def counts_body(c, overrides=None):
    return [{"tray": t["tray"].pk, "pieces": t["pieces"], "weight": str(t["weight"])} for t in c.counts(overrides)]


def test_the_day_through_the_api(counter, api):
    c, p = counter, counter.p
    staff = api(p.consultant)
    # the day exists (fixture); starting it again returns the same day
    response = staff.post(f"{API}counter-days/", {"counter": c.counter.pk, "date": "2026-06-02"}, format="json")
    assert response.status_code == 201 and response.json()["id"] == c.day.pk
    checklist = list(ChecklistItem.objects.filter(template__code="counter.opening").values_list("pk", flat=True))
    body = {"counts": counts_body(c, {"T1": (19, "97.3")}), "safe_empty": True, "safe_closed": True}
    response = staff.post(
        f"{API}counter-days/{c.day.pk}/opening-count/", body | {"checklist": checklist}, format="json"
    )
    assert response.status_code == 201
    assert [row["piece_difference"] for row in response.json() if row["tray_code"] == "T1"] == [-1]
    # opening is refused while the difference has no cause
    response = staff.post(f"{API}counter-days/{c.day.pk}/transitions/open/", {}, format="json")
    assert response.status_code == 409 and "T1" in response.json()["missing"]
    # the counter leader may not record the cause; the duty manager may
    cause = {"cause": "戒指送修", "phase": "opening"}
    assert api(p.counter_leader).post(f"{API}counter-days/{c.day.pk}/explain/", cause, format="json").status_code == 403
    assert (
        api(p.showroom_manager).post(f"{API}counter-days/{c.day.pk}/explain/", cause, format="json").status_code == 200
    )
    response = staff.post(f"{API}counter-days/{c.day.pk}/transitions/open/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "opened"
    # a sale and its confirmation
    sale = {"tray": c.bar.pk, "pieces": 1, "weight": "100.000", "price": "56000.00", "special_requests": "刻字"}
    response = staff.post(f"{API}counter-days/{c.day.pk}/sales/", sale, format="json")
    assert response.status_code == 201
    sale_id = response.json()["id"]
    c.bar.refresh_from_db()
    assert (c.bar.pieces, c.bar.weight) == (4, Decimal("400.000"))
    response = staff.post(f"{API}counter-sales/{sale_id}/confirm/", {"pieces": 4, "weight": "400"}, format="json")
    assert response.status_code == 201 and response.json()["matches"] is True
    # closing
    body = {"counts": counts_body(c, {"T1": (19, "97.3"), "T3": (4, "400")})}
    assert staff.post(f"{API}counter-days/{c.day.pk}/closing-count/", body, format="json").status_code == 201
    response = staff.post(f"{API}counter-days/{c.day.pk}/transitions/close/", {}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "closed"


def test_bad_input_is_400_and_nothing_is_written(counter, api):
    c = counter
    staff = api(c.p.consultant)
    body = {"counts": counts_body(c)[:1], "safe_empty": True, "safe_closed": True}
    response = staff.post(f"{API}counter-days/{c.day.pk}/opening-count/", body, format="json")
    assert response.status_code == 400 and "counts" in response.json()["fields"]
    response = staff.post(f"{API}counter-days/{c.day.pk}/opening-count/", {"counts": "x"}, format="json")
    assert response.status_code == 400
    assert not c.day.counts.exists()
    response = staff.post(f"{API}trade-customers/", {"store": c.p.store_a.pk, "company": "金店"}, format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("consultant", 201),
        ("sales_assistant", 201),
        ("counter_leader", 201),
        ("showroom_manager", 201),
        ("warehouse_keeper", 403),
        ("cashier", 403),
        ("b_consultant", 404),
        ("b_manager", 404),
    ],
)
def test_who_may_count_a_tray_at_opening(counter, api, persona, expected):
    c = counter
    body = {"counts": counts_body(c), "safe_empty": True, "safe_closed": True}
    response = api(getattr(c.p, persona)).post(f"{API}counter-days/{c.day.pk}/opening-count/", body, format="json")
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("consultant", 403), ("counter_leader", 201), ("showroom_manager", 201), ("b_manager", 404)],
)
def test_who_may_set_the_lunch_rotation(counter, api, persona, expected):
    c = counter
    jw.counter_roster_set(
        day=c.day,
        user=c.p.counter_leader,
        entries=[
            {"user": c.p.consultant, "station": Station.QIANZU_ISLAND},
            {"user": c.p.sales_assistant, "station": Station.QIANZU_ISLAND},
            {"user": c.p.counter_leader, "station": Station.QIANZU_ISLAND},
            {"user": c.p.showroom_manager, "station": Station.WANZU_COUNTER},
        ],
    )
    body = {"starts_at": "11:30", "ends_at": "12:00", "away": [c.p.consultant.pk]}
    response = api(getattr(c.p, persona)).post(f"{API}counter-days/{c.day.pk}/lunch-rotations/", body, format="json")
    assert response.status_code == expected


def test_a_lunch_rotation_leaving_one_at_the_island_is_refused_through_the_api(counter, api):
    c = counter
    jw.counter_roster_set(
        day=c.day,
        user=c.p.counter_leader,
        entries=[
            {"user": c.p.consultant, "station": Station.QIANZU_ISLAND},
            {"user": c.p.sales_assistant, "station": Station.QIANZU_ISLAND},
            {"user": c.p.showroom_manager, "station": Station.WANZU_COUNTER},
        ],
    )
    body = {"starts_at": "11:30", "ends_at": "12:00", "away": [c.p.consultant.pk]}
    response = api(c.p.counter_leader).post(f"{API}counter-days/{c.day.pk}/lunch-rotations/", body, format="json")
    assert response.status_code == 400 and "away" in response.json()["fields"]


@pytest.mark.parametrize(
    ("persona", "expected"), [("consultant", 403), ("counter_leader", 403), ("showroom_manager", 201)]
)
def test_who_may_score_grooming(personas, api, persona, expected):
    items = list(ChecklistItem.objects.filter(template__code="staff.grooming").values_list("pk", flat=True))
    body = {"store": personas.store_a.pk, "person": personas.consultant.pk, "passed_items": items}
    response = api(getattr(personas, persona)).post(f"{API}grooming-checks/", body, format="json")
    assert response.status_code == expected
    if expected == 201:
        monthly = api(personas.showroom_manager).get(f"{API}grooming-checks/monthly/").json()
        assert monthly[0]["total"] == 7


def test_another_stores_day_page_and_sale_are_404(counter, web, api):
    c = counter
    c.open_day()
    sale = jw.counter_sale_record(day=c.day, user=c.p.consultant, tray=c.ring, pieces=1, weight="3", price="900")
    outsider = web(c.p.b_consultant)
    assert outsider.get(reverse("warehouse:jewellery_day", args=[c.day.pk])).status_code == 404
    assert outsider.get(reverse("warehouse:jewellery_confirm", args=[sale.pk])).status_code == 404
    assert api(c.p.b_consultant).get(f"{API}counter-sales/{sale.pk}/").status_code == 404


# --- pages ---------------------------------------------------------------------------------------------


def test_the_day_on_the_pages(counter, web):
    c = counter
    client = web(c.p.consultant)
    assert client.get(reverse("warehouse:jewellery")).status_code == 200
    url = reverse("warehouse:jewellery_count", args=[c.day.pk, "opening"])
    assert client.get(url).status_code == 200
    posted = {"safe_empty": "on", "safe_closed": "on"}
    for t in c.trays:
        posted[f"pieces_{t.pk}"], posted[f"weight_{t.pk}"] = str(t.pieces), str(t.weight)
    posted["checklist"] = [str(pk) for pk in c.checklist_all()]
    assert client.post(url, posted).status_code == 302
    client.post(reverse("warehouse:jewellery_step", args=[c.day.pk, "open"]))
    c.day.refresh_from_db()
    assert c.day.state == CounterDay.State.OPENED
    response = client.post(
        reverse("warehouse:jewellery_sale", args=[c.day.pk]),
        {"tray": c.ring.pk, "pieces": "1", "weight": "4.5", "price": "1,880.00", "special_requests": "打印记"},
    )
    sale = CounterSale.objects.get()
    assert response.status_code == 302 and response.url == reverse("warehouse:jewellery_confirm", args=[sale.pk])
    response = client.post(response.url, {"pieces": "18"})
    assert response.status_code == 302
    page = client.get(reverse("warehouse:jewellery_day", args=[c.day.pk]))
    assert page.status_code == 200 and "打印记" in page.content.decode()
    for name in ("jewellery_grooming", "jewellery_registrations", "jewellery_trays"):
        assert client.get(reverse(f"warehouse:{name}")).status_code == 200
    assert client.get(reverse("warehouse:jewellery_lunch", args=[c.day.pk])).status_code == 200


def test_a_refused_lunch_turn_on_the_page_says_why(counter, web):
    c = counter
    client = web(c.p.counter_leader)
    url = reverse("warehouse:jewellery_lunch", args=[c.day.pk])
    client.post(
        url,
        {
            "action": "roster",
            f"station_{c.p.consultant.pk}": Station.QIANZU_ISLAND,
            f"station_{c.p.sales_assistant.pk}": Station.QIANZU_ISLAND,
            f"station_{c.p.showroom_manager.pk}": Station.WANZU_COUNTER,
        },
    )
    response = client.post(
        url, {"action": "rotation", "starts_at": "11:30", "ends_at": "12:00", "away": [c.p.consultant.pk]}
    )
    assert response.status_code == 400 and "2" in response.content.decode()


# --- query counts --------------------------------------------------------------------------------------


def more(c, n):
    """``n`` more trays, and ``n`` sales with a confirmation each on an open day."""
    base = Tray.objects.count()
    trays = [
        jw.tray_create(
            user=c.p.counter_leader,
            counter=c.counter,
            code=f"X{base + i}",
            category="手镯",
            station=Station.QIANZU_ISLAND,
            pieces=10,
            weight="300",
        )
        for i in range(n)
    ]
    for tray in trays:
        sale = jw.counter_sale_record(day=c.day, user=c.p.consultant, tray=tray, pieces=1, weight="30", price="9000")
        jw.counter_sale_confirm(sale=sale, user=c.p.consultant, pieces=8)  # a difference each


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_day_page_queries_do_not_grow(counter, web, django_assert_num_queries):
    c = counter
    c.open_day()
    client = web(c.p.consultant)
    url = reverse("warehouse:jewellery_day", args=[c.day.pk])
    more(c, 1)
    client.get(url)
    few = queries(client, url)
    more(c, 10)
    assert queries(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 the day with counter and store, 5 the trays with the id
    # of their last count, 6 those counts (in bulk), 7 the day's last 50 counts with tray and
    # counter, 8–9 what may block "close" (the last closing counts, the trays), 10 the frame's
    # store switcher, 11 the sales with tray, seller and customer
    with django_assert_num_queries(11):
        client.get(url)


def test_tray_list_page_and_api_queries_do_not_grow(counter, web, api, django_assert_num_queries):
    c = counter
    c.open_day()
    client = web(c.p.consultant)
    page = reverse("warehouse:jewellery_trays")
    rest = api(c.p.consultant)
    more(c, 1)
    client.get(page)
    few_page = queries(client, page)
    rest.get(f"{API}jewellery-trays/")
    few_api = queries(rest, f"{API}jewellery-trays/")
    more(c, 10)
    assert queries(client, page) == few_page
    assert queries(rest, f"{API}jewellery-trays/") == few_api
    # page: 1 session, 2 user, 3 memberships, 4 the counters of the filter, 5 the frame's store
    # switcher, 6 count, 7 the page of trays with their counter
    with django_assert_num_queries(7):
        client.get(page)
    # API: 1 session, 2 user, 3 memberships, 4 count, 5 the page of trays with their counter
    with django_assert_num_queries(5):
        rest.get(f"{API}jewellery-trays/")


@pytest.mark.parametrize("resource", ["counter-days", "counter-sales", "jewellery-counters"])
def test_api_lists_queries_do_not_grow(counter, api, resource, django_assert_num_queries):
    c = counter
    c.open_day()
    rest = api(c.p.consultant)
    url = f"{API}{resource}/"
    more(c, 1)
    rest.get(url)
    few = queries(rest, url)
    more(c, 10)
    for i in range(5):
        jw.counter_day_start(user=c.p.consultant, counter=c.counter, date=dt.date(2026, 7, 1 + i))
    assert queries(rest, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of rows with what they show
    with django_assert_num_queries(5):
        rest.get(url)
