"""Selling a unit: VIP pre-registration (认筹), small deposit (小订), subscription (认购), the formal
contract (签约) with its payment schedule, its five copies and the lent ID card and seal."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Customer, Store
from showroom.permissions import role_permission

from .projects import PriceList
from .units import system_only

ZERO = Decimal("0")


def _money(label, **kwargs):
    return models.DecimalField(label, max_digits=14, decimal_places=2, **kwargs)


class VipCard(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """认筹: agreement recorded → paid → reviewed → card issued (numbered per project); refund:
    applied → approved → refunded against the original receipt."""

    class State(models.TextChoices):
        RECORDED = "recorded", _("Agreement recorded")
        PAID = "paid", _("Paid")
        REVIEWED = "reviewed", _("Reviewed")
        ISSUED = "issued", _("Card issued")
        REFUND_REQUESTED = "refund_requested", _("Refund requested")
        REFUND_APPROVED = "refund_approved", _("Refund approved")
        REFUNDED = "refunded", _("Refunded")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("realestate.Project", on_delete=models.PROTECT, related_name="vip_cards")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer"))
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = _money(_("amount"))
    agreement_no = models.CharField(_("pre-registration agreement number"), max_length=40)
    number = models.CharField(_("VIP number"), max_length=30, blank=True, db_index=True)
    sequence = models.PositiveIntegerField(_("choosing order"), null=True, blank=True)
    state = FSMField(_("state"), default=State.RECORDED, choices=State.choices, protected=True)
    card_returned = models.BooleanField(_("card and agreement taken back"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["project", "sequence", "pk"]
        verbose_name = _("VIP card")
        verbose_name_plural = _("VIP cards")

    def __str__(self) -> str:
        return self.number or f"VIP #{self.pk}"

    @transition(field=state, source=State.RECORDED, target=State.PAID, permission=role_permission(r.CASHIER))
    def pay(self):
        pass

    @transition(field=state, source=State.PAID, target=State.REVIEWED, permission=role_permission(r.SALES_MANAGER))
    def review(self):
        pass

    @transition(field=state, source=State.REVIEWED, target=State.ISSUED, permission=role_permission(r.SALES_ASSISTANT))
    def issue(self):
        pass

    @transition(
        field=state, source=State.ISSUED, target=State.REFUND_REQUESTED, permission=role_permission(r.CONSULTANT)
    )
    def request_refund(self):
        pass

    @transition(
        field=state,
        source=State.REFUND_REQUESTED,
        target=State.REFUND_APPROVED,
        permission=role_permission(r.SALES_MANAGER),
    )
    def approve_refund(self):
        pass

    def card_taken_back(self) -> bool:
        return self.card_returned

    @transition(
        field=state,
        source=State.REFUND_APPROVED,
        target=State.REFUNDED,
        conditions=[card_taken_back],
        permission=role_permission(r.CASHIER),
    )
    def refund(self):
        """Only after the sales assistant took back the card and the agreement."""


class SmallDeposit(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """小订: applied (consultant; the unit shows "small deposit") → recorded (assistant) → reviewed
    (manager) → paid (cashier) → converted by a subscription, or lapsed after the project's days."""

    class State(models.TextChoices):
        APPLIED = "applied", _("Applied")
        RECORDED = "recorded", pgettext_lazy("small deposit", "Recorded")
        REVIEWED = "reviewed", _("Reviewed")
        PAID = "paid", _("Paid")
        CONVERTED = "converted", _("Converted to a subscription")
        LAPSED = "lapsed", _("Lapsed")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("realestate.Project", on_delete=models.PROTECT, related_name="small_deposits")
    unit = models.ForeignKey("realestate.Unit", on_delete=models.PROTECT, related_name="small_deposits")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer"))
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = _money(_("amount"))
    state = FSMField(_("state"), default=State.APPLIED, choices=State.choices, protected=True)
    expires_on = models.DateField(_("held until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("small deposit")
        verbose_name_plural = _("small deposits")

    def __str__(self) -> str:
        return f"小订 #{self.pk}"

    @transition(field=state, source=State.APPLIED, target=State.RECORDED, permission=role_permission(r.SALES_ASSISTANT))
    def record(self):
        pass

    @transition(field=state, source=State.RECORDED, target=State.REVIEWED, permission=role_permission(r.SALES_MANAGER))
    def review(self):
        pass

    @transition(field=state, source=State.REVIEWED, target=State.PAID, permission=role_permission(r.CASHIER))
    def pay(self):
        pass

    @transition(field=state, source=[State.APPLIED, State.RECORDED, State.REVIEWED, State.PAID], target=State.LAPSED)
    def lapse(self):
        pass

    @transition(field=state, source=[State.APPLIED, State.RECORDED, State.REVIEWED, State.PAID], target=State.CONVERTED)
    def convert(self):
        pass


LIVE_SUBSCRIPTION_STATES = ("requested", "slip_issued", "paid", "approved")


class Subscription(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """认购: the consultant requests the unit (it shows "subscribed" at once; one buyer wins) →
    the sales assistant checks it and issues the payment slip → the cashier takes the deposit →
    the sales manager reviews the unit and the agreement (binding from here; the agreement PDF is
    issued and the contract is due within the project's days) → contracted."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SLIP_ISSUED = "slip_issued", _("Payment slip issued")
        PAID = "paid", _("Deposit paid")
        APPROVED = "approved", _("Reviewed, binding")
        CONTRACTED = "contracted", _("Contract signed")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("realestate.Project", on_delete=models.PROTECT, related_name="subscriptions")
    unit = models.ForeignKey("realestate.Unit", on_delete=models.PROTECT, related_name="subscriptions")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("consultant")
    )
    price_list = models.ForeignKey(PriceList, on_delete=models.PROTECT, related_name="subscriptions")
    # The agreement text in force when the subscription was made (none before a first version).
    agreement_template = models.ForeignKey(
        "realestate.AgreementTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("agreement version"),
    )
    payment_method = models.CharField(_("payment method"), max_length=12, choices=PriceList.Method.choices)
    list_price_per_m2 = _money(_("list price per m²"))
    list_total = _money(_("list total"))
    method_discount_pct = models.DecimalField(_("payment-method discount %"), max_digits=5, decimal_places=2)
    total_price = _money(_("price"))
    deposit = _money(_("deposit"))
    extra_discount_pct = models.DecimalField(_("extra discount %"), max_digits=5, decimal_places=2, default=ZERO)
    extra_discount = _money(_("extra discount"), default=ZERO)
    state = FSMField(_("state"), default=State.REQUESTED, choices=State.choices, protected=True)
    number = models.CharField(_("agreement number"), max_length=30, blank=True, db_index=True)
    approved_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    sign_due_on = models.DateField(_("contract due by"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue since"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancel reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            # The database's own guard: one live subscription per unit, whatever the code does.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(state__in=LIVE_SUBSCRIPTION_STATES),
                name="re_one_live_subscription_per_unit",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"认购 #{self.pk}"

    @property
    def is_binding(self) -> bool:
        return self.state in (self.State.APPROVED, self.State.CONTRACTED)

    @transition(
        field=state, source=State.REQUESTED, target=State.SLIP_ISSUED, permission=role_permission(r.SALES_ASSISTANT)
    )
    def issue_slip(self):
        pass

    @transition(field=state, source=State.SLIP_ISSUED, target=State.PAID, permission=role_permission(r.CASHIER))
    def pay(self):
        pass

    @transition(field=state, source=State.PAID, target=State.APPROVED, permission=role_permission(r.SALES_MANAGER))
    def approve(self):
        pass

    @transition(field=state, source=State.APPROVED, target=State.CONTRACTED)
    def contract(self):
        pass

    @transition(
        field=state,
        source=[State.REQUESTED, State.SLIP_ISSUED, State.PAID],
        target=State.CANCELLED,
        permission=role_permission(r.CONSULTANT, r.SALES_MANAGER),
    )
    def cancel(self):
        pass

    @transition(
        field=state,
        source=[*LIVE_SUBSCRIPTION_STATES, State.CONTRACTED],
        target=State.CANCELLED,
        permission=system_only,
    )
    def void(self):
        """An approved change ends it (exchange, cancellation): run by the change services only."""


class Contract(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """签约 → 备案 → 交房: drafted by the sales assistant with the payment schedule and the fees;
    the cashier collects; the sales manager signs (the contract-documents checklist complete);
    filed with the housing bureau; handed over."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COLLECTED = "collected", _("Payments collected")
        SIGNED = "signed", pgettext_lazy("contract state", "Signed")
        FILED = "filed", pgettext_lazy("contract state", "Filed")
        HANDED_OVER = "handed_over", pgettext_lazy("contract state", "Handed over")
        CANCELLED = "cancelled", pgettext_lazy("contract state", "Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("realestate.Project", on_delete=models.PROTECT, related_name="contracts")
    subscription = models.OneToOneField(Subscription, on_delete=models.PROTECT, related_name="formal_contract")
    agreement_template = models.ForeignKey(
        "realestate.AgreementTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("contract version"),
    )
    number = models.CharField(_("contract number"), max_length=30, blank=True, db_index=True)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    total_price = _money(_("price"))
    deed_tax = _money(_("deed tax"))
    maintenance_fund = _money(_("maintenance fund"))
    registration_fee = _money(_("registration fee"))
    loan_bank = models.CharField(_("loan bank"), max_length=120, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=60, blank=True)
    preregistration_certificate = models.CharField(_("pre-registration certificate"), max_length=60, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    loan_disbursed_on = models.DateField(_("loan disbursed on"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handover_notice_at = models.DateTimeField(_("handover notice sent at"), null=True, blank=True)
    guarantee_given = models.BooleanField(_("quality guarantee given"), default=False)
    manual_given = models.BooleanField(_("user manual given"), default=False)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.number or f"合同 #{self.pk}"

    @transition(field=state, source=State.DRAFT, target=State.COLLECTED, permission=role_permission(r.CASHIER))
    def collect(self):
        pass

    @transition(field=state, source=State.COLLECTED, target=State.SIGNED, permission=role_permission(r.SALES_MANAGER))
    def sign(self):
        pass

    @transition(
        field=state,
        source=State.SIGNED,
        target=State.FILED,
        permission=role_permission(r.SALES_ASSISTANT, r.SALES_MANAGER),
    )
    def file(self):
        pass

    @transition(
        field=state,
        source=State.FILED,
        target=State.HANDED_OVER,
        permission=role_permission(r.CONSULTANT, r.SALES_MANAGER),
    )
    def hand_over(self):
        pass

    @transition(
        field=state,
        source=[State.DRAFT, State.COLLECTED, State.SIGNED, State.FILED],
        target=State.CANCELLED,
        permission=system_only,
    )
    def void(self):
        """An approved cancellation ends it: run by the change services only."""


class PaymentLine(models.Model):
    """One line of the payment schedule (供款时间表)."""

    class Kind(models.TextChoices):
        DOWN_PAYMENT = "down_payment", _("Down payment")
        FULL_PAYMENT = "full_payment", _("Full payment")
        LOAN = "loan", _("Loan")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payment_lines")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    amount = _money(_("amount"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["contract", "due_on", "pk"]
        verbose_name = _("payment schedule line")
        verbose_name_plural = _("payment schedule lines")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class ContractCopy(models.Model):
    """The five copies of the contract (篇6: 5本合同去向)."""

    class Holder(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        BUREAU = "bureau", _("Housing bureau")
        DEVELOPER = "developer", _("Developer")
        BANK = "bank", _("Lending bank")
        GUARANTOR = "guarantor", _("Mortgage guarantor")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="copies")
    holder = models.CharField(_("copy for"), max_length=12, choices=Holder.choices)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["contract", "pk"]
        constraints = [models.UniqueConstraint(fields=["contract", "holder"], name="re_contract_copy_unique")]

    def __str__(self) -> str:
        return str(self.get_holder_display())


class Custody(models.Model):
    """The buyer's ID card and seal lent for filing (借用购房人身份证及手章)."""

    class Item(models.TextChoices):
        ID_CARD = "id_card", _("ID card")
        SEAL = "seal", _("Personal seal")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="custody")
    item = models.CharField(_("item"), max_length=10, choices=Item.choices)
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("lent document")
        verbose_name_plural = _("lent documents")

    def __str__(self) -> str:
        return str(self.get_item_display())


class Invoice(models.Model):
    """An invoice the buyer receives against the returned receipts (篇6: 契税、维修基金发票, 房款发票;
    after the loan, the final invoice)."""

    class Kind(models.TextChoices):
        DEED_TAX = "deed_tax", _("Deed-tax invoice")
        MAINTENANCE_FUND = "maintenance_fund", _("Maintenance-fund invoice")
        PAYMENT = "payment", _("Payment invoice")
        FINAL = "final", _("Final invoice")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("invoice number"), max_length=40)
    amount = _money(_("amount"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract", "issued_at"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [models.UniqueConstraint(fields=["contract", "kind"], name="re_invoice_once_per_kind")]

    def __str__(self) -> str:
        return self.number
