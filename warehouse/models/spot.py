"""Spot sales by weight at the steel desk (article 8, 公司现货销售流程及有关规定).

业务洽谈 → 制作合同资源表(同时开具出库单) → 主管审批并签字 → 仓库员称重 → 传公司账号及货物重量 →
客户办款 → 款到后财务核兑单价和金额并签字 → 主管签字 → 仓库员发货.

The price list (报价表) and the discount-rate table (折率表) are kept per store by the sales manager;
a customer's class picks the rate. A line whose specification is not on both, or whose price is
below the list, needs the ``warehouse.spot_price_exception`` approval before the sheet is approved.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Store
from showroom.permissions import role_permission
from warehouse.models.accounts import AccountEntry, CustomerAccount
from warehouse.models.catalog import Bin, Item, Warehouse
from warehouse.models.ledger import Reservation, StockMove

ZERO = Decimal("0")
SPOT_SELLERS = (r.SALES_ASSISTANT, r.SALES_MANAGER)
# 主管: the sales manager (销售主管) approves the sheet, decides off-list prices and signs last.
SPOT_SUPERVISORS = (r.SALES_MANAGER,)
SPOT_KEEPERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)
SPOT_CASHIERS = (r.CASHIER, r.FINANCE)
SPOT_FINANCE = (r.FINANCE,)


class CustomerClass(models.TextChoices):
    STANDARD = "standard", _("Standard customer")
    REGULAR = "regular", _("Regular customer")
    WHOLESALE = "wholesale", _("Wholesale customer")


class SpotPrice(models.Model):
    """One line of the price list (报价表): a specification's price per unit of sale, VAT included."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("specification"))
    unit_price = models.DecimalField(_("list price per unit"), max_digits=14, decimal_places=2)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["item__code"]
        verbose_name = _("price list entry")
        verbose_name_plural = _("price list")
        constraints = [
            models.UniqueConstraint(fields=["store", "item"], name="spot_price_one_per_item"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="spot_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.unit_price}"


class SpotDiscountRate(models.Model):
    """One cell of the discount-rate table (折率表): the share of the list price a class pays."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("specification"))
    customer_class = models.CharField(_("customer class"), max_length=10, choices=CustomerClass.choices)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["item__code", "customer_class"]
        verbose_name = _("discount rate")
        verbose_name_plural = _("discount-rate table")
        constraints = [
            models.UniqueConstraint(fields=["store", "item", "customer_class"], name="spot_rate_one_per_class"),
            models.CheckConstraint(condition=Q(rate__gt=0) & Q(rate__lte=1), name="spot_rate_range"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.customer_class}: {self.rate}"


class SpotCustomerClass(models.Model):
    """The class the sales manager gives a customer (no row: standard)."""

    account = models.OneToOneField(
        CustomerAccount, on_delete=models.CASCADE, related_name="spot_class", verbose_name=_("customer")
    )
    customer_class = models.CharField(_("customer class"), max_length=10, choices=CustomerClass.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set at"), auto_now=True)

    class Meta:
        verbose_name = _("customer class")
        verbose_name_plural = _("customer classes")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.customer_class}"


class SpotSheet(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """The contract resource sheet (合同资源表) of one spot sale, with its outbound slip."""

    class State(models.TextChoices):
        NEGOTIATING = "negotiating", _("Negotiating")
        ISSUED = "issued", _("Sheet made, waiting for the supervisor")
        APPROVED = "approved", _("Approved, waiting for weighing")
        WEIGHED = "weighed", _("Weighed, payment notice to send")
        NOTIFIED = "notified", _("Payment notice sent, waiting for payment")
        PAID = "paid", _("Paid, waiting for finance")
        VERIFIED = "verified", _("Verified by finance, waiting for the supervisor")
        SIGNED = "signed", _("Signed, ready to release")
        RELEASED = "released", _("Goods released")
        CANCELLED = "cancelled", _("Cancelled")

    class Freight(models.TextChoices):
        PICKUP = "pickup", _("Customer collects")
        DELIVERED = "delivered", _("Delivered, freight paid by us")
        COLLECT = "collect", _("Delivered, freight paid by the customer")

    class PriceState(models.TextChoices):
        NOT_NEEDED = "not_needed", _("All prices on the list")
        PENDING = "pending", _("Price approval pending")
        APPROVED = "approved", _("Price approved")
        REJECTED = "rejected", _("Price rejected")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="spot_sheets", verbose_name=_("customer")
    )
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    customer_class = models.CharField(_("customer class"), max_length=10, choices=CustomerClass.choices)
    freight = models.CharField(_("freight terms"), max_length=10, choices=Freight.choices)
    freight_cost = models.DecimalField(_("freight cost"), max_digits=14, decimal_places=2, default=ZERO)
    requirements = models.TextField(_("customer's requirements"), blank=True)
    state = FSMField(_("state"), default=State.NEGOTIATING, choices=State.choices, protected=True)
    price_state = models.CharField(
        _("price approval"), max_length=10, choices=PriceState.choices, default=PriceState.NOT_NEEDED
    )
    total = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, default=ZERO)
    notice_number = models.CharField(_("payment notice"), max_length=30, blank=True)
    company_account = models.CharField(_("company account"), max_length=120, blank=True)
    payment = models.ForeignKey(
        AccountEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("payment")
    )
    paid_amount = models.DecimalField(_("paid"), max_digits=16, decimal_places=2, default=ZERO)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    weighed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contract resource sheet")
        verbose_name_plural = _("contract resource sheets")
        indexes = [models.Index(fields=["store", "state", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="spot_sheet_total"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="spot_sheet_paid"),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @transition(field=state, source=State.NEGOTIATING, target=State.ISSUED, permission=role_permission(*SPOT_SELLERS))
    def issue(self):
        """The contract resource sheet is made, with its outbound slip (SR)."""

    @transition(
        field=state,
        source=State.ISSUED,
        target=State.APPROVED,
        permission=role_permission(*SPOT_SUPERVISORS),
    )
    def approve(self):
        """The supervisor approves and signs the sheet. A price off the list must be approved
        first: ``spot_sheet_approve`` checks it under the lock and answers 409 (an FSM condition
        would make django-fsm report it as a missing permission, 403)."""

    @transition(field=state, source=State.APPROVED, target=State.WEIGHED, permission=role_permission(*SPOT_KEEPERS))
    def weigh(self):
        """The keeper weighs every line: gross, tare, net."""

    @transition(field=state, source=State.WEIGHED, target=State.NOTIFIED, permission=role_permission(*SPOT_SELLERS))
    def notify(self):
        """The payment notice (PN) goes to the customer: company account, weights, amount."""

    @transition(field=state, source=State.NOTIFIED, target=State.PAID, permission=role_permission(*SPOT_CASHIERS))
    def pay(self):
        """The customer's payment has come in."""

    @transition(field=state, source=State.PAID, target=State.VERIFIED, permission=role_permission(*SPOT_FINANCE))
    def verify(self):
        """Finance checks unit price × net weight and the amount, and signs."""

    @transition(field=state, source=State.VERIFIED, target=State.SIGNED, permission=role_permission(*SPOT_SUPERVISORS))
    def sign(self):
        """The supervisor signs after finance."""

    @transition(field=state, source=State.SIGNED, target=State.RELEASED, permission=role_permission(*SPOT_KEEPERS))
    def release(self):
        """The keeper releases the goods: one issue per line."""

    @transition(
        field=state,
        source=[State.NEGOTIATING, State.ISSUED, State.APPROVED, State.WEIGHED, State.NOTIFIED],
        target=State.CANCELLED,
        permission=role_permission(*SPOT_SUPERVISORS, r.GENERAL_MANAGER),
    )
    def cancel(self):
        """The sale does not go ahead; weighed goods are released from reservation."""


class SpotSheetLine(models.Model):
    sheet = models.ForeignKey(SpotSheet, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("specification"))
    quantity = models.DecimalField(_("agreed quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("unit price incl. VAT"), max_digits=14, decimal_places=2)
    list_price = models.DecimalField(_("list price"), max_digits=14, decimal_places=2, null=True, blank=True)
    off_list = models.BooleanField(_("off the price list"), default=False)
    bought_in = models.BooleanField(_("bought in"), default=False)
    purchase_price = models.DecimalField(_("purchase price"), max_digits=14, decimal_places=2, null=True, blank=True)
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    gross = models.DecimalField(_("gross weight"), max_digits=14, decimal_places=3, null=True, blank=True)
    tare = models.DecimalField(_("tare"), max_digits=14, decimal_places=3, null=True, blank=True)
    net = models.DecimalField(_("net weight"), max_digits=14, decimal_places=3, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    reservation = models.ForeignKey(Reservation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    move = models.ForeignKey(StockMove, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["sheet_id", "id"]
        verbose_name = _("resource sheet line")
        verbose_name_plural = _("resource sheet lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="spot_line_positive"),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="spot_line_price"),
            models.CheckConstraint(condition=Q(net__isnull=True) | Q(net__gt=0), name="spot_line_net"),
            models.CheckConstraint(
                condition=Q(bought_in=False) | Q(purchase_price__isnull=False), name="spot_line_bought_in_price"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.item_id}"

    @property
    def margin(self) -> Decimal | None:
        return None if self.purchase_price is None else self.unit_price - self.purchase_price
