"""The append-only stock ledger: moves, the balances they keep, serials, reservations and the
cost postings of the valuation.

Rows of ``StockMove`` are only ever inserted (by ``warehouse.services.ledger.stock_move_append``);
balances (``StockLevel`` per item and warehouse, ``BinBalance`` per bin) change in the same
transaction and carry CHECK constraints, so no balance can go negative even if a service were
wrong.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from warehouse.models.catalog import Bin, Item, Warehouse

ZERO = Decimal("0")


class Serial(models.Model):
    """One physical unit of a serial-tracked item (a car and its VIN). It is in one place at a
    time: ``warehouse``/``bin`` while in stock, none while in transit or gone."""

    class State(models.TextChoices):
        IN_STOCK = "in_stock", _("In stock")
        IN_TRANSIT = "in_transit", _("In transit")
        OUT = "out", _("Left the warehouse")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="serials", verbose_name=_("item"))
    number = models.CharField(_("serial number"), max_length=40, unique=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.IN_STOCK)
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("warehouse")
    )
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The move that put it where it is (its one open in-move), or took it out.
    last_move = models.ForeignKey("StockMove", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["number"]
        verbose_name = _("serial number")
        verbose_name_plural = _("serial numbers")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="in_stock", warehouse__isnull=False, bin__isnull=False)
                | (~Q(state="in_stock") & Q(warehouse__isnull=True, bin__isnull=True)),
                name="serial_in_one_place",
            )
        ]

    def __str__(self) -> str:
        return self.number


class StockMove(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Purchase receipt")
        ISSUE = "issue", _("Issue")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        RETURN = "return", _("Customer return")
        TRADE_IN = "trade_in", _("Trade-in receipt")
        OTHER_IN = "other_in", _("Other receipt")
        ADJUSTMENT = "adjustment", _("Adjustment")
        REVERSAL = "reversal", _("Reversal")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="moves", verbose_name=_("item"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="moves", verbose_name=_("warehouse")
    )
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="moves", verbose_name=_("bin"))
    serial = models.ForeignKey(
        Serial, on_delete=models.PROTECT, null=True, blank=True, related_name="moves", verbose_name=_("serial number")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    # Signed: positive in, negative out.
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=4, null=True, blank=True)
    # Signed value the move adds to (or takes from) the stock value; 0 for an issue of a
    # monthly-average warehouse until the month-end close posts its cost.
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, default=ZERO)
    cost_pending = models.BooleanField(_("cost pending month-end close"), default=False)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name=_("reverses")
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")
    source_label = models.CharField(_("document"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        indexes = [
            models.Index(fields=["item", "warehouse", "created_at"]),
            models.Index(fields=["content_type", "object_id"]),
            # The nightly report and the dashboard read a warehouse's moves of one day.
            models.Index(fields=["warehouse", "created_at"], name="stock_move_wh_day"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="stock_move_not_zero")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:f} {self.item.code}"


class StockLevel(models.Model):
    """What one warehouse holds of one item: quantity, reserved quantity and stock value."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="levels")
    quantity = models.DecimalField(_("on hand"), max_digits=14, decimal_places=3, default=ZERO)
    reserved = models.DecimalField(_("reserved"), max_digits=14, decimal_places=3, default=ZERO)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2, default=ZERO)

    class Meta:
        ordering = ["warehouse_id", "item_id"]
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse"], name="stock_level_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_level_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_level_reserved_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.warehouse_id}: {self.quantity.normalize():f}"

    @property
    def available(self) -> Decimal:
        return self.quantity - self.reserved


class BinBalance(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="bin_balances")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="bin_balances")
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="balances")
    quantity = models.DecimalField(_("on hand"), max_digits=14, decimal_places=3, default=ZERO)

    class Meta:
        ordering = ["bin_id"]
        verbose_name = _("bin balance")
        verbose_name_plural = _("bin balances")
        constraints = [
            models.UniqueConstraint(fields=["item", "warehouse", "bin"], name="bin_balance_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="bin_balance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.bin_id}: {self.quantity.normalize():f}"


class Reservation(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        RELEASED = "released", _("Released")
        CONSUMED = "consumed", _("Consumed")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reservations", verbose_name=_("item"))
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="reservations")
    serial = models.ForeignKey(Serial, on_delete=models.PROTECT, null=True, blank=True, related_name="reservations")
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    document = GenericForeignKey("content_type", "object_id")
    document_label = models.CharField(_("document"), max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("reserved at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="reservation_positive"),
            models.UniqueConstraint(
                fields=["serial"], condition=Q(state="active", serial__isnull=False), name="reservation_one_per_serial"
            ),
        ]
        indexes = [models.Index(fields=["item", "warehouse", "state"])]

    def __str__(self) -> str:
        return f"{self.document_label} · {self.item_id} × {self.quantity.normalize():f}"


class MonthClose(models.Model):
    """The month-end close of a monthly-average warehouse: the month's average cost per item is
    known and the pending issues' cost of goods sold is posted."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="closes")
    month = models.DateField(_("month"))  # the first day of the month
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-month"]
        verbose_name = _("month-end close")
        verbose_name_plural = _("month-end closes")
        constraints = [models.UniqueConstraint(fields=["warehouse", "month"], name="month_close_unique")]

    def __str__(self) -> str:
        return f"{self.warehouse_id} {self.month:%Y-%m}"


class CostPosting(models.Model):
    """The cost of goods sold of one issue: posted with the move (moving average) or at the
    month-end close (monthly average). The move itself is never changed."""

    move = models.OneToOneField(StockMove, on_delete=models.PROTECT, related_name="cost_posting")
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=4)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    close = models.ForeignKey(MonthClose, on_delete=models.PROTECT, null=True, blank=True, related_name="postings")
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-posted_at"]
        verbose_name = _("cost of goods sold posting")
        verbose_name_plural = _("cost of goods sold postings")

    def __str__(self) -> str:
        return f"{self.move_id}: {self.amount}"
