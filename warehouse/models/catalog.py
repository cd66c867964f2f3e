"""Items, suppliers, warehouses, areas and bins."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from showroom.models import Store

ZERO = Decimal("0")


class ItemCategory(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item category")
        verbose_name_plural = _("item categories")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    class Unit(models.TextChoices):
        PIECE = "piece", pgettext_lazy("unit of measure", "piece")
        SET = "set", pgettext_lazy("unit of measure", "set")
        GRAM = "g", pgettext_lazy("unit of measure", "g")
        KILOGRAM = "kg", pgettext_lazy("unit of measure", "kg")
        TONNE = "t", pgettext_lazy("unit of measure", "t")

    class Tracking(models.TextChoices):
        QUANTITY = "quantity", _("By quantity")
        SERIAL = "serial", _("By serial number")
        WEIGHT = "weight", _("By weight")
        SERVICE = "service", _("Service (never stocked)")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    specification = models.CharField(_("specification"), max_length=160, blank=True)
    category = models.ForeignKey(
        ItemCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="items", verbose_name=_("category")
    )
    unit = models.CharField(_("unit of measure"), max_length=8, choices=Unit.choices, default=Unit.PIECE)
    tracking = models.CharField(_("tracking"), max_length=10, choices=Tracking.choices, default=Tracking.QUANTITY)
    list_price = models.DecimalField(
        _("list price"), max_digits=14, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    reorder_point = models.DecimalField(
        _("reorder point"), max_digits=14, decimal_places=3, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("13"), validators=[MinValueValidator(ZERO)]
    )
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=0)
    fragile = models.BooleanField(_("fragile"), default=False, help_text=_("Fragile goods are checked in full."))
    # A plain reference other apps link to (the car catalogue's trim × colour), so the warehouse
    # never imports them.
    external_ref = models.CharField(_("external reference"), max_length=60, blank=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_stocked(self) -> bool:
        return self.tracking != self.Tracking.SERVICE

    @property
    def is_serial(self) -> bool:
        return self.tracking == self.Tracking.SERIAL


class Supplier(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=160)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name


class Warehouse(models.Model):
    class Valuation(models.TextChoices):
        MOVING = "moving", _("Moving weighted average")
        MONTHLY = "monthly", _("Monthly weighted average")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="warehouses", verbose_name=_("store"))
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    valuation = models.CharField(
        _("valuation method"), max_length=10, choices=Valuation.choices, default=Valuation.MOVING
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Article 3: 盘点工作规定每月进行一次; a car-delivery warehouse may switch its monthly count off.
    monthly_counts = models.BooleanField(
        _("monthly stocktake"), default=True, help_text=_("Plan a stocktake on the last two days of every month.")
    )

    class Meta:
        ordering = ["store_id", "code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        constraints = [models.UniqueConstraint(fields=["store", "code"], name="warehouse_code_per_store")]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.CASCADE, related_name="areas", verbose_name=_("warehouse")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["warehouse_id", "code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [models.UniqueConstraint(fields=["warehouse", "code"], name="area_code_per_warehouse")]

    def __str__(self) -> str:
        return self.name


class Bin(models.Model):
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="bins", verbose_name=_("warehouse"))
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="bins", verbose_name=_("area")
    )
    code = models.CharField(_("code"), max_length=30)

    class Meta:
        ordering = ["warehouse_id", "code"]
        verbose_name = _("bin")
        verbose_name_plural = _("bins")
        constraints = [models.UniqueConstraint(fields=["warehouse", "code"], name="bin_code_per_warehouse")]

    def __str__(self) -> str:
        return self.code
