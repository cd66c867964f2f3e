from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models.stores import Store


class JobRun(models.Model):
    """One run of a scheduled job for one store and one local day. The unique constraint and the
    row lock make each job run once per store per day, whatever the tick or the worker does."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="job_runs")
    job = models.CharField(_("job"), max_length=60)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-day", "store", "job"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["store", "job", "day"], name="jobrun_once_per_store_day")]

    def __str__(self) -> str:
        return f"{self.job} · {self.store_id} · {self.day}"
