"""Selling from stock (article 3): order → approval with the stock check → picking by bin →
packing → the sales slip that waits for the prepaid balance → the outbound slip signed by the
keeper, the supervisor and the customer → the goods leave and the balance is charged."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from showroom.models import Document
from showroom.services.transitions import TransitionConflict
from warehouse.models import (
    Account,
    JournalEntry,
    OutboundSignature,
    PurchaseRequest,
    Reservation,
    SalesInvoice,
    SalesOrder,
    SalesSlip,
    StockMove,
)
from warehouse.selectors import stock_available, stock_on_hand
from warehouse.selectors_sales import account_balances
from warehouse.services import (
    StockConflict,
    outbound_sign,
    pick_record,
    sales_order_cancel,
    sales_order_reserve_short,
    slip_approve,
    slip_cancel,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_slip_of_10000_waits_at_9999_99_and_is_approvable_after_a_payment_of_0_01(personas, wh, shop, flow):
    # given an order of 100 bolts at 100.00 (VAT included), picked, packed and on a slip of 10,000.00
    order = flow.approve(flow.order([(wh.bolt, 100, "100.00")]))
    slip = flow.pick_pack_close(order)
    assert slip.total == D("10000.00") and slip.state == SalesSlip.State.WAITING
    # and the customer has paid in 9,999.99
    flow.pay("9999.99")
    # when the marketing director approves
    with pytest.raises(TransitionConflict) as refused:
        slip_approve(slip=slip, user=personas.marketing_director)
    # then it is refused with the missing amount, and nothing changed
    assert "0.01" in refused.value.message
    slip.refresh_from_db()
    shop.account.refresh_from_db()
    assert slip.state == SalesSlip.State.WAITING
    assert shop.account.balance == D("9999.99")
    assert not SalesInvoice.objects.exists()
    # when a payment of 0.01 arrives, the director approves
    flow.pay("0.01", method="cash")
    slip = slip_approve(slip=slip, user=personas.marketing_director)
    # then the balance is charged, the slip is invoiced and paid, the outbound slip is open
    shop.account.refresh_from_db()
    assert slip.state == SalesSlip.State.APPROVED
    assert shop.account.balance == D("0.00")
    invoice = SalesInvoice.objects.get(slip=slip)
    assert invoice.total == D("10000.00") and invoice.paid == D("10000.00")
    assert invoice.net == D("8849.56") and invoice.vat == D("1150.44")
    outbound = slip.outbound
    assert outbound.number.startswith("OS-")
    # the goods are still in: the keeper, the supervisor and the customer sign
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == D("250")
    outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="keeper")
    outbound_sign(outbound=outbound, user=personas.warehouse_supervisor, role="supervisor")
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == D("250")
    outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="customer", name="王经理")
    # then the goods left from the picked bin, the reservation is used up, the order is done
    slip.refresh_from_db()
    order.refresh_from_db()
    assert slip.state == SalesSlip.State.SHIPPED
    assert order.state == SalesOrder.State.DONE
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == D("150")
    moves = StockMove.objects.filter(kind=StockMove.Kind.ISSUE, source_label=outbound.number)
    assert [(m.bin_id, m.quantity) for m in moves] == [(wh.a.pk, D("-100"))]
    assert not Reservation.objects.filter(state=Reservation.State.ACTIVE).exists()
    assert list(OutboundSignature.objects.filter(outbound=outbound).values_list("role", "name")) == [
        ("keeper", personas.warehouse_keeper.get_full_name() or personas.warehouse_keeper.username),
        ("supervisor", personas.warehouse_supervisor.get_full_name() or personas.warehouse_supervisor.username),
        ("customer", "王经理"),
    ]
    # and the books: cash and bank in, revenue and VAT, receivable settled, cost at 10.00 each
    balances = account_balances()
    assert balances[Account.BANK] == D("9999.99")
    assert balances[Account.CASH] == D("0.01")
    assert balances[Account.RECEIVABLE] == D("0")
    assert balances[Account.ADVANCES] == D("0")
    assert balances[Account.REVENUE] == D("-8849.56")
    assert balances[Account.OUTPUT_VAT] == D("-1150.44")
    assert balances[Account.COGS] == D("1000.00")
    assert balances[Account.INVENTORY] == D("-1000.00")
    # the slip (three copies) and the outbound slip (three copies) are issued as documents
    assert Document.objects.filter(doc_type="SS", number=slip.number).count() == 2  # unapproved, approved
    assert Document.objects.filter(doc_type="OS", number=outbound.number).exists()
    assert Document.objects.filter(doc_type="PL").count() == 1


def test_an_approved_order_with_a_short_line_requests_exactly_the_shortfall_and_reserves_the_rest(
    personas, wh, shop, flow
):
    # given 30 nuts and 250 bolts on hand
    # when an order of 42 nuts and 10 bolts is approved
    order = flow.approve(flow.order([(shop.nut, 42, "3.00"), (wh.bolt, 10, "12.00")]))
    nuts, bolts = order.lines.order_by("id")
    # then the nut line reserves the 30 there are and requests exactly 12
    assert (nuts.reserved_quantity, nuts.short_quantity) == (D("30"), D("12"))
    request = PurchaseRequest.objects.get()
    assert (request.item, request.quantity, request.reason) == (shop.nut, D("12"), PurchaseRequest.Reason.SHORTFALL)
    assert nuts.purchase_request == request
    # and the bolt line is reserved whole, nothing requested
    assert (bolts.reserved_quantity, bolts.short_quantity, bolts.purchase_request) == (D("10"), D("0"), None)
    assert stock_available(item=shop.nut, warehouse=wh.w1) == D("0")
    assert stock_available(item=wh.bolt, warehouse=wh.w1) == D("240")


def test_short_lines_are_reserved_when_goods_come_in(personas, wh, shop, flow, put_in):
    order = flow.approve(flow.order([(shop.nut, 42, "3.00")]))
    put_in(shop.nut, wh.w1, wh.b, 20, unit_cost="2")
    sales_order_reserve_short(order=order, user=personas.warehouse_keeper)
    line = order.lines.get()
    assert (line.reserved_quantity, line.short_quantity) == (D("42"), D("0"))
    assert Reservation.objects.get(state="active").quantity == D("42")
    assert stock_available(item=shop.nut, warehouse=wh.w1) == D("8")


def test_picking_takes_only_what_is_reserved_and_what_the_bin_holds(personas, wh, shop, flow):
    order = flow.approve(flow.order([(wh.bolt, 60, "5.00")]))
    line = order.lines.get()
    # bin B holds 50: picking 60 from it is refused, nothing recorded
    with pytest.raises(StockConflict):
        pick_record(order=order, user=personas.warehouse_keeper, picks=[{"line": line, "bin": wh.b, "quantity": 60}])
    line.refresh_from_db()
    assert line.picked_quantity == 0
    # 50 from B and 10 from A
    pick_record(
        order=order,
        user=personas.warehouse_keeper,
        picks=[{"line": line, "bin": wh.b, "quantity": 50}, {"line": line, "bin": wh.a, "quantity": 10}],
    )
    # one more is more than reserved
    with pytest.raises(StockConflict):
        pick_record(order=order, user=personas.warehouse_keeper, picks=[{"line": line, "bin": wh.a, "quantity": 1}])
    # a bin of another warehouse is bad input
    with pytest.raises(ValidationError):
        pick_record(order=order, user=personas.warehouse_keeper, picks=[{"line": line, "bin": wh.c, "quantity": 1}])


def test_a_second_order_cannot_pick_what_the_first_picked_from_the_bin(personas, wh, shop, flow):
    # given bin B's 50 bolts all picked for a first order (not yet shipped)
    first = flow.approve(flow.order([(wh.bolt, 50, "5.00")]))
    pick_record(
        order=first,
        user=personas.warehouse_keeper,
        picks=[{"line": first.lines.get(), "bin": wh.b, "quantity": 50}],
    )
    second = flow.approve(flow.order([(wh.bolt, 1, "5.00")]))
    # when the second picks from B, then there is nothing left there
    with pytest.raises(StockConflict):
        pick_record(
            order=second,
            user=personas.warehouse_keeper,
            picks=[{"line": second.lines.get(), "bin": wh.b, "quantity": 1}],
        )


def test_split_shipments_keep_the_rest_reserved(personas, wh, shop, flow):
    order = flow.approve(flow.order([(wh.bolt, 10, "10.00")]))
    line = order.lines.get()
    pick_record(order=order, user=personas.warehouse_keeper, picks=[{"line": line, "bin": wh.a, "quantity": 4}])
    slip = flow.pick_pack_close.__func__ if False else None
    from warehouse.models import PickLine
    from warehouse.services import box_pack, packing_close

    box_pack(order=order, user=personas.warehouse_keeper, contents=[{"pick": PickLine.objects.get(), "quantity": 4}])
    slip = packing_close(order=order, user=personas.qc_inspector)
    flow.pay("40.00")
    slip = slip_approve(slip=slip, user=personas.marketing_director)
    flow.sign_all(slip.outbound)
    line.refresh_from_db()
    order.refresh_from_db()
    assert line.shipped_quantity == D("4")
    assert order.state == SalesOrder.State.APPROVED
    assert Reservation.objects.get(state="active").quantity == D("6")
    assert stock_available(item=wh.bolt, warehouse=wh.w1) == D("240")


def test_signatures_are_once_per_role_by_the_right_person(personas, wh, shop, flow):
    order = flow.approve(flow.order([(wh.bolt, 1, "10.00")]))
    slip = flow.pick_pack_close(order)
    flow.pay("10.00")
    outbound = slip_approve(slip=slip, user=personas.marketing_director).outbound
    with pytest.raises(PermissionDenied):
        outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="supervisor")
    with pytest.raises(PermissionDenied):
        outbound_sign(outbound=outbound, user=personas.consultant, role="customer", name="x")
    outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="keeper")
    with pytest.raises(TransitionConflict):
        outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="keeper")
    with pytest.raises(ValidationError):
        outbound_sign(outbound=outbound, user=personas.warehouse_keeper, role="boss")
    assert outbound.signatures.count() == 1


def test_cancelled_slip_returns_its_boxes_and_cancelled_order_releases_stock(personas, wh, shop, flow):
    order = flow.approve(flow.order([(wh.bolt, 5, "10.00")]))
    slip = flow.pick_pack_close(order)
    slip_cancel(slip=slip, user=personas.marketing_director)
    assert order.boxes.get().slip is None
    other = flow.approve(flow.order([(shop.nut, 5, "3.00")]))
    sales_order_cancel(order=other, user=personas.marketing_director)
    assert stock_available(item=shop.nut, warehouse=wh.w1) == D("30")
    with pytest.raises(TransitionConflict):  # goods of the first are picked
        sales_order_cancel(order=order, user=personas.marketing_director)


def test_orders_refuse_bad_lines_and_change_nothing(personas, wh, shop, flow):
    with pytest.raises(ValidationError) as bad:
        flow.order([(wh.car, 1, "1.00"), (wh.fee, 1, "1.00"), (wh.bolt, 0, "1.00"), (wh.bolt, 1, "1.001")])
    assert len(bad.value.message_dict["lines"]) == 4
    assert not SalesOrder.objects.exists()


def test_an_order_invoiced_whole_charges_its_slips_against_that_invoice(personas, wh, shop, flow):
    from warehouse.services import sales_invoice_create

    order = flow.approve(flow.order([(wh.bolt, 10, "10.00")]))
    invoice = sales_invoice_create(user=personas.finance, order=order)
    flow.pay("30.00", invoice=invoice)
    slip = flow.pick_pack_close(order)
    # the slip is 100.00 but only 70.00 of the invoice is open: 70.00 is due from the balance
    flow.pay("70.00")
    slip = slip_approve(slip=slip, user=personas.marketing_director)
    invoice.refresh_from_db()
    assert invoice.paid == D("100.00")
    assert not SalesInvoice.objects.filter(slip=slip).exists()
    assert account_balances()[Account.RECEIVABLE] == D("0")
    with pytest.raises(TransitionConflict):
        sales_invoice_create(user=personas.finance, order=order)


def test_every_entry_of_the_flow_balances(personas, wh, shop, flow):
    order = flow.approve(flow.order([(wh.bolt, 3, "33.33"), (shop.nut, 7, "0.07")]))
    slip = flow.pick_pack_close(order)
    flow.pay(str(slip.total))
    flow.sign_all(slip_approve(slip=slip, user=personas.marketing_director).outbound)
    assert JournalEntry.objects.count() >= 4
    for entry in JournalEntry.objects.prefetch_related("lines"):
        assert sum(line.debit for line in entry.lines.all()) == sum(line.credit for line in entry.lines.all())
