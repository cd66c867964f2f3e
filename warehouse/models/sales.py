"""Selling from stock (article 3, 出库管理流程 / 营销业务流程): the sales order the marketing
director approves, picking by bin, packing into boxes, the sales slip that waits for the
customer's prepaid balance, and the outbound slip the keeper, the supervisor and the customer
sign before the goods leave."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Store
from showroom.permissions import role_permission
from warehouse.models.accounts import CustomerAccount
from warehouse.models.catalog import Bin, Item, Warehouse
from warehouse.models.documents import PurchaseRequest
from warehouse.models.ledger import Reservation

ZERO = Decimal("0")
SELLERS = (r.SALES_ASSISTANT, r.SALES_MANAGER, r.MARKETING_DIRECTOR, r.COUNTER_LEADER)
DIRECTOR = (r.MARKETING_DIRECTOR,)
KEEPERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)


class SalesOrder(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        APPROVED = "approved", _("Approved, in the warehouse")
        DONE = "done", _("Shipped")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        FAX = "fax", _("Fax")
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")

    class Freight(models.TextChoices):
        PICKUP = "pickup", _("Customer collects")
        DELIVERED = "delivered", _("Delivered, freight paid by us")
        COLLECT = "collect", _("Delivered, freight paid by the customer")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    account = models.ForeignKey(
        CustomerAccount, on_delete=models.PROTECT, related_name="orders", verbose_name=_("customer")
    )
    number = models.CharField(_("number"), max_length=30, db_index=True)
    channel = models.CharField(_("received by"), max_length=8, choices=Channel.choices)
    freight = models.CharField(_("freight terms"), max_length=10, choices=Freight.choices)
    requirements = models.TextField(_("customer's requirements"), blank=True)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        indexes = [models.Index(fields=["store", "state", "-created_at"])]

    def __str__(self) -> str:
        return self.number

    @transition(field=state, source=State.DRAFT, target=State.APPROVED, permission=role_permission(*DIRECTOR))
    def approve(self):
        """The marketing director approves; stock is reserved or requested."""

    @transition(field=state, source=State.APPROVED, target=State.DONE, permission=role_permission(*KEEPERS))
    def finish(self):
        """Everything ordered has left the warehouse."""

    @transition(
        field=state,
        source=[State.DRAFT, State.APPROVED],
        target=State.CANCELLED,
        permission=role_permission(*DIRECTOR, r.GENERAL_MANAGER),
    )
    def cancel(self):
        """Nothing more is picked; reservations are released."""


class SalesOrderLine(models.Model):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    # VAT included (含税单价); the invoice splits net and VAT at the item's rate.
    unit_price = models.DecimalField(_("unit price incl. VAT"), max_digits=14, decimal_places=2)
    reservation = models.ForeignKey(Reservation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reserved_quantity = models.DecimalField(_("reserved"), max_digits=14, decimal_places=3, default=ZERO)
    short_quantity = models.DecimalField(_("short"), max_digits=14, decimal_places=3, default=ZERO)
    purchase_request = models.ForeignKey(
        PurchaseRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    picked_quantity = models.DecimalField(_("picked"), max_digits=14, decimal_places=3, default=ZERO)
    packed_quantity = models.DecimalField(_("packed"), max_digits=14, decimal_places=3, default=ZERO)
    shipped_quantity = models.DecimalField(_("shipped"), max_digits=14, decimal_places=3, default=ZERO)

    class Meta:
        ordering = ["order_id", "id"]
        verbose_name = _("sales order line")
        verbose_name_plural = _("sales order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="so_line_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="so_line_price"),
            models.CheckConstraint(condition=Q(picked_quantity__lte=F("quantity")), name="so_line_not_overpicked"),
            models.CheckConstraint(condition=Q(packed_quantity__lte=F("picked_quantity")), name="so_line_packed"),
            models.CheckConstraint(condition=Q(shipped_quantity__lte=F("packed_quantity")), name="so_line_shipped"),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.item_id} × {self.quantity.normalize():f}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class PickLine(models.Model):
    """What the keeper took from one bin for one order line (the pick list is by bin)."""

    line = models.ForeignKey(SalesOrderLine, on_delete=models.PROTECT, related_name="picks")
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+", verbose_name=_("bin"))
    quantity = models.DecimalField(_("picked"), max_digits=14, decimal_places=3)
    packed_quantity = models.DecimalField(_("packed"), max_digits=14, decimal_places=3, default=ZERO)
    shipped_quantity = models.DecimalField(_("left the warehouse"), max_digits=14, decimal_places=3, default=ZERO)
    picked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    picked_at = models.DateTimeField(_("picked at"), auto_now_add=True)

    class Meta:
        ordering = ["bin__code", "id"]
        verbose_name = _("pick")
        verbose_name_plural = _("picks")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="pick_positive"),
            models.CheckConstraint(condition=Q(packed_quantity__lte=F("quantity")), name="pick_not_overpacked"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}@{self.bin_id} × {self.quantity.normalize():f}"


class SalesSlip(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """The sales slip (《销售单》) summed from the packing lists: it waits for the marketing
    director, who approves it only when the customer's prepaid balance covers it."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved, outbound slip open")
        SHIPPED = "shipped", _("Goods left")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    order = models.ForeignKey(SalesOrder, on_delete=models.PROTECT, related_name="slips", verbose_name=_("order"))
    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT, related_name="slips")
    number = models.CharField(_("number"), max_length=30, db_index=True)
    total = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    state = FSMField(_("state"), default=State.WAITING, choices=State.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sales slip")
        verbose_name_plural = _("sales slips")
        indexes = [models.Index(fields=["store", "state", "-created_at"])]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="sales_slip_total")]

    def __str__(self) -> str:
        return self.number

    @transition(field=state, source=State.WAITING, target=State.APPROVED, permission=role_permission(*DIRECTOR))
    def approve(self):
        """The balance covers it: charged, invoiced, outbound slip created."""

    @transition(field=state, source=State.APPROVED, target=State.SHIPPED, permission=role_permission(*KEEPERS))
    def ship(self):
        """All three signed; the goods left."""

    @transition(
        field=state, source=State.WAITING, target=State.CANCELLED, permission=role_permission(*DIRECTOR, *KEEPERS)
    )
    def cancel(self):
        """The boxes go back to packing."""


