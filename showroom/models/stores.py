from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Store(models.Model):
    class Kind(models.TextChoices):
        CAR_SHOWROOM = "car", _("Car showroom")
        JEWELLERY_COUNTER = "jewellery", _("Jewellery counter")
        PROPERTY_SITE = "property", _("Property sales site")
        WAREHOUSE = "warehouse", _("Warehouse")
        COUNTER_SHOP = "counter", _("Counter shop")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_time = models.TimeField(_("opening time"), default="09:00")
    closing_time = models.TimeField(_("closing time"), default="18:00")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """Reference data: one row per entry of ``showroom.roles.ROLES``."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    seed_term = models.CharField(_("term in the process documents"), max_length=80, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), default=10)
    group = models.OneToOneField("auth.Group", on_delete=models.PROTECT, related_name="showroom_role")

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        from showroom.roles import ROLE_LABELS

        return str(ROLE_LABELS.get(self.code, self.name))


class Membership(models.Model):
    """One role for one user in one store. A person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "store", "role"], name="membership_unique_role_per_store")
        ]
        indexes = [models.Index(fields=["user", "store"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.store}"
