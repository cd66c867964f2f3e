"""Drop-ship sales (直运销售: the supplier delivers straight to the customer, no stock moves) and
the retail day (零售日报: counter cash sales with no order, summed per day)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Store
from showroom.permissions import role_permission
from warehouse.models.accounts import CustomerAccount
from warehouse.models.catalog import Bin, Item, Supplier, Warehouse

ZERO = Decimal("0")
FINANCE = (r.FINANCE,)


class DropShip(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """With an order: drop-ship sales order → (approved: the drop-ship purchase order is made
    from it) → sales invoice → purchase invoice. Without an order: the sales invoice comes
    first, the purchase invoice is made from it."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Sales order waiting for approval")
        ORDERED = "ordered", _("Ordered from the supplier")
        INVOICED = "invoiced", _("Sales invoice issued")
        CLOSED = "closed", _("Purchase invoice received")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="dropships", verbose_name=_("customer")
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier"))
    with_order = models.BooleanField(_("with an order"), default=True)
    number = models.CharField(_("sales order"), max_length=30, blank=True, db_index=True)
    purchase_number = models.CharField(_("purchase order"), max_length=30, blank=True)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("drop-ship sale")
        verbose_name_plural = _("drop-ship sales")

    def __str__(self) -> str:
        return self.number or f"DS #{self.pk}"

    @transition(field=state, source=State.DRAFT, target=State.ORDERED, permission=role_permission(r.MARKETING_DIRECTOR))
    def approve(self):
        """The sales order is approved; the purchase order is made from it."""

    @transition(field=state, source=State.ORDERED, target=State.INVOICED, permission=role_permission(*FINANCE))
    def invoice(self):
        """The drop-ship sales invoice follows the order."""

    @transition(
        field=state, source=State.INVOICED, target=State.CLOSED, permission=role_permission(*FINANCE, r.PURCHASING)
    )
    def receive_invoice(self):
        """The supplier's invoice is entered from the sale."""

    @transition(
        field=state,
        source=[State.DRAFT, State.ORDERED],
        target=State.CANCELLED,
        permission=role_permission(r.MARKETING_DIRECTOR, r.GENERAL_MANAGER),
    )
    def cancel(self):
        """Not sold."""


class DropShipLine(models.Model):
    dropship = models.ForeignKey(DropShip, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("unit price incl. VAT"), max_digits=14, decimal_places=2)
    unit_cost = models.DecimalField(_("purchase price incl. VAT"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["dropship_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="dropship_line_positive")]

    def __str__(self) -> str:
        return f"{self.dropship_id}: {self.item_id}"


class RetailDailyReport(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        APPROVED = "approved", _("Approved, goods issued")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    day = models.DateField(_("day"))
    number = models.CharField(_("number"), max_length=30, db_index=True)
    delivery_number = models.CharField(_("delivery note"), max_length=30, blank=True)
    total = models.DecimalField(_("cash taken"), max_digits=16, decimal_places=2, default=ZERO)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("retail daily report")
        verbose_name_plural = _("retail daily reports")
        constraints = [models.UniqueConstraint(fields=["warehouse", "day"], name="retail_report_one_per_day")]

    def __str__(self) -> str:
        return self.number

    @transition(field=state, source=State.DRAFT, target=State.APPROVED, permission=role_permission(*FINANCE))
    def approve(self):
        """Approved: delivery note, outbound moves and entries."""


class RetailSale(models.Model):
    """One cash sale at a counter (no order, no customer account)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+", verbose_name=_("bin"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = models.DecimalField(_("unit price incl. VAT"), max_digits=14, decimal_places=2)
    total = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    day = models.DateField(_("day"), db_index=True)
    report = models.ForeignKey(RetailDailyReport, on_delete=models.PROTECT, null=True, blank=True, related_name="sales")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sold at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("retail sale")
        verbose_name_plural = _("retail sales")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="retail_sale_positive")]

    def __str__(self) -> str:
        return f"{self.day} {self.item_id} × {self.quantity.normalize():f}"
