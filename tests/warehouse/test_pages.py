"""The warehouse pages: lists with their empty states, the receipt page's inspection form and
steps, the transfer's confirmation, store isolation."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.warehouse.factories import BinFactory, WarehouseFactory
from warehouse.models import GoodsReceipt
from warehouse.selectors import stock_on_hand
from warehouse.services import (
    goods_receipt_create,
    purchase_order_approve,
    purchase_order_create,
    transfer_create,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["warehouse:stock", "warehouse:orders", "warehouse:receipts", "warehouse:transfers", "warehouse:other_receipts"],
)
def test_empty_lists_say_what_to_do(personas, web, name):
    response = web(personas.warehouse_keeper).get(reverse(name))
    assert response.status_code == 200
    assert b'data-testid="empty"' in response.content


def test_pages_need_a_role_in_a_store(personas, client, django_user_model):
    lonely = django_user_model.objects.create_user("lonely", password="x")
    client.force_login(lonely)
    assert client.get(reverse("warehouse:stock")).status_code == 403


@pytest.fixture
def receipt(wh, personas):
    order = purchase_order_create(
        user=personas.purchasing,
        warehouse=wh.w1,
        supplier=wh.supplier,
        lines=[{"item": wh.bolt, "specification": "M8", "quantity": 4, "unit_cost": "3"}],
    )
    order = purchase_order_approve(order=order, user=personas.warehouse_supervisor)
    return goods_receipt_create(
        user=personas.warehouse_keeper,
        warehouse=wh.w1,
        bin=wh.a,
        supplier=wh.supplier,
        note_number="SH-9",
        certificate="ZB-9",
        stamped=True,
        lines=[{"item": wh.bolt, "specification": "M8", "quantity": 4, "order_number": order.number}],
    )


def test_receipt_page_from_inspection_to_stock(wh, personas, web, receipt):
    line = receipt.lines.get()
    page = web(personas.qc_inspector).get(reverse("warehouse:receipt", args=[receipt.pk]))
    assert b"Record inspection" in page.content
    # the keeper sees no inspection form
    assert (
        b"Record inspection"
        not in web(personas.warehouse_keeper).get(reverse("warehouse:receipt", args=[receipt.pk])).content
    )
    inspect = reverse("warehouse:inspect", args=[receipt.pk, line.pk])
    web(personas.qc_inspector).post(inspect, {"sample_size": "2", "failed_quantity": "1", "defects": "划伤"})
    receipt.refresh_from_db()
    assert receipt.state == GoodsReceipt.State.INSPECTED
    step = reverse("warehouse:transition", args=["receipt", receipt.pk, "open_slip"])
    web(personas.warehouse_keeper).post(step)
    # the keeper cannot approve: refused with a message, nothing changes
    approve = reverse("warehouse:transition", args=["receipt", receipt.pk, "approve"])
    response = web(personas.warehouse_keeper).post(approve, follow=True)
    assert response.status_code == 200
    receipt.refresh_from_db()
    assert receipt.state == GoodsReceipt.State.SLIP_OPEN
    web(personas.warehouse_supervisor).post(approve)
    receipt.refresh_from_db()
    assert receipt.state == GoodsReceipt.State.POSTED
    assert stock_on_hand(item=wh.bolt) == Decimal("3")
    page = web(personas.warehouse_keeper).get(reverse("warehouse:item", args=[wh.bolt.pk]))
    assert receipt.number.encode() in page.content


def test_transfer_page_confirms_each_side(wh, personas, web, put_in):
    put_in(wh.bolt, wh.w1, wh.a, 3)
    transfer = transfer_create(
        user=personas.warehouse_keeper,
        from_warehouse=wh.w1,
        to_warehouse=wh.w2,
        to_bin=wh.c,
        lines=[{"item": wh.bolt, "from_bin": wh.a, "quantity": 3}],
    )
    client = web(personas.warehouse_keeper)
    page = client.get(reverse("warehouse:transfer", args=[transfer.pk]))
    assert b'data-testid="confirm-form"' in page.content
    dispatch = reverse("warehouse:transition", args=["transfer", transfer.pk, "dispatch"])
    client.post(dispatch, {"confirmed": ["2"]})  # miscounted: refused
    transfer.refresh_from_db()
    assert transfer.state == "draft"
    client.post(dispatch, {"confirmed": ["3"]})
    client.post(reverse("warehouse:transition", args=["transfer", transfer.pk, "receive"]), {"confirmed": ["3"]})
    transfer.refresh_from_db()
    assert transfer.state == "received"
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w2) == 3


def test_a_record_of_another_store_is_not_found(personas, web, wh):
    other = WarehouseFactory(store=personas.store_b)
    BinFactory(warehouse=other)
    order = purchase_order_create(
        user=personas.purchasing,
        warehouse=wh.w1,
        supplier=wh.supplier,
        lines=[{"item": wh.bolt, "quantity": 1, "unit_cost": "1"}],
    )
    assert web(personas.b_consultant).get(reverse("warehouse:order", args=[order.pk])).status_code == 404
    step = reverse("warehouse:transition", args=["order", order.pk, "approve"])
    assert web(personas.b_consultant).post(step).status_code == 404


def test_stock_export_is_what_is_filtered(wh, personas, web, put_in):
    put_in(wh.bolt, wh.w1, wh.a, 3)
    put_in(wh.gold, wh.w2, wh.c, "12.5", unit_cost="450")
    response = web(personas.warehouse_keeper).get(reverse("warehouse:stock") + f"?warehouse={wh.w2.pk}&export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "GOLD" in body and "12.500" in body and "BOLT" not in body


def test_item_api_creates_items_for_the_supervisor_only(personas, api):
    body = {
        "store": personas.store_a.pk,
        "code": "OIL-5W30",
        "name": "机油",
        "tracking": "weight",
        "unit": "kg",
        "list_price": "38",
    }
    assert api(personas.consultant).post(reverse("wh-item-list"), body, format="json").status_code == 403
    created = api(personas.warehouse_supervisor).post(reverse("wh-item-list"), body, format="json")
    assert created.status_code == 201 and created.json()["vat_rate"] == "13.00"
    again = api(personas.warehouse_supervisor).post(reverse("wh-item-list"), body, format="json")
    assert again.status_code == 400 and "code" in again.json()["fields"]
    wrong_unit = api(personas.warehouse_supervisor).post(
        reverse("wh-item-list"), body | {"code": "OIL-2", "unit": "piece"}, format="json"
    )
    assert wrong_unit.status_code == 400 and "unit" in wrong_unit.json()["fields"]
