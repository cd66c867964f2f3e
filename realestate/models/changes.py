"""Changes to a subscription after it is taken (篇7 6–9, 11, 12; 篇6 退房或换房手续): rename,
extra discount, unit exchange, cancellation and delayed signing. Each goes through the core's
approval matrix; the approval's handler applies it (or, for the steps done by people afterwards —
new receipts, the housing bureau, the refund — opens them)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom.models import ApprovalRequest, Customer, Store


def _money(label, **kwargs):
    return models.DecimalField(label, max_digits=14, decimal_places=2, **kwargs)


class ChangeRequest(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """pending (in the approval matrix) → approved (people still have a step to do: new receipts,
    the housing bureau, the refund) → done; or rejected."""

    class Kind(models.TextChoices):
        RENAME = "rename", _("Rename")
        EXTRA_DISCOUNT = "extra_discount", _("Extra discount")
        EXCHANGE = "exchange", _("Unit exchange")
        CANCEL = "cancel", pgettext_lazy("change kind", "Cancellation")
        DELAY = "delay", _("Delayed signing")

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("change state", "Waiting for approval")
        APPROVED = "approved", pgettext_lazy("change state", "Approved, being carried out")
        DONE = "done", pgettext_lazy("change state", "Done")
        REJECTED = "rejected", pgettext_lazy("change state", "Rejected")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("realestate.Project", on_delete=models.PROTECT, related_name="changes")
    subscription = models.ForeignKey("realestate.Subscription", on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    state = FSMField(_("state"), default=State.PENDING, choices=State.choices, protected=True)
    reason = models.CharField(_("reason"), max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approval = models.OneToOneField(ApprovalRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # Rename
    old_customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("old buyer")
    )
    new_customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("new buyer")
    )
    # Extra discount
    discount_pct = models.DecimalField(_("extra discount %"), max_digits=5, decimal_places=2, null=True, blank=True)
    discount_amount = _money(_("extra discount"), null=True, blank=True)
    # Exchange
    old_unit = models.ForeignKey(
        "realestate.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("old unit")
    )
    new_unit = models.ForeignKey(
        "realestate.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("new unit")
    )
    new_subscription = models.ForeignKey(
        "realestate.Subscription", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Delayed signing
    delay_days = models.PositiveSmallIntegerField(_("days of delay"), null=True, blank=True)
    keep_discount = models.BooleanField(_("keeps the subscription discount"), default=True)
    # Cancellation
    after_contract = models.BooleanField(_("after the formal contract"), default=False)
    after_filing = models.BooleanField(_("after filing"), default=False)
    deductions = _money(_("agreed deductions"), default=Decimal("0"))
    data_restored_at = models.DateTimeField(_("bureau data restored at"), null=True, blank=True)
    waiver_signed_at = models.DateTimeField(_("maintenance-fund waiver signed at"), null=True, blank=True)
    filing_cancelled_at = models.DateTimeField(_("filing cancelled at"), null=True, blank=True)
    filing_cancel_number = models.CharField(_("filing cancellation document"), max_length=60, blank=True)
    principal_paid = _money(_("principal paid"), null=True, blank=True)
    taxes_refunded = _money(_("taxes refunded"), null=True, blank=True)
    refund_amount = _money(_("refund"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("refund computed at"), null=True, blank=True)
    receipts_swapped_at = models.DateTimeField(_("receipts swapped at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        indexes = [models.Index(fields=["store", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def bureau_done(self) -> bool:
        if self.after_filing:
            return self.filing_cancelled_at is not None
        return self.data_restored_at is not None

    @transition(field=state, source=State.PENDING, target=State.APPROVED)
    def approve(self):
        """Run by the approval's handler only."""

    @transition(field=state, source=State.PENDING, target=State.REJECTED)
    def reject(self):
        """Run by the approval's rejection handler only."""

    @transition(field=state, source=State.APPROVED, target=State.DONE)
    def complete(self):
        """The last step of the change (the handler itself, the cashier's receipts or the refund)."""
