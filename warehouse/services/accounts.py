"""Customer accounts, payments with receipts, sales invoices and their matching (article 2).

Entries (凭证), each balanced:
- invoice: Dr receivable / Cr revenue, Cr output VAT;
- payment matched to an invoice: Dr cash or bank / Cr receivable;
- payment with no invoice (prepaid): Dr cash or bank / Cr customer advances;
- the prepaid balance applied to an invoice (a charged slip): Dr customer advances / Cr receivable.

So, per customer, receivable = invoices − matched amounts, and advances = prepaid balance.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.models import Customer
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict
from warehouse.models import (
    Account,
    AccountEntry,
    CustomerAccount,
    InvoiceMatch,
    JournalEntry,
    PaymentMethod,
    SalesInvoice,
    SalesOrder,
    SalesSlip,
)
from warehouse.services._common import decimal_of, require_role
from warehouse.services.journal import cr, dr, journal_post, money, vat_split

ZERO = Decimal("0")
CASHIERS = (r.CASHIER, r.FINANCE)
INVOICERS = (r.FINANCE,)
ACCOUNT_OPENERS = (r.SALES_ASSISTANT, r.SALES_MANAGER, r.MARKETING_DIRECTOR, r.COUNTER_LEADER, r.FINANCE, r.CASHIER)


def _amount(value, *, field: str = "amount") -> Decimal:
    amount = decimal_of(value, field=field)
    if amount <= 0 or amount != money(amount):
        raise ValidationError({field: [_("Enter an amount above zero, to the cent.")]})
    return amount


@transaction.atomic
def account_open(*, user, customer: Customer, company: str = "") -> CustomerAccount:
    """The warehouse account of a core customer (opened once; a second call returns it)."""
    require_role(user=user, store_id=customer.store_id, roles=ACCOUNT_OPENERS)
    account, created = CustomerAccount.objects.get_or_create(
        customer=customer, defaults={"store_id": customer.store_id, "company": (company or "").strip()[:120]}
    )
    if not created and company and not account.company:
        account.company = company.strip()[:120]
        account.save(update_fields=["company"])
    return account


def _locked_account(account: CustomerAccount) -> CustomerAccount:
    return CustomerAccount.objects.select_for_update().get(pk=account.pk)


@transaction.atomic
def payment_record(
    *, user, account: CustomerAccount, amount, method: str, reference: str = "", invoice: SalesInvoice | None = None
) -> AccountEntry:
    """A payment received (cash, card or transfer) with its receipt (PY). Matched to ``invoice``
    when given, else it adds to the prepaid balance."""
    require_role(user=user, store_id=account.store_id, roles=CASHIERS)
    amount = _amount(amount)
    if method not in PaymentMethod.values:
        raise ValidationError({"method": [_("Choose cash, card or transfer.")]})
    account = _locked_account(account)
    if invoice is not None:
        invoice = SalesInvoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.account_id != account.pk:
            raise ValidationError({"invoice": [_("The invoice is of another customer.")]})
        if amount > invoice.open_amount:
            raise ValidationError(
                {"amount": [_("The invoice has only %(open)s open.") % {"open": f"{invoice.open_amount:,.2f}"}]}
            )
    else:
        account.balance += amount
        account.save(update_fields=["balance"])
    entry = AccountEntry.objects.create(
        account=account,
        kind=AccountEntry.Kind.PAYMENT,
        amount=amount,
        to_balance=invoice is None,
        balance_after=account.balance,
        method=method,
        reference=(reference or "").strip()[:80],
        created_by=user,
    )
    entry.receipt_number = document_issue(doc_type="PY", target=entry, store=account.store, user=user).number
    entry.save(update_fields=["receipt_number"])
    money_account = Account.CASH if method == PaymentMethod.CASH else Account.BANK
    credit = Account.RECEIVABLE if invoice is not None else Account.ADVANCES
    journal_post(
        store_id=account.store_id,
        kind=JournalEntry.Kind.PAYMENT,
        legs=[dr(money_account, amount), cr(credit, amount, account)],
        source=entry,
        source_label=entry.receipt_number,
        memo=str(account),
        user=user,
    )
    if invoice is not None:
        _match(invoice=invoice, payment=entry, amount=amount)
    return entry


def _match(*, invoice: SalesInvoice, payment: AccountEntry, amount: Decimal) -> InvoiceMatch:
    invoice.paid += amount
    invoice.save(update_fields=["paid"])
    return InvoiceMatch.objects.create(invoice=invoice, payment=payment, amount=amount)


def balance_apply(
    *, user, account: CustomerAccount, invoice: SalesInvoice, amount: Decimal, slip: SalesSlip | None = None
) -> AccountEntry:
    """Charge ``amount`` of the prepaid balance and match it to ``invoice`` (the caller holds the
    account's lock and has checked the balance). Dr customer advances / Cr receivable."""
    account.balance -= amount
    account.save(update_fields=["balance"])
    entry = AccountEntry.objects.create(
        account=account,
        kind=AccountEntry.Kind.CHARGE,
        amount=-amount,
        balance_after=account.balance,
        slip=slip,
        reference=str(slip or invoice)[:80],
        created_by=user,
    )
    journal_post(
        store_id=account.store_id,
        kind=JournalEntry.Kind.ADVANCE,
        legs=[dr(Account.ADVANCES, amount, account), cr(Account.RECEIVABLE, amount, account)],
        source=entry,
        source_label=str(slip or invoice),
        memo=str(account),
        user=user,
    )
    _match(invoice=invoice, payment=entry, amount=amount)
    return entry


@transaction.atomic
def invoice_pay_from_balance(*, user, invoice: SalesInvoice, amount=None) -> AccountEntry:
    """Match the customer's prepaid balance to an open invoice (all of what is open, or
    ``amount``). Not enough balance: 409 with the missing amount."""
    require_role(user=user, store_id=invoice.store_id, roles=CASHIERS)
    account = _locked_account(invoice.account)
    invoice = SalesInvoice.objects.select_for_update().get(pk=invoice.pk)
    amount = invoice.open_amount if amount in (None, "") else _amount(amount)
    if amount <= 0 or amount > invoice.open_amount:
        raise ValidationError(
            {"amount": [_("The invoice has %(open)s open.") % {"open": f"{invoice.open_amount:,.2f}"}]}
        )
    if account.balance < amount:
        raise TransitionConflict(
            _("The prepaid balance is %(missing)s short.") % {"missing": f"{amount - account.balance:,.2f}"}
        )
    return balance_apply(user=user, account=account, invoice=invoice, amount=amount)


def _lines_total(rows) -> tuple[Decimal, Decimal]:
    """Net and VAT of (amount incl. VAT, VAT rate) rows, split per row."""
    net = vat = ZERO
    for amount, rate in rows:
        n, v = vat_split(total=amount, rate=rate)
        net += n
        vat += v
    return net, vat


def invoice_make(
    *,
    user,
    account: CustomerAccount,
    kind: str,
    rows: list[tuple[Decimal, Decimal]],
    order: SalesOrder | None = None,
    slip: SalesSlip | None = None,
    dropship=None,
) -> SalesInvoice:
    """Create a sales invoice (SI) and post Dr receivable / Cr revenue, Cr output VAT."""
    net, vat = _lines_total(rows)
    invoice = SalesInvoice(
        store_id=account.store_id,
        account=account,
        kind=kind,
        order=order,
        slip=slip,
        dropship=dropship,
        net=net,
        vat=vat,
        total=net + vat,
        created_by=user,
    )
    invoice.save()
    invoice.number = document_issue(doc_type="SI", target=invoice, store=account.store, user=user).number
    invoice.save(update_fields=["number"])
    journal_post(
        store_id=account.store_id,
        kind=JournalEntry.Kind.INVOICE,
        legs=[dr(Account.RECEIVABLE, invoice.total, account), cr(Account.REVENUE, net), cr(Account.OUTPUT_VAT, vat)],
        source=invoice,
        source_label=invoice.number,
        memo=str(account),
        user=user,
    )
    return invoice


@transaction.atomic
def sales_invoice_create(*, user, order: SalesOrder) -> SalesInvoice:
    """Invoice a whole approved order ahead of its slips (finance). Its slips are then charged
    against this invoice instead of getting their own."""
    require_role(user=user, store_id=order.store_id, roles=INVOICERS)
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.state not in (SalesOrder.State.APPROVED, SalesOrder.State.DONE):
        raise TransitionConflict(_("Only an approved order is invoiced."), state=order.state)
    if SalesInvoice.objects.filter(order=order).exists():
        raise TransitionConflict(_("This order is already invoiced (whole or by its slips)."))
    rows = [(line.amount, line.item.vat_rate) for line in order.lines.select_related("item")]
    return invoice_make(user=user, account=order.account, kind=SalesInvoice.Kind.ORDER, rows=rows, order=order)


def account_merge_hook(*, survivor: Customer, duplicate: Customer, user) -> None:
    """Customer merge: when both customers have a warehouse account, the duplicate's account is
    folded into the survivor's (its balance, entries, orders, slips, invoices, sales and journal
    lines move), so the one-account-per-customer rule holds. Runs before the core moves the
    foreign keys; a duplicate with the only account simply moves with them."""
    accounts = {
        a.customer_id: a
        for a in CustomerAccount.objects.select_for_update().filter(customer_id__in=[survivor.pk, duplicate.pk])
    }
    if len(accounts) < 2:
        return
    keep, gone = accounts[survivor.pk], accounts[duplicate.pk]
    from warehouse.models import DropShip, JournalLine

    for model, field in (
        (AccountEntry, "account"),
        (SalesOrder, "account"),
        (SalesSlip, "account"),
        (SalesInvoice, "account"),
        (DropShip, "account"),
        (JournalLine, "customer_account"),
    ):
        model.objects.filter(**{field: gone}).update(**{field: keep})
    keep.balance += gone.balance
    keep.company = keep.company or gone.company
    keep.save(update_fields=["balance", "company"])
    gone.delete()
