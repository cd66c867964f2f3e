"""Units (房源) and their sales-control states: the grid (销控表) colours them by state."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Store
from showroom.permissions import role_permission

SELLERS = (r.CONSULTANT, r.SALES_ASSISTANT, r.SALES_MANAGER)


def system_only(instance, user) -> bool:
    """The permission of steps only an approved change runs (user None): no person sees them as
    available or runs them through the generic transition endpoints."""
    return user is None


class Unit(FSMModelMixin, models.Model):
    class State(models.TextChoices):
        AVAILABLE = "available", pgettext_lazy("unit state", "Available")
        HELD = "held", pgettext_lazy("unit state", "Held")
        SMALL_DEPOSIT = "small_deposit", pgettext_lazy("unit state", "Small deposit")
        SUBSCRIBED = "subscribed", pgettext_lazy("unit state", "Subscribed")
        SIGNED = "signed", pgettext_lazy("unit state", "Signed")
        FILED = "filed", pgettext_lazy("unit state", "Filed")
        HANDED_OVER = "handed_over", pgettext_lazy("unit state", "Handed over")

    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        COMMERCIAL = "commercial", _("Commercial")

    class Orientation(models.TextChoices):
        SOUTH = "south", _("South")
        NORTH = "north", _("North")
        EAST = "east", _("East")
        WEST = "west", _("West")
        SOUTH_NORTH = "south_north", _("South–north through")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    project = models.ForeignKey("realestate.Project", on_delete=models.CASCADE, related_name="units")
    building = models.ForeignKey("realestate.Building", on_delete=models.CASCADE, related_name="units")
    floor = models.SmallIntegerField(_("floor"))
    number = models.CharField(_("unit number"), max_length=20)
    use = models.CharField(_("use"), max_length=12, choices=Use.choices, default=Use.RESIDENTIAL)
    built_area = models.DecimalField(_("built-up area m²"), max_digits=10, decimal_places=2)
    inner_area = models.DecimalField(_("inner area m²"), max_digits=10, decimal_places=2)
    layout = models.CharField(_("layout"), max_length=40, blank=True)
    orientation = models.CharField(_("orientation"), max_length=12, choices=Orientation.choices)
    state = FSMField(_("state"), default=State.AVAILABLE, choices=State.choices, protected=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by"),
    )
    changed_at = models.DateTimeField(_("state changed at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["building", "-floor", "number"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="re_unit_number_unique")]
        indexes = [models.Index(fields=["project", "state"])]

    def __str__(self) -> str:
        return f"{self.building.name}-{self.number}" if "building" in self._state.fields_cache else self.number

    @property
    def label(self) -> str:
        return f"{self.building.name}-{self.number}"

    @transition(field=state, source=State.AVAILABLE, target=State.HELD, permission=role_permission(r.SALES_MANAGER))
    def hold(self):
        pass

    @transition(field=state, source=State.HELD, target=State.AVAILABLE, permission=role_permission(r.SALES_MANAGER))
    def release(self):
        pass

    @transition(field=state, source=State.AVAILABLE, target=State.SMALL_DEPOSIT, permission=role_permission(*SELLERS))
    def take_small_deposit(self):
        pass

    @transition(field=state, source=State.SMALL_DEPOSIT, target=State.AVAILABLE)
    def lapse_small_deposit(self):
        pass

    @transition(
        field=state,
        source=[State.AVAILABLE, State.SMALL_DEPOSIT],
        target=State.SUBSCRIBED,
        permission=role_permission(*SELLERS),
    )
    def subscribe(self):
        pass

    @transition(field=state, source=State.SUBSCRIBED, target=State.AVAILABLE)
    def free(self):
        pass

    @transition(field=state, source=State.SUBSCRIBED, target=State.SIGNED)
    def sign(self):
        pass

    @transition(field=state, source=State.SIGNED, target=State.FILED)
    def file(self):
        pass

    @transition(field=state, source=State.FILED, target=State.HANDED_OVER)
    def hand_over(self):
        pass

    @transition(field=state, source=State.AVAILABLE, target=State.SUBSCRIBED, permission=system_only)
    def take_in_exchange(self):
        """The new unit of an approved exchange (run by the change services only)."""

    @transition(
        field=state,
        source=[State.SUBSCRIBED, State.SIGNED, State.FILED],
        target=State.AVAILABLE,
        permission=system_only,
    )
    def release_back(self):
        """Released after an exchange or a cancellation (run by the change services only)."""
