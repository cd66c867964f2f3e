"""The site cashier: numbered receipts into the fund-supervision account, and the daily
receipts-and-payments report handed over to finance (locked afterwards)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models import Customer, Store


class Receipt(models.Model):
    class Kind(models.TextChoices):
        VIP = "vip", _("VIP pre-registration")
        SMALL_DEPOSIT = "small_deposit", _("Small deposit")
        DEPOSIT = "deposit", _("Subscription deposit")
        DOWN_PAYMENT = "down_payment", _("Down payment")
        FULL_PAYMENT = "full_payment", _("Full payment")
        DEED_TAX = "deed_tax", _("Deed tax")
        MAINTENANCE_FUND = "maintenance_fund", _("Maintenance fund")
        REGISTRATION_FEE = "registration_fee", _("Registration fee")
        LOAN = "loan", _("Loan disbursement")
        REFUND = "refund", _("Refund")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("realestate.Project", on_delete=models.PROTECT, related_name="receipts")
    number = models.CharField(_("receipt number"), max_length=30, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)  # negative for a refund
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("payer"))
    day = models.DateField(_("day"), db_index=True)
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    fund_account = models.CharField(_("paid into"), max_length=300)
    subscription = models.ForeignKey(
        "realestate.Subscription", on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    contract = models.ForeignKey(
        "realestate.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    vip_card = models.ForeignKey(
        "realestate.VipCard", on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    small_deposit = models.ForeignKey(
        "realestate.SmallDeposit", on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    refund_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refunded_by"
    )
    taken_back_at = models.DateTimeField(_("taken back from the buyer at"), null=True, blank=True)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.number


class CashierDay(models.Model):
    """One day's receipts-and-payments report of a store's cashier; handed over, it is final."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received = models.DecimalField(_("received"), max_digits=14, decimal_places=2, default=0)
    refunded = models.DecimalField(_("refunded"), max_digits=14, decimal_places=2, default=0)
    count = models.PositiveIntegerField(_("receipts"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("cashier's daily report")
        verbose_name_plural = _("cashier's daily reports")
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="re_cashier_day_unique")]

    def __str__(self) -> str:
        return f"{self.day}"

    @property
    def is_locked(self) -> bool:
        return self.handed_over_at is not None
