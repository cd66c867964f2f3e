"""Selling a car: the purchase-tax rule table, trade-in appraisals, quotes with their lines, and
orders with their payments (deposit, balance, refund). Imported by ``leads.models``.

Every amount is a Decimal with two places; the totals of a quote are computed in one place,
``leads.services.quote_totals.quote_totals_compute``, and stored on the quote when it changes.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from leads.models import LEAD_MANAGERS, AppraisalRequest, Lead, TrimColour
from showroom.models import Store
from showroom.permissions import has_role
from showroom.roles import APPRAISER, CASHIER, CONSULTANT, FINANCE, GENERAL_MANAGER, SALES_MANAGER

ZERO = Decimal("0.00")
MONEY = {"max_digits": 14, "decimal_places": 2}

# Who takes money and issues invoices for an order, beside the managers.
ORDER_CASHIERS = (CASHIER, FINANCE)
# Service runs: a transition no user starts by hand (an approved discount, the expiry tick).
RUN_DISCOUNT_APPROVED, RUN_DISCOUNT_REJECTED, RUN_EXPIRY_TICK = "discount_approved", "discount_rejected", "expiry"


def _run(instance) -> str:
    return getattr(instance, "_sales_service_run", "")


# --- the purchase-tax rule table -------------------------------------------------------------------
class PurchaseTaxRule(models.Model):
    """车辆购置税: ``rate`` of the price excluding VAT, for cars invoiced from ``valid_from`` to
    ``valid_to`` (inclusive; empty: open). A new-energy vehicle is relieved of
    ``nev_relief_percent`` of the tax, the relief capped at ``nev_relief_cap`` a car. A change of
    law is a new row."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    rate_percent = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2, default=Decimal("10"))
    vat_percent = models.DecimalField(
        _("VAT included in the price (%)"), max_digits=5, decimal_places=2, default=Decimal("13")
    )
    nev_relief_percent = models.DecimalField(
        _("new-energy relief (percent of the tax)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    nev_relief_cap = models.DecimalField(_("new-energy relief cap a car"), null=True, blank=True, **MONEY)
    note = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("purchase-tax rule")
        verbose_name_plural = _("purchase-tax rules")
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="purchase_tax_rule_from_unique")]

    def __str__(self) -> str:
        return f"{self.valid_from} – {self.valid_to or '…'}"


