"""The monthly stocktake (article 3, 仓库盘点流程).

planned → frozen → first_count → recount → sample_audit → approved → adjusted → closed (or
cancelled before counting). The count sheet (《盘点单》) is one ``StocktakeLine`` per bin and item;
every count of a line is a ``StocktakeCount`` row, unique per line, round and pass, so nothing is
counted twice (绝对不允许重盘和漏盘). The sample audit (抽盘) draws ``StocktakeAuditLine`` rows with the
stocktake's stored seed. Approval makes the surplus and deficit slips (《盘盈单》《盘亏单》,
``StocktakeAdjustment``), which post through the ledger once the approvals engine agreed.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom import roles as r
from showroom.models import Store
from showroom.permissions import role_permission
from warehouse.models.catalog import Bin, Item, Warehouse

ZERO = Decimal("0")
SUPERVISORS = (r.WAREHOUSE_SUPERVISOR,)
PLANNERS = (r.WAREHOUSE_SUPERVISOR, r.GENERAL_MANAGER)
FINANCE = (r.FINANCE,)
#: While a stocktake is in one of these states its warehouse is frozen: no move is appended.
FROZEN_STATES = ("frozen", "first_count", "recount", "sample_audit")


class Stocktake(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        FROZEN = "frozen", _("Frozen, teams being set")
        FIRST_COUNT = "first_count", _("First count")
        RECOUNT = "recount", _("Recount")
        SAMPLE_AUDIT = "sample_audit", _("Sample audit")
        APPROVED = "approved", _("Approved, adjustments to decide")
        ADJUSTED = "adjusted", _("Adjustments posted")
        CLOSED = "closed", pgettext_lazy("stocktake", "Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Decision(models.TextChoices):
        NOT_FILED = "not_filed", _("Not filed")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+", verbose_name=_("store"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="stocktakes", verbose_name=_("warehouse")
    )
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    month = models.DateField(_("month"), help_text=_("The first day of the month counted."))
    scheduled = models.BooleanField(_("planned by the monthly job"), default=False)
    count_start = models.DateTimeField(_("counting starts"))
    count_end = models.DateTimeField(_("first count and recount end"))
    audit_end = models.DateTimeField(_("sample audit ends"))
    seed = models.BigIntegerField(_("random seed of the sample draw"))
    state = FSMField(_("state"), default=State.PLANNED, choices=State.choices, protected=True)
    adjustment_decision = models.CharField(
        _("adjustment approval"), max_length=10, choices=Decision.choices, default=Decision.NOT_FILED
    )
    recount_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("recount team")
    )
    audit_drawn = models.BooleanField(_("sample drawn"), default=False)
    audit_finished = models.BooleanField(_("sample audit finished"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    counted_at = models.DateTimeField(_("counting started at"), null=True, blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("warehouse supervisor"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by (finance)"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-count_start", "-id"]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")
        indexes = [models.Index(fields=["warehouse", "state"]), models.Index(fields=["store", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "month"], condition=Q(scheduled=True), name="stocktake_one_scheduled_per_month"
            ),
            models.CheckConstraint(
                condition=Q(count_end__gt=models.F("count_start")) & Q(audit_end__gte=models.F("count_end")),
                name="stocktake_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    @transition(field=state, source=State.PLANNED, target=State.FROZEN, permission=role_permission(*SUPERVISORS))
    def freeze(self):
        """Receipts, outbound slips and transfers of the warehouse stop (盘点日期间停止送收货品)."""

    @transition(field=state, source=State.FROZEN, target=State.FIRST_COUNT, permission=role_permission(*SUPERVISORS))
    def start_count(self):
        """The areas have their teams; the count sheet is taken from the book and counting starts."""

    @transition(field=state, source=State.FIRST_COUNT, target=State.RECOUNT, permission=role_permission(*SUPERVISORS))
    def start_recount(self):
        """Every area finished its first count; the supervisor's team recounts (复盘)."""

    @transition(
        field=state,
        source=State.RECOUNT,
        target=State.SAMPLE_AUDIT,
        permission=role_permission(*SUPERVISORS, *FINANCE),
    )
    def start_audit(self):
        """The count sheet goes to finance (将《盘点单》打印提供给财务部); the sample is drawn."""

    @transition(field=state, source=State.SAMPLE_AUDIT, target=State.APPROVED, permission=role_permission(*FINANCE))
    def approve(self):
        """Finance approves the recounted and audited count sheet (由财务部审核)."""

    @transition(field=state, source=State.APPROVED, target=State.ADJUSTED, permission=role_permission(*FINANCE))
    def post(self):
        """Finance posts the approved surplus and deficit slips (调整库存帐)."""

    @transition(
        field=state, source=State.ADJUSTED, target=State.CLOSED, permission=role_permission(*SUPERVISORS, *FINANCE)
    )
    def close(self):
        """The stocktake report is printed for the supervisor and finance to sign."""

    @transition(
        field=state,
        source=[State.PLANNED, State.FROZEN],
        target=State.CANCELLED,
        permission=role_permission(*PLANNERS),
    )
    def cancel(self):
        """The stocktake does not take place (before counting starts); the freeze lifts."""


