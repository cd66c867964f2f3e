"""The general journal (article 2: every flow makes its 凭证). An entry is a set of lines whose
debits equal its credits to the cent: ``warehouse.services.journal.journal_post`` refuses an
unbalanced entry, and a deferred constraint trigger (migration 0002) refuses to commit one, so
no code path can leave an unbalanced entry in the database. Entries are never changed."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from showroom.models import Store

ZERO = Decimal("0")


class Account(models.TextChoices):
    """The chart of accounts the flows post to (PRC standard codes)."""

    CASH = "1001", _("1001 Cash on hand")
    BANK = "1002", _("1002 Bank deposits")
    RECEIVABLE = "1122", _("1122 Accounts receivable")
    GOODS_IN_TRANSIT = "1402", _("1402 Goods in transit")
    INVENTORY = "1405", _("1405 Inventory")
    PAYABLE = "2202", _("2202 Accounts payable")
    ADVANCES = "2203", _("2203 Customer advances")
    OUTPUT_VAT = "2221.01", _("2221.01 VAT payable – output VAT")
    INPUT_VAT = "2221.02", _("2221.02 VAT payable – input VAT")
    REVENUE = "6001", _("6001 Revenue from main operations")
    COGS = "6401", _("6401 Cost of main operations")


class JournalEntry(models.Model):
    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Sales invoice")
        PAYMENT = "payment", _("Payment received")
        ADVANCE = "advance", _("Advance applied to an invoice")
        COGS = "cogs", _("Cost of goods sold")
        MONTH_CLOSE = "month_close", _("Month-end cost of goods sold")
        DROPSHIP_PURCHASE = "dropship_purchase", _("Drop-ship purchase invoice")
        DROPSHIP_COGS = "dropship_cogs", _("Drop-ship cost of goods sold")
        RETAIL = "retail", _("Retail daily report")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    source_label = models.CharField(_("document"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [
            models.Index(fields=["store", "date"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"JE {self.pk} {self.date:%Y-%m-%d} {self.get_kind_display()}"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.CharField(_("account"), max_length=8, choices=Account.choices, db_index=True)
    debit = models.DecimalField(_("debit"), max_digits=16, decimal_places=2, default=ZERO)
    credit = models.DecimalField(_("credit"), max_digits=16, decimal_places=2, default=ZERO)
    # The customer account a receivable or advance line belongs to (the sub-ledger).
    customer_account = models.ForeignKey(
        "CustomerAccount", on_delete=models.PROTECT, null=True, blank=True, related_name="journal_lines"
    )

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="journal_line_one_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} Dr {self.debit} Cr {self.credit}"