class SalesSettings(models.Model):
    """A store's selling rules; a store without a row uses the defaults."""

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="sales_settings")
    deposit_amount = models.DecimalField(_("standard deposit"), default=Decimal("5000.00"), **MONEY)
    quote_valid_days = models.PositiveSmallIntegerField(_("a quote is valid for (days)"), default=7)
    refund_before_allocation_percent = models.DecimalField(
        _("deposit refunded when cancelled before a car is allocated (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    refund_after_allocation_percent = models.DecimalField(
        _("deposit refunded when cancelled after a car is allocated (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    pickup_days_after_allocation = models.PositiveSmallIntegerField(_("pickup after allocation (days)"), default=3)
    arrival_days_when_not_in_stock = models.PositiveSmallIntegerField(
        _("expected arrival of a car not in stock (days)"), default=30
    )

    class Meta:
        verbose_name = _("sales settings")
        verbose_name_plural = _("sales settings")

    def __str__(self) -> str:
        return str(self.store)


# --- trade-in appraisal ---------------------------------------------------------------------------
class Appraisal(models.Model):
    """What the used-car appraiser recorded for a requested appraisal, and the offer."""

    class State(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted by the customer")
        DECLINED = "declined", _("Declined by the customer")

    request = models.OneToOneField(AppraisalRequest, on_delete=models.CASCADE, related_name="appraisal")
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="trade_in_appraisals")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    make = models.CharField(_("make"), max_length=60)
    model = models.CharField(_("model"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1950)])
    mileage_km = models.PositiveIntegerField(_("mileage (km)"))
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    # [{"item": "车身外观", "ok": true, "note": ""}, …]
    condition = models.JSONField(_("condition"), default=list, blank=True)
    photos = models.JSONField(_("photos"), default=list, blank=True)
    offer = models.DecimalField(_("offer"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    valid_until = models.DateField(_("offer valid until"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OFFERED)
    appraiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appraised_at = models.DateTimeField(_("appraised at"), auto_now_add=True)

    class Meta:
        ordering = ["-appraised_at"]
        verbose_name = _("trade-in appraisal")
        verbose_name_plural = _("trade-in appraisals")

    def __str__(self) -> str:
        return f"{self.make} {self.model} {self.year}"


def appraisal_may_record(store_id: int, user) -> bool:
    return has_role(user, store_id, (APPRAISER, *LEAD_MANAGERS))


# --- quotes -----------------------------------------------------------------------------------------
def quote_may_work(instance, user) -> bool:
    """The lead's consultant (still a consultant of the store) or a manager of the store."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk == instance.consultant_id and has_role(user, instance.store_id, CONSULTANT):
        return True
    return has_role(user, instance.store_id, LEAD_MANAGERS)


def _discount_approved(instance) -> bool:
    return _run(instance) == RUN_DISCOUNT_APPROVED


def _discount_rejected(instance) -> bool:
    return _run(instance) == RUN_DISCOUNT_REJECTED


def _within_authority(instance) -> bool:
    """A draft is sent directly when the discount is within the consultant's limit or already
    approved at this amount."""
    return instance.discount <= instance.consultant_limit or (
        instance.approved_discount is not None and instance.discount <= instance.approved_discount
    )


def _expiry_tick(instance) -> bool:
    return _run(instance) == RUN_EXPIRY_TICK


class Quote(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING_APPROVAL = "pending_approval", _("Waiting for discount approval")
        APPROVED = "approved", _("Discount approved")
        SENT = "sent", pgettext_lazy("quote state", "Sent")
        ACCEPTED = "accepted", pgettext_lazy("quote state", "Accepted")
        REJECTED = "rejected", pgettext_lazy("quote state", "Rejected")
        EXPIRED = "expired", pgettext_lazy("quote state", "Expired")
        SUPERSEDED = "superseded", _("Replaced by a new version")

    LIVE_STATES = (State.DRAFT, State.PENDING_APPROVAL, State.APPROVED, State.SENT)

    class Language(models.TextChoices):
        ZH = "zh-hans", "中文"
        EN = "en", "English"

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("store"))
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("lead"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("consultant")
    )
    # A revision is a new row: the family is the first version's id, the number its document's.
    family = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    trim_colour = models.ForeignKey(
        TrimColour, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("trim and colour")
    )
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    is_nev = models.BooleanField(_("new-energy vehicle"), default=False)
    vehicle_price = models.DecimalField(_("vehicle price"), **MONEY)
    discount = models.DecimalField(_("discount"), default=ZERO, validators=[MinValueValidator(ZERO)], **MONEY)
    consultant_limit = models.DecimalField(_("consultant's discount limit"), default=ZERO, **MONEY)
    approved_discount = models.DecimalField(_("approved discount"), null=True, blank=True, **MONEY)
    trade_in = models.ForeignKey(
        Appraisal, on_delete=models.PROTECT, null=True, blank=True, related_name="quotes", verbose_name=_("trade-in")
    )
    invoice_date = models.DateField(_("expected invoice date"))
    valid_until = models.DateField(_("valid until"))
    estimated_delivery = models.DateField(_("estimated delivery"), null=True, blank=True)
    language = models.CharField(_("language of the PDF"), max_length=8, choices=Language.choices, default="zh-hans")
    note = models.TextField(_("note"), blank=True)
    # Totals, written only by quote_totals_store (one service computes them).
    vehicle_net = models.DecimalField(_("vehicle after discount"), default=ZERO, **MONEY)
    accessories_total = models.DecimalField(_("accessories"), default=ZERO, **MONEY)
    services_total = models.DecimalField(_("insurance, warranty and services"), default=ZERO, **MONEY)
    fees_total = models.DecimalField(_("fees"), default=ZERO, **MONEY)
    purchase_tax = models.DecimalField(_("vehicle purchase tax"), default=ZERO, **MONEY)
    purchase_tax_relief = models.DecimalField(_("new-energy relief"), default=ZERO, **MONEY)
    trade_in_credit = models.DecimalField(_("trade-in credit"), default=ZERO, **MONEY)
    total = models.DecimalField(_("total"), default=ZERO, **MONEY)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        indexes = [
            models.Index(fields=["store", "-created_at", "-id"], name="quote_store_newest"),
            models.Index(fields=["state", "valid_until"], name="quote_state_valid"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="quote_family_version_unique"),
        ]

    def __str__(self) -> str:
        label = self.number or _("Quote #%(id)s") % {"id": self.pk}
        return f"{label} v{self.version}"

    @property
    def needs_approval(self) -> bool:
        return not _within_authority(self)

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    @transition(
        field=state, source=State.DRAFT, target=State.PENDING_APPROVAL, permission=quote_may_work, conditions=[]
    )
    def submit(self):
        pass

    @transition(field=state, source=State.PENDING_APPROVAL, target=State.APPROVED, conditions=[_discount_approved])
    def approve(self):
        pass

    @transition(field=state, source=State.PENDING_APPROVAL, target=State.DRAFT, conditions=[_discount_rejected])
    def refuse(self):
        pass

    @transition(
        field=state,
        source=[State.DRAFT, State.APPROVED],
        target=State.SENT,
        permission=quote_may_work,
        conditions=[_within_authority],
    )
    def send(self):
        pass

    @transition(field=state, source=State.SENT, target=State.ACCEPTED, permission=quote_may_work)
    def accept(self):
        pass

    @transition(field=state, source=State.SENT, target=State.REJECTED, permission=quote_may_work)
    def reject(self):
        pass

    @transition(field=state, source=State.SENT, target=State.EXPIRED, conditions=[_expiry_tick])
    def expire(self):
        pass

    @transition(
        field=state,
        source=[State.DRAFT, State.APPROVED, State.SENT, State.REJECTED, State.EXPIRED],
        target=State.SUPERSEDED,
        permission=quote_may_work,
    )
    def supersede(self):
        pass


class QuoteLine(models.Model):
    class Kind(models.TextChoices):
        ACCESSORY = "accessory", _("Accessory package")
        INSURANCE = "insurance", _("Insurance")
        WARRANTY = "warranty", _("Extended warranty")
        SERVICE = "service", _("Service package")
        FEE = "fee", _("Registration and licensing fee")

    SERVICE_KINDS = (Kind.INSURANCE, Kind.WARRANTY, Kind.SERVICE)

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    item = models.ForeignKey("warehouse.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(_("unit price"), validators=[MinValueValidator(ZERO)], **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")

    def __str__(self) -> str:
        return self.description


# --- orders -------------------------------------------------------------------------------------
def order_may_work(instance, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.pk == instance.consultant_id and has_role(user, instance.store_id, CONSULTANT):
        return True
    return has_role(user, instance.store_id, LEAD_MANAGERS)


def order_may_take_money(instance, user) -> bool:
    return order_may_work(instance, user) or has_role(user, instance.store_id, ORDER_CASHIERS)


def order_may_invoice(instance, user) -> bool:
    return has_role(user, instance.store_id, (*ORDER_CASHIERS, SALES_MANAGER, GENERAL_MANAGER))


def _has_reservation(instance) -> bool:
    return bool(instance.reservation_id)


class Order(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        AWAITING_DEPOSIT = "awaiting_deposit", _("Awaiting deposit")
        DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
        ALLOCATED = "allocated", _("Car allocated")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid in full")
        READY = "ready", _("Ready for delivery")
        CANCELLED = "cancelled", pgettext_lazy("order state", "Cancelled")

    OPEN_STATES = (State.AWAITING_DEPOSIT, State.DEPOSIT_PAID, State.ALLOCATED, State.INVOICED, State.PAID)

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="car_orders", verbose_name=_("store"))
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="orders", verbose_name=_("lead"))
    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="order", verbose_name=_("quote"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="car_orders", verbose_name=_("consultant")
    )
    total = models.DecimalField(_("total"), **MONEY)
    deposit_due = models.DecimalField(_("deposit due"), **MONEY)
    paid = models.DecimalField(_("paid"), default=ZERO, **MONEY)
    refunded = models.DecimalField(_("refunded"), default=ZERO, **MONEY)
    vin = models.CharField(_("VIN"), max_length=17, blank=True)
    # The ledger's reservation of the VIN (warehouse.Reservation).
    reservation = models.ForeignKey(
        "warehouse.Reservation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)
    pickup_estimate = models.DateField(_("estimated pickup"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    state = FSMField(_("state"), default=State.AWAITING_DEPOSIT, choices=State.choices, protected=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["store", "-created_at", "-id"], name="order_store_newest")]
        constraints = [
            # A VIN is allocated to one live order (the ledger's reservation is the first guard).
            models.UniqueConstraint(
                fields=["vin"],
                condition=~Q(vin="") & ~Q(state="cancelled"),
                name="order_one_live_per_vin",
            )
        ]

    def __str__(self) -> str:
        return _("Order %(number)s") % {"number": self.quote.number or self.pk}

    @property
    def balance(self) -> Decimal:
        return self.total - self.paid

    @transition(field=state, source=State.AWAITING_DEPOSIT, target=State.DEPOSIT_PAID, permission=order_may_take_money)
    def pay_deposit(self):
        pass

    @transition(
        field=state,
        source=State.DEPOSIT_PAID,
        target=State.ALLOCATED,
        permission=order_may_work,
        conditions=[_has_reservation],
    )
    def allocate(self):
        pass

    @transition(field=state, source=State.ALLOCATED, target=State.INVOICED, permission=order_may_invoice)
    def invoice(self):
        pass

    @transition(field=state, source=State.INVOICED, target=State.PAID, permission=order_may_take_money)
    def pay_in_full(self):
        pass

    @transition(field=state, source=State.PAID, target=State.READY, permission=order_may_work)
    def make_ready(self):
        pass

    @transition(
        field=state,
        source=[State.AWAITING_DEPOSIT, State.DEPOSIT_PAID, State.ALLOCATED, State.INVOICED],
        target=State.CANCELLED,
        permission=order_may_work,
    )
    def cancel(self):
        pass


class Payment(models.Model):
    """Money in (deposit, balance) or out (a refund) on an order; a deposit has a numbered receipt."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        BALANCE = "balance", _("Balance")
        REFUND = "refund", _("Refund")

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Card")
        TRANSFER = "transfer", _("Bank transfer")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(ZERO)], **MONEY)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(kind="deposit"), name="order_one_deposit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def store_id(self) -> int:
        return self.order.store_id
