"""Journal entries balance in every flow (and the database refuses one that does not);
receivables equal invoices minus payments over random flows; the month-end close posts the
weighted-average cost computed by hand, one entry per item; drop-ship never moves stock; a
retail daily report creates exactly its outbound moves."""

import contextlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from showroom.services.transitions import TransitionConflict
from tests.warehouse.factories import BinFactory, ItemFactory, WarehouseFactory
from warehouse.models import (
    Account,
    CostPosting,
    InvoiceMatch,
    JournalEntry,
    JournalLine,
    RetailSale,
    SalesInvoice,
    StockMove,
    Warehouse,
)
from warehouse.selectors_sales import account_balances
from warehouse.services import (
    JournalUnbalanced,
    dropship_approve,
    dropship_create,
    dropship_invoice,
    dropship_purchase_invoice,
    invoice_pay_from_balance,
    journal_post,
    month_end_close,
    retail_report_approve,
    retail_report_create,
    retail_sale_record,
)
from warehouse.services.accounts import invoice_make
from warehouse.services.journal import cr, dr

pytestmark = pytest.mark.django_db
D = Decimal


def assert_every_entry_balances():
    for entry in JournalEntry.objects.prefetch_related("lines"):
        lines = list(entry.lines.all())
        assert len(lines) >= 2
        assert sum(x.debit for x in lines) == sum(x.credit for x in lines), entry


def test_journal_post_refuses_an_unbalanced_entry(personas):
    with pytest.raises(JournalUnbalanced):
        journal_post(
            store_id=personas.store_a.pk,
            kind="invoice",
            legs=[dr(Account.RECEIVABLE, D("100.00")), cr(Account.REVENUE, D("99.99"))],
        )
    assert not JournalEntry.objects.exists()


def test_the_database_refuses_to_commit_an_unbalanced_entry(personas):
    entry = journal_post(
        store_id=personas.store_a.pk,
        kind="payment",
        legs=[dr(Account.CASH, D("5.00")), cr(Account.ADVANCES, D("5.00"))],
    )
    # a line written around the service breaks the balance: the deferred trigger refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.create(entry=entry, account=Account.CASH, debit=D("0.01"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the balanced entry passes
    assert entry.lines.count() == 2


def test_a_line_is_a_debit_or_a_credit(personas):
    entry = JournalEntry.objects.create(store=personas.store_a, date=timezone.localdate(), kind="payment")
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.create(entry=entry, account=Account.CASH, debit=D("1"), credit=D("1"))


