"""Customer accounts (the prepaid balance a sales slip is checked against), payments with their
receipts, sales invoices matched to payments, and the drop-ship purchase invoice.

A warehouse customer is a core ``showroom.Customer`` (one per mobile and store); the account is
the warehouse's ledger of that customer's money: ``CustomerAccount`` one-to-one with it."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from showroom.models import Customer, Store
from warehouse.models.catalog import Supplier

ZERO = Decimal("0")


class CustomerAccount(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    customer = models.OneToOneField(
        Customer, on_delete=models.PROTECT, related_name="warehouse_account", verbose_name=_("customer")
    )
    company = models.CharField(_("company"), max_length=120, blank=True)
    # The prepaid balance (预收货款余额): payments in less slips charged. Never below zero.
    balance = models.DecimalField(_("prepaid balance"), max_digits=16, decimal_places=2, default=ZERO)
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        ordering = ["customer__name"]
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="customer_account_not_negative")]

    def __str__(self) -> str:
        return self.company or self.customer.name


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    TRANSFER = "transfer", _("Bank transfer")


class AccountEntry(models.Model):
    """One line of a customer's statement: a payment in (with its receipt) or a slip charged."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        CHARGE = "charge", _("Sales slip charged")

    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Signed: + a payment to the balance, − a charge. A payment matched to an invoice at once
    # does not touch the prepaid balance (``to_balance`` False).
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    to_balance = models.BooleanField(_("prepaid"), default=True)
    balance_after = models.DecimalField(_("balance after"), max_digits=16, decimal_places=2)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices, blank=True)
    receipt_number = models.CharField(_("receipt"), max_length=30, blank=True, db_index=True)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    slip = models.ForeignKey("SalesSlip", on_delete=models.PROTECT, null=True, blank=True, related_name="charges")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("account entry")
        verbose_name_plural = _("account entries")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="account_entry_not_zero"),
            models.UniqueConstraint(fields=["slip"], condition=Q(kind="charge"), name="slip_charged_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class SalesInvoice(models.Model):
    """A sales invoice (销售专用发票) made from an order, a slip or a drop-ship sale."""

    class Kind(models.TextChoices):
        ORDER = "order", _("From a sales order")
        SLIP = "slip", _("From a sales slip")
        DROPSHIP = "dropship", _("Drop-ship sale")
        SPOT = "spot", _("Spot sale by weight")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, db_index=True)
    order = models.ForeignKey("SalesOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="invoices")
    slip = models.OneToOneField("SalesSlip", on_delete=models.PROTECT, null=True, blank=True, related_name="invoice")
    dropship = models.OneToOneField(
        "DropShip", on_delete=models.PROTECT, null=True, blank=True, related_name="sales_invoice"
    )
    net = models.DecimalField(_("net amount"), max_digits=16, decimal_places=2)
    vat = models.DecimalField(_("output VAT"), max_digits=16, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2)
    paid = models.DecimalField(_("paid"), max_digits=16, decimal_places=2, default=ZERO)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sales invoice")
        verbose_name_plural = _("sales invoices")
        constraints = [
            models.CheckConstraint(condition=Q(total=models.F("net") + models.F("vat")), name="invoice_total"),
            models.CheckConstraint(condition=Q(paid__gte=0, paid__lte=models.F("total")), name="invoice_not_overpaid"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def open_amount(self) -> Decimal:
        return self.total - self.paid


class InvoiceMatch(models.Model):
    """A payment (or the prepaid balance, for a charged slip) matched to an invoice."""

    invoice = models.ForeignKey(SalesInvoice, on_delete=models.PROTECT, related_name="matches")
    payment = models.ForeignKey(AccountEntry, on_delete=models.PROTECT, related_name="matches")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    created_at = models.DateTimeField(_("matched at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("invoice match")
        verbose_name_plural = _("invoice matches")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_match_positive")]

    def __str__(self) -> str:
        return f"{self.invoice_id} ← {self.payment_id}: {self.amount}"


class PurchaseInvoice(models.Model):
    """The supplier's invoice of a drop-ship purchase, approved in payables (no entry there)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier"))
    dropship = models.OneToOneField("DropShip", on_delete=models.PROTECT, related_name="purchase_invoice")
    supplier_number = models.CharField(_("supplier's invoice number"), max_length=40)
    net = models.DecimalField(_("net amount"), max_digits=16, decimal_places=2)
    vat = models.DecimalField(_("input VAT"), max_digits=16, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase invoice")
        verbose_name_plural = _("purchase invoices")
        constraints = [
            models.CheckConstraint(condition=Q(total=models.F("net") + models.F("vat")), name="purchase_invoice_total")
        ]

    def __str__(self) -> str:
        return self.supplier_number
