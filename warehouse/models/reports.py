"""The nightly stock report: one per store and day, its figures and its two files."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models import Store


def _report_path(instance: "NightlyReport", filename: str) -> str:
    return f"warehouse/nightly/{instance.day:%Y/%m}/{filename}"


class NightlyReport(models.Model):
    """What the 02:00 job wrote for one store: the figures of the day that ended (``day``) as a
    PDF and an XLSX, and the summary per warehouse in ``data`` for the reports page. The files are
    served only through the permission-checking download view."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="warehouse_nightly_reports", verbose_name=_("store")
    )
    day = models.DateField(_("day reported"))
    cutoff = models.DateTimeField(_("figures as of"))
    data = models.JSONField(_("summary"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to=_report_path, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=_report_path, blank=True)
    seconds = models.DecimalField(_("seconds to compute"), max_digits=8, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("nightly stock report")
        verbose_name_plural = _("nightly stock reports")
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="nightly_report_once_per_day")]

    def __str__(self) -> str:
        return f"{self.store} · {self.day:%Y-%m-%d}"
