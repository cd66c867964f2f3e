"""Receiving against approved orders (article 3): the note must match or is refused whole, an
over-receipt waits for the marketing director, inspection follows 商品进仓, failed goods never
reach stock, the supervisor's approval puts the rest in and numbers the two-copy slip."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from showroom.models import ApprovalRequest
from showroom.services.approvals import approval_approve, approval_reject
from showroom.services.documents import document_render
from showroom.services.transitions import TransitionConflict
from tests.warehouse.factories import SupplierFactory
from warehouse.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrder, StockMove
from warehouse.selectors import stock_on_hand
from warehouse.services import (
    goods_receipt_approve,
    goods_receipt_create,
    goods_receipt_open_slip,
    purchase_order_approve,
    purchase_order_create,
    purchase_request_confirm,
    purchase_request_create,
    receipt_line_inspect,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(wh, personas):
    """An approved order of 10 bolts (M8×30) at ¥2.50 and 2 GL8s at ¥250,000."""
    po = purchase_order_create(
        user=personas.purchasing,
        warehouse=wh.w1,
        supplier=wh.supplier,
        lines=[
            {"item": wh.bolt, "specification": "M8×30", "quantity": 10, "unit_cost": "2.50"},
            {"item": wh.car, "specification": "陆尊 653T 豪华型", "quantity": 2, "unit_cost": "250000"},
        ],
    )
    return purchase_order_approve(order=po, user=personas.warehouse_supervisor)


def _receive(wh, personas, order, *, bolts=10, spec="M8×30", number=None, serials=("VIN0000000000001",), **kw):
    lines = [{"item": wh.bolt, "specification": spec, "quantity": bolts, "order_number": number or order.number}]
    if serials:
        lines.append(
            {
                "item": wh.car,
                "specification": "陆尊 653T 豪华型",
                "quantity": len(serials),
                "order_number": order.number,
                "serials": list(serials),
            }
        )
    values = {
        "user": personas.warehouse_keeper,
        "warehouse": wh.w1,
        "bin": wh.a,
        "supplier": wh.supplier,
        "note_number": "SH-20260301",
        "certificate": "ZB-778",
        "signed_by": "李四",
        "lines": lines,
    } | kw
    return goods_receipt_create(**values)


def _inspect_all(receipt, personas, **kw):
    for line in receipt.lines.all():
        receipt_line_inspect(line=line, user=personas.qc_inspector, sample_size=1, **kw)


def test_an_order_is_approved_by_the_supervisor_not_by_purchasing(wh, personas):
    po = purchase_order_create(
        user=personas.purchasing,
        warehouse=wh.w1,
        supplier=wh.supplier,
        lines=[{"item": wh.bolt, "quantity": 1, "unit_cost": "1"}],
    )
    with pytest.raises(PermissionDenied):
        purchase_order_approve(order=po, user=personas.purchasing)
    po = purchase_order_approve(order=po, user=personas.warehouse_supervisor)
    assert po.state == PurchaseOrder.State.APPROVED
    assert po.number.startswith("PO-")


def test_a_purchase_request_becomes_an_order_when_purchasing_confirms(wh, personas):
    request = purchase_request_create(
        user=personas.counter_leader, warehouse=wh.w1, item=wh.bolt, quantity=40, reason="replenishment"
    )
    with pytest.raises(PermissionDenied):
        purchase_request_confirm(request=request, user=personas.warehouse_keeper, supplier=wh.supplier, unit_cost="2")
    po = purchase_request_confirm(request=request, user=personas.purchasing, supplier=wh.supplier, unit_cost="2")
    request.refresh_from_db()
    assert (request.state, request.order_id, po.state) == ("ordered", po.pk, "draft")
    assert po.lines.get().quantity == Decimal("40")


def test_receiving_needs_an_approved_order(wh, personas):
    po = purchase_order_create(
        user=personas.purchasing,
        warehouse=wh.w1,
        supplier=wh.supplier,
        lines=[{"item": wh.bolt, "specification": "M8×30", "quantity": 5, "unit_cost": "1"}],
    )
    po.number = "PO-DRAFT-1"
    po.save(update_fields=["number"])
    with pytest.raises(ValidationError) as err:
        _receive(wh, personas, po, bolts=5, serials=())
    assert "not approved" in str(err.value.message_dict["lines"])


def test_a_note_with_one_mismatching_line_is_rejected_whole(wh, personas, order):
    # given a note whose bolt line names another specification (the car line matches)
    with pytest.raises(ValidationError) as err:
        _receive(wh, personas, order, spec="M10×40")
    # then the reasons name that line, and nothing at all is received
    reasons = err.value.message_dict["lines"]
    assert len(reasons) == 1 and "Line 1" in reasons[0] and "M10×40" in reasons[0]
    assert not GoodsReceipt.objects.exists()
    assert not StockMove.objects.exists()


def test_a_note_of_another_supplier_or_unknown_order_is_rejected(wh, personas, order):
    with pytest.raises(ValidationError):
        _receive(wh, personas, order, supplier=SupplierFactory())
    with pytest.raises(ValidationError) as err:
        _receive(wh, personas, order, number="PO-NOPE")
    assert "PO-NOPE" in str(err.value.message_dict["lines"])


def test_the_note_needs_a_stamp_or_a_signer_and_a_certificate(wh, personas, order):
    with pytest.raises(ValidationError) as err:
        _receive(wh, personas, order, signed_by="", stamped=False, certificate="")
    assert {"signed_by", "certificate"} <= set(err.value.message_dict)


def test_only_the_keeper_receives(wh, personas, order):
    with pytest.raises(PermissionDenied):
        _receive(wh, personas, order, user=personas.consultant)


def test_inspection_method_follows_the_receiving_rules(wh, personas, order):
    receipt = _receive(wh, personas, order)
    bolts, car = receipt.lines.order_by("id")
    # a sample needs its size
    with pytest.raises(ValidationError) as err:
        receipt_line_inspect(line=bolts, user=personas.qc_inspector)
    assert "sample_size" in err.value.message_dict
    bolts = receipt_line_inspect(line=bolts, user=personas.qc_inspector, sample_size=3)
    assert (bolts.method, bolts.sample_size) == ("sample", Decimal("3"))
    # damaged packaging: opened and checked piece by piece, whatever sample is given
    car = receipt_line_inspect(line=car, user=personas.qc_inspector, packaging_damaged=True, sample_size=1)
    assert (car.method, car.sample_size) == ("piece", Decimal("1"))
    receipt.refresh_from_db()
    assert receipt.state == GoodsReceipt.State.INSPECTED


def test_fragile_goods_are_checked_in_full(wh, personas, order):
    wh.bolt.fragile = True
    wh.bolt.save()
    receipt = _receive(wh, personas, order, serials=())
    line = receipt_line_inspect(line=receipt.lines.get(), user=personas.qc_inspector)
    assert (line.method, line.sample_size) == ("full", Decimal("10"))


def test_only_a_qc_inspector_inspects_and_once(wh, personas, order):
    receipt = _receive(wh, personas, order, serials=())
    line = receipt.lines.get()
    with pytest.raises(PermissionDenied):
        receipt_line_inspect(line=line, user=personas.warehouse_keeper, sample_size=1)
    receipt_line_inspect(line=line, user=personas.qc_inspector, sample_size=1)
    with pytest.raises(TransitionConflict):
        receipt_line_inspect(line=line, user=personas.qc_inspector, sample_size=1)


def test_failed_quantities_never_reach_stock(wh, personas, order):
    # given 10 bolts of which 3 fail, and two cars of which one fails
    receipt = _receive(wh, personas, order, serials=("VIN0000000000001", "VIN0000000000002"))
    bolts, cars = receipt.lines.order_by("id")
    with pytest.raises(ValidationError):  # a failure needs its defects
        receipt_line_inspect(line=bolts, user=personas.qc_inspector, sample_size=10, failed_quantity=3)
    receipt_line_inspect(line=bolts, user=personas.qc_inspector, sample_size=10, failed_quantity=3, defects="螺纹损坏")
    receipt_line_inspect(
        line=cars, user=personas.qc_inspector, sample_size=2, failed_serials=["vin0000000000002"], defects="漆面划伤"
    )
    # when the keeper opens the slip and the supervisor approves it
    goods_receipt_open_slip(receipt=receipt, user=personas.warehouse_keeper)
    with pytest.raises(PermissionDenied):
        goods_receipt_approve(receipt=receipt, user=personas.warehouse_keeper)
    receipt = goods_receipt_approve(receipt=receipt, user=personas.warehouse_supervisor)
    # then only the passed goods are in stock, and the failed car never entered
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == Decimal("7")
    assert stock_on_hand(item=wh.car, warehouse=wh.w1) == Decimal("1")
    assert not StockMove.objects.filter(serial__number="VIN0000000000002").exists()
    assert receipt.number.startswith("GR-")
    bolts.refresh_from_db()
    assert (bolts.received_quantity, bolts.returned_quantity) == (Decimal("7"), Decimal("3"))


def test_the_receipt_slip_prints_two_labelled_copies(wh, personas, order):
    receipt = _receive(wh, personas, order, serials=())
    _inspect_all(receipt, personas)
    goods_receipt_open_slip(receipt=receipt, user=personas.warehouse_keeper)
    goods_receipt_approve(receipt=receipt, user=personas.warehouse_supervisor)
    from showroom.models import Document

    document = Document.objects.get(doc_type="GR", object_id=receipt.pk)
    document = document_render(document_id=document.pk)
    assert document.state == "ready", document.error
    pages = PdfReader(io.BytesIO(document.file.read())).pages
    assert len(pages) == 2
    first, second = (page.extract_text() for page in pages)
    assert "存根" in first and "财务联" not in first
    assert "财务联" in second
    assert receipt.note_number in first and "M8×30" in second


def test_an_over_receipt_waits_for_approval_then_the_excess_comes_in(wh, personas, order):
    # given a delivery of 12 bolts against 10 ordered
    receipt = _receive(wh, personas, order, bolts=12, serials=())
    line = receipt.lines.get()
    assert (line.excess_quantity, line.excess_state) == (Decimal("2"), "pending")
    request = ApprovalRequest.objects.get(kind="warehouse.over_receipt", object_id=line.pk)
    assert request.value == Decimal("2") and request.routed_role.code == "marketing_director"
    # when inspected and approved before the over-receipt is decided: only the ordered 10 come in
    _inspect_all(receipt, personas)
    goods_receipt_open_slip(receipt=receipt, user=personas.warehouse_keeper)
    goods_receipt_approve(receipt=receipt, user=personas.warehouse_supervisor)
    assert stock_on_hand(item=wh.bolt) == Decimal("10")
    order.refresh_from_db()
    assert order.state == PurchaseOrder.State.APPROVED  # still waiting on the excess
    # then the marketing director approves and the excess comes in
    with pytest.raises(PermissionDenied):
        approval_approve(request=request, user=personas.warehouse_supervisor)
    approval_approve(request=request, user=personas.marketing_director)
    assert stock_on_hand(item=wh.bolt) == Decimal("12")
    line.refresh_from_db()
    assert (line.excess_state, line.received_quantity) == ("approved", Decimal("12"))
    order.refresh_from_db()
    assert order.lines.get(item=wh.bolt).received_quantity == Decimal("12")


def test_a_rejected_over_receipt_never_comes_in(wh, personas, order):
    receipt = _receive(wh, personas, order, bolts=11, serials=())
    request = ApprovalRequest.objects.get(kind="warehouse.over_receipt")
    approval_reject(request=request, user=personas.marketing_director, note="超出需求")
    _inspect_all(receipt, personas)
    goods_receipt_open_slip(receipt=receipt, user=personas.warehouse_keeper)
    goods_receipt_approve(receipt=receipt, user=personas.warehouse_supervisor)
    assert stock_on_hand(item=wh.bolt) == Decimal("10")
    assert GoodsReceiptLine.objects.get().excess_state == "rejected"


def test_an_order_closes_when_everything_came_in(wh, personas, order):
    receipt = _receive(wh, personas, order, serials=("VIN0000000000001", "VIN0000000000002"))
    _inspect_all(receipt, personas)
    goods_receipt_open_slip(receipt=receipt, user=personas.warehouse_keeper)
    goods_receipt_approve(receipt=receipt, user=personas.warehouse_supervisor)
    order.refresh_from_db()
    assert order.state == PurchaseOrder.State.CLOSED
    # and nothing more can be received against it
    with pytest.raises(ValidationError):
        _receive(wh, personas, order, bolts=1, serials=())


def test_a_delivery_sent_straight_on_waits_for_the_other_warehouse_to_sign(wh, personas, order):
    from warehouse.services import transfer_receive

    receipt = _receive(wh, personas, order, serials=(), deliver_to=wh.w2)
    _inspect_all(receipt, personas)
    goods_receipt_open_slip(receipt=receipt, user=personas.warehouse_keeper)
    goods_receipt_approve(receipt=receipt, user=personas.warehouse_supervisor)
    transfer = receipt.transfers.get()
    assert transfer.state == "dispatched"
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == 0
    with pytest.raises(ValidationError):
        transfer_receive(transfer=transfer, user=personas.warehouse_keeper, confirmed=[9])
    transfer_receive(transfer=transfer, user=personas.warehouse_keeper, confirmed=[10])
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w2) == Decimal("10")
