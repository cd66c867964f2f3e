"""A property project (楼盘), its five permits, its buildings and its versioned price lists."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Store
from showroom.permissions import role_permission

ZERO = Decimal("0")


class Project(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        OPEN = "open", pgettext_lazy("project state", "Open for sale")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="property_projects", verbose_name=_("store")
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255, blank=True)
    state = FSMField(_("state"), default=State.PREPARING, choices=State.choices, protected=True)
    # The fund-supervision account (资金监管账户) every buyer's payment goes to; printed on slips.
    fund_bank = models.CharField(_("fund-supervision bank"), max_length=120)
    fund_account_name = models.CharField(_("fund-supervision account name"), max_length=120)
    fund_account_no = models.CharField(_("fund-supervision account number"), max_length=40)
    # Collected for the buyer at signing (篇6: 代收3%的契税及1%的维修基金; 登记费80元).
    deed_tax_rate = models.DecimalField(_("deed tax %"), max_digits=5, decimal_places=2, default=Decimal("3"))
    maintenance_fund_rate = models.DecimalField(
        _("maintenance fund %"), max_digits=5, decimal_places=2, default=Decimal("1")
    )
    registration_fee = models.DecimalField(
        _("registration fee"), max_digits=10, decimal_places=2, default=Decimal("80")
    )
    small_deposit_limit = models.DecimalField(
        _("small deposit below"), max_digits=12, decimal_places=2, default=Decimal("20000")
    )
    small_deposit_days = models.PositiveSmallIntegerField(_("small deposit days"), default=3)
    sign_within_days = models.PositiveSmallIntegerField(_("sign the contract within days"), default=7)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["store", "code"]
        verbose_name = _("property project")
        verbose_name_plural = _("property projects")
        constraints = [models.UniqueConstraint(fields=["store", "code"], name="re_project_code_unique")]

    def __str__(self) -> str:
        return self.name

    @transition(
        field=state,
        source=State.PREPARING,
        target=State.OPEN,
        permission=role_permission(r.SALES_MANAGER),
    )
    def open(self):
        """Opening needs the public-notice checklist (a checklist guard) and the five permits
        (checked by the service, which names what is missing)."""


class Permit(models.Model):
    """One of the five permits (五证) with its number, date and scanned copy."""

    class Kind(models.TextChoices):
        LAND_USE = "land_use", _("State-owned land use certificate")
        LAND_PLANNING = "land_planning", _("Construction-land planning permit")
        PROJECT_PLANNING = "project_planning", _("Construction-project planning permit")
        CONSTRUCTION = "construction", _("Construction works permit")
        PRESALE = "presale", _("Pre-sale permit")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="permits", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("date"))
    scan = models.FileField(_("scanned file"), upload_to="realestate/permits/%Y/")
    # Pre-sale permit only: the filed maximum price per m² and the buildings it covers.
    max_price_per_m2 = models.DecimalField(
        _("filed maximum price per m²"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    buildings = models.ManyToManyField("realestate.Building", blank=True, related_name="presale_permits")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["project", "kind", "pk"]
        verbose_name = _("permit")
        verbose_name_plural = _("permits")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Building(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="buildings", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["project", "order", "name"]
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="re_building_name_unique")]

    def __str__(self) -> str:
        return self.name


class PriceList(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """A version of the price scheme (base price per building, floor and orientation adjustments)
    with the payment-method discounts. It takes effect after its approval, from a date."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Method(models.TextChoices):
        FULL = "full", _("Full payment")
        COMMERCIAL = "commercial", _("Commercial loan")
        PROVIDENT = "provident", _("Provident-fund loan")
        COMBINED = "combined", _("Combined loan")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="price_lists", verbose_name=_("project")
    )
    version = models.PositiveIntegerField(_("version"))
    state = FSMField(_("state"), default=State.DRAFT, choices=State.choices, protected=True)
    effective_from = models.DateField(_("effective from"))
    floor_step = models.DecimalField(
        _("adjustment per floor above the first, per m²"), max_digits=10, decimal_places=2, default=ZERO
    )
    # {"south": "300.00", "north": "-200.00"}: per m², by orientation.
    orientation_adjustments = models.JSONField(_("orientation adjustments per m²"), default=dict, blank=True)
    # {"full": "3", "commercial": "1"}: standard discount % by payment method.
    method_discounts = models.JSONField(_("payment-method discounts %"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["project", "-version"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="re_price_list_version_unique")]

    def __str__(self) -> str:
        return f"{self.project} · v{self.version}"

    @property
    def store_id(self) -> int:
        return self.project.store_id

    @transition(field=state, source=State.DRAFT, target=State.PENDING, permission=role_permission(r.SALES_MANAGER))
    def submit(self):
        pass

    @transition(field=state, source=State.PENDING, target=State.APPROVED)
    def approve(self):
        pass

    @transition(field=state, source=State.PENDING, target=State.REJECTED)
    def reject(self):
        pass


class PriceListBuilding(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="bases")
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="+")
    base_price_per_m2 = models.DecimalField(
        _("base price per m²"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        verbose_name = _("base price of a building")
        verbose_name_plural = _("base prices of buildings")
        constraints = [models.UniqueConstraint(fields=["price_list", "building"], name="re_price_list_building_unique")]

    def __str__(self) -> str:
        return f"{self.building_id}: {self.base_price_per_m2}"
