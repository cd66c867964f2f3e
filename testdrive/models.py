"""The demo fleet, the routes and the test-drive bookings of a car showroom.

A booking is a state machine (requested → scheduled → checked in → in progress → completed, with
cancelled and no-show). Transitions change fields in memory only; the services in
``testdrive/services/`` check the rules, run them through the core's transition runner and save.
On PostgreSQL the migration ``0002`` adds an exclusion constraint so no vehicle is ever booked
twice for overlapping times (``booking_no_overlap``); the booking service also locks the vehicle
row, which keeps the rule on SQLite.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from leads.models import LEAD_MANAGERS, Colour, Lead, Trim, VehicleModel
from showroom.models import Customer, Store
from showroom.permissions import has_role
from showroom.roles import CONSULTANT
from testdrive.storage import private_storage
from testdrive.validators import validate_vin

# The drive's record and the licence image: the booking's consultant and the store's managers.
DRIVE_MANAGERS = tuple(LEAD_MANAGERS)


class DemoVehicle(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        IN_USE = "in_use", _("In use")
        PREPARING = "preparing", _("Preparing")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="demo_vehicles", verbose_name=_("store"))
    vin = models.CharField(_("VIN"), max_length=17, unique=True, validators=[validate_vin])
    plate = models.CharField(_("licence plate"), max_length=12)
    vehicle_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, related_name="demo_vehicles", verbose_name=_("model")
    )
    trim = models.ForeignKey(Trim, on_delete=models.PROTECT, related_name="+", verbose_name=_("trim"))
    colour = models.ForeignKey(Colour, on_delete=models.PROTECT, related_name="+", verbose_name=_("colour"))
    odometer_km = models.PositiveIntegerField(_("odometer (km)"), default=0)
    fuel_level = models.DecimalField(
        _("fuel level (fraction of a tank)"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    signage_fitted = models.BooleanField(_("test-drive signage fitted"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["store", "vehicle_model__name", "plate"]
        verbose_name = _("demo vehicle")
        verbose_name_plural = _("demo vehicles")
        constraints = [models.UniqueConstraint(fields=["store", "plate"], name="demo_vehicle_plate_unique")]

    def __str__(self) -> str:
        return f"{self.vehicle_model} · {self.plate}"


class Route(models.Model):
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="testdrive_routes", verbose_name=_("store"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    expected_minutes = models.PositiveSmallIntegerField(
        _("expected minutes"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    map_image = models.ImageField(_("map"), upload_to="testdrive/routes/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["store", "name"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="testdrive_route_name_unique")]

    def __str__(self) -> str:
        return self.name


def booking_may_work(instance, user) -> bool:
    """The booking's consultant (still a consultant of the store) or a manager of the store."""
    if user is None or not user.is_authenticated:
        return False
    if user.pk == instance.consultant_id and has_role(user, instance.store_id, CONSULTANT):
        return True
    return has_role(user, instance.store_id, DRIVE_MANAGERS)