# given random flows of one customer: prepaid payments, invoices, payments against invoices and
# the balance applied to invoices
flows = st.lists(
    st.tuples(
        st.sampled_from(["prepay", "invoice", "pay_invoice", "apply"]),
        st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2),
        st.sampled_from([D("13"), D("9"), D("0")]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=flows)
def test_receivables_equal_invoices_minus_payments_over_random_flows(personas, flow, steps):
    from django.db.models import F, Sum

    from tests.factories import CustomerFactory
    from warehouse.services import account_open

    account = account_open(user=personas.finance, customer=CustomerFactory(store=personas.store_a))
    for step, amount, rate in steps:
        invoice = SalesInvoice.objects.filter(account=account, paid__lt=F("total")).order_by("id").first()
        if step == "prepay":
            flow.pay(str(amount), account=account)
        elif step == "invoice":
            invoice_make(user=personas.finance, account=account, kind="order", rows=[(amount, rate)])
        elif step == "pay_invoice" and invoice is not None:
            flow.pay(str(min(amount, invoice.open_amount)), account=account, invoice=invoice, method="card")
        elif step == "apply" and invoice is not None:
            with contextlib.suppress(TransitionConflict):  # not enough balance: nothing happens
                invoice_pay_from_balance(user=personas.cashier, invoice=invoice)
    invoiced = SalesInvoice.objects.filter(account=account).aggregate(t=Sum("total"))["t"] or D("0")
    matched = InvoiceMatch.objects.filter(invoice__account=account).aggregate(t=Sum("amount"))["t"] or D("0")
    paid_in = sum((e.amount for e in account.entries.filter(kind="payment")), D("0"))

    def side(code):
        rows = JournalLine.objects.filter(customer_account=account, account=code).aggregate(
            d=Sum("debit"), c=Sum("credit")
        )
        return (rows["d"] or D("0")) - (rows["c"] or D("0"))

    # then receivable = invoices − payments matched to them, advances = the prepaid balance
    assert side(Account.RECEIVABLE) == invoiced - matched
    account.refresh_from_db()
    assert -side(Account.ADVANCES) == account.balance
    # and money in = what the payments brought, every entry balanced, the trial balance is zero
    assert paid_in >= matched - sum((-e.amount for e in account.entries.filter(kind="charge")), D("0"))
    assert sum(account_balances().values(), D("0")) == 0
    assert_every_entry_balances()


@pytest.fixture
def monthly(personas, put_in):
    """A monthly-average warehouse with a bin; item X: 10 in at 10.00 and 5 at 13.00; item Y:
    3 in at 7.00 and 1 at 8.50."""
    warehouse = WarehouseFactory(store=personas.store_a, valuation=Warehouse.Valuation.MONTHLY, code="m1")
    bin = BinFactory(warehouse=warehouse, code="M-01")
    x = ItemFactory(code="X", list_price="20.00")
    y = ItemFactory(code="Y", list_price="15.00")
    put_in(x, warehouse, bin, 10, unit_cost="10.00")
    put_in(x, warehouse, bin, 5, unit_cost="13.00")
    put_in(y, warehouse, bin, 3, unit_cost="7.00")
    put_in(y, warehouse, bin, 1, unit_cost="8.50")
    return warehouse, bin, x, y


def test_month_end_close_posts_the_hand_computed_average_one_entry_per_item(personas, monthly):
    warehouse, bin, x, y = monthly
    # given the counter sold 6 X and 2 Y (one at a time for Y), the day's report approved
    for item, q in ((x, 6), (y, 1), (y, 1)):
        retail_sale_record(user=personas.counter_leader, warehouse=warehouse, bin=bin, item=item, quantity=q)
    report = retail_report_create(user=personas.cashier, warehouse=warehouse, day=timezone.localdate())
    retail_report_approve(report=report, user=personas.finance)
    # no cost yet: monthly average is known only at the close
    assert not JournalEntry.objects.filter(kind=JournalEntry.Kind.COGS).exists()
    assert StockMove.objects.filter(kind="issue", cost_pending=True).count() == 2
    # when finance closes the month
    month_end_close(warehouse=warehouse, month=timezone.localdate(), user=personas.finance)
    # then by hand: X (10×10.00 + 5×13.00) / 15 = 11.00 → 6 × 11.00 = 66.00;
    #               Y (3×7.00 + 1×8.50) / 4 = 7.375 → 2 × 7.375 = 14.75
    postings = {p.move.item.code: p for p in CostPosting.objects.select_related("move__item")}
    assert postings["X"].unit_cost == D("11.0000") and postings["X"].amount == D("66.00")
    assert postings["Y"].unit_cost == D("7.3750") and postings["Y"].amount == D("14.75")
    entries = JournalEntry.objects.filter(kind=JournalEntry.Kind.MONTH_CLOSE).prefetch_related("lines")
    assert sorted(e.memo for e in entries) == ["X", "Y"]
    amounts = {e.memo: {(ln.account, ln.debit, ln.credit) for ln in e.lines.all()} for e in entries}
    assert amounts["X"] == {(Account.COGS, D("66.00"), D("0")), (Account.INVENTORY, D("0"), D("66.00"))}
    assert amounts["Y"] == {(Account.COGS, D("14.75"), D("0")), (Account.INVENTORY, D("0"), D("14.75"))}
    assert_every_entry_balances()


def test_drop_ship_with_an_order_never_moves_stock_and_books_through_goods_in_transit(personas, wh, shop):
    moves_before = StockMove.objects.count()
    sale = dropship_create(
        user=personas.sales_assistant,
        account=shop.account,
        supplier=wh.supplier,
        lines=[{"item": wh.bolt, "quantity": 100, "unit_price": "11.30", "unit_cost": "5.65"}],
    )
    sale = dropship_approve(sale=sale, user=personas.marketing_director)
    assert sale.number.startswith("DS-") and sale.purchase_number.startswith("DP-")
    invoice = dropship_invoice(sale=sale, user=personas.finance)
    assert (invoice.net, invoice.vat, invoice.total) == (D("1000.00"), D("130.00"), D("1130.00"))
    purchase = dropship_purchase_invoice(sale=sale, user=personas.finance, supplier_number="FP-778")
    assert (purchase.net, purchase.vat) == (D("500.00"), D("65.00"))
    assert StockMove.objects.count() == moves_before
    balances = account_balances()
    assert balances[Account.RECEIVABLE] == D("1130.00")
    assert balances[Account.PAYABLE] == D("-565.00")
    assert balances[Account.INPUT_VAT] == D("65.00")
    assert balances.get(Account.GOODS_IN_TRANSIT, D("0")) == D("0")
    assert balances[Account.COGS] == D("500.00")
    assert_every_entry_balances()


def test_drop_ship_without_an_order_starts_with_the_sales_invoice(personas, wh, shop):
    moves_before = StockMove.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - a seller cannot start with an invoice
        dropship_create(
            user=personas.sales_assistant,
            account=shop.account,
            supplier=wh.supplier,
            with_order=False,
            lines=[{"item": wh.bolt, "quantity": 1, "unit_price": "1.13", "unit_cost": "1.00"}],
        )
    sale = dropship_create(
        user=personas.finance,
        account=shop.account,
        supplier=wh.supplier,
        with_order=False,
        lines=[{"item": wh.bolt, "quantity": 2, "unit_price": "113.00", "unit_cost": "56.50"}],
    )
    assert sale.state == "invoiced" and sale.sales_invoice.total == D("226.00")
    dropship_purchase_invoice(sale=sale, user=personas.finance, supplier_number="FP-1")
    sale.refresh_from_db()
    assert sale.state == "closed"
    assert StockMove.objects.count() == moves_before
    assert_every_entry_balances()


def test_a_retail_daily_report_creates_exactly_its_outbound_moves(personas, wh, shop):
    day = timezone.localdate()
    # given the counter's cash sales of the day: bolts twice from bin A, once from B; nuts once
    for item, bin, q in ((wh.bolt, wh.a, 2), (wh.bolt, wh.a, 3), (wh.bolt, wh.b, 1), (shop.nut, wh.a, 4)):
        retail_sale_record(user=personas.counter_leader, warehouse=wh.w1, bin=bin, item=item, quantity=q)
    # credit is refused at the counter
    with pytest.raises(ValidationError):
        retail_sale_record(
            user=personas.counter_leader, warehouse=wh.w1, bin=wh.a, item=wh.bolt, quantity=1, method="transfer"
        )
    report = retail_report_create(user=personas.counter_leader, warehouse=wh.w1, day=day)
    # bolts 6 × 100.00 + nuts 4 × 3.00
    assert report.total == D("612.00") and report.number.startswith("RD-")
    assert RetailSale.objects.filter(report=report).count() == 4
    before = set(StockMove.objects.values_list("pk", flat=True))
    retail_report_approve(report=report, user=personas.finance)
    made = StockMove.objects.exclude(pk__in=before)
    # then one issue per item and bin: bolts 5 from A, 1 from B; nuts 4 from A
    assert sorted((m.item.code, m.bin.code, m.quantity, m.kind) for m in made) == [
        ("BOLT", "A-01", D("-5"), "issue"),
        ("BOLT", "B-01", D("-1"), "issue"),
        ("NUT", "A-01", D("-4"), "issue"),
    ]
    report.refresh_from_db()
    assert report.delivery_number.startswith("DN-")
    balances = account_balances()
    assert balances[Account.CASH] == D("612.00")
    assert balances[Account.COGS] == D("68.00")  # 6 × 10.00 + 4 × 2.00
    assert_every_entry_balances()
    # and the day is closed: a second report or another sale is refused
    with pytest.raises(TransitionConflict):
        retail_sale_record(user=personas.counter_leader, warehouse=wh.w1, bin=wh.a, item=wh.bolt, quantity=1)
