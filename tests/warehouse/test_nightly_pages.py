"""The nightly reports page: who may list and download, another store's report is a 404, and the
query count stays flat."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.warehouse.factories import BinFactory, WarehouseFactory
from warehouse.models import NightlyReport
from warehouse.services import stock_move_append
from warehouse.services.nightly import nightly_report_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def reports(store, n: int, start: dt.date = dt.date(2026, 1, 1)) -> None:
    """``n`` stored reports (small placeholder files) of ``store``."""
    base = NightlyReport.objects.filter(store=store).count()
    for i in range(n):
        report = NightlyReport(
            store=store,
            day=start + dt.timedelta(days=base + i),
            cutoff="2026-01-01T00:00:00+08:00",
            data={"value": "10.00", "warehouses": [{"name": "一号仓", "lines": 1, "moves": 2, "below_reorder": 0}]},
        )
        report.pdf.save(f"r{i}.pdf", ContentFile(b"%PDF-1.7"), save=False)
        report.xlsx.save(f"r{i}.xlsx", ContentFile(b"PK"), save=False)
        report.save()


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_warehouse_staff_list_and_download_their_reports(personas, wh, put_in, web):
    # given a real report of store A
    put_in(wh.bolt, wh.w1, wh.a, 10)
    report = nightly_report_create(store=personas.store_a, day=timezone.localdate())
    client = web(personas.warehouse_keeper)
    # when the keeper opens the reports page
    response = client.get(reverse("warehouse:reports"))
    # then it lists the report with both files
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [report]
    assert reverse("warehouse:report_download", args=[report.pk, "pdf"]).encode() in response.content
    pdf = client.get(reverse("warehouse:report_download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content)[:4] == b"%PDF"
    xlsx = client.get(reverse("warehouse:report_download", args=[report.pk, "xlsx"]))
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    assert len(book.sheetnames) == 7
    assert client.get(reverse("warehouse:report_download", args=[report.pk, "csv"])).status_code == 404


@pytest.mark.parametrize("role", ["warehouse_supervisor", "qc_inspector", "purchasing", "general_manager"])
def test_other_warehouse_roles_may_read(personas, web, role):
    reports(personas.store_a, 1)
    assert web(personas.users[role]).get(reverse("warehouse:reports")).status_code == 200


@pytest.mark.parametrize("role", ["consultant", "receptionist", "sales_assistant", "cashier"])
def test_other_roles_are_refused(personas, web, role):
    reports(personas.store_a, 1)
    report = NightlyReport.objects.get()
    client = web(personas.users[role])
    assert client.get(reverse("warehouse:reports")).status_code == 403
    assert client.get(reverse("warehouse:report_download", args=[report.pk, "pdf"])).status_code == 403


def test_another_stores_report_is_not_found(personas, web, client):
    # given a report of store B
    warehouse = WarehouseFactory(store=personas.store_b, code="bw")
    from tests.warehouse.factories import ItemFactory

    stock_move_append(
        item=ItemFactory(code="B-ONLY"),
        warehouse=warehouse,
        bin=BinFactory(warehouse=warehouse),
        quantity=3,
        kind="other_in",
        unit_cost="1",
        user=None,
    )
    theirs = nightly_report_create(store=personas.store_b, day=timezone.localdate())
    # when store A's supervisor looks for it
    keeper = web(personas.warehouse_supervisor)
    # then it is neither listed nor downloadable
    assert keeper.get(reverse("warehouse:reports")).context["page"].paginator.count == 0
    assert keeper.get(reverse("warehouse:report_download", args=[theirs.pk, "pdf"])).status_code == 404
    # and anonymous visitors are sent to log in
    client.logout()
    assert client.get(reverse("warehouse:reports")).status_code == 302


def test_reports_page_queries_do_not_grow(personas, web, django_assert_num_queries):
    client = web(personas.warehouse_keeper)
    url = reverse("warehouse:reports")
    reports(personas.store_a, 2)
    client.get(url)
    few = count(client, url)
    reports(personas.store_a, 20)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 count, 5 the page of reports with their store,
    # 6 the top bar's stores
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page"].paginator.count == 22


def test_moves_page_queries_do_not_grow(personas, wh, put_in, web, django_assert_num_queries):
    client = web(personas.warehouse_keeper)
    url = reverse("warehouse:moves") + f"?warehouse={wh.w1.pk}&kind=other_in&day={timezone.localdate():%Y-%m-%d}"
    put_in(wh.bolt, wh.w1, wh.a, 1)
    client.get(url)
    few = count(client, url)
    for _ in range(12):
        put_in(wh.bolt, wh.w1, wh.a, 1)
    put_in(wh.bolt, wh.w2, wh.c, 1)
    assert count(client, url) == few
    # 1 session, 2 user, 3 memberships, 4 the filter's warehouse, 5 count, 6 the page of moves with
    # item, warehouse, bin, serial and user, 7 the top bar's stores, 8 the filter's warehouses
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["page"].paginator.count == 13
