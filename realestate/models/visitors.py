"""Visitors on site (篇7 1): the consultant's intention records with the unit types wanted and the
A/B/C/D grade, the credit and ownership checks, the sales manager's spot-checks of A customers,
the day's work log, and callers who did not visit, assigned to the sales supervisors the next day.
Calls and visits themselves are the core front desk's (``showroom.Call``, ``showroom.Visit``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from showroom.models import Call, Customer, Store, Visit


class Intention(models.Model):
    """One intention record (意向记录) after a conversation; the customer's grade is the one of the
    latest record in the project."""

    class Grade(models.TextChoices):
        # The seed names the four grades only (客户资料分为A、B、C、D型).
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"
        D = "D", "D"

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("realestate.Project", on_delete=models.PROTECT, related_name="intentions")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("consultant")
    )
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    layouts = models.CharField(_("unit types wanted"), max_length=200)
    area_from = models.DecimalField(_("area from m²"), max_digits=8, decimal_places=2, null=True, blank=True)
    area_to = models.DecimalField(_("area to m²"), max_digits=8, decimal_places=2, null=True, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    credit_checked_on = models.DateField(_("credit checked on"), null=True, blank=True)
    ownership_checked_on = models.DateField(_("ownership checked on"), null=True, blank=True)
    work_log = models.ForeignKey(
        "realestate.WorkLog", on_delete=models.SET_NULL, null=True, blank=True, related_name="intentions"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("intention record")
        verbose_name_plural = _("intention records")
        indexes = [models.Index(fields=["project", "customer", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} · {self.grade}"


class SpotCheck(models.Model):
    """The sales manager's spot-check of an A customer (随时抽查A类客户): a tick and a note."""

    intention = models.ForeignKey(Intention, on_delete=models.CASCADE, related_name="spot_checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))
    confirmed = models.BooleanField(_("confirmed"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-checked_at"]
        verbose_name = _("spot-check of an A customer")
        verbose_name_plural = _("spot-checks of A customers")

    def __str__(self) -> str:
        return f"{self.intention_id} · {self.checked_at:%Y-%m-%d}"


class WorkLog(models.Model):
    """The consultant's work log of the day, submitted before leaving with the day's intention
    records; once a day."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    summary = models.TextField(_("summary"))
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["-day", "consultant"]
        verbose_name = _("work log")
        verbose_name_plural = _("work logs")
        constraints = [models.UniqueConstraint(fields=["store", "consultant", "day"], name="re_work_log_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day}"


class CallerAssignment(models.Model):
    """A caller who did not visit, assigned to a sales supervisor the next day (once per call)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField(_("assigned on"))

    class Meta:
        ordering = ["-assigned_on", "pk"]
        verbose_name = _("caller assigned to a supervisor")
        verbose_name_plural = _("callers assigned to supervisors")

    def __str__(self) -> str:
        return f"{self.call_id} → {self.supervisor_id}"
