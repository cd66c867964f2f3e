# ruff: noqa: F811  (the ``steel`` fixture is imported from test_spot_support)
"""Spot sales through the API and the pages: the permission matrix of every step, the 409 of a
release before finance, and the query counts of the sheet list (API and page)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from showroom import roles as r
from tests.warehouse.test_spot_support import steel  # noqa: F401
from warehouse.models import SpotSheet
from warehouse.services import (
    spot_notice_send,
    spot_payment_record,
    spot_price_set,
    spot_sheet_approve,
    spot_sheet_create,
    spot_sheet_issue,
    spot_sheet_release,
    spot_sheet_sign,
    spot_sheet_verify,
    spot_sheet_weigh,
)

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def who_may(personas, call) -> set[str]:
    allowed = set()
    for code in r.ROLE_CODES:
        try:
            with transaction.atomic():
                call(personas.users[code])
                raise Rollback
        except Rollback:
            allowed.add(code)
        except PermissionDenied:
            pass
    with pytest.raises(PermissionDenied), transaction.atomic():
        call(personas.b_manager)
    return allowed


SELLERS = {r.SALES_ASSISTANT, r.SALES_MANAGER}
SUPERVISOR = {r.SALES_MANAGER}
KEEPERS = {r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR}


def test_permission_matrix_of_every_step(steel, personas):
    p = personas
    assert (
        who_may(p, lambda u: spot_price_set(user=u, store=p.store_a, item=steel.plate, unit_price="5000.00"))
        == SUPERVISOR
    )
    assert (
        who_may(
            p,
            lambda u: spot_sheet_create(
                user=u,
                warehouse=steel.wh.w1,
                account=steel.account,
                freight="pickup",
                lines=[{"item": steel.rebar, "quantity": 1}],
            ),
        )
        == SELLERS
    )
    sheet = steel.sheet([(steel.rebar, "2")])
    assert who_may(p, lambda u: spot_sheet_issue(sheet=sheet, user=u)) == SELLERS
    sheet = steel.run_to(sheet, "issue")
    assert who_may(p, lambda u: spot_sheet_approve(sheet=sheet, user=u)) == SUPERVISOR
    sheet = steel.run_to(sheet, "approve")
    weights = [{"line": sheet.lines.get(), "bin": steel.wh.a, "gross": "17", "tare": "15"}]
    assert who_may(p, lambda u: spot_sheet_weigh(sheet=sheet, user=u, weights=weights)) == KEEPERS
    sheet = steel.run_to(sheet, "weigh")
    assert who_may(p, lambda u: spot_notice_send(sheet=sheet, user=u, company_account="工行")) == SELLERS
    sheet = steel.run_to(sheet, "notify")
    assert who_may(p, lambda u: spot_payment_record(sheet=sheet, user=u, amount="7840.00")) == {r.CASHIER, r.FINANCE}
    sheet = steel.run_to(sheet, "pay")
    assert who_may(p, lambda u: spot_sheet_verify(sheet=sheet, user=u, checked_total="7840.00")) == {r.FINANCE}
    sheet = steel.run_to(sheet, "verify")
    assert who_may(p, lambda u: spot_sheet_sign(sheet=sheet, user=u)) == SUPERVISOR
    sheet = steel.run_to(sheet, "sign")
    assert who_may(p, lambda u: spot_sheet_release(sheet=sheet, user=u)) == KEEPERS


def test_api_release_before_verification_is_409_and_changes_nothing(steel, api):
    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), "pay")
    url = reverse("wh-spot-sheet-transitions", args=[sheet.pk, "release"])
    response = api(steel.p.warehouse_keeper).post(url, {}, format="json")
    assert response.status_code == 409
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.PAID


def test_api_runs_the_flow(steel, api):
    client = api(steel.p.sales_assistant)
    created = client.post(
        reverse("wh-spot-sheet-list"),
        {
            "warehouse": steel.wh.w1.pk,
            "account": steel.account.pk,
            "freight": "delivered",
            "lines": [{"item": steel.rebar.pk, "quantity": "2"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.post(reverse("wh-spot-sheet-transitions", args=[pk, "issue"]), {}, format="json").status_code == 200
    manager = api(steel.p.sales_manager)
    assert (
        manager.post(reverse("wh-spot-sheet-transitions", args=[pk, "approve"]), {}, format="json").status_code == 200
    )
    line = created.json()["lines"][0]["id"]
    weighed = api(steel.p.warehouse_keeper).post(
        reverse("wh-spot-sheet-transitions", args=[pk, "weigh"]),
        {"weights": [{"line": line, "bin": steel.wh.a.pk, "gross": "17.5", "tare": "15.25"}]},
        format="json",
    )
    assert weighed.status_code == 200, weighed.content
    assert weighed.json()["total"] == "8820.00" and weighed.json()["lines"][0]["net"] == "2.250"
    # a margin refusal is a 400 with the line named
    refused = client.post(
        reverse("wh-spot-sheet-list"),
        {
            "warehouse": steel.wh.w1.pk,
            "account": steel.account.pk,
            "freight": "delivered",
            "lines": [
                {
                    "item": steel.angle.pk,
                    "quantity": "1",
                    "unit_price": "3850.00",
                    "bought_in": True,
                    "purchase_price": "3800.00",
                }
            ],
        },
        format="json",
    )
    assert refused.status_code == 400 and "Line 1" in str(refused.json())


def _sheets(steel, n):
    for _ in range(n):
        steel.sheet([(steel.rebar, "1")])


def test_query_count_of_the_sheet_list_api(steel, api, django_assert_num_queries):
    _sheets(steel, 3)
    client = api(steel.p.sales_manager)
    client.get(reverse("wh-spot-sheet-list"))  # warm the session
    _sheets(steel, 5)
    # 1 session, 2 user, 3 roles of the user (store ids), 4 count for pagination, 5 the page of
    # sheets with customer and warehouse and their line counts
    with django_assert_num_queries(5):
        response = client.get(reverse("wh-spot-sheet-list"))
    assert response.status_code == 200


def test_query_count_of_the_desk_page_does_not_grow_with_rows(steel, web, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web(steel.p.sales_manager)
    _sheets(steel, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("warehouse:spot_sheets")).status_code == 200
    _sheets(steel, 8)
    # the same queries for 10 rows as for 2: session, user, roles, menu, warehouses of the form,
    # the step counts, the page count and one query for the page of sheets
    with django_assert_num_queries(len(few)):
        response = client.get(reverse("warehouse:spot_sheets"))
    assert response.status_code == 200 and response.content.count(b'data-href="/warehouse/spot/') == 10


def test_pages_show_the_sheet_and_the_weighing_form(steel, web):
    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), "approve")
    client = web(steel.p.warehouse_keeper)
    page = client.get(reverse("warehouse:spot_sheet", args=[sheet.pk]))
    assert page.status_code == 200 and b"spot_weigh" not in page.content
    form = client.get(reverse("warehouse:spot_weigh", args=[sheet.pk]))
    assert form.status_code == 200
    line = sheet.lines.get()
    done = client.post(
        reverse("warehouse:spot_weigh", args=[sheet.pk]),
        {f"bin_{line.pk}": steel.wh.a.pk, f"gross_{line.pk}": "17.000", f"tare_{line.pk}": "15.000"},
    )
    assert done.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.WEIGHED
    # a step out of order from the page: refused with a message, nothing changes
    client.post(reverse("warehouse:spot_step", args=[sheet.pk, "release"]))
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.WEIGHED
