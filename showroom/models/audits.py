"""Process audits (the mystery-shopper scorecard of article 1: a manager audits one consultant's
interaction item by item, with a note and a score, some items scored from the data) and the
background list exports (a large export runs as a Celery job with its progress).

Rules live in ``showroom.services.audits`` and ``showroom.services.exports``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from showroom.models.checklists import ChecklistItem, ChecklistTemplate
from showroom.models.customers import Customer
from showroom.models.frontdesk import Visit
from showroom.models.stores import Store


class AuditSettings(models.Model):
    """A store's thresholds for the automatic audit items; a store without a row uses the
    defaults."""

    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, related_name="audit_settings", verbose_name=_("store")
    )
    walkin_minutes = models.PositiveSmallIntegerField(
        _("a walk-in is logged and assigned within (minutes)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("The seed's “within five steps” of the door."),
    )
    test_drive_minutes = models.PositiveSmallIntegerField(
        _("a test drive lasts at least (minutes)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )

    class Meta:
        verbose_name = _("audit settings")
        verbose_name_plural = _("audit settings")

    def __str__(self) -> str:
        return str(self.store)


class ProcessAudit(models.Model):
    """One audit of one consultant's interaction (usually a walk-in) with the showroom process
    audit template."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being audited")
        DONE = "done", _("Done")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="process_audits", verbose_name=_("store"))
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="process_audits", verbose_name=_("consultant")
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auditor")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="audits", verbose_name=_("walk-in")
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="audits", verbose_name=_("customer")
    )
    interaction_at = models.DateTimeField(_("interaction at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, default=0)
    max_score = models.DecimalField(_("out of"), max_digits=7, decimal_places=2, default=0)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-interaction_at", "-id"]
        verbose_name = _("process audit")
        verbose_name_plural = _("process audits")
        indexes = [models.Index(fields=["store", "interaction_at"]), models.Index(fields=["consultant", "state"])]

    def __str__(self) -> str:
        return f"{self.consultant} · {timezone.localtime(self.interaction_at):%Y-%m-%d}"

    @property
    def interaction_day_start(self) -> dt.datetime:
        local = timezone.localtime(self.interaction_at)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)

    @property
    def interaction_end(self) -> dt.datetime:
        """The end of the interaction's local day: what the data says "the same day"."""
        return self.interaction_day_start + dt.timedelta(days=1)

    @property
    def scored_until(self) -> dt.datetime:
        """Follow-ups due before this moment count (the audit's completion, or now)."""
        return self.completed_at or timezone.now()

    @property
    def percent(self):
        from decimal import Decimal

        return (self.score * 100 / self.max_score).quantize(Decimal("0.1")) if self.max_score else None


class AuditAnswer(models.Model):
    """One item of an audit: passed or not (or not applicable), the points, the auditor's note,
    and for an automatic item the evidence the data gave."""

    class Result(models.TextChoices):
        PASS = "pass", _("Yes")
        FAIL = "fail", _("No")
        NOT_APPLICABLE = "na", _("Not applicable")

    audit = models.ForeignKey(ProcessAudit, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("item"), max_length=10)  # "section.item" of article 1, e.g. "4.4"
    section = models.PositiveSmallIntegerField(_("section"))
    result = models.CharField(_("result"), max_length=4, choices=Result.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)
    max_points = models.DecimalField(_("out of"), max_digits=6, decimal_places=2, default=1)
    automatic = models.BooleanField(_("scored from the data"), default=False)
    evidence = models.CharField(_("what the data shows"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["audit", "item__order"]
        verbose_name = _("audit answer")
        verbose_name_plural = _("audit answers")
        constraints = [models.UniqueConstraint(fields=["audit", "item"], name="audit_answer_once")]

    def __str__(self) -> str:
        return f"{self.audit_id} {self.code} {self.result}"


class ExportJob(models.Model):
    """A large list export running in the background: its progress and, when done, the file."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("list"), max_length=60)
    fmt = models.CharField(_("format"), max_length=4)
    model = models.CharField(max_length=100)  # "app_label.modelname" of the queryset
    query = models.BinaryField()  # the pickled query of the filtered list (Django supports this)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.code}.{self.fmt} #{self.pk}"

    @property
    def progress(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, int(self.done_rows * 100 / self.total)) if self.total else 0
