"""Every warehouse list exports what it shows, its filters kept (the core's one export mechanism)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from warehouse.models import SalesOrder

LISTS = [
    "warehouse:orders",
    "warehouse:receipts",
    "warehouse:transfers",
    "warehouse:other_receipts",
    "warehouse:sales_orders",
    "warehouse:slips",
    "warehouse:outbound",
    "warehouse:accounts",
    "warehouse:invoices",
    "warehouse:dropships",
    "warehouse:retail",
    "warehouse:spot_sheets",
]


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()


@pytest.mark.parametrize("name", LISTS)
def test_each_list_offers_and_answers_both_formats(name, web, personas, shop):
    client = web(personas.warehouse_supervisor)
    page = client.get(reverse(name))
    assert 'data-testid="export-csv"' in page.content.decode()
    csv_response = client.get(reverse(name), {"export": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert len(_csv_lines(csv_response)) >= 1  # the header row at least
    xlsx = client.get(reverse(name), {"export": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content)).active.max_row >= 1


def test_the_sales_order_export_holds_exactly_the_filtered_rows(web, personas, wh, shop, flow):
    # given two sales orders of the account, only one of them approved
    approved = flow.approve(flow.order([(wh.bolt, 5, "12.50")]))
    flow.order([(shop.nut, 2, "3.00")])
    assert SalesOrder.objects.count() == 2
    client = web(personas.warehouse_supervisor)
    # when the list filtered to the approved order's state is exported
    lines = _csv_lines(client.get(reverse("warehouse:sales_orders"), {"state": approved.state, "export": "csv"}))
    # then the file holds the header and that order only, with its amount
    assert len(lines) == 2
    assert approved.number in lines[1] and "62.50" in lines[1]


def test_another_stores_rows_never_reach_the_file(web, personas, wh, shop, flow):
    flow.order([(wh.bolt, 1, "12.50")])
    client = web(personas.b_manager)
    lines = _csv_lines(client.get(reverse("warehouse:sales_orders"), {"export": "csv"}))
    assert lines[1:] == []
