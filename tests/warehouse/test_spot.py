# ruff: noqa: F811  (the ``steel`` fixture is imported from test_spot_support)
"""Spot sales by weight (article 8): the price list and discount-rate table, the off-list price
approval, the flow with each step only after the one before, the weighing and its amounts, finance's
check, the release, and the bought-in margin rule (2.3: 100 元以上的差价)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from showroom.models import ApprovalRequest
from showroom.services.approvals import approval_approve, approval_reject
from showroom.services.transitions import TransitionConflict
from tests.warehouse.test_spot_support import steel  # noqa: F401
from warehouse.models import AccountEntry, Reservation, SpotSheet, SpotSheetLine, StockMove
from warehouse.selectors import stock_available, stock_on_hand
from warehouse.services import (
    spot_notice_send,
    spot_payment_record,
    spot_sheet_approve,
    spot_sheet_cancel,
    spot_sheet_create,
    spot_sheet_issue,
    spot_sheet_release,
    spot_sheet_sign,
    spot_sheet_verify,
    spot_sheet_weigh,
)

pytestmark = pytest.mark.django_db


def weigh_all(steel, sheet, *rows):
    """rows: (gross, tare) per line, in line order; all from bin A of W1."""
    lines = list(sheet.lines.order_by("id"))
    return spot_sheet_weigh(
        sheet=sheet,
        user=steel.p.warehouse_keeper,
        weights=[
            {"line": ln, "bin": steel.wh.a, "gross": g, "tare": t} for ln, (g, t) in zip(lines, rows, strict=True)
        ],
    )


def test_the_whole_flow_releases_the_net_weight_after_finance(steel):
    # given a sheet for about 2 t of rebar at the list price for a standard customer (4,000 × 0.98)
    sheet = steel.sheet([(steel.rebar, "2")])
    line = sheet.lines.get()
    assert line.list_price == Decimal("3920.00") and line.unit_price == Decimal("3920.00") and not line.off_list
    assert sheet.state == SpotSheet.State.NEGOTIATING and sheet.freight == "collect"
    # when every step runs in order, each by its role
    sheet = spot_sheet_issue(sheet=sheet, user=steel.p.sales_assistant)
    assert sheet.number.startswith("SR") and sheet.price_state == SpotSheet.PriceState.NOT_NEEDED
    sheet = spot_sheet_approve(sheet=sheet, user=steel.p.sales_manager)
    sheet = weigh_all(steel, sheet, ("17.130", "15.000"))
    line.refresh_from_db()
    assert (line.gross, line.tare, line.net) == (Decimal("17.130"), Decimal("15.000"), Decimal("2.130"))
    assert line.amount == Decimal("8349.60") and sheet.total == Decimal("8349.60")
    assert stock_available(item=steel.rebar, warehouse=steel.wh.w1) == Decimal("47.870")
    sheet = spot_notice_send(sheet=sheet, user=steel.p.sales_assistant, company_account="工行 1202 0000 8888")
    assert sheet.notice_number.startswith("SN")
    sheet = spot_payment_record(sheet=sheet, user=steel.p.cashier, amount="8349.60", reference="电汇 0315")
    assert sheet.payment.kind == AccountEntry.Kind.PAYMENT and sheet.paid_amount == Decimal("8349.60")
    assert stock_on_hand(item=steel.rebar, warehouse=steel.wh.w1) == Decimal("50")  # nothing left yet
    sheet = spot_sheet_verify(sheet=sheet, user=steel.p.finance, checked_total="8349.60")
    assert sheet.verified_by == steel.p.finance
    sheet = spot_sheet_sign(sheet=sheet, user=steel.p.sales_manager)
    sheet = spot_sheet_release(sheet=sheet, user=steel.p.warehouse_keeper)
    # then the net weight left as one issue, the reservation consumed
    assert sheet.state == SpotSheet.State.RELEASED
    line.refresh_from_db()
    assert line.move.kind == StockMove.Kind.ISSUE and line.move.quantity == Decimal("-2.130")
    assert line.move.source_label == sheet.number
    assert stock_on_hand(item=steel.rebar, warehouse=steel.wh.w1) == Decimal("47.870")
    assert Reservation.objects.get(pk=line.reservation_id).state == "consumed"


STEPS = ["issue", "approve", "weigh", "notify", "pay", "verify", "sign", "release"]


@pytest.mark.parametrize("stop", STEPS[:-2])
def test_release_before_the_end_of_the_flow_is_refused(steel, stop):
    # given a sheet taken up to (and including) the step ``stop``
    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), stop)
    state = sheet.state
    # when the keeper tries to release the goods
    with pytest.raises(TransitionConflict):
        spot_sheet_release(sheet=sheet, user=steel.p.warehouse_keeper)
    # then nothing left and the sheet did not move
    sheet.refresh_from_db()
    assert sheet.state == state
    assert stock_on_hand(item=steel.rebar, warehouse=steel.wh.w1) == Decimal("50")
    assert not StockMove.objects.filter(kind=StockMove.Kind.ISSUE).exists()


def test_each_step_only_after_the_one_before(steel):
    sheet = steel.sheet([(steel.rebar, "2")])
    # weighing before approval, notice before weighing, payment before the notice, verification
    # before payment, the supervisor's signature before finance: 409 each, nothing changes
    with pytest.raises(TransitionConflict):
        weigh_all(steel, sheet, ("3", "1"))
    with pytest.raises(TransitionConflict):
        spot_sheet_approve(sheet=sheet, user=steel.p.sales_manager)  # not issued yet
    spot_sheet_issue(sheet=sheet, user=steel.p.sales_assistant)
    with pytest.raises(TransitionConflict):
        spot_notice_send(sheet=sheet, user=steel.p.sales_assistant, company_account="工行")
    spot_sheet_approve(sheet=sheet, user=steel.p.sales_manager)
    with pytest.raises(TransitionConflict):
        spot_payment_record(sheet=sheet, user=steel.p.cashier, amount="100.00")
    weigh_all(steel, sheet, ("3", "1"))
    with pytest.raises(TransitionConflict):
        spot_sheet_verify(sheet=sheet, user=steel.p.finance, checked_total="7840.00")
    with pytest.raises(TransitionConflict):
        spot_sheet_sign(sheet=sheet, user=steel.p.sales_manager)
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.WEIGHED
    assert not AccountEntry.objects.exists()


@pytest.mark.parametrize(("price", "accepted"), [("3899.99", False), ("3900.00", True), ("3900.01", True)])
def test_bought_in_margin_at_its_boundary_per_tonne(steel, price, accepted):
    # given angle steel bought in at 3,800.00 per tonne; the least margin is 100.00 per tonne
    line = {"item": steel.angle, "quantity": "3", "unit_price": price, "bought_in": True, "purchase_price": "3800.00"}
    if accepted:
        sheet = steel.sheet_lines([line])
        assert sheet.lines.get().margin == Decimal(price) - Decimal("3800.00")
    else:
        with pytest.raises(ValidationError) as refused:
            steel.sheet_lines([line])
        message = refused.value.message_dict["lines"][0]
        assert "Line 1" in message and "99.99" in message and "100.00" in message
        assert not SpotSheet.objects.exists()


def test_a_multi_line_sheet_with_one_line_below_the_margin_is_refused_whole(steel):
    # given three lines: on stock, bought in with 150.00 margin, bought in with 60.00 margin
    lines = [
        {"item": steel.rebar, "quantity": "2"},
        {"item": steel.angle, "quantity": "1", "unit_price": "3950.00", "bought_in": True, "purchase_price": "3800"},
        {"item": steel.plate, "quantity": "1", "unit_price": "5060.00", "bought_in": True, "purchase_price": "5000"},
    ]
    # when the salesperson enters it
    with pytest.raises(ValidationError) as refused:
        steel.sheet_lines(lines)
    # then the whole sheet is refused, naming line 3 and its margin only
    errors = refused.value.message_dict["lines"]
    assert len(errors) == 1 and "Line 3" in errors[0] and "60.00" in errors[0]
    assert not SpotSheet.objects.exists() and not SpotSheetLine.objects.exists()


def test_the_least_margin_is_configurable(steel):
    line = {"item": steel.angle, "quantity": "1", "unit_price": "3950.00", "bought_in": True, "purchase_price": "3800"}
    with override_settings(WAREHOUSE_SPOT_MIN_MARGIN="200"), pytest.raises(ValidationError):
        steel.sheet_lines([line])
    assert steel.sheet_lines([line]).lines.get().margin == Decimal("150.00")


def test_a_bought_in_line_needs_its_purchase_price(steel):
    with pytest.raises(ValidationError) as refused:
        steel.sheet_lines([{"item": steel.angle, "quantity": "1", "unit_price": "3950.00", "bought_in": True}])
    assert "purchase price" in refused.value.message_dict["lines"][0]


def test_a_specification_off_the_list_waits_for_its_price_approval(steel):
    # given plate, which is not on the price list, quoted at 5,200.00
    sheet = steel.sheet_lines([{"item": steel.plate, "quantity": "1", "unit_price": "5200.00"}])
    assert sheet.lines.get().off_list and sheet.lines.get().list_price is None
    # when the sheet is made, a price approval is filed for the sales manager
    sheet = spot_sheet_issue(sheet=sheet, user=steel.p.sales_assistant)
    request = ApprovalRequest.objects.get(kind="warehouse.spot_price_exception", object_id=sheet.pk)
    assert sheet.price_state == SpotSheet.PriceState.PENDING and request.value == Decimal("5200.00")
    # then the supervisor cannot approve the sheet yet
    with pytest.raises(TransitionConflict, match="price"):
        spot_sheet_approve(sheet=sheet, user=steel.p.sales_manager)
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.ISSUED
    # when the price is approved, the sheet can be
    approval_approve(request=request, user=steel.p.sales_manager, note="老客户, 同意")
    sheet.refresh_from_db()
    assert sheet.price_state == SpotSheet.PriceState.APPROVED
    assert spot_sheet_approve(sheet=sheet, user=steel.p.sales_manager).state == SpotSheet.State.APPROVED


def test_a_price_below_the_list_is_off_the_list_and_a_rejected_price_blocks_the_sheet(steel):
    sheet = steel.sheet_lines([{"item": steel.rebar, "quantity": "1", "unit_price": "3900.00"}])  # list 3,920.00
    assert sheet.lines.get().off_list
    sheet = spot_sheet_issue(sheet=sheet, user=steel.p.sales_assistant)
    request = ApprovalRequest.objects.get(kind="warehouse.spot_price_exception", object_id=sheet.pk)
    approval_reject(request=request, user=steel.p.sales_manager, note="低于底价")
    sheet.refresh_from_db()
    assert sheet.price_state == SpotSheet.PriceState.REJECTED
    with pytest.raises(TransitionConflict):
        spot_sheet_approve(sheet=sheet, user=steel.p.sales_manager)


def test_a_price_on_or_above_the_list_needs_no_approval(steel):
    sheet = steel.sheet_lines([{"item": steel.rebar, "quantity": "1", "unit_price": "3950.00"}])
    sheet = spot_sheet_issue(sheet=sheet, user=steel.p.sales_assistant)
    assert sheet.price_state == SpotSheet.PriceState.NOT_NEEDED
    assert not ApprovalRequest.objects.filter(kind="warehouse.spot_price_exception").exists()


def test_the_customer_class_picks_the_discount_rate(steel):
    from warehouse.services import spot_customer_class_set

    spot_customer_class_set(user=steel.p.sales_manager, account=steel.account, customer_class="wholesale")
    sheet = steel.sheet([(steel.rebar, "1")])
    assert sheet.customer_class == "wholesale" and sheet.lines.get().unit_price == Decimal("3800.00")


def test_amount_is_price_times_net_rounded_half_up_to_the_cent(steel):
    # given 4,100.03 per tonne quoted above the list and a net weight of 1.5 t: 6,150.045 → 6,150.05
    # (banker's rounding would give 6,150.04)
    sheet = steel.sheet_lines([{"item": steel.rebar, "quantity": "1.5", "unit_price": "4100.03"}])
    sheet = steel.run_to(sheet, "approve")
    sheet = weigh_all(steel, sheet, ("16.500", "15.000"))
    assert sheet.lines.get().amount == Decimal("6150.05") and sheet.total == Decimal("6150.05")


def test_weighing_refuses_a_tare_above_the_gross_and_more_than_is_in_stock(steel):
    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), "approve")
    with pytest.raises(ValidationError):
        weigh_all(steel, sheet, ("15.000", "15.000"))
    with pytest.raises(TransitionConflict):
        weigh_all(steel, sheet, ("80.000", "15.000"))  # 65 t, 50 t in stock
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.APPROVED and not Reservation.objects.exists()


def test_finance_checks_the_amount_and_that_the_payment_covers_it(steel):
    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), "notify")  # weighed 2 t: 7,840.00
    spot_payment_record(sheet=sheet, user=steel.p.cashier, amount="7000.00")
    # a total that does not match the sheet: 400, still paid
    with pytest.raises(ValidationError) as wrong:
        spot_sheet_verify(sheet=sheet, user=steel.p.finance, checked_total="7000.00")
    assert "7,840.00" in wrong.value.message_dict["checked_total"][0]
    # the payment is 840.00 short: 409 naming the missing amount
    with pytest.raises(TransitionConflict, match=r"840\.00"):
        spot_sheet_verify(sheet=sheet, user=steel.p.finance, checked_total="7840.00")
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.PAID and sheet.verified_by is None


def test_cancel_releases_the_weighed_goods(steel):
    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), "weigh")
    assert stock_available(item=steel.rebar, warehouse=steel.wh.w1) == Decimal("48")
    spot_sheet_cancel(sheet=sheet, user=steel.p.sales_manager, note="客户不要了")
    assert stock_available(item=steel.rebar, warehouse=steel.wh.w1) == Decimal("50")
    # after payment the sheet can no longer be cancelled
    paid = steel.run_to(steel.sheet([(steel.rebar, "1")]), "pay")
    with pytest.raises(TransitionConflict):
        spot_sheet_cancel(sheet=paid, user=steel.p.sales_manager)


def test_only_weight_items_and_customers_of_the_store(steel, personas, wh):
    with pytest.raises(ValidationError):
        steel.sheet_lines([{"item": wh.bolt, "quantity": "1", "unit_price": "1.00"}])
    with pytest.raises(ValidationError):
        spot_sheet_create(
            user=steel.p.sales_assistant, warehouse=steel.wh.w1, account=steel.account, freight="by boat", lines=[]
        )


def test_release_books_the_sale_against_the_prepaid_balance(steel):
    from warehouse.models import Account, JournalEntry, SalesInvoice
    from warehouse.selectors_sales import account_balances

    # given a sheet paid in full (the payment went into the customer's prepaid balance)
    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), "sign")
    steel.account.refresh_from_db()
    assert steel.account.balance == sheet.total
    # when the goods are released
    sheet = spot_sheet_release(sheet=sheet, user=steel.p.warehouse_keeper)
    # then the sale is invoiced, the balance charged back to zero, and cost of goods sold posted
    invoice = SalesInvoice.objects.get(kind=SalesInvoice.Kind.SPOT)
    assert invoice.total == sheet.total and invoice.paid == sheet.total
    assert invoice.net + invoice.vat == sheet.total
    steel.account.refresh_from_db()
    assert steel.account.balance == Decimal("0")
    cogs = JournalEntry.objects.get(kind=JournalEntry.Kind.COGS, source_label=sheet.number)
    net = sum(line.net for line in sheet.lines.all())
    assert cogs.lines.get(account=Account.COGS).debit == net * Decimal("3600")  # received at 3,600 a tonne
    assert sum(account_balances().values()) == 0


def test_release_waits_when_the_balance_was_spent_meanwhile(steel):
    from warehouse.models import CustomerAccount

    sheet = steel.run_to(steel.sheet([(steel.rebar, "2")]), "sign")
    CustomerAccount.objects.filter(pk=steel.account.pk).update(balance=Decimal("100.00"))
    with pytest.raises(TransitionConflict) as exc:
        spot_sheet_release(sheet=sheet, user=steel.p.warehouse_keeper)
    assert "100.00" in exc.value.message
    sheet.refresh_from_db()
    assert sheet.state == SpotSheet.State.SIGNED
    assert not StockMove.objects.filter(kind=StockMove.Kind.ISSUE).exists()
