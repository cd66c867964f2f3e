"""The front desk (visitor and caller log, receptionist shifts, the daily report) and the duty
roster (each day's consultants in order, and every assignment and skip with its reason).

Rules live in ``showroom.services.frontdesk`` and ``showroom.services.roster``; these are fields,
constraints and small display helpers only.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from showroom.models.customers import Customer
from showroom.models.stores import Store


def _english() -> bool:
    return (get_language() or "").startswith("en")


class FrontDeskSettings(models.Model):
    """A store's front-desk settings; a store without a row uses the defaults."""

    class DistributionRule(models.TextChoices):
        ROUND_ROBIN = "round_robin", _("Round-robin over the duty roster")
        SELLER = "seller", _("Back to the consultant who sold the car")

    store = models.OneToOneField(
        Store, on_delete=models.CASCADE, related_name="frontdesk_settings", verbose_name=_("store")
    )
    shift_minutes = models.PositiveSmallIntegerField(
        _("receptionist shift (minutes)"),
        default=120,
        validators=[MinValueValidator(30), MaxValueValidator(720)],
    )
    distribution_rule = models.CharField(
        _("distribution of campaign leads"),
        max_length=20,
        choices=DistributionRule.choices,
        default=DistributionRule.ROUND_ROBIN,
    )
    overdue_skip_hours = models.PositiveSmallIntegerField(
        _("skip a consultant with follow-ups overdue by more than (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
    )
    ownership_days = models.PositiveSmallIntegerField(
        _("a consultant owns a customer for (days, renewed by each contact)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("front-desk settings")
        verbose_name_plural = _("front-desk settings")

    def __str__(self) -> str:
        return str(self.store)


class VisitSource(models.Model):
    """Where a visitor heard of us (the store's list of sources/media). Rows without a store are
    the defaults every store sees; a store's own row with the same code replaces the default (an
    inactive one hides it)."""

    store = models.ForeignKey(
        Store,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="visit_sources",
        verbose_name=_("store"),
        help_text=_("Empty: a default every store sees."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("visit source")
        verbose_name_plural = _("visit sources")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(store__isnull=True), name="visitsource_default_code"),
            models.UniqueConstraint(
                fields=["store", "code"], condition=Q(store__isnull=False), name="visitsource_store_code"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if _english() and self.name_en else self.name


class ReceptionShift(models.Model):
    """One receptionist's turn at the desk. A store has at most one open shift; every visit and
    call is counted in the shift it was logged in, and open visits move on to the next shift at
    a handover without being counted again."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="reception_shifts", verbose_name=_("store"))
    receptionist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reception_shifts",
        verbose_name=_("receptionist"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    planned_minutes = models.PositiveSmallIntegerField(_("planned length (minutes)"), default=120)
    handed_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handed_from",
        verbose_name=_("handed over to"),
    )
    handover_note = models.TextField(_("handover note"), blank=True)
    counts = models.JSONField(_("counts at close"), default=dict, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("reception shift")
        verbose_name_plural = _("reception shifts")
        constraints = [
            models.UniqueConstraint(
                fields=["store"], condition=Q(closed_at__isnull=True), name="receptionshift_one_open_per_store"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="receptionshift_closes_after_opening",
            ),
        ]
        indexes = [models.Index(fields=["store", "-opened_at"])]

    def __str__(self) -> str:
        from django.utils import timezone

        name = self.receptionist.get_full_name() or self.receptionist.get_username()
        return f"{name} · {timezone.localtime(self.opened_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Visit(models.Model):
    """One walk-in (a party arriving together). Every walk-in is logged; there is no way to skip
    one."""

    class Purpose(models.TextChoices):
        LOOK = "look", _("Look at cars")
        COLLECT = "collect", _("Collect a car")
        SERVICE = "service", _("Service")
        FIND_SOMEONE = "find_someone", _("Find someone")
        OTHER = "other", _("Other")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="visits", verbose_name=_("store"))
    counted_shift = models.ForeignKey(
        ReceptionShift,
        on_delete=models.PROTECT,
        related_name="counted_visits",
        verbose_name=_("counted in shift"),
    )
    current_shift = models.ForeignKey(
        ReceptionShift,
        on_delete=models.PROTECT,
        related_name="current_visits",
        verbose_name=_("looked after by shift"),
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("party size"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.LOOK)
    first_visit = models.BooleanField(_("first visit"), default=True)
    source = models.ForeignKey(VisitSource, on_delete=models.PROTECT, related_name="visits", verbose_name=_("source"))
    licence_plate = models.CharField(_("licence plate"), max_length=12, blank=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits", verbose_name=_("customer")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frontdesk_visits",
        verbose_name=_("consultant"),
    )
    notes = models.TextField(_("notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-arrived_at", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["store", "arrived_at"]),
            models.Index(fields=["store", "left_at"]),
            models.Index(fields=["consultant", "left_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("arrived_at")),
                name="visit_leaves_after_arriving",
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="visit_party_of_one_or_more"),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        return _("Walk-in %(when)s") % {"when": timezone.localtime(self.arrived_at).strftime("%Y-%m-%d %H:%M")}

    @property
    def is_open(self) -> bool:
        return self.left_at is None


class Call(models.Model):
    """One phone call taken at the front desk."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="calls", verbose_name=_("store"))
    counted_shift = models.ForeignKey(
        ReceptionShift, on_delete=models.PROTECT, related_name="counted_calls", verbose_name=_("counted in shift")
    )
    at = models.DateTimeField(_("time of the call"))
    number = models.CharField(_("number"), max_length=20)
    question = models.TextField(_("question"))
    callback_agreed_at = models.DateTimeField(_("callback agreed for"), null=True, blank=True)
    callback_note = models.CharField(_("callback note"), max_length=200, blank=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls", verbose_name=_("customer")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frontdesk_calls",
        verbose_name=_("consultant"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        indexes = [models.Index(fields=["store", "at"])]

    def __str__(self) -> str:
        from showroom.validators import mask_mobile

        return _("Call from %(number)s") % {"number": mask_mobile(self.number)}


class DutyRoster(models.Model):
    """One store's consultants on duty for one day, in the order they receive walk-ins."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="duty_rosters", verbose_name=_("store"))
    day = models.DateField(_("day"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-day", "store"]
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="dutyroster_one_per_store_day")]

    def __str__(self) -> str:
        return f"{self.store} · {self.day:%Y-%m-%d}"


class RosterEntry(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        WITH_CUSTOMER = "with_customer", _("With a customer")
        AWAY = "away", pgettext_lazy("consultant status", "Away")

    roster = models.ForeignKey(DutyRoster, on_delete=models.CASCADE, related_name="entries", verbose_name=_("roster"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roster_entries", verbose_name=_("consultant")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(fields=["roster", "consultant"], name="rosterentry_once_per_roster"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.consultant.get_full_name() or self.consultant.get_username()}"


class Assignment(models.Model):
    """One decision of the duty roster: a walk-in given to a consultant in turn, a consultant
    passed over (with the reason), a manager's override (with the reason) or a consultant the
    customer asked for."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned in turn")
        SKIPPED = "skipped", _("Skipped")
        OVERRIDE = "override", _("Manager override")
        REQUESTED = "requested", _("Asked for by the customer")
        OWNER = "owner", _("Returning customer to the owner")
        STAND_IN = "stand_in", _("Stand-in for the absent owner")

    class ReasonCode(models.TextChoices):
        NONE = "", _("None")
        AWAY = "away", _("Away")
        WITH_CUSTOMER = "with_customer", _("With a customer")
        OVERDUE = "overdue_followups", _("Overdue follow-ups")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("store"))
    day = models.DateField(_("day"))
    roster_entry = models.ForeignKey(
        RosterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("consultant")
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments", verbose_name=_("visit")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason_code = models.CharField(_("reason code"), max_length=30, choices=ReasonCode.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    counts_for_fairness = models.BooleanField(_("counts for fairness"), default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["store", "day", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.consultant}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: a skip's reason from its code and details, an
        override's or a request's as written."""
        from django.utils.translation import gettext, ngettext

        if self.reason_code == self.ReasonCode.AWAY:
            return gettext("Away from the showroom")
        if self.reason_code == self.ReasonCode.WITH_CUSTOMER:
            return gettext("With a customer")
        if self.reason_code == self.ReasonCode.OVERDUE:
            count = int(self.details.get("overdue", 0) or 0)
            hours = int(self.details.get("hours", 24) or 24)
            return ngettext(
                "%(count)d follow-up overdue by more than %(hours)d hours",
                "%(count)d follow-ups overdue by more than %(hours)d hours",
                count,
            ) % {"count": count, "hours": hours}
        if self.kind == self.Kind.REQUESTED and not self.reason:
            return gettext("The customer asked for this consultant")
        return self.reason


class FrontDeskReport(models.Model):
    """The counts of a day or a month as computed by the scheduled job and sent to the managers."""

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily")
        MONTHLY = "monthly", _("Monthly")

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="frontdesk_reports", verbose_name=_("store")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    day = models.DateField(_("day (the month's first day for a monthly report)"))
    data = models.JSONField(_("counts"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-day", "kind"]
        verbose_name = _("front-desk report")
        verbose_name_plural = _("front-desk reports")
        constraints = [
            models.UniqueConstraint(fields=["store", "kind", "day"], name="frontdeskreport_once_per_period"),
        ]

    def __str__(self) -> str:
        period = f"{self.day:%Y-%m}" if self.kind == self.Kind.MONTHLY else f"{self.day:%Y-%m-%d}"
        return f"{self.store} · {self.get_kind_display()} · {period}"


# The engine's reference step, scheduled jobs, report sections and demo seeder register when the
# models load, so every process (web, worker, beat, manage.py) knows them.
from showroom import frontdesk_reference  # noqa: E402,F401
