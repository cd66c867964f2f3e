"""The warehouse API end to end: a purchase order approved, a delivery note received and refused
whole with its reasons (400), inspected, approved into stock; reservations racing to 409; store
isolation (404/400); permissions from both sides."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.warehouse.factories import BinFactory, WarehouseFactory
from warehouse.models import GoodsReceipt, PurchaseOrder, StockMove
from warehouse.selectors import stock_on_hand

pytestmark = pytest.mark.django_db


def _order(api, personas, wh):
    client = api(personas.purchasing)
    response = client.post(
        reverse("wh-order-list"),
        {
            "warehouse": wh.w1.pk,
            "supplier": wh.supplier.pk,
            "lines": [{"item": wh.bolt.pk, "specification": "M8", "quantity": "10", "unit_cost": "2.5"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_purchase_order_to_stock_through_the_api(wh, personas, api):
    order = _order(api, personas, wh)
    # purchasing cannot approve its own order: 403; the supervisor can
    url = reverse("wh-order-transitions", args=[order["id"], "approve"])
    assert api(personas.purchasing).post(url, {}, format="json").status_code == 403
    approved = api(personas.warehouse_supervisor).post(url, {}, format="json").json()
    assert approved["state"] == "approved" and approved["number"].startswith("PO-")
    keeper = api(personas.warehouse_keeper)
    note = {
        "warehouse": wh.w1.pk,
        "bin": wh.a.pk,
        "supplier": wh.supplier.pk,
        "note_number": "SH-1",
        "certificate": "ZB-1",
        "stamped": True,
        "lines": [{"item": wh.bolt.pk, "specification": "M8", "quantity": "10", "order_number": approved["number"]}],
    }
    # a note whose only line has the wrong specification: 400 with the reasons, nothing received
    wrong = {**note, "lines": [{**note["lines"][0], "specification": "M9"}]}
    response = keeper.post(reverse("wh-receipt-list"), wrong, format="json")
    assert response.status_code == 400
    assert "M9" in response.json()["fields"]["lines"][0]
    assert not GoodsReceipt.objects.exists()
    receipt = keeper.post(reverse("wh-receipt-list"), note, format="json").json()
    line = receipt["lines"][0]["id"]
    inspect = reverse("wh-receipt-inspect", args=[receipt["id"]])
    assert keeper.post(inspect, {"line": line, "sample_size": "2"}, format="json").status_code == 403
    qc = api(personas.qc_inspector)
    body = qc.post(
        inspect, {"line": line, "sample_size": "2", "failed_quantity": "1", "defects": "锈蚀"}, format="json"
    )
    assert body.status_code == 200 and body.json()["state"] == "inspected"
    keeper.post(reverse("wh-receipt-transitions", args=[receipt["id"], "open_slip"]), {}, format="json")
    done = api(personas.warehouse_supervisor).post(
        reverse("wh-receipt-transitions", args=[receipt["id"], "approve"]), {}, format="json"
    )
    assert done.status_code == 200 and done.json()["state"] == "posted"
    assert stock_on_hand(item=wh.bolt) == Decimal("9")
    # approving again is a conflict
    again = api(personas.warehouse_supervisor).post(
        reverse("wh-receipt-transitions", args=[receipt["id"], "approve"]), {}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_reservations_through_the_api_and_the_vin_conflict(wh, personas, api, put_in):
    vin = "LSGUA84W0NE777777"
    put_in(wh.car, wh.w1, wh.a, 1, unit_cost="250000", serial=vin)
    client = api(personas.consultant)
    body = {"item": wh.car.pk, "warehouse": wh.w1.pk, "serial": vin, "document_label": "订单 1"}
    first = client.post(reverse("wh-reservation-list"), body, format="json")
    assert first.status_code == 201
    second = client.post(reverse("wh-reservation-list"), body, format="json")
    assert second.status_code == 409 and vin in second.json()["detail"]
    release = client.post(reverse("wh-reservation-release", args=[first.json()["id"]]))
    assert release.status_code == 200 and release.json()["state"] == "released"


def test_another_stores_warehouse_is_not_found(wh, personas, api, put_in):
    other = WarehouseFactory(store=personas.store_b)
    bin = BinFactory(warehouse=other)
    put_in(wh.bolt, other, bin, 3)
    client = api(personas.consultant)  # store A only
    rows = client.get(reverse("wh-stock-list")).json()["results"]
    assert rows == []
    response = client.post(
        reverse("wh-reservation-list"), {"item": wh.bolt.pk, "warehouse": other.pk, "quantity": "1"}, format="json"
    )
    assert response.status_code == 400 and "warehouse" in response.json()["fields"]
    move = StockMove.objects.get(warehouse=other)
    assert (
        api(personas.warehouse_keeper)
        .post(reverse("wh-move-reverse", args=[move.pk]), {"reason": "x"}, format="json")
        .status_code
        == 404
    )


def test_reversing_a_move_needs_a_keeper(wh, personas, api, put_in):
    move = put_in(wh.bolt, wh.w1, wh.a, 3)
    url = reverse("wh-move-reverse", args=[move.pk])
    assert api(personas.consultant).post(url, {"reason": "错"}, format="json").status_code == 403
    assert api(personas.warehouse_keeper).post(url, {}, format="json").status_code == 400
    response = api(personas.warehouse_keeper).post(url, {"reason": "录错"}, format="json")
    assert response.status_code == 201 and response.json()["quantity"] == "-3.000"
    assert stock_on_hand(item=wh.bolt) == 0


def test_an_issue_of_a_service_or_a_bad_number_is_a_400_not_a_500(wh, personas, api):
    client = api(personas.purchasing)
    response = client.post(
        reverse("wh-order-list"),
        {
            "warehouse": wh.w1.pk,
            "supplier": wh.supplier.pk,
            "lines": [{"item": wh.fee.pk, "quantity": "x", "unit_cost": "1"}],
        },
        format="json",
    )
    assert response.status_code == 400
    response = client.post(
        reverse("wh-order-list"),
        {
            "warehouse": wh.w1.pk,
            "supplier": wh.supplier.pk,
            "lines": [{"item": wh.fee.pk, "quantity": "1", "unit_cost": "1"}],
        },
        format="json",
    )
    assert response.status_code == 400 and not PurchaseOrder.objects.exists()


def test_transfer_through_the_api_both_sides_confirm(wh, personas, api, put_in):
    put_in(wh.bolt, wh.w1, wh.a, 5, unit_cost="4")
    keeper = api(personas.warehouse_keeper)
    created = keeper.post(
        reverse("wh-transfer-list"),
        {
            "from_warehouse": wh.w1.pk,
            "to_warehouse": wh.w2.pk,
            "to_bin": wh.c.pk,
            "lines": [{"item": wh.bolt.pk, "from_bin": wh.a.pk, "quantity": "5"}],
        },
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    dispatch = reverse("wh-transfer-transitions", args=[pk, "dispatch"])
    assert keeper.post(dispatch, {"confirmed": ["4"]}, format="json").status_code == 400
    assert keeper.post(dispatch, {"confirmed": ["5"]}, format="json").json()["state"] == "dispatched"
    receive = reverse("wh-transfer-transitions", args=[pk, "receive"])
    assert api(personas.consultant).post(receive, {"confirmed": ["5"]}, format="json").status_code == 403
    signed = keeper.post(receive, {"confirmed": ["5"]}, format="json").json()
    assert signed["state"] == "received" and signed["number"].startswith("TS-")
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w2) == 5


def test_a_trade_in_car_is_approved_by_the_supervisor(wh, personas, api):
    keeper = api(personas.warehouse_keeper)
    created = keeper.post(
        reverse("wh-other-receipt-list"),
        {
            "warehouse": wh.w1.pk,
            "bin": wh.a.pk,
            "kind": "trade_in",
            "source_label": "评估单 PG-0042",
            "lines": [{"item": wh.car.pk, "quantity": "1", "unit_cost": "88000", "serial_number": "LSGUA84W0NE555555"}],
        },
        format="json",
    ).json()
    url = reverse("wh-other-receipt-transitions", args=[created["id"], "approve"])
    assert keeper.post(url, {}, format="json").status_code == 403
    assert api(personas.warehouse_supervisor).post(url, {}, format="json").json()["state"] == "approved"
    assert StockMove.objects.get(serial__number="LSGUA84W0NE555555").kind == "trade_in"


def test_month_close_through_the_api(wh, personas, api):
    from warehouse.models import Warehouse

    monthly = WarehouseFactory(store=personas.store_a, valuation=Warehouse.Valuation.MONTHLY)
    body = {"warehouse": monthly.pk, "month": "2026-01-01"}
    assert api(personas.warehouse_keeper).post(reverse("wh-month-close"), body, format="json").status_code == 403
    assert api(personas.finance).post(reverse("wh-month-close"), body, format="json").status_code == 201
    assert api(personas.finance).post(reverse("wh-month-close"), body, format="json").status_code == 409
