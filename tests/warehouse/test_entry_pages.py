"""The entry pages: a new purchase order, a goods receipt from the supplier's delivery note, a
transfer and a trade-in or return. Each from both sides of the permission, bad input answered 400
with the form and nothing saved, a delivery note that does not match refused whole with the
reasons beside its lines, success redirecting to the new record, and fixed query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from showroom import roles as r
from showroom.models import ApprovalRequest
from tests.factories import MembershipFactory, UserFactory
from tests.warehouse.factories import BinFactory, SupplierFactory, WarehouseFactory
from warehouse.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    OtherReceipt,
    PurchaseOrder,
    PurchaseRequest,
    Transfer,
)
from warehouse.services import purchase_order_approve, purchase_order_create

pytestmark = pytest.mark.django_db

PAGES = {
    "request": "warehouse:request_create",
    "order": "warehouse:order_create",
    "receipt": "warehouse:receipt_create",
    "transfer": "warehouse:transfer_create",
    "other": "warehouse:other_receipt_create",
}
# (the role that may create, one that may not)
SIDES = {
    "request": ("warehouse_keeper", "qc_inspector"),
    "order": ("purchasing", "warehouse_keeper"),
    "receipt": ("warehouse_keeper", "purchasing"),
    "transfer": ("warehouse_keeper", "qc_inspector"),
    "other": ("warehouse_keeper", "consultant"),
}
LIST_BUTTONS = {
    "request": ("warehouse:orders", b'data-testid="new-request"'),
    "order": ("warehouse:orders", b'data-testid="new-order"'),
    "receipt": ("warehouse:receipts", b'data-testid="new-receipt"'),
    "transfer": ("warehouse:transfers", b'data-testid="new-transfer"'),
    "other": ("warehouse:other_receipts", b'data-testid="new-other"'),
}


def lines(rows: list[dict], *, total: int | None = None) -> dict:
    """The formset's POST data for ``rows`` (field name → value)."""
    data = {
        "lines-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for n, row in enumerate(rows):
        data |= {f"lines-{n}-{key}": value for key, value in row.items()}
    return data


@pytest.fixture
def approved_order(wh, personas):
    """PO for 4 bolts M8 at ¥3 and 2 GL8s, approved."""
    order = purchase_order_create(
        user=personas.purchasing,
        warehouse=wh.w1,
        supplier=wh.supplier,
        lines=[
            {"item": wh.bolt, "specification": "M8", "quantity": 4, "unit_cost": "3"},
            {"item": wh.car, "specification": "", "quantity": 2, "unit_cost": "250000"},
        ],
    )
    return purchase_order_approve(order=order, user=personas.warehouse_supervisor)


def note(wh, order, line_rows: list[dict], **header) -> dict:
    return {
        "supplier": wh.supplier.pk,
        "note_number": "SH-2024-118",
        "stamped": "on",
        "signed_by": "",
        "certificate": "ZB-7781",
        "warehouse": wh.w1.pk,
        "bin": wh.a.pk,
        "deliver_to": "",
        **header,
    } | lines(line_rows)


# --- permissions ------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(PAGES))
def test_each_page_from_both_sides_of_the_permission(kind, wh, personas, web):
    may, may_not = SIDES[kind]
    url = reverse(PAGES[kind])
    # given the role that creates this kind, when it opens the page, then it sees the form
    page = web(getattr(personas, may)).get(url)
    assert page.status_code == 200
    assert b'data-testid="entry-form"' in page.content
    # and the list page offers the "New …" button to it only
    list_url, button = LIST_BUTTONS[kind]
    assert button in web(getattr(personas, may)).get(reverse(list_url)).content
    assert button not in web(getattr(personas, may_not)).get(reverse(list_url)).content
    # a role of the store that does not create it is refused, reading and posting
    assert web(getattr(personas, may_not)).get(url).status_code == 403
    assert web(getattr(personas, may_not)).post(url, lines([])).status_code == 403
    # another store's user is refused too
    assert web(personas.b_manager).get(url).status_code == 403


def test_another_stores_keeper_cannot_receive_into_our_warehouse(wh, personas, web, approved_order):
    # given a keeper of store B (with a warehouse of its own)
    keeper_b = UserFactory(username="keeper_b")
    MembershipFactory(user=keeper_b, store=personas.store_b, role_code=r.WAREHOUSE_KEEPER)
    wb = WarehouseFactory(store=personas.store_b, code="wb", name="B 仓")
    BinFactory(warehouse=wb, code="B-1")
    # when the keeper posts a note into store A's warehouse against store A's order
    data = note(
        wh,
        approved_order,
        [{"order_number": approved_order.number, "item": "BOLT", "specification": "M8", "quantity": "4"}],
    )
    response = web(keeper_b).post(reverse("warehouse:receipt_create"), data)
    # then A's warehouse and bin are not among its choices: 400, nothing received
    assert response.status_code == 400
    assert "warehouse" in response.context["header"].errors
    assert not GoodsReceipt.objects.exists()
    # and store A's order number is not offered to it
    assert approved_order.number.encode() not in web(keeper_b).get(reverse("warehouse:receipt_create")).content


# --- purchase orders ---------------------------------------------------------------------------
def test_purchasing_creates_a_draft_order_with_lines(wh, personas, web):
    data = {"warehouse": wh.w1.pk, "supplier": wh.supplier.pk, "note": "季度备货"} | lines(
        [
            {"item": "bolt", "specification": "M8", "quantity": "1,200", "unit_cost": "0.35"},
            {"item": "GL8-WHITE", "specification": "", "quantity": "2", "unit_cost": "¥250,000.00"},
            {"item": "", "specification": "", "quantity": "", "unit_cost": ""},  # an empty extra line
        ]
    )
    response = web(personas.purchasing).post(reverse("warehouse:order_create"), data)
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("warehouse:order", args=[order.pk])
    assert (order.state, order.supplier, order.warehouse, order.note) == ("draft", wh.supplier, wh.w1, "季度备货")
    rows = list(order.lines.order_by("id").values_list("item__code", "specification", "quantity", "unit_cost"))
    assert rows == [
        ("BOLT", "M8", Decimal("1200"), Decimal("0.35")),
        ("GL8-WHITE", "标准", Decimal("2"), Decimal("250000")),  # blank specification: the item's own
    ]


def test_a_bad_order_is_answered_400_with_the_errors_beside_the_fields(wh, personas, web):
    data = {"warehouse": wh.w1.pk, "supplier": "", "note": ""} | lines(
        [
            {"item": "NOPE", "specification": "", "quantity": "2", "unit_cost": "1"},
            {"item": "FEE", "specification": "", "quantity": "1", "unit_cost": "50"},
            {"item": "BOLT", "specification": "", "quantity": "2.5", "unit_cost": "abc"},
        ]
    )
    response = web(personas.purchasing).post(reverse("warehouse:order_create"), data)
    assert response.status_code == 400
    assert "supplier" in response.context["header"].errors
    forms = response.context["lines"].forms
    assert "NOPE" in forms[0].errors["item"][0]
    assert "service" in forms[1].errors["item"][0]
    assert "unit_cost" in forms[2].errors
    # the form keeps what was typed
    assert b'value="NOPE"' in response.content
    assert not PurchaseOrder.objects.exists()


def test_the_service_refusal_of_a_line_is_shown_beside_that_line(wh, personas, web):
    # serial-tracked goods are ordered in whole units: the service's reason for line 2
    data = {"warehouse": wh.w1.pk, "supplier": wh.supplier.pk} | lines(
        [
            {"item": "BOLT", "quantity": "3", "unit_cost": "1"},
            {"item": "GL8-WHITE", "quantity": "1.5", "unit_cost": "1"},
        ]
    )
    response = web(personas.purchasing).post(reverse("warehouse:order_create"), data)
    assert response.status_code == 400
    forms = response.context["lines"].forms
    assert forms[0].line_errors == []
    assert "whole units" in forms[1].line_errors[0]
    assert b'data-testid="line-errors-1"' in response.content
    assert not PurchaseOrder.objects.exists()


def test_an_order_without_lines_is_refused(wh, personas, web):
    data = {"warehouse": wh.w1.pk, "supplier": wh.supplier.pk} | lines([{"item": "", "quantity": "", "unit_cost": ""}])
    response = web(personas.purchasing).post(reverse("warehouse:order_create"), data)
    assert response.status_code == 400
    assert response.context["lines"].non_form_errors() == ["Add at least one line."]
    assert not PurchaseOrder.objects.exists()


def test_add_a_line_keeps_what_was_typed_and_shows_no_errors(wh, personas, web):
    data = {"warehouse": wh.w1.pk, "supplier": "", "add_line": "1"} | lines(
        [{"item": "BOLT", "quantity": "3", "unit_cost": ""}]
    )
    response = web(personas.purchasing).post(reverse("warehouse:order_create"), data)
    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 2
    assert b'value="BOLT"' in response.content
    assert b'data-testid="errors"' not in response.content
    assert not PurchaseOrder.objects.exists()


# --- purchase requests ---------------------------------------------------------------------------
def test_a_keeper_requests_goods_and_a_qc_inspector_may_not(wh, personas, web):
    url = reverse("warehouse:request_create")
    # the keeper sees "Request goods" on the orders list but not "New purchase order"
    orders = web(personas.warehouse_keeper).get(reverse("warehouse:orders")).content
    assert b'data-testid="new-request"' in orders and b'data-testid="new-order"' not in orders
    assert web(personas.qc_inspector).get(url).status_code == 403
    assert web(personas.qc_inspector).post(url, {}).status_code == 403
    assert web(personas.b_manager).get(url).status_code == 403
    # a service is refused beside the item field, nothing saved
    data = {"warehouse": wh.w1.pk, "item": "FEE", "quantity": "2", "reason": "shortfall"}
    response = web(personas.warehouse_keeper).post(url, data)
    assert response.status_code == 400
    assert "item" in response.context["form"].errors
    assert not PurchaseRequest.objects.exists()
    # a good request goes to purchasing
    data["item"] = "BOLT"
    response = web(personas.warehouse_keeper).post(url, data)
    assert response.status_code == 302
    request = PurchaseRequest.objects.get()
    assert (request.item, request.quantity, request.reason, request.state, request.requested_by) == (
        wh.bolt,
        Decimal("2"),
        "shortfall",
        "open",
        personas.warehouse_keeper,
    )


# --- goods receipts ---------------------------------------------------------------------------
def test_the_keeper_receives_a_matching_note_for_inspection(wh, personas, web, approved_order):
    data = note(
        wh,
        approved_order,
        [
            {"order_number": approved_order.number, "item": "BOLT", "specification": "m8", "quantity": "4"},
            {
                "order_number": approved_order.number,
                "item": "gl8-white",
                "specification": "",
                "quantity": "2",
                "serials": "lsgvin0000000001\nLSGVIN0000000002",
            },
        ],
    )
    response = web(personas.warehouse_keeper).post(reverse("warehouse:receipt_create"), data)
    receipt = GoodsReceipt.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("warehouse:receipt", args=[receipt.pk])
    assert (receipt.state, receipt.note_number, receipt.certificate, receipt.stamped) == (
        "inspection",
        "SH-2024-118",
        "ZB-7781",
        True,
    )
    car_line = receipt.lines.get(item=wh.car)
    assert car_line.serials == ["LSGVIN0000000001", "LSGVIN0000000002"]
    assert receipt.lines.get(item=wh.bolt).quantity == Decimal("4")
    # nothing is in stock before the inspection
    assert not wh.bolt.levels.exists()


def test_an_over_receipt_line_waits_for_approval(wh, personas, web, approved_order):
    data = note(
        wh,
        approved_order,
        [{"order_number": approved_order.number, "item": "BOLT", "specification": "M8", "quantity": "6"}],
    )
    response = web(personas.warehouse_keeper).post(reverse("warehouse:receipt_create"), data, follow=True)
    line = GoodsReceiptLine.objects.get()
    assert (line.quantity, line.excess_quantity, line.excess_state) == (Decimal("6"), Decimal("2"), "pending")
    assert ApprovalRequest.objects.filter(kind="warehouse.over_receipt", object_id=line.pk).exists()
    # the receipt page says so
    assert "marketing director" in response.content.decode()
    assert "Waiting for approval" in response.content.decode()


def test_a_note_that_does_not_match_is_refused_whole_with_reasons_per_line(wh, personas, web, approved_order):
    other = SupplierFactory(code="other", name="别家")
    data = note(
        wh,
        approved_order,
        [
            # line 1 matches
            {"order_number": approved_order.number, "item": "BOLT", "specification": "M8", "quantity": "4"},
            # line 2: the order has no M10 bolts
            {"order_number": approved_order.number, "item": "BOLT", "specification": "M10", "quantity": "1"},
            # line 3: no such order
            {"order_number": "PO-NOPE", "item": "BOLT", "specification": "M8", "quantity": "1"},
        ],
    )
    response = web(personas.warehouse_keeper).post(reverse("warehouse:receipt_create"), data)
    # then: 400, the whole note refused, each reason beside its line, nothing saved
    assert response.status_code == 400
    forms = response.context["lines"].forms
    assert forms[0].line_errors == []
    assert "M10" in forms[1].line_errors[0]
    assert "PO-NOPE" in forms[2].line_errors[0]
    body = response.content.decode()
    assert "refused whole" in body
    assert 'data-testid="line-errors-1"' in body and 'data-testid="line-errors-2"' in body
    assert not GoodsReceipt.objects.exists()
    assert not GoodsReceiptLine.objects.exists()
    assert not ApprovalRequest.objects.exists()
    # a note of another supplier against our order is refused too
    data["supplier"] = other.pk
    data = {k: v for k, v in data.items() if not k.startswith(("lines-1-", "lines-2-"))} | {"lines-TOTAL_FORMS": "1"}
    response = web(personas.warehouse_keeper).post(reverse("warehouse:receipt_create"), data)
    assert response.status_code == 400
    assert "not of this supplier" in response.context["lines"].forms[0].line_errors[0]
    assert not GoodsReceipt.objects.exists()


def test_a_note_without_stamp_or_signer_is_refused_beside_the_field(wh, personas, web, approved_order):
    data = note(
        wh,
        approved_order,
        [{"order_number": approved_order.number, "item": "BOLT", "specification": "M8", "quantity": "4"}],
        stamped="",
        signed_by="",
        certificate="",
    )
    del data["stamped"]
    response = web(personas.warehouse_keeper).post(reverse("warehouse:receipt_create"), data)
    assert response.status_code == 400
    header = response.context["header"]
    assert "certificate" in header.errors
    data["certificate"] = "ZB-1"
    response = web(personas.warehouse_keeper).post(reverse("warehouse:receipt_create"), data)
    assert response.status_code == 400
    assert "stamp" in response.context["header"].errors["signed_by"][0]
    assert not GoodsReceipt.objects.exists()


# --- transfers ----------------------------------------------------------------------------------
def test_the_keeper_transfers_bolts_and_a_car_to_the_other_warehouse(wh, personas, web, put_in):
    put_in(wh.bolt, wh.w1, wh.a, 10)
    put_in(wh.car, wh.w1, wh.b, 1, serial="LSGVIN0000000009")
    data = {"from_warehouse": wh.w1.pk, "to_warehouse": wh.w2.pk, "to_bin": wh.c.pk} | lines(
        [
            {"item": "BOLT", "from_bin": wh.a.pk, "quantity": "3", "serial": ""},
            {"item": "GL8-WHITE", "from_bin": wh.b.pk, "quantity": "1", "serial": "lsgvin0000000009"},
        ]
    )
    response = web(personas.warehouse_keeper).post(reverse("warehouse:transfer_create"), data)
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("warehouse:transfer", args=[transfer.pk])
    assert (transfer.state, transfer.from_warehouse, transfer.to_warehouse, transfer.to_bin) == (
        "draft",
        wh.w1,
        wh.w2,
        wh.c,
    )
    rows = list(transfer.lines.order_by("id").values_list("item__code", "quantity", "serial__number"))
    assert rows == [("BOLT", Decimal("3"), None), ("GL8-WHITE", Decimal("1"), "LSGVIN0000000009")]


def test_a_transfer_to_the_same_warehouse_or_with_an_unknown_serial_is_refused(wh, personas, web, put_in):
    data = {"from_warehouse": wh.w1.pk, "to_warehouse": wh.w1.pk, "to_bin": wh.a.pk} | lines(
        [{"item": "GL8-WHITE", "from_bin": wh.a.pk, "quantity": "1", "serial": "NOSUCHVIN"}]
    )
    response = web(personas.warehouse_keeper).post(reverse("warehouse:transfer_create"), data)
    assert response.status_code == 400
    assert "to_warehouse" in response.context["header"].errors
    data |= {"to_warehouse": wh.w2.pk, "to_bin": wh.c.pk}
    response = web(personas.warehouse_keeper).post(reverse("warehouse:transfer_create"), data)
    assert response.status_code == 400
    assert "serial" in response.context["lines"].forms[0].line_errors[0]
    assert not Transfer.objects.exists()


# --- other receipts -------------------------------------------------------------------------------
def test_the_keeper_enters_a_trade_in_car_with_its_source_document(wh, personas, web):
    data = {"kind": "trade_in", "source_label": "评估单 PG-0042", "warehouse": wh.w1.pk, "bin": wh.b.pk} | lines(
        [{"item": "GL8-WHITE", "quantity": "1", "unit_cost": "180,000", "serial_number": "lsgtrade000000001"}]
    )
    response = web(personas.warehouse_keeper).post(reverse("warehouse:other_receipt_create"), data)
    assert response.status_code == 302
    assert response.url == reverse("warehouse:other_receipts")
    receipt = OtherReceipt.objects.get()
    assert (receipt.kind, receipt.source_label, receipt.state, receipt.bin) == (
        "trade_in",
        "评估单 PG-0042",
        "draft",
        wh.b,
    )
    line = receipt.lines.get()
    assert (line.serial_number, line.unit_cost) == ("LSGTRADE000000001", Decimal("180000"))


def test_a_return_without_source_document_or_serial_is_refused(wh, personas, web):
    data = {"kind": "return", "source_label": "", "warehouse": wh.w1.pk, "bin": wh.c.pk} | lines(
        [{"item": "GL8-WHITE", "quantity": "1", "unit_cost": "1", "serial_number": ""}]
    )
    response = web(personas.warehouse_keeper).post(reverse("warehouse:other_receipt_create"), data)
    assert response.status_code == 400
    assert "source_label" in response.context["header"].errors
    # the bin of another warehouse is not offered for W1... but is for the keeper's other warehouse
    data |= {"source_label": "销售单 XS-1", "bin": wh.a.pk}
    response = web(personas.warehouse_keeper).post(reverse("warehouse:other_receipt_create"), data)
    assert response.status_code == 400
    assert "serial number" in response.context["lines"].forms[0].line_errors[0]
    assert not OtherReceipt.objects.exists()


# --- the item picker -----------------------------------------------------------------------------
def test_the_item_search_offers_stocked_items_by_code_or_name(wh, personas, web, django_assert_num_queries):
    client = web(personas.warehouse_keeper)
    client.get(reverse("warehouse:item_search"), {"q": "x"})
    # 1 session, 2 user, 3 memberships, 4 the first 20 stocked items matching the code or name,
    # 5 the user's stores (the shell's context processor)
    with django_assert_num_queries(5):
        response = client.get(reverse("warehouse:item_search"), {"lines-0-item": "GL8"})
    assert b'value="GL8-WHITE"' in response.content
    assert b"FEE" not in web(personas.warehouse_keeper).get(reverse("warehouse:item_search"), {"q": "服务"}).content
    assert b'value="GOLD"' in client.get(reverse("warehouse:item_search"), {"q": "足金"}).content


# --- query counts ----------------------------------------------------------------------------------
def more_of_everything(personas, n: int) -> None:
    """``n`` more warehouses with a bin, suppliers and approved orders in store A."""
    for i in range(n):
        w = WarehouseFactory(store=personas.store_a)
        BinFactory(warehouse=w)
        supplier = SupplierFactory()
        order = PurchaseOrder.objects.create(
            store=personas.store_a, warehouse=w, supplier=supplier, created_by=personas.purchasing
        )
        PurchaseOrder.objects.filter(pk=order.pk).update(state="approved", number=f"PO-X-{order.pk}-{i}")


# 1 session, 2 user, 3 memberships, 4 warehouses of the user's stores with their store, 5 their
# bins with the warehouse, then per page: the suppliers (order, receipt), the approved orders'
# numbers (receipt); last, the top bar's stores. The lines' selects reuse the loaded choices.
QUERIES = {"request": 6, "order": 7, "receipt": 8, "transfer": 6, "other": 6}


@pytest.mark.parametrize("kind", list(PAGES))
def test_entry_pages_queries_do_not_grow(kind, wh, personas, web, django_assert_num_queries):
    client = web(getattr(personas, SIDES[kind][0]))
    url = reverse(PAGES[kind])
    client.get(url)
    more_of_everything(personas, 1)
    with django_assert_num_queries(QUERIES[kind]):
        assert client.get(url).status_code == 200
    more_of_everything(personas, 8)
    with django_assert_num_queries(QUERIES[kind]):
        assert client.get(url).status_code == 200