class StocktakeArea(models.Model):
    """One counting area: a team leader and two helpers (各指派1人担任组长,2人配合) count its bins."""

    class State(models.TextChoices):
        COUNTING = "counting", _("Counting")
        COUNTED = "counted", _("First count finished")
        AUDITED = "audited", _("Audit passed")
        FULL_RECOUNT = "full_recount", _("Back to a full recount")
        RECOUNTED = "recounted", _("Fully recounted")

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("area"), max_length=80)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("team leader")
    )
    helpers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("helpers"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.COUNTING)
    recount_pass = models.PositiveSmallIntegerField(_("full recounts"), default=0)
    audited_lines = models.PositiveIntegerField(_("audited lines"), default=0)
    wrong_lines = models.PositiveIntegerField(_("audited lines wrong"), default=0)
    error_rate = models.DecimalField(_("error rate"), max_digits=7, decimal_places=4, null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["stocktake_id", "name", "id"]
        verbose_name = _("stocktake area")
        verbose_name_plural = _("stocktake areas")
        constraints = [models.UniqueConstraint(fields=["stocktake", "name"], name="stocktake_area_name")]

    def __str__(self) -> str:
        return self.name


class StocktakeAreaBin(models.Model):
    """A bin belongs to one area of a stocktake."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(StocktakeArea, on_delete=models.CASCADE, related_name="area_bins")
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stocktake", "bin"], name="stocktake_bin_one_area")]

    def __str__(self) -> str:
        return f"{self.area_id}/{self.bin_id}"


class StocktakeLine(models.Model):
    """One line of the count sheet: a bin and an item, the book quantity when counting started
    (never shown to the counters), and the counts that settle the final quantity."""

    class Cause(models.TextChoices):
        COUNT_ERROR = "count_error", _("Counting error")
        DOCUMENT_ERROR = "document_error", _("Receipt or issue recorded wrongly")
        DAMAGE = "damage", _("Damaged or spoiled")
        LOSS = "loss", _("Lost or stolen")
        NEGLIGENCE = "negligence", _("Staff negligence")
        UNIT_ERROR = "unit_error", _("Unit or weighing error")
        OTHER = "other", pgettext_lazy("cause", "Other")

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="lines")
    area = models.ForeignKey(StocktakeArea, on_delete=models.PROTECT, related_name="lines")
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+", verbose_name=_("bin"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    expected = models.DecimalField(_("book quantity"), max_digits=14, decimal_places=3, default=ZERO)
    first_quantity = models.DecimalField(_("first count"), max_digits=14, decimal_places=3, null=True, blank=True)
    recount_quantity = models.DecimalField(_("recount"), max_digits=14, decimal_places=3, null=True, blank=True)
    final_quantity = models.DecimalField(_("counted quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    disputed = models.BooleanField(_("counts differ"), default=False)
    count_note = models.CharField(_("why the counts differed"), max_length=255, blank=True)
    needs_correction = models.BooleanField(_("audit found a difference"), default=False)
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices, blank=True)
    cause_note = models.CharField(_("cause found"), max_length=255, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    added_in = models.CharField(_("added in"), max_length=12, blank=True)

    class Meta:
        ordering = ["stocktake_id", "bin__code", "item__code"]
        verbose_name = _("count sheet line")
        verbose_name_plural = _("count sheet lines")
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "bin", "item"], name="stocktake_line_per_bin_item"),
            models.CheckConstraint(
                condition=Q(final_quantity__isnull=True) | Q(final_quantity__gte=0), name="stocktake_line_final"
            ),
            models.CheckConstraint(
                condition=~Q(cause="negligence") | Q(responsible__isnull=False),
                name="stocktake_negligence_names_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bin_id}/{self.item_id}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.final_quantity is None else self.final_quantity - self.expected


class StocktakeCount(models.Model):
    """One entry of one line in one round: a second entry for the same line, round and pass is
    refused by the unique constraint (no double counting)."""

    class Round(models.TextChoices):
        FIRST = "first", _("First count")
        RECOUNT = "recount", _("Recount")
        CORRECTION = "correction", _("Correction after audit")
        FULL = "full", _("Full recount")

    line = models.ForeignKey(StocktakeLine, on_delete=models.CASCADE, related_name="counts")
    round = models.CharField(_("round"), max_length=12, choices=Round.choices)
    pass_no = models.PositiveSmallIntegerField(_("pass"), default=0)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    counted_at = models.DateTimeField(_("counted at"), auto_now_add=True)

    class Meta:
        ordering = ["line_id", "counted_at"]
        verbose_name = _("count entry")
        verbose_name_plural = _("count entries")
        constraints = [
            models.UniqueConstraint(fields=["line", "round", "pass_no"], name="stocktake_count_once_per_round"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stocktake_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} {self.round}: {self.quantity}"


class StocktakeAuditBin(models.Model):
    """A bin location drawn from the shelves (从实物中抽取): the auditors count what is there."""

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="audit_bins")
    bin = models.ForeignKey(Bin, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["bin__code"]
        constraints = [models.UniqueConstraint(fields=["stocktake", "bin"], name="stocktake_audit_bin_once")]

    def __str__(self) -> str:
        return f"{self.stocktake_id}/{self.bin_id}"


class StocktakeAuditLine(models.Model):
    """A line drawn for the sample audit, from the shelves or from the count sheet; a line is
    drawn once (unique)."""

    class Source(models.TextChoices):
        SHELF = "shelf", _("Drawn from the shelves")
        SHEET = "sheet", _("Drawn from the count sheet")

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="audit_lines")
    line = models.ForeignKey(StocktakeLine, on_delete=models.CASCADE, related_name="audits")
    source = models.CharField(_("drawn"), max_length=6, choices=Source.choices)
    sheet_quantity = models.DecimalField(_("count sheet"), max_digits=14, decimal_places=3, null=True, blank=True)
    audited_quantity = models.DecimalField(_("audited"), max_digits=14, decimal_places=3, null=True, blank=True)
    wrong = models.BooleanField(_("differs"), default=False)
    audited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second auditor"),
    )
    audited_at = models.DateTimeField(_("audited at"), null=True, blank=True)

    class Meta:
        ordering = ["line__bin__code", "line__item__code"]
        verbose_name = _("audit line")
        verbose_name_plural = _("audit lines")
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "line"], name="stocktake_audit_line_once"),
            models.CheckConstraint(
                condition=Q(audited_quantity__isnull=True) | Q(audited_quantity__gte=0),
                name="stocktake_audit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} ({self.source})"


class StocktakeAdjustment(models.Model):
    """The surplus slip (《盘盈单》) or the deficit slip (《盘亏单》) of an approved stocktake (AS)."""

    class Kind(models.TextChoices):
        SURPLUS = "surplus", _("Surplus slip")
        DEFICIT = "deficit", _("Deficit slip")

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=30, blank=True)
    total = models.DecimalField(_("value"), max_digits=16, decimal_places=2, default=ZERO)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        ordering = ["stocktake_id", "kind"]
        verbose_name = _("adjustment slip")
        verbose_name_plural = _("adjustment slips")
        constraints = [models.UniqueConstraint(fields=["stocktake", "kind"], name="stocktake_one_slip_per_kind")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def store_id(self) -> int:
        return self.stocktake.store_id


class StocktakeAdjustmentLine(models.Model):
    """One difference: signed quantity (+ surplus, − deficit), valued at the current cost, with
    its cause and, for staff negligence, the person responsible."""

    adjustment = models.ForeignKey(StocktakeAdjustment, on_delete=models.CASCADE, related_name="lines")
    line = models.OneToOneField(StocktakeLine, on_delete=models.PROTECT, related_name="adjustment_line")
    quantity = models.DecimalField(_("difference"), max_digits=14, decimal_places=3)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=14, decimal_places=4)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    move = models.OneToOneField(
        "warehouse.StockMove", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["adjustment_id", "id"]
        constraints = [models.CheckConstraint(condition=~Q(quantity=0), name="stocktake_adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.adjustment_id}: {self.quantity}"
