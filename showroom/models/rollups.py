from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models.stores import Store


class DailyRollup(models.Model):
    """A closed local day whose dashboard figures of one store are rolled up in ``DailyFigure``:
    the dashboard sums the rolled-up days of a period and counts only the rest live, so a
    month's figures cost the same with three years of busy history as with a quiet one."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="rollup_one_per_store_day")]

    def __str__(self) -> str:
        return f"{self.store_id} · {self.day}"


class DailyFigure(models.Model):
    """One rolled-up figure of one store and day: a consultant's (a column of the dashboard's
    consultant table) or, without a consultant, the store's (a funnel step). Derived data, rewritten
    whole for a day by the roll-up; zeros are not stored."""

    # indexed by the covering (store, day) index below
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField(_("day"))
    code = models.CharField(_("figure"), max_length=60)
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "day", "code", "consultant"],
                name="dailyfigure_one_per_consultant",
                condition=models.Q(consultant__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["store", "day", "code"],
                name="dailyfigure_one_per_store",
                condition=models.Q(consultant__isnull=True),
            ),
        ]
        indexes = [
            # the dashboard's sum over a period reads this index alone
            models.Index(
                fields=["store", "day"], include=["code", "consultant", "value"], name="dailyfigure_period_cover"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.store_id} · {self.day}"
