"""The jewellery counter's day (article 4, 展厅工作流程 篇4).

一、8.30前打卡 → 二、8.35早会 → 三、自检 (scored by the duty manager each day) → 四、8.45开始搬货
(nothing left in the safe, its door closed; every tray counted, equal to last night's count) →
七、9点开门正式营业 → sales (称货→包货→出货, the tray counted after each one) → ③ lunch in turns
(千足金到岛不能少于2人, 万足至少一个人留岗) → ④ the duty person counts after lunch → 八、17:30收货
(trays back to the safe, counted by category).

The trays hold their book figures (pieces and grams); every count is a ``TrayCount`` row with
what the book said at that moment, so a difference is always visible afterwards.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import ChecklistRun, Store
from showroom.permissions import role_permission

ZERO = Decimal("0")
# 柜台人员: who works the counter (the consultants and sales assistants), with the leader and the
# duty manager (值班经理 = the showroom manager role) who may do anything they do.
COUNTER_STAFF = (r.CONSULTANT, r.SALES_ASSISTANT, r.COUNTER_LEADER, r.SHOWROOM_MANAGER)
COUNTER_LEADERS = (r.COUNTER_LEADER, r.SHOWROOM_MANAGER)
DUTY_MANAGERS = (r.SHOWROOM_MANAGER,)


class Station(models.TextChoices):
    # 千足金到岛 / 万足 (article 4, 七、3 ③)
    QIANZU_ISLAND = "qianzu_island", _("999.9 gold island")
    WANZU_COUNTER = "wanzu_counter", _("999.99 gold counter")


def default_lunch_minimums() -> dict:
    """千足金到岛不能少于2人,万足至少一个人留岗."""
    return {Station.QIANZU_ISLAND.value: 2, Station.WANZU_COUNTER.value: 1}


class Counter(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    name = models.CharField(_("name"), max_length=80)
    lunch_minimums = models.JSONField(
        _("staff who stay at each station during lunch"),
        default=default_lunch_minimums,
        help_text=_("Per station: the fewest people who stay while others eat."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["store_id", "name"]
        verbose_name = _("jewellery counter")
        verbose_name_plural = _("jewellery counters")
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="jw_counter_name_unique")]

    def __str__(self) -> str:
        return self.name


class Tray(models.Model):
    """A tray (货盘) of one category at one station, with its book figures."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="trays", verbose_name=_("counter"))
    code = models.CharField(_("tray"), max_length=20)
    category = models.CharField(_("category"), max_length=60)
    station = models.CharField(_("station"), max_length=20, choices=Station.choices)
    pieces = models.PositiveIntegerField(_("pieces"), default=0)
    weight = models.DecimalField(_("weight (g)"), max_digits=14, decimal_places=3, default=ZERO)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["counter_id", "station", "category", "code"]
        verbose_name = _("tray")
        verbose_name_plural = _("trays")
        constraints = [
            models.UniqueConstraint(fields=["counter", "code"], name="jw_tray_code_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="jw_tray_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.category}"


class CounterDay(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("counter day", "Planned")
        OPENED = "opened", _("Open for business")
        LUNCH = "lunch", _("Lunch rotation")
        AFTERNOON = "afternoon", _("Open, counted after lunch")
        CLOSED = "closed", pgettext_lazy("counter day", "Closed")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="days", verbose_name=_("counter"))
    date = models.DateField(_("date"))
    state = FSMField(_("state"), default=State.PLANNED, choices=State.choices, protected=True)
    safe_empty = models.BooleanField(_("nothing left in the safe"), default=False)
    safe_closed = models.BooleanField(_("safe door closed"), default=False)
    opening_cause = models.TextField(_("cause of the opening difference"), blank=True)
    closing_cause = models.TextField(_("cause of the closing difference"), blank=True)
    cause_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "counter_id"]
        verbose_name = _("counter day")
        verbose_name_plural = _("counter days")
        constraints = [models.UniqueConstraint(fields=["counter", "date"], name="jw_day_one_per_counter")]

    def __str__(self) -> str:
        return f"{self.counter} {self.date:%Y-%m-%d}"

    # The conditions (counts complete, differences explained) are checked by the services under
    # the day's lock and answered with a 409 naming what is missing: django-fsm would report a
    # failed condition as a missing permission.
    @transition(field=state, source=State.PLANNED, target=State.OPENED, permission=role_permission(*COUNTER_STAFF))
    def open(self):
        """九点开门: every tray counted, equal to last closing (or the cause recorded)."""

    @transition(field=state, source=State.OPENED, target=State.LUNCH, permission=role_permission(*COUNTER_STAFF))
    def lunch_start(self):
        """The lunch rotation begins."""

    @transition(field=state, source=State.LUNCH, target=State.AFTERNOON, permission=role_permission(*COUNTER_STAFF))
    def lunch_end(self):
        """午饭后当天的值日人员必须盘点一下: every tray counted again."""

    @transition(
        field=state,
        source=[State.OPENED, State.AFTERNOON],
        target=State.CLOSED,
        permission=role_permission(*COUNTER_STAFF),
    )
    def close(self):
        """17:30收货: trays back to the safe, the closing count equal to the book."""


