# ruff: noqa: F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""Quotes: totals and purchase tax checked against a hand computation, the discount authority
(consultant's limit, sales manager up to the store's limit, general manager above), sending,
revising, accepting, expiry with its follow-up, the PDF's text and the loan calculator."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from leads.models import Order, Quote
from leads.services.finance import loan_calculate
from leads.services.quote_totals import purchase_tax_compute
from leads.services.quotes import (
    quote_accept,
    quote_create,
    quote_line_add,
    quote_line_remove,
    quote_reject,
    quote_revise,
    quote_send,
    quote_update,
    quotes_expire,
)
from showroom.models import ApprovalRequest, Document, FollowUp
from showroom.services.approvals import approval_approve, approval_reject
from showroom.services.documents import document_render
from showroom.services.transitions import TransitionConflict
from tests.leads.quotes_fixtures import VIN1, accepted_trade_in, shop, today  # noqa: F401

D = Decimal


def full_quote(personas, shop, trade_in=None, discount="3000.00"):
    quote = quote_create(
        lead=shop.lead,
        user=personas.consultant,
        trim_colour=shop.tc,
        vin=VIN1,
        discount=discount,
        trade_in=trade_in,
        invoice_date=today() + dt.timedelta(days=3),
    )
    quote_line_add(quote=quote, user=personas.consultant, kind="accessory", item=shop.mats, quantity="2")
    quote_line_add(quote=quote, user=personas.consultant, kind="accessory", item=shop.film)
    quote_line_add(quote=quote, user=personas.consultant, kind="insurance", item=shop.insurance)
    quote_line_add(quote=quote, user=personas.consultant, kind="warranty", item=shop.warranty)
    quote_line_add(quote=quote, user=personas.consultant, kind="service", item=shop.service)
    quote_line_add(quote=quote, user=personas.consultant, kind="fee", item=shop.fee)
    quote.refresh_from_db()
    return quote


# --- money ----------------------------------------------------------------------------------------


def test_totals_of_a_quote_with_every_line_type_match_the_hand_computation(personas, shop, accepted_trade_in):
    # given a GL8 at 231,900.00 with a 3,000.00 discount, two accessory packages (2 × 1,288.50 and
    # 3,999.99), insurance 5,432.10, warranty 2,980.00, a service package 1,200.00, a 500.00 fee and
    # a 60,000.00 trade-in, invoiced in 2026 (not a new-energy vehicle)
    quote = full_quote(personas, shop, trade_in=accepted_trade_in)
    # then, by hand:
    #   vehicle net   231,900.00 − 3,000.00                    = 228,900.00
    #   tax base      228,900.00 / 1.13 = 202,566.3717…        → 202,566.37
    #   purchase tax  202,566.37 × 10 % = 20,256.637           → 20,256.64
    #   accessories   2,577.00 + 3,999.99                      = 6,576.99
    #   services      5,432.10 + 2,980.00 + 1,200.00           = 9,612.10
    #   total 228,900.00 + 6,576.99 + 9,612.10 + 500.00 + 20,256.64 − 60,000.00 = 205,845.73
    assert quote.vehicle_net == D("228900.00")
    assert quote.accessories_total == D("6576.99")
    assert quote.services_total == D("9612.10")
    assert quote.fees_total == D("500.00")
    assert quote.purchase_tax == D("20256.64")
    assert quote.purchase_tax_relief == D("0.00")
    assert quote.trade_in_credit == D("60000.00")
    assert quote.total == D("205845.73")
    assert all(isinstance(v, Decimal) for v in (quote.total, quote.purchase_tax))
    # when a line is removed the totals follow
    line = quote.lines.get(kind="fee")
    quote = quote_line_remove(quote=quote, user=personas.consultant, line_id=line.pk)
    assert quote.total == D("205345.73")


@pytest.mark.parametrize(
    ("price", "nev", "day", "relief", "due"),
    [
        # 179,800 / 1.13 = 159,115.04; × 10 % = 15,911.50
        ("179800", False, dt.date(2025, 6, 1), "0.00", "15911.50"),  # not new-energy: full tax
        ("179800", True, dt.date(2025, 6, 1), "15911.50", "0.00"),  # 2024–2025: exempt (under the cap)
        # 459,900 / 1.13 = 406,991.15; × 10 % = 40,699.115 → 40,699.12; exemption capped at 30,000
        ("459900", True, dt.date(2025, 12, 31), "30000.00", "10699.12"),
        ("179800", True, dt.date(2026, 1, 1), "7955.75", "7955.75"),  # 2026–2027: halved
        ("459900", True, dt.date(2027, 12, 31), "15000.00", "25699.12"),  # half 20,349.56 capped at 15,000
        ("179800", True, dt.date(2028, 1, 1), "0.00", "15911.50"),  # after 2027: full tax
    ],
)
def test_purchase_tax_with_and_without_the_new_energy_relief(db, price, nev, day, relief, due):
    tax = purchase_tax_compute(price=D(price), is_nev=nev, on=day)
    assert (tax.relief, tax.due) == (D(relief), D(due))
    assert tax.due == tax.gross - tax.relief