class Booking(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SCHEDULED = "scheduled", _("Scheduled")
        CHECKED_IN = "checked_in", _("Checked in")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    # The states that hold the car for the slot (the exclusion constraint's WHERE).
    LIVE_STATES = (State.SCHEDULED, State.CHECKED_IN, State.IN_PROGRESS)

    class LicenceClass(models.TextChoices):
        A1 = "A1", "A1"
        A2 = "A2", "A2"
        A3 = "A3", "A3"
        B1 = "B1", "B1"
        B2 = "B2", "B2"
        C1 = "C1", "C1"
        C2 = "C2", "C2"
        C3 = "C3", "C3"
        C4 = "C4", "C4"
        C5 = "C5", "C5"
        D = "D", "D"
        E = "E", "E"
        F = "F", "F"
        M = "M", "M"
        N = "N", "N"
        P = "P", "P"

    # Classes that allow driving a passenger car (GA 1026 / 机动车驾驶证申领和使用规定).
    CAR_CLASSES = ("A1", "A2", "A3", "B1", "B2", "C1", "C2")

    store = models.ForeignKey(
        Store, on_delete=models.PROTECT, related_name="testdrive_bookings", verbose_name=_("store")
    )
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, related_name="testdrive_bookings", verbose_name=_("lead"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="testdrive_bookings",
        verbose_name=_("consultant"),
    )
    wanted_model = models.ForeignKey(
        VehicleModel, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wanted model")
    )
    vehicle = models.ForeignKey(
        DemoVehicle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("vehicle"),
    )
    route = models.ForeignKey(
        Route, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings", verbose_name=_("route")
    )
    slot_start = models.DateTimeField(_("from"), null=True, blank=True)
    slot_end = models.DateTimeField(_("until"), null=True, blank=True)
    state = FSMField(_("state"), default=State.REQUESTED, choices=State.choices, protected=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # check-in: the licence and the signed agreement
    licence_number = models.CharField(_("licence number"), max_length=30, blank=True)
    licence_class = models.CharField(_("licence class"), max_length=2, choices=LicenceClass.choices, blank=True)
    licence_expiry = models.DateField(_("licence valid until"), null=True, blank=True)
    licence_image = models.ImageField(
        _("licence image"), upload_to="testdrive/licences/%Y/%m/", storage=private_storage, blank=True
    )
    signature_image = models.ImageField(
        _("signature"), upload_to="testdrive/signatures/%Y/%m/", storage=private_storage, blank=True
    )
    signed_name = models.CharField(_("signed as (typed name)"), max_length=60, blank=True)
    signed_at = models.DateTimeField(_("agreement signed at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # the drive
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    start_odometer_km = models.PositiveIntegerField(_("odometer at start (km)"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_odometer_km = models.PositiveIntegerField(_("odometer at end (km)"), null=True, blank=True)
    short_drive = models.BooleanField(_("shorter than the minimum"), default=False)
    short_reason = models.CharField(_("why it was shorter"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-slot_start", "-id"]
        verbose_name = _("test-drive booking")
        verbose_name_plural = _("test-drive bookings")
        indexes = [
            models.Index(fields=["store", "-slot_start"], name="td_booking_store_slot"),
            models.Index(fields=["vehicle", "slot_start"], name="td_booking_vehicle_slot"),
            models.Index(fields=["consultant", "state"], name="td_booking_consultant"),
            # the dashboard's completed drives of a period (EXPLAIN at 200,000 bookings: 41 ms → 0.1 ms)
            models.Index(
                fields=["store", "ended_at"], condition=Q(state="completed"), name="td_booking_store_ended_done"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_start__isnull=True) | Q(slot_end__gt=models.F("slot_start")),
                name="td_booking_slot_order",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["scheduled", "checked_in", "in_progress", "completed"])
                | (Q(vehicle__isnull=False) & Q(route__isnull=False) & Q(slot_start__isnull=False)),
                name="td_booking_scheduled_has_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} · {self.vehicle or self.wanted_model or ''}".strip(" ·")

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at and self.ended_at:
            return int((self.ended_at - self.started_at).total_seconds() // 60)
        return None

    @transition(field=state, source=State.REQUESTED, target=State.SCHEDULED, permission=booking_may_work)
    def schedule(self):
        pass

    @transition(field=state, source=State.SCHEDULED, target=State.CHECKED_IN, permission=booking_may_work)
    def check_in(self):
        pass

    @transition(field=state, source=State.CHECKED_IN, target=State.IN_PROGRESS, permission=booking_may_work)
    def start(self):
        pass

    @transition(field=state, source=State.IN_PROGRESS, target=State.COMPLETED, permission=booking_may_work)
    def complete(self):
        pass

    @transition(
        field=state,
        source=[State.REQUESTED, State.SCHEDULED, State.CHECKED_IN],
        target=State.CANCELLED,
        permission=booking_may_work,
    )
    def cancel(self):
        pass

    @transition(field=state, source=State.SCHEDULED, target=State.NO_SHOW, permission=booking_may_work)
    def no_show(self):
        pass


class Feedback(models.Model):
    """The customer's feedback form after the drive, confirmed by the customer."""

    class PriceTalk(models.TextChoices):
        YES = "yes", _("Yes, today")
        LATER = "later", _("Later")
        NO = "no", _("No")

    RATING = [MinValueValidator(1), MaxValueValidator(5)]

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    handling = models.PositiveSmallIntegerField(_("handling"), validators=RATING)
    comfort = models.PositiveSmallIntegerField(_("comfort"), validators=RATING)
    space = models.PositiveSmallIntegerField(_("space"), validators=RATING)
    noise = models.PositiveSmallIntegerField(_("quietness"), validators=RATING)
    features = models.PositiveSmallIntegerField(_("features"), validators=RATING)
    overall = models.PositiveSmallIntegerField(
        _("overall score"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    comments = models.TextField(_("comments"), blank=True)
    ready_to_talk_price = models.CharField(_("ready to talk about price"), max_length=5, choices=PriceTalk.choices)
    customer_confirmed_at = models.DateTimeField(_("confirmed by the customer at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("test-drive feedback")
        verbose_name_plural = _("test-drive feedback")

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.overall}/10"