class TrayCount(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening count")
        AFTER_SALE = "after_sale", _("After a sale")
        AFTER_LUNCH = "after_lunch", _("After lunch")
        CLOSING = "closing", _("Closing count")

    day = models.ForeignKey(CounterDay, on_delete=models.CASCADE, related_name="counts")
    tray = models.ForeignKey(Tray, on_delete=models.PROTECT, related_name="counts")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    pieces = models.PositiveIntegerField(_("pieces counted"))
    weight = models.DecimalField(_("weight counted (g)"), max_digits=14, decimal_places=3, null=True, blank=True)
    expected_pieces = models.PositiveIntegerField(_("pieces expected"))
    expected_weight = models.DecimalField(_("weight expected (g)"), max_digits=14, decimal_places=3)
    sale = models.ForeignKey("CounterSale", on_delete=models.CASCADE, null=True, blank=True, related_name="counts")
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counted_at = models.DateTimeField(_("counted at"), auto_now_add=True)

    class Meta:
        ordering = ["day_id", "counted_at", "id"]
        verbose_name = _("tray count")
        verbose_name_plural = _("tray counts")
        indexes = [models.Index(fields=["tray", "kind", "-counted_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(weight__isnull=True) | Q(weight__gte=0), name="jw_count_weight"),
            models.CheckConstraint(condition=Q(kind="after_sale") | Q(weight__isnull=False), name="jw_count_weighed"),
        ]

    def __str__(self) -> str:
        return f"{self.tray_id} {self.kind} {self.pieces}"

    @property
    def piece_difference(self) -> int:
        return self.pieces - self.expected_pieces

    @property
    def weight_difference(self) -> Decimal:
        return ZERO if self.weight is None else self.weight - self.expected_weight

    @property
    def matches(self) -> bool:
        return self.piece_difference == 0 and self.weight_difference == 0


class Attendance(models.Model):
    """一、8.30前打卡: one clock-in per person, store and day; after the time it is flagged late."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    clocked_in_at = models.DateTimeField(_("clocked in at"))
    late = models.BooleanField(_("late"), default=False)

    class Meta:
        ordering = ["-date", "clocked_in_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["store", "user", "date"], name="jw_attendance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.date}"


class GroomingCheck(models.Model):
    """三、自检 of one person on one day, scored by the duty manager through the core checklist
    ``staff.grooming`` (the run's target is this row). The score is the items passed (0–7)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    run = models.OneToOneField(ChecklistRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("out of"), default=0)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(_("scored at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "person_id"]
        verbose_name = _("grooming check")
        verbose_name_plural = _("grooming checks")
        constraints = [
            models.UniqueConstraint(fields=["store", "person", "date"], name="jw_grooming_once"),
            models.CheckConstraint(condition=Q(score__lte=models.F("max_score")), name="jw_grooming_score"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.date}"


class TradeCustomerRegistration(models.Model):
    """客户登记单, filled by a trade customer the first time (资料必须齐全)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    company = models.CharField(_("company"), max_length=120)
    contact = models.CharField(_("contact person"), max_length=60)
    mobile = models.CharField(_("mobile"), max_length=20)
    id_number = models.CharField(_("ID number"), max_length=18)
    address = models.CharField(_("address"), max_length=255)
    licence_number = models.CharField(_("business licence number"), max_length=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["company"]
        verbose_name = _("trade customer registration")
        verbose_name_plural = _("trade customer registrations")
        constraints = [models.UniqueConstraint(fields=["store", "mobile"], name="jw_trade_customer_once")]

    def __str__(self) -> str:
        return self.company


class CounterSale(models.Model):
    """称货 → 包货 → 出货: what left a tray, with the customer's special requests (打印记 …)."""

    day = models.ForeignKey(CounterDay, on_delete=models.PROTECT, related_name="sales")
    tray = models.ForeignKey(Tray, on_delete=models.PROTECT, related_name="sales")
    pieces = models.PositiveIntegerField(_("pieces"))
    weight = models.DecimalField(_("weight (g)"), max_digits=14, decimal_places=3)
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    special_requests = models.CharField(_("special requests"), max_length=500, blank=True)
    customer = models.ForeignKey(
        TradeCustomerRegistration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
        verbose_name=_("trade customer"),
    )
    sold_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sold_at = models.DateTimeField(_("sold at"), auto_now_add=True)
    confirmed = models.BooleanField(_("tray count confirmed"), default=False)

    class Meta:
        ordering = ["-sold_at", "-id"]
        verbose_name = _("counter sale")
        verbose_name_plural = _("counter sales")
        constraints = [
            models.CheckConstraint(condition=Q(pieces__gt=0), name="jw_sale_pieces"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="jw_sale_weight"),
            models.CheckConstraint(condition=Q(price__gte=0), name="jw_sale_price"),
        ]

    def __str__(self) -> str:
        return f"{self.tray_id} −{self.pieces}"


class RosterEntry(models.Model):
    """Who works at which station on the day (the basis of the lunch rule)."""

    day = models.ForeignKey(CounterDay, on_delete=models.CASCADE, related_name="roster")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    station = models.CharField(_("station"), max_length=20, choices=Station.choices)

    class Meta:
        ordering = ["station", "user_id"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster")
        constraints = [models.UniqueConstraint(fields=["day", "user"], name="jw_roster_once")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.station}"


class LunchRotation(models.Model):
    """One turn of 轮流吃饭: who is away from when to when."""

    day = models.ForeignKey(CounterDay, on_delete=models.CASCADE, related_name="rotations")
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    away = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("away"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["day_id", "starts_at"]
        verbose_name = _("lunch rotation")
        verbose_name_plural = _("lunch rotations")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="jw_lunch_span")]

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