def test_a_new_energy_quote_uses_the_rule_of_its_invoice_date(personas, shop):
    # given an NEV at 179,800 invoiced in 2026 (today is in 2026): the tax is halved
    quote = quote_create(lead=shop.lead, user=personas.consultant, trim_colour=shop.nev_tc, invoice_date=today())
    assert quote.is_nev
    assert (quote.purchase_tax, quote.purchase_tax_relief) == (D("7955.75"), D("7955.75"))
    assert quote.total == D("179800.00") + D("7955.75")


def test_the_purchase_tax_is_data_a_new_rule_row_changes_it(personas, shop):
    from leads.models import PurchaseTaxRule

    PurchaseTaxRule.objects.filter(valid_from=dt.date(2026, 1, 1)).update(
        nev_relief_percent=D("100"), nev_relief_cap=None
    )
    assert purchase_tax_compute(price=D("179800"), is_nev=True, on=dt.date(2026, 5, 1)).due == D("0.00")


# --- discount authority ------------------------------------------------------------------------------


def test_a_discount_at_the_consultants_limit_is_sent_directly(personas, shop):
    quote = full_quote(personas, shop, discount="3000.00")
    quote = quote_send(quote=quote, user=personas.consultant)
    assert quote.state == Quote.State.SENT
    assert quote.number.startswith("QT-")
    assert not ApprovalRequest.objects.filter(kind="leads.quote_discount").exists()
    assert Document.objects.filter(doc_type="QT", object_id=quote.pk).count() == 1
    shop.lead.refresh_from_db()
    assert shop.lead.state == "negotiating"


def test_one_cent_above_the_limit_waits_for_the_sales_manager(personas, shop):
    quote = full_quote(personas, shop, discount="3000.01")
    quote = quote_send(quote=quote, user=personas.consultant)
    assert quote.state == Quote.State.PENDING_APPROVAL
    request = ApprovalRequest.objects.get(kind="leads.quote_discount", object_id=quote.pk)
    assert (request.value, request.routed_role.code) == (D("3000.01"), "sales_manager")
    assert not Document.objects.filter(doc_type="QT").exists()
    # the consultant cannot send it before the decision
    with pytest.raises(TransitionConflict):
        quote_send(quote=quote, user=personas.consultant)
    # the consultant cannot approve it
    with pytest.raises(PermissionDenied):
        approval_approve(request=request, user=personas.consultant)
    # when the sales manager approves, the consultant sends it
    approval_approve(request=request, user=personas.sales_manager, note="同意")
    quote.refresh_from_db()
    assert (quote.state, quote.approved_discount) == (Quote.State.APPROVED, D("3000.01"))
    quote = quote_send(quote=quote, user=personas.consultant)
    assert quote.state == Quote.State.SENT


def test_above_the_store_limit_waits_for_the_general_manager(personas, shop):
    quote = full_quote(personas, shop, discount="8000.01")
    quote_send(quote=quote, user=personas.consultant)
    request = ApprovalRequest.objects.get(kind="leads.quote_discount", object_id=quote.pk)
    assert request.routed_role.code == "general_manager"
    with pytest.raises(PermissionDenied):
        approval_approve(request=request, user=personas.sales_manager)
    approval_approve(request=request, user=personas.general_manager)
    quote.refresh_from_db()
    assert quote.state == Quote.State.APPROVED


def test_a_refused_discount_sends_the_quote_back_to_draft(personas, shop):
    quote = full_quote(personas, shop, discount="5000.00")
    quote_send(quote=quote, user=personas.consultant)
    request = ApprovalRequest.objects.get(kind="leads.quote_discount", object_id=quote.pk)
    approval_reject(request=request, user=personas.sales_manager, note="折扣过高")
    quote.refresh_from_db()
    assert quote.state == Quote.State.DRAFT
    quote = quote_update(quote=quote, user=personas.consultant, discount="2000")
    assert quote_send(quote=quote, user=personas.consultant).state == Quote.State.SENT


# --- building, revising, answering, expiring ---------------------------------------------------------


def test_bad_input_is_refused_with_field_messages_and_changes_nothing(personas, shop):
    quote = full_quote(personas, shop)
    before = quote.total
    with pytest.raises(ValidationError) as err:
        quote_line_add(quote=quote, user=personas.consultant, kind="accessory", item=shop.insurance)
    assert "item" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        quote_line_add(quote=quote, user=personas.consultant, kind="fee", item=shop.fee, quantity="-1")
    assert "quantity" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        quote_update(quote=quote, user=personas.consultant, discount="abc", vin="NOPE")
    assert {"discount", "vin"} <= set(err.value.message_dict)
    quote.refresh_from_db()
    assert quote.total == before and quote.lines.count() == 6