class Box(models.Model):
    """One packed box and its packing list (《装箱单》, numbered PL, one in every box)."""

    order = models.ForeignKey(SalesOrder, on_delete=models.PROTECT, related_name="boxes")
    number = models.CharField(_("packing list"), max_length=30, db_index=True)
    slip = models.ForeignKey(SalesSlip, on_delete=models.PROTECT, null=True, blank=True, related_name="boxes")
    packed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    packed_at = models.DateTimeField(_("packed at"), auto_now_add=True)

    class Meta:
        ordering = ["order_id", "id"]
        verbose_name = pgettext_lazy("packing", "box")
        verbose_name_plural = pgettext_lazy("packing", "boxes")

    def __str__(self) -> str:
        return self.number


class BoxLine(models.Model):
    box = models.ForeignKey(Box, on_delete=models.CASCADE, related_name="lines")
    pick = models.ForeignKey(PickLine, on_delete=models.PROTECT, related_name="box_lines")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)

    class Meta:
        ordering = ["box_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="box_line_positive")]

    def __str__(self) -> str:
        return f"{self.box_id}: {self.pick_id} × {self.quantity.normalize():f}"


class OutboundSlip(models.Model):
    """The outbound slip (《出仓单》) an approved sales slip creates: printed in three copies;
    the goods leave when the keeper, the warehouse supervisor and the customer have signed."""

    slip = models.OneToOneField(SalesSlip, on_delete=models.PROTECT, related_name="outbound")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number"), max_length=30, db_index=True)
    shipped_at = models.DateTimeField(_("left at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound slip")
        verbose_name_plural = _("outbound slips")

    def __str__(self) -> str:
        return self.number


class OutboundSignature(models.Model):
    class Role(models.TextChoices):
        KEEPER = "keeper", _("Warehouse keeper")
        SUPERVISOR = "supervisor", _("Warehouse supervisor")
        CUSTOMER = "customer", pgettext_lazy("signature", "Customer")

    outbound = models.ForeignKey(OutboundSlip, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(_("signs as"), max_length=10, choices=Role.choices)
    name = models.CharField(_("name"), max_length=80)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        ordering = ["outbound_id", "id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [models.UniqueConstraint(fields=["outbound", "role"], name="outbound_signed_once_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"
