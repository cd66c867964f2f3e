"""The stocktake over HTTP: the permission matrix (supervisor, counters, finance, general
manager; another store 404), steps out of order 409, the blind count sheet, and the query counts
of the count entry page and the stocktake list (page and API)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.warehouse import stocktake_helpers
from tests.warehouse.factories import WarehouseFactory
from warehouse.models import StocktakeArea, StocktakeLine
from warehouse.services import stocktake as svc

pytestmark = pytest.mark.django_db
# The stocktake fixtures (``staff``, ``stock``, ``st``) live beside the tests that use them.
st, staff, stock = stocktake_helpers.st, stocktake_helpers.staff, stocktake_helpers.stock


def _step(client, s, name, **data):
    return client.post(reverse("wh-stocktake-transitions", args=[s.pk, name]), data, format="json")


def test_planning_is_for_the_supervisor_and_the_general_manager(personas, wh, api):
    url = reverse("wh-stocktake-list")
    body = {"warehouse": wh.w1.pk, "month": "2026-12-01"}
    assert api(personas.warehouse_keeper).post(url, body, format="json").status_code == 403
    assert api(personas.finance).post(url, body, format="json").status_code == 403
    made = api(personas.general_manager).post(url, body, format="json")
    assert made.status_code == 201
    assert made.json()["count_start"].startswith("2026-12-30T20:00")
    # a warehouse of another store is not found among the user's records
    other = WarehouseFactory(store=personas.store_b)
    assert api(personas.warehouse_supervisor).post(url, {"warehouse": other.pk}, format="json").status_code == 400


def test_the_supervisor_freezes_others_are_refused_and_another_store_sees_nothing(personas, api, st):
    s = st.plan()
    for user in (personas.warehouse_keeper, personas.finance, personas.general_manager):
        assert _step(api(user), s, "freeze").status_code == 403
    assert _step(api(personas.b_manager), s, "freeze").status_code == 404
    assert api(personas.b_manager).get(reverse("wh-stocktake-detail", args=[s.pk])).status_code == 404
    detail = api(personas.warehouse_supervisor).get(reverse("wh-stocktake-detail", args=[s.pk])).json()
    assert sorted(detail["available_transitions"]) == ["cancel", "freeze"]
    assert _step(api(personas.warehouse_supervisor), s, "freeze").status_code == 200
    # out of order: a second freeze and an approval now are conflicts
    assert _step(api(personas.warehouse_supervisor), s, "freeze").status_code == 409
    assert _step(api(personas.finance), s, "approve").status_code == 409
    assert _step(api(personas.warehouse_supervisor), s, "start_recount").status_code == 409


def test_counters_count_their_area_blind_and_once(personas, wh, api, st, staff):
    s = st.counting()
    area = StocktakeArea.objects.get(stocktake=s, name="A 区")
    sheet = api(staff[1]).get(reverse("wh-stocktake-count-sheet", args=[s.pk]) + f"?area={area.pk}")
    assert sheet.status_code == 200
    assert sheet.json()[0]["item_code"] == "BOLT" and "expected" not in sheet.json()[0]
    url = reverse("wh-stocktake-counts", args=[s.pk])
    body = {"bin": wh.a.pk, "item": wh.bolt.pk, "quantity": "99"}
    # a keeper not in the area's team, finance and the general manager may not count it
    for user in (staff[5], personas.finance, personas.general_manager):
        assert api(user).post(url, body, format="json").status_code == 403
    assert api(staff[1]).post(url, body, format="json").status_code == 201
    again = api(staff[2]).post(url, body, format="json")
    assert again.status_code == 409 and "already counted" in again.json()["detail"]
    assert api(staff[1]).post(url, {**body, "quantity": "-1"}, format="json").status_code == 400
    assert api(personas.b_manager).post(url, body, format="json").status_code == 404
    # only the leader (or the supervisor) finishes; B is uncounted → 409
    b = StocktakeArea.objects.get(stocktake=s, name="B 区")
    finish = reverse("wh-stocktake-finish-area", args=[s.pk])
    assert api(staff[2]).post(finish, {"area": area.pk}, format="json").status_code == 403
    assert api(staff[0]).post(finish, {"area": area.pk}, format="json").status_code == 200
    assert api(staff[1]).post(finish, {"area": b.pk}, format="json").status_code == 409


def test_finance_audits_and_approves_the_general_manager_decides_last(personas, api, st):
    s = st.auditing(bolts="97")
    line = s.audit_lines.select_related("line__bin", "line__item").first().line
    body = {"bin": line.bin_id, "item": line.item_id, "quantity": "1", "partner": personas.cashier.pk}
    url = reverse("wh-stocktake-audits", args=[s.pk])
    assert api(personas.warehouse_supervisor).post(url, body, format="json").status_code == 403
    assert api(personas.finance).post(url, {**body, "partner": personas.finance.pk}, format="json").status_code == 400
    assert _step(api(personas.warehouse_supervisor), s, "approve").status_code == 403
    assert _step(api(personas.finance), s, "approve").status_code == 409  # audit not finished
    st.audit_all(s)
    assert _step(api(personas.general_manager), s, "approve").status_code == 403
    assert _step(api(personas.finance), s, "approve").status_code == 200
    explain = reverse("wh-stocktake-explain", args=[s.pk])
    bolt = StocktakeLine.objects.get(stocktake=s, item__code="BOLT")
    assert api(personas.finance).post(explain, {"line": bolt.pk, "cause": "loss"}, format="json").status_code == 403
    bad = api(personas.warehouse_supervisor).post(explain, {"line": bolt.pk, "cause": "negligence"}, format="json")
    assert bad.status_code == 400 and "responsible" in bad.json()["fields"]
    ok = {"line": bolt.pk, "cause": "negligence", "responsible": personas.warehouse_keeper.pk}
    assert api(personas.warehouse_supervisor).post(explain, ok, format="json").status_code == 200
    submit = reverse("wh-stocktake-submit-adjustment", args=[s.pk])
    assert api(personas.finance).post(submit, {}, format="json").status_code == 403
    assert api(personas.warehouse_supervisor).post(submit, {}, format="json").status_code == 201
    assert api(personas.warehouse_supervisor).post(submit, {}, format="json").status_code == 409
    assert _step(api(personas.finance), s, "post").status_code == 409  # not approved yet
    moves = api(personas.warehouse_keeper).get(reverse("wh-stocktake-moves-since-count", args=[s.pk]))
    assert moves.status_code == 403


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _plan_many(wh, personas, n):
    for i in range(n):
        warehouse = WarehouseFactory(store=personas.store_a)
        svc.stocktake_plan(warehouse=warehouse, user=personas.warehouse_supervisor, month=dt.date(2025, 1 + i % 12, 1))


@pytest.mark.parametrize("kind", ["page", "api"])
def test_stocktake_list_queries_do_not_grow(wh, personas, web, api, kind, django_assert_num_queries):
    client = web(personas.warehouse_supervisor) if kind == "page" else api(personas.warehouse_supervisor)
    url = reverse("warehouse:stocktakes") if kind == "page" else reverse("wh-stocktake-list")
    _plan_many(wh, personas, 2)
    client.get(url)
    few = count(client, url)
    _plan_many(wh, personas, 20)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of stocktakes with warehouse and
    # store and the number of areas (+ page: 6 the filter's warehouses, 7 the plan form's
    # warehouses, 8 the top bar's stores)
    with django_assert_num_queries(8 if kind == "page" else 5):
        response = client.get(url)
    assert response.status_code == 200


def _more_lines(s, area, n):
    from tests.warehouse.factories import ItemFactory

    StocktakeLine.objects.bulk_create(
        StocktakeLine(
            stocktake=s, area=area, bin=area.area_bins.first().bin, item=ItemFactory(code=f"CNT{s.pk}-{n}-{i}")
        )
        for i in range(n)
    )


def test_count_entry_page_queries_do_not_grow_and_never_show_the_book(
    personas, web, st, staff, django_assert_num_queries
):
    s = st.counting()
    area = StocktakeArea.objects.get(stocktake=s, name="A 区")
    client = web(staff[0])
    url = reverse("warehouse:stocktake_count", args=[s.pk, area.pk])
    client.get(url)
    few = count(client, url)
    _more_lines(s, area, 25)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 the stocktake with warehouse, store, supervisor and
    # approver, 5 the area, 6 the blind sheet with bin, item and "counted now", 7 the area's bins,
    # 8 the top bar's stores
    with django_assert_num_queries(8):
        response = client.get(url)
    assert b"BOLT" in response.content
    assert b">100<" not in response.content and b"100.000" not in response.content
    assert "expected" not in response.context["todo"][0].__dict__
