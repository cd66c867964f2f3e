"""The warehouse's documents: purchase requests and orders, goods receipts with their
inspection, transfers and other receipts. Each state machine's transitions only move the state;
the services in ``warehouse.services`` run them through the core's transition runner."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Store
from showroom.permissions import has_role, role_permission
from warehouse.models.catalog import Bin, Item, Supplier, Warehouse

ZERO = Decimal("0")
KEEPERS = (r.WAREHOUSE_KEEPER, r.WAREHOUSE_SUPERVISOR)
ORDER_APPROVERS = (r.WAREHOUSE_SUPERVISOR, r.GENERAL_MANAGER)
BUYERS = (r.PURCHASING, r.WAREHOUSE_SUPERVISOR)


class PurchaseRequest(models.Model):
    """A need for goods (a shortfall, a counter's replenishment) that purchasing confirms into an
    order."""

    class Reason(models.TextChoices):
        SHORTFALL = "shortfall", _("Shortfall")
        REPLENISHMENT = "replenishment", _("Counter replenishment")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ORDERED = "ordered", _("Ordered")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    order = models.ForeignKey("PurchaseOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="purchase_request_positive")]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity.normalize():f}"


class PurchaseOrder(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="orders", verbose_name=_("warehouse")
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier"))
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        indexes = [models.Index(fields=["store", "state", "-created_at"])]

    def __str__(self) -> str:
        return self.number or f"PO #{self.pk}"

    @transition(field=state, source=State.DRAFT, target=State.APPROVED, permission=role_permission(*ORDER_APPROVERS))
    def approve(self):
        """Approved: goods can be received against it."""

    @transition(
        field=state,
        source=[State.DRAFT, State.APPROVED],
        target=State.CANCELLED,
        permission=role_permission(*BUYERS, r.GENERAL_MANAGER),
    )
    def cancel(self):
        """Nothing more is received against it."""

    @transition(
        field=state,
        source=State.APPROVED,
        target=State.CLOSED,
        permission=role_permission(*KEEPERS, r.PURCHASING, r.MARKETING_DIRECTOR, r.GENERAL_MANAGER),
    )
    def close(self):
        """Everything ordered has been received."""


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    specification = models.CharField(_("specification"), max_length=160, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=4)
    received_quantity = models.DecimalField(_("received"), max_digits=14, decimal_places=3, default=ZERO)
    approved_excess = models.DecimalField(_("approved over-receipt"), max_digits=14, decimal_places=3, default=ZERO)

    class Meta:
        ordering = ["order_id", "id"]
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_line_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=models.F("quantity") + models.F("approved_excess")),
                name="po_line_not_over_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.item_id}"

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity + self.approved_excess - self.received_quantity


class GoodsReceipt(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """A supplier's delivery note received against approved orders, inspected line by line, then
    put into stock by the receipt slip the supervisor approves."""

    class State(models.TextChoices):
        INSPECTION = "inspection", _("Waiting for inspection")
        INSPECTED = "inspected", _("Inspected")
        SLIP_OPEN = "slip_open", _("Slip waiting for approval")
        POSTED = "posted", _("In stock")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("warehouse")
    )
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+", verbose_name=_("bin"))
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier"))
    note_number = models.CharField(_("delivery note number"), max_length=60)
    signed_by = models.CharField(_("signed by"), max_length=80, blank=True)
    stamped = models.BooleanField(_("stamped by the supplier"), default=False)
    certificate = models.CharField(_("quality certificate"), max_length=120)
    # A delivery straight to another warehouse: after posting, a transfer to it is dispatched.
    deliver_to = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("deliver to")
    )
    number = models.CharField(_("slip number"), max_length=30, blank=True, db_index=True)
    state = FSMField(_("state"), default=State.INSPECTION, choices=State.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        indexes = [models.Index(fields=["store", "state", "-created_at"])]

    def __str__(self) -> str:
        return self.number or f"{self.supplier_id}/{self.note_number}"

    def all_inspected(self) -> bool:
        return not self.lines.filter(inspected_at__isnull=True).exists()

    @transition(
        field=state,
        source=State.INSPECTION,
        target=State.INSPECTED,
        conditions=[all_inspected],
        permission=role_permission(r.QC_INSPECTOR),
    )
    def finish_inspection(self):
        """Every line is inspected."""

    @transition(field=state, source=State.INSPECTED, target=State.SLIP_OPEN, permission=role_permission(*KEEPERS))
    def open_slip(self):
        """The keeper opens the receipt slip."""

    @transition(
        field=state, source=State.SLIP_OPEN, target=State.POSTED, permission=role_permission(r.WAREHOUSE_SUPERVISOR)
    )
    def approve(self):
        """The supervisor approves the slip; the stock goes in."""

    @transition(
        field=state,
        source=[State.INSPECTION, State.INSPECTED, State.SLIP_OPEN],
        target=State.CANCELLED,
        permission=role_permission(r.WAREHOUSE_SUPERVISOR),
    )
    def cancel(self):
        """Nothing is received."""


class GoodsReceiptLine(models.Model):
    class Method(models.TextChoices):
        PIECE_BY_PIECE = "piece", _("Opened and checked piece by piece (packaging damaged)")
        FULL = "full", _("Checked in full (fragile goods)")
        SAMPLE = "sample", _("Checked by sample")

    class Excess(models.TextChoices):
        NONE = "", _("None")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    receipt = models.ForeignKey(GoodsReceipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    specification = models.CharField(_("specification"), max_length=160, blank=True)
    quantity = models.DecimalField(_("delivered"), max_digits=14, decimal_places=3)
    serials = models.JSONField(_("serial numbers"), default=list, blank=True)
    excess_quantity = models.DecimalField(_("over-receipt"), max_digits=14, decimal_places=3, default=ZERO)
    excess_state = models.CharField(_("over-receipt"), max_length=10, choices=Excess.choices, blank=True, default="")
    # Inspection (article 3, 商品进仓)
    packaging_damaged = models.BooleanField(_("packaging damaged"), default=False)
    method = models.CharField(_("inspection method"), max_length=8, choices=Method.choices, blank=True)
    sample_size = models.DecimalField(_("checked quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    passed_quantity = models.DecimalField(_("passed"), max_digits=14, decimal_places=3, default=ZERO)
    failed_quantity = models.DecimalField(_("failed"), max_digits=14, decimal_places=3, default=ZERO)
    failed_serials = models.JSONField(_("failed serial numbers"), default=list, blank=True)
    defects = models.TextField(_("defects"), blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    received_quantity = models.DecimalField(_("taken into stock"), max_digits=14, decimal_places=3, default=ZERO)

    class Meta:
        ordering = ["receipt_id", "id"]
        verbose_name = _("goods receipt line")
        verbose_name_plural = _("goods receipt lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="gr_line_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=models.F("passed_quantity")), name="gr_line_only_passed_in"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_id} · {self.item_id} × {self.quantity.normalize():f}"

    @property
    def returned_quantity(self) -> Decimal:
        """Failed quantities go back to the supplier."""
        return self.failed_quantity


def _receiving_keeper(instance, user) -> bool:
    return has_role(user, instance.to_warehouse.store_id, KEEPERS)


class Transfer(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """Goods moved between own warehouses (or a delivery sent straight on): the sending side
    confirms and dispatches, the receiving side confirms the same quantities and signs."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DISPATCHED = "dispatched", _("Dispatched")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    from_warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("from")
    )
    to_warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="transfers_in", verbose_name=_("to")
    )
    to_bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+", verbose_name=_("to bin"))
    receipt = models.ForeignKey(GoodsReceipt, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers")
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return self.number or f"TS #{self.pk}"

    @transition(field=state, source=State.DRAFT, target=State.DISPATCHED, permission=role_permission(*KEEPERS))
    def dispatch(self):
        """The sending warehouse confirms the quantities; the goods leave it."""

    @transition(field=state, source=State.DISPATCHED, target=State.RECEIVED, permission=_receiving_keeper)
    def receive(self):
        """The receiving warehouse confirms the same quantities and signs the slip."""

    @transition(field=state, source=State.DRAFT, target=State.CANCELLED, permission=role_permission(*KEEPERS))
    def cancel(self):
        """Nothing moves."""


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    from_bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+", verbose_name=_("from bin"))
    serial = models.ForeignKey("Serial", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["transfer_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="transfer_line_positive")]

    def __str__(self) -> str:
        return f"{self.transfer_id} · {self.item_id} × {self.quantity.normalize():f}"


class OtherReceipt(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """Goods coming in without an order: a trade-in car, a customer return."""

    class Kind(models.TextChoices):
        TRADE_IN = "trade_in", _("Trade-in")
        RETURN = "return", _("Customer return")

    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for approval")
        APPROVED = "approved", _("In stock")
        CANCELLED = "cancelled", _("Cancelled")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse"))
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+", verbose_name=_("bin"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    source_label = models.CharField(_("source document"), max_length=80)
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("other receipt")
        verbose_name_plural = _("other receipts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.source_label}"

    @transition(
        field=state, source=State.DRAFT, target=State.APPROVED, permission=role_permission(r.WAREHOUSE_SUPERVISOR)
    )
    def approve(self):
        """The supervisor approves; the goods go into stock."""

    @transition(field=state, source=State.DRAFT, target=State.CANCELLED, permission=role_permission(*KEEPERS))
    def cancel(self):
        """Nothing comes in."""


class OtherReceiptLine(models.Model):
    receipt = models.ForeignKey(OtherReceipt, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    serial_number = models.CharField(_("serial number"), max_length=40, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["receipt_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="other_receipt_line_positive")]

    def __str__(self) -> str:
        return f"{self.receipt_id} · {self.item_id} × {self.quantity.normalize():f}"