def test_only_the_consultant_or_a_manager_builds_the_quote(personas, shop):
    with pytest.raises(PermissionDenied):
        quote_create(lead=shop.lead, user=personas.receptionist, trim_colour=shop.tc)
    with pytest.raises(PermissionDenied):
        quote_create(lead=shop.lead, user=personas.b_consultant, trim_colour=shop.tc)
    quote = quote_create(lead=shop.lead, user=personas.sales_manager, trim_colour=shop.tc)
    with pytest.raises(PermissionDenied):
        quote_line_add(quote=quote, user=personas.cashier, kind="fee", item=shop.fee)


def test_a_revision_is_a_new_version_and_the_history_is_kept(personas, shop):
    first = quote_send(quote=full_quote(personas, shop), user=personas.consultant)
    second = quote_revise(quote=first, user=personas.consultant)
    first.refresh_from_db()
    assert (first.state, second.state) == (Quote.State.SUPERSEDED, Quote.State.DRAFT)
    assert (second.family_id, second.version) == (first.pk, 2)
    assert second.lines.count() == 6 and second.total == first.total
    with pytest.raises(TransitionConflict):
        quote_accept(quote=first, user=personas.consultant)
    with pytest.raises(TransitionConflict):
        quote_line_add(quote=first, user=personas.consultant, kind="fee", item=shop.fee)


def test_accepting_creates_an_order_awaiting_its_deposit(personas, shop):
    quote = quote_send(quote=full_quote(personas, shop), user=personas.consultant)
    order = quote_accept(quote=quote, user=personas.consultant)
    quote.refresh_from_db()
    assert quote.state == Quote.State.ACCEPTED
    assert (order.state, order.total, order.deposit_due) == (Order.State.AWAITING_DEPOSIT, quote.total, D("5000.00"))


def test_rejected_by_the_customer(personas, shop):
    quote = quote_send(quote=full_quote(personas, shop), user=personas.consultant)
    quote = quote_reject(quote=quote, user=personas.consultant, note="再考虑")
    assert quote.state == Quote.State.REJECTED
    assert not Order.objects.exists()


def test_the_tick_expires_quotes_past_validity_and_plans_a_call(personas, shop):
    quote = quote_send(quote=full_quote(personas, shop), user=personas.consultant)
    assert quotes_expire(today=quote.valid_until) == 0  # still valid on its last day
    assert quotes_expire(today=quote.valid_until + dt.timedelta(days=1)) == 1
    quote.refresh_from_db()
    assert quote.state == Quote.State.EXPIRED
    followup = FollowUp.objects.get(plan="leads.quote_expired", object_id=quote.pk)
    assert followup.assignee == personas.consultant
    assert quotes_expire(today=quote.valid_until + dt.timedelta(days=2)) == 0  # idempotent


# --- the PDF and the loan calculator -----------------------------------------------------------------


def test_the_quote_pdf_shows_number_customer_vin_and_total(personas, shop, accepted_trade_in):
    quote = quote_send(quote=full_quote(personas, shop, trade_in=accepted_trade_in), user=personas.consultant)
    document = document_render(document_id=Document.objects.get(doc_type="QT", object_id=quote.pk).pk)
    assert document.state == Document.State.READY, document.error
    with document.file.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)
    assert quote.number in text
    assert "王先生" in text
    assert VIN1 in text
    assert "205,845.73" in text
    assert "报价单" in text


def test_the_english_quote_pdf(personas, shop):
    quote = full_quote(personas, shop)
    quote = quote_update(quote=quote, user=personas.consultant, language="en", vin="")
    quote = quote_send(quote=quote, user=personas.consultant)
    document = document_render(document_id=Document.objects.get(doc_type="QT", object_id=quote.pk).pk)
    with document.file.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)
    assert "Vehicle purchase tax" in text and "Documents you will sign" in text
    assert "陆尊 653T 豪华型" in text  # the trim (no VIN yet)
    assert f"{quote.total:,.2f}" in text


def test_loan_calculator_equal_instalments():
    result = loan_calculate(price="1000000", down_payment="0", months=360, annual_rate="4.9")
    assert result["monthly_payment"] == D("5307.27")
    assert len(result["rows"]) == 360 and result["rows"][-1].balance == D("0.00")
    assert result["total_interest"] == result["total_payment"] - D("1000000.00")


def test_loan_calculator_down_payment_share_and_equal_principal():
    result = loan_calculate(price="200000", down_share="30", months=36, annual_rate="3.6", method="equal_principal")
    # 140,000 borrowed: 3,888.89 principal a month; first month's interest 140,000 × 0.3 % = 420.00
    assert result["down_payment"] == D("60000.00") and result["principal"] == D("140000.00")
    assert result["monthly_payment"] == D("4308.89")
    with pytest.raises(ValidationError) as err:
        loan_calculate(price="200000", down_payment="250000", months=0, annual_rate="x")
    assert {"months", "annual_rate"} <= set(err.value.message_dict)
