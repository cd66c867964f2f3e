"""The stocktake pages: each page renders for the people who use it, another store's stocktake is
404, the sheet pages are refused to counters, the count page saves an entry and refuses a second,
and the adjustments page shows the moves since counting before posting."""

import pytest
from django.urls import reverse

from tests.warehouse import stocktake_helpers
from warehouse.models import StocktakeArea, StocktakeLine

pytestmark = pytest.mark.django_db
# The stocktake fixtures (``staff``, ``stock``, ``st``) live beside the tests that use them.
st, staff, stock = stocktake_helpers.st, stocktake_helpers.staff, stocktake_helpers.stock


def test_the_list_filters_and_plans(personas, wh, web, st):
    st.plan()
    client = web(personas.warehouse_supervisor)
    page = client.get(reverse("warehouse:stocktakes"), {"state": "planned", "month": "2026-12"})
    assert page.status_code == 200 and page.context["page"].paginator.count == 1
    assert client.get(reverse("warehouse:stocktakes"), {"state": "closed"}).context["page"].paginator.count == 0
    made = client.post(reverse("warehouse:stocktakes"), {"warehouse": wh.w2.pk, "month": "2026-11-03"})
    assert made.status_code == 302


def test_the_detail_shows_areas_buttons_and_whom_to_tell(personas, web, st):
    s = st.plan()
    page = web(personas.warehouse_supervisor).get(reverse("warehouse:stocktake", args=[s.pk]))
    assert page.status_code == 200
    assert b'data-transition="freeze"' in page.content and b'data-testid="parties"' in page.content
    assert b"<script>" not in page.content.replace(b"<script src", b"")
    assert web(personas.b_manager).get(reverse("warehouse:stocktake", args=[s.pk])).status_code == 404
    web(personas.warehouse_supervisor).post(reverse("warehouse:stocktake_step", args=[s.pk, "freeze"]))
    assert st.reload(s).state == "frozen"


def test_the_count_page_saves_one_entry_per_bin_and_item(personas, wh, web, st, staff):
    s = st.counting()
    area = StocktakeArea.objects.get(stocktake=s, name="A 区")
    url = reverse("warehouse:stocktake_count", args=[s.pk, area.pk])
    client = web(staff[2])
    assert b"touch" in client.get(url).content
    client.post(url, {"bin": wh.a.pk, "item": wh.bolt.pk, "quantity": "98"})
    client.post(url, {"bin": wh.a.pk, "item": wh.bolt.pk, "quantity": "97"})
    line = StocktakeLine.objects.get(stocktake=s, bin=wh.a, item=wh.bolt)
    assert line.first_quantity == 98 and line.counts.count() == 1
    assert web(personas.b_manager).get(url).status_code == 404


def test_recount_audit_and_adjustment_pages(personas, wh, web, st, take_out):
    s = st.recounting(bolts="98")
    assert web(personas.warehouse_keeper).get(reverse("warehouse:stocktake_recount", args=[s.pk])).status_code == 403
    sup = web(personas.warehouse_supervisor)
    assert sup.get(reverse("warehouse:stocktake_recount", args=[s.pk])).status_code == 200
    s = st.reload(s)
    page = web(personas.finance).get(reverse("warehouse:stocktake_audit", args=[s.pk]))
    assert page.status_code == 200
    assert web(personas.warehouse_keeper).get(reverse("warehouse:stocktake_audit", args=[s.pk])).status_code == 403


def test_the_adjustments_page_warns_of_moves_since_counting(personas, wh, web, st, take_out):
    s = st.approved(bolts="97", nuts="40")
    take_out(wh.bolt, wh.w1, wh.a, 5)
    page = web(personas.finance).get(reverse("warehouse:stocktake_adjustments", args=[s.pk]))
    assert page.status_code == 200
    assert b'data-testid="moves-warning"' in page.content and b'data-testid="slip-deficit"' in page.content
    assert (
        web(personas.warehouse_keeper).get(reverse("warehouse:stocktake_adjustments", args=[s.pk])).status_code == 403
    )
