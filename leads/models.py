"""The vehicle catalogue and the leads of a car showroom."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from showroom.models import Customer, Store
from showroom.permissions import has_role
from showroom.roles import CONSULTANT, GENERAL_MANAGER, SALES_MANAGER, SALES_SUPERVISOR, SHOWROOM_MANAGER

LEAD_MANAGERS = (SHOWROOM_MANAGER, SALES_SUPERVISOR, SALES_MANAGER, GENERAL_MANAGER)


# --- vehicle catalogue ----------------------------------------------------------------------
class Brand(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    is_own = models.BooleanField(_("we sell it"), default=True, help_text=_("Off for competitor brands."))

    class Meta:
        ordering = ["-is_own", "name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name


class VehicleModel(models.Model):
    class Segment(models.TextChoices):
        SEDAN_A = "sedan_a", _("Compact sedan")
        SEDAN_B = "sedan_b", _("Mid-size sedan")
        SEDAN_C = "sedan_c", _("Executive sedan")
        SUV = "suv", _("SUV")
        MPV = "mpv", _("MPV")
        NEV = "nev", _("New-energy vehicle")
        OTHER = "other", _("Other")

    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="models", verbose_name=_("brand"))
    name = models.CharField(_("name"), max_length=80)
    segment = models.CharField(_("segment"), max_length=10, choices=Segment.choices)
    consultant_discount_limit = models.DecimalField(
        _("consultant's discount limit"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("A quote discount up to this amount needs no approval."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        ordering = ["brand__name", "name"]
        verbose_name = _("vehicle model")
        verbose_name_plural = _("vehicle models")
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="vehicle_model_unique")]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


class Trim(models.Model):
    vehicle_model = models.ForeignKey(VehicleModel, on_delete=models.PROTECT, related_name="trims")
    name = models.CharField(_("name"), max_length=120)
    list_price = models.DecimalField(_("list price"), max_digits=12, decimal_places=2)
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        ordering = ["vehicle_model", "list_price"]
        verbose_name = _("trim")
        verbose_name_plural = _("trims")
        constraints = [models.UniqueConstraint(fields=["vehicle_model", "name"], name="trim_unique")]

    def __str__(self) -> str:
        return f"{self.vehicle_model} {self.name}"


class Colour(models.Model):
    vehicle_model = models.ForeignKey(VehicleModel, on_delete=models.PROTECT, related_name="colours")
    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(_("paint code"), max_length=20, blank=True)

    class Meta:
        ordering = ["vehicle_model", "name"]
        verbose_name = _("colour")
        verbose_name_plural = _("colours")
        constraints = [models.UniqueConstraint(fields=["vehicle_model", "name"], name="colour_unique")]

    def __str__(self) -> str:
        return self.name


class TrimColour(models.Model):
    """A sellable trim × colour with its list price (a paint may cost extra)."""

    trim = models.ForeignKey(Trim, on_delete=models.PROTECT, related_name="colours")
    colour = models.ForeignKey(Colour, on_delete=models.PROTECT, related_name="trims")
    list_price = models.DecimalField(_("list price"), max_digits=12, decimal_places=2)
    warehouse_item_id = models.PositiveBigIntegerField(_("warehouse item"), null=True, blank=True)

    class Meta:
        ordering = ["trim", "colour"]
        verbose_name = _("trim and colour")
        verbose_name_plural = _("trims and colours")
        constraints = [models.UniqueConstraint(fields=["trim", "colour"], name="trim_colour_unique")]

    def __str__(self) -> str:
        return f"{self.trim} · {self.colour}"


# --- store lists and rules --------------------------------------------------------------------
class GradeRule(models.Model):
    """Per store: what a grade means (buy within N days) and its follow-up rhythm."""

    class Grade(models.TextChoices):
        H = "H", "H"
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="grade_rules")
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    buy_within_days = models.PositiveSmallIntegerField(_("buys within (days)"))
    follow_up_every_days = models.PositiveSmallIntegerField(_("follow up every (days)"))
    needs_manager_plan = models.BooleanField(_("plan confirmed by the showroom manager"), default=False)

    class Meta:
        ordering = ["store", "grade"]
        verbose_name = _("grade rule")
        verbose_name_plural = _("grade rules")
        constraints = [models.UniqueConstraint(fields=["store", "grade"], name="grade_rule_unique")]

    def __str__(self) -> str:
        return f"{self.store} {self.grade}"


class LeadSettings(models.Model):
    """A store's lead settings; a store without a row uses the defaults."""

    DEFAULT_DORMANT_AFTER_DAYS = 30

    store = models.OneToOneField(Store, on_delete=models.CASCADE, related_name="lead_settings", verbose_name=_("store"))
    dormant_after_days = models.PositiveSmallIntegerField(
        _("a lead goes dormant after (days without contact)"),
        default=DEFAULT_DORMANT_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    class Meta:
        verbose_name = _("lead settings")
        verbose_name_plural = _("lead settings")

    def __str__(self) -> str:
        return str(self.store)


class LostReason(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="lost_reasons", null=True, blank=True)
    text = models.CharField(_("reason"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["text"]
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")

    def __str__(self) -> str:
        return self.text


# --- leads ------------------------------------------------------------------------------------
# Who may manage a lead's follow-up plan (grade, reactivation): the roles the follow-ups engine lets
# cancel and complete someone else's follow-ups.
LEAD_PLAN_MANAGERS = (SHOWROOM_MANAGER, SALES_MANAGER, GENERAL_MANAGER)

# Services set one of these on the locked instance before running a transition that no user may
# start by hand: an event (a logged visit, a paid deposit) is a fact, a loss needs an approved
# request, dormancy is the tick's.
RUN_AS_EVENT, RUN_LOST_APPROVED, RUN_DORMANT_TICK = "event", "lost_approved", "dormant_tick"
RUN_CUSTOMER_MERGE = "customer_merge"


def _service_run(instance) -> str:
    return getattr(instance, "_leads_service_run", "")


def lead_may_work(instance, user) -> bool:
    if _service_run(instance) == RUN_AS_EVENT:
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.pk == instance.consultant_id and has_role(user, instance.store_id, CONSULTANT):
        return True
    return has_role(user, instance.store_id, LEAD_MANAGERS)


def lead_may_manage_plan(instance, user) -> bool:
    """The lead's own consultant, or a manager who may manage someone else's follow-ups."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk == instance.consultant_id and has_role(user, instance.store_id, CONSULTANT):
        return True
    return has_role(user, instance.store_id, LEAD_PLAN_MANAGERS)


def lead_may_close(instance, user) -> bool:
    return has_role(user, instance.store_id, LEAD_MANAGERS)


def _lost_approved(instance) -> bool:
    return _service_run(instance) == RUN_LOST_APPROVED


def _dormant_tick(instance) -> bool:
    # The nightly tick, or a customer merge putting the duplicate's second open lead to rest.
    return _service_run(instance) in (RUN_DORMANT_TICK, RUN_CUSTOMER_MERGE)


#: The open states (``Lead.OPEN_STATES``) as the Meta's constraint and index conditions need them:
#: the class body's names are out of reach there.
_OPEN_STATE_VALUES = ["new", "contacted", "visited", "test_driven", "negotiating"]

#: A lead with its needs analysis recorded (any of its fields filled in).
NEEDS_ANALYSIS_Q = (
    ~models.Q(usage="")
    | ~models.Q(key_criteria="")
    | ~models.Q(body_type="")
    | ~models.Q(models_compared="")
    | models.Q(passengers__isnull=False)
)


class Lead(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        VISITED = "visited", _("Visited")
        TEST_DRIVEN = "test_driven", _("Test driven")
        NEGOTIATING = "negotiating", _("Negotiating")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        DORMANT = "dormant", _("Dormant")

    OPEN_STATES = (State.NEW, State.CONTACTED, State.VISITED, State.TEST_DRIVEN, State.NEGOTIATING)
    # The forward order events move a lead along; an event never moves it back.
    PROGRESS = (State.NEW, State.CONTACTED, State.VISITED, State.TEST_DRIVEN, State.NEGOTIATING, State.WON)

    class Timeline(models.TextChoices):
        WEEK = "week", _("Within a week")
        FORTNIGHT = "fortnight", _("Within two weeks")
        MONTH = "month", _("Within a month")
        QUARTER = "quarter", _("Within three months")
        LATER = "later", _("Later or unsure")

    class TestDrive(models.TextChoices):
        NOT_OFFERED = "", _("Not offered yet")
        ACCEPTED = "accepted", _("Offered and accepted")
        DECLINED = "declined", _("Offered and declined")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="leads", verbose_name=_("store"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="leads", verbose_name=_("customer"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="leads", verbose_name=_("consultant")
    )
    # Empty when the lead was opened automatically (a walk-in handed to a consultant at the front desk).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Customer.Source.choices)
    vehicle_model = models.ForeignKey(
        VehicleModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("vehicle of interest"),
    )
    trim = models.ForeignKey(Trim, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    budget = models.DecimalField(_("budget"), max_digits=12, decimal_places=2, null=True, blank=True)
    purchase_timeline = models.CharField(
        _("purchase timeline"), max_length=10, choices=Timeline.choices, default=Timeline.MONTH
    )
    grade = models.CharField(_("grade"), max_length=1, choices=GradeRule.Grade.choices, default=GradeRule.Grade.B)
    plan_confirmed_at = models.DateTimeField(_("follow-up plan confirmed at"), null=True, blank=True)
    plan_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_note = models.TextField(
        _("follow-up plan and talking points"),
        blank=True,
        help_text=_("Agreed with the showroom manager for H and A leads."),
    )
    # needs analysis
    usage = models.CharField(_("usage"), max_length=200, blank=True)
    passengers = models.PositiveSmallIntegerField(_("passengers"), null=True, blank=True)
    body_type = models.CharField(_("body type"), max_length=60, blank=True)
    key_criteria = models.CharField(_("key criteria"), max_length=300, blank=True)
    models_compared = models.CharField(_("models compared"), max_length=300, blank=True)
    trade_in = models.BooleanField(_("has a car to trade in"), default=False)
    trade_in_details = models.CharField(_("trade-in car"), max_length=300, blank=True)
    test_drive = models.CharField(
        _("test drive"), max_length=10, choices=TestDrive.choices, blank=True, default=TestDrive.NOT_OFFERED
    )
    state = FSMField(_("state"), default=State.NEW, choices=State.choices, protected=True)
    lost_competitor_brand = models.CharField(_("competitor brand bought"), max_length=60, blank=True)
    lost_competitor_model = models.CharField(_("competitor model bought"), max_length=80, blank=True)
    lost_reason = models.ForeignKey(LostReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    campaign = models.ForeignKey("Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads")
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["store", "state", "-created_at"]),
            # the lead list: a store's leads newest first (bench/leads_and_board.py); with the
            # consultant, the dashboard's "leads assigned" reads the index alone
            models.Index(fields=["store", "-created_at", "-id"], include=["consultant"], name="lead_store_newest"),
            # the dashboard's needs-analysis funnel step counts these entries alone (the condition
            # is the selectors' lead_needs_analysis_q, which PostgreSQL must see word for word)
            models.Index(fields=["store", "created_at"], condition=NEEDS_ANALYSIS_Q, name="lead_needs_analysis"),
            # the dashboard's "H/A leads at risk" (lead_at_risk_q) filters a store's open leads by
            # grade and last contact from this index alone, not from every open lead's row
            models.Index(
                fields=["store", "grade"],
                include=["last_contact_at", "created_at", "id"],
                condition=Q(state__in=_OPEN_STATE_VALUES),
                name="lead_open_by_grade",
            ),
            models.Index(fields=["consultant", "state"]),
            models.Index(fields=["customer"]),
            models.Index(fields=["created_by", "created_at"]),
        ]
        constraints = [
            # One open lead per customer and store: a second walk-in moves the open lead on.
            models.UniqueConstraint(
                fields=["store", "customer"],
                condition=Q(state__in=_OPEN_STATE_VALUES),
                name="lead_one_open_per_customer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.vehicle_model or ''}".strip(" ·")

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    # Events move a lead forward from any earlier open state (``lead_event`` picks the transition);
    # a consultant may also run them by hand where no event exists yet.
    @transition(field=state, source=State.NEW, target=State.CONTACTED, permission=lead_may_work)
    def contact(self):
        pass

    @transition(field=state, source=[State.NEW, State.CONTACTED], target=State.VISITED, permission=lead_may_work)
    def visit(self):
        pass

    @transition(
        field=state,
        source=[State.NEW, State.CONTACTED, State.VISITED],
        target=State.TEST_DRIVEN,
        permission=lead_may_work,
    )
    def drive(self):
        pass

    @transition(
        field=state,
        source=[State.NEW, State.CONTACTED, State.VISITED, State.TEST_DRIVEN],
        target=State.NEGOTIATING,
        permission=lead_may_work,
    )
    def quote(self):
        pass

    @transition(field=state, source=list(OPEN_STATES), target=State.WON, permission=lead_may_work)
    def win(self):
        pass

    # Lost only through an approved request: the approval handler runs it as the deciding manager.
    @transition(
        field=state,
        source=list(OPEN_STATES),
        target=State.LOST,
        permission=lead_may_close,
        conditions=[_lost_approved],
    )
    def lose(self):
        pass

    # Dormant only by the tick, after the store's configured silence (or by a customer merge).
    @transition(field=state, source=list(OPEN_STATES), target=State.DORMANT, conditions=[_dormant_tick])
    def sleep(self):
        pass

    @transition(
        field=state, source=[State.LOST, State.DORMANT], target=State.CONTACTED, permission=lead_may_manage_plan
    )
    def reactivate(self):
        pass


class LeadObjection(models.Model):
    """An objection the customer raised during the presentation and how it was answered."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="objections")
    objection = models.CharField(_("objection"), max_length=300)
    answer = models.TextField(_("how it was answered"), blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return self.objection


class LeadContact(models.Model):
    """A recorded contact (call, visit, message) — what "record today's contacts" counts."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[
            ("call", _("Call")),
            ("visit", _("Visit")),
            ("message", _("Message")),
            ("other", _("Other")),
        ],
    )
    summary = models.TextField(_("summary"))
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Logged by the system from an event (a walk-in handed over at the front desk); it does not
    # count as the consultant's own record of the day's contact.
    automatic = models.BooleanField(_("logged automatically"), default=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["lead", "-at"])]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.kind} {self.at:%Y-%m-%d}"


class AppraisalRequest(models.Model):
    """A free used-car appraisal offered to a customer who drove in or has a car to trade."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        DONE = "done", _("Appraised")
        DECLINED = "declined", _("Declined by the customer")

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="appraisals")
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    car_details = models.CharField(_("car"), max_length=300)
    licence_plate = models.CharField(_("licence plate"), max_length=12, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("appraisal request")
        verbose_name_plural = _("appraisal requests")

    def __str__(self) -> str:
        return self.car_details


# --- base-customer campaigns -----------------------------------------------------------------
class ReplacementCycle(models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="replacement_cycles")
    segment = models.CharField(_("segment"), max_length=10, choices=VehicleModel.Segment.choices)
    months = models.PositiveSmallIntegerField(_("replacement cycle (months)"))

    class Meta:
        verbose_name = _("replacement cycle")
        verbose_name_plural = _("replacement cycles")
        constraints = [models.UniqueConstraint(fields=["store", "segment"], name="replacement_cycle_unique")]

    def __str__(self) -> str:
        return f"{self.store} {self.segment} {self.months}"


class Owner(models.Model):
    """An existing owner imported from service data (the base customers, 基盘客户)."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="owners")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="owned_cars")
    vehicle_model = models.ForeignKey(VehicleModel, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    model_text = models.CharField(_("model"), max_length=120)
    purchase_date = models.DateField(_("purchase date"))
    last_service_date = models.DateField(_("last service"), null=True, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"), null=True, blank=True)
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replacement_due = models.DateField(_("replacement due"), null=True, blank=True, db_index=True)
    bought_elsewhere = models.BooleanField(_("bought elsewhere"), default=False)

    class Meta:
        ordering = ["replacement_due", "id"]
        verbose_name = _("owner")
        verbose_name_plural = _("owners")

    def __str__(self) -> str:
        return f"{self.customer} · {self.model_text}"


class Campaign(models.Model):
    class Distribution(models.TextChoices):
        ROUND_ROBIN = "round_robin", _("Round-robin over the roster")
        SELLER = "seller", _("Back to the consultant who sold the car")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=120)
    talking_points = models.TextField(_("talking points"))
    due_from = models.DateField(_("replacement due from"))
    due_to = models.DateField(_("replacement due to"))
    distribution = models.CharField(_("distribution"), max_length=12, choices=Distribution.choices)
    visit_on = models.DateField(_("invited visit day"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


# Selling a car (quotes, appraisals, orders and deposits) lives in its own module.
from leads.models_sales import (  # noqa: E402, F401
    RUN_DISCOUNT_APPROVED,
    RUN_DISCOUNT_REJECTED,
    RUN_EXPIRY_TICK,
    Appraisal,
    Order,
    Payment,
    PurchaseTaxRule,
    Quote,
    QuoteLine,
    SalesSettings,
    appraisal_may_record,
    order_may_work,
    quote_may_work,
)
