"""Vehicle deliveries, owner care and repair tickets (issue 11; seed article 1 §7–8 and article 9).

Two state machines: ``Delivery`` (to schedule → scheduled → prepared → customer arrived → handed
over → completed, with rescheduled and cancelled) and ``RepairTicket`` (received → sent to vendor
→ quoted → repairing → back from vendor → ready for collection → collected). Transition bodies
change nothing; the services in ``delivery/services/`` check rules, run them through the core's
transition runner, save and schedule side effects.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from leads.models import LEAD_MANAGERS, Order
from showroom.models import Customer, Store
from showroom.permissions import has_role
from showroom.roles import AFTER_SALES, AFTER_SALES_MANAGER, CONSULTANT, COUNTER_LEADER, GENERAL_MANAGER

MONEY = {"max_digits": 12, "decimal_places": 2}
# Who runs a delivery: its consultant (still a consultant of the store) or a sales manager.
DELIVERY_MANAGERS = tuple(LEAD_MANAGERS)
# Who works the repair desk, and who is escalated to.
REPAIR_STAFF = (AFTER_SALES, AFTER_SALES_MANAGER, COUNTER_LEADER, GENERAL_MANAGER)
REPAIR_MANAGERS = (AFTER_SALES_MANAGER, GENERAL_MANAGER)


def delivery_may_work(instance, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.pk == instance.consultant_id and has_role(user, instance.store_id, CONSULTANT):
        return True
    return has_role(user, instance.store_id, DELIVERY_MANAGERS)


def _has_time(instance) -> bool:
    return instance.scheduled_at is not None


_has_time.conflict_message = _("Agree a date and time with the customer first.")  # type: ignore[attr-defined]


def _has_bay(instance) -> bool:
    return bool((instance.bay or "").strip())


_has_bay.conflict_message = _("Book a handover bay for the delivery first.")  # type: ignore[attr-defined]


class Delivery(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        TO_SCHEDULE = "to_schedule", _("To schedule")
        SCHEDULED = "scheduled", _("Scheduled")
        PREPARED = "prepared", _("Prepared")
        ARRIVED = "arrived", _("Customer arrived")
        HANDED_OVER = "handed_over", _("Handed over")
        COMPLETED = "completed", _("Completed")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        CANCELLED = "cancelled", pgettext_lazy("delivery state", "Cancelled")

    OPEN_STATES = (State.TO_SCHEDULE, State.SCHEDULED, State.PREPARED, State.ARRIVED, State.RESCHEDULED)

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("store"))
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="delivery", verbose_name=_("order"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("consultant")
    )
    vin = models.CharField(_("VIN"), max_length=17)
    vehicle_label = models.CharField(_("car"), max_length=200, blank=True)
    state = FSMField(_("state"), default=State.TO_SCHEDULE, choices=State.choices, protected=True)
    scheduled_at = models.DateTimeField(_("handover time"), null=True, blank=True, db_index=True)
    bay = models.CharField(_("handover bay"), max_length=60, blank=True)
    arrived_at = models.DateTimeField(_("customer arrived at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    destination = models.CharField(_("first destination"), max_length=200, blank=True)
    arrival_expected_at = models.DateTimeField(_("predicted arrival"), null=True, blank=True)
    first_service_date = models.DateField(_("first service date"), null=True, blank=True)
    first_service_km = models.PositiveIntegerField(_("first service mileage (km)"), null=True, blank=True)
    km_per_day = models.PositiveIntegerField(_("expected km a day"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    survey_note = models.TextField(_("owner survey"), blank=True)
    signed_name = models.CharField(_("signed by"), max_length=80, blank=True)
    stock_move = models.ForeignKey(
        "warehouse.StockMove", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    trade_in_receipt = models.ForeignKey(
        "warehouse.OtherReceipt", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["store", "state", "scheduled_at"], name="delivery_store_state_time")]

    def __str__(self) -> str:
        return _("Delivery %(vin)s · %(customer)s") % {"vin": self.vin, "customer": self.customer.name}

    @transition(
        field=state,
        source=[State.TO_SCHEDULE, State.RESCHEDULED],
        target=State.SCHEDULED,
        permission=delivery_may_work,
    )
    def schedule(self):
        pass

    @transition(
        field=state, source=[State.SCHEDULED, State.PREPARED], target=State.RESCHEDULED, permission=delivery_may_work
    )
    def reschedule(self):
        pass

    @transition(
        field=state,
        source=State.SCHEDULED,
        target=State.PREPARED,
        permission=delivery_may_work,
        conditions=[_has_time, _has_bay],
    )
    def prepare(self):
        pass

    @transition(field=state, source=State.PREPARED, target=State.ARRIVED, permission=delivery_may_work)
    def arrive(self):
        pass

    @transition(field=state, source=State.ARRIVED, target=State.HANDED_OVER, permission=delivery_may_work)
    def hand_over(self):
        pass

    @transition(field=state, source=State.HANDED_OVER, target=State.COMPLETED, permission=delivery_may_work)
    def complete(self):
        pass

    @transition(
        field=state,
        source=[State.TO_SCHEDULE, State.SCHEDULED, State.RESCHEDULED, State.PREPARED, State.ARRIVED],
        target=State.CANCELLED,
        permission=delivery_may_work,
    )
    def cancel(self):
        pass


class CareCall(models.Model):
    """What an owner-care call found (one per completed or missed care follow-up)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="care_calls")
    followup = models.OneToOneField("showroom.FollowUp", on_delete=models.CASCADE, related_name="+")
    step = models.CharField(_("step"), max_length=20)
    reached = models.BooleanField(_("owner reached"), default=True)
    usage = models.TextField(_("how the car is used"), blank=True)
    connected_services = models.TextField(_("connected services: usage and feedback"), blank=True)
    questions = models.TextField(_("questions"), blank=True)
    unanswered = models.TextField(_("question to pass on"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("care call")
        verbose_name_plural = _("care calls")

    def __str__(self) -> str:
        return f"{self.delivery_id}/{self.step}"


class Referral(models.Model):
    """A new customer an owner referred; the owner is thanked by a follow-up."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    delivery = models.ForeignKey(Delivery, on_delete=models.PROTECT, related_name="referrals")
    referred = models.OneToOneField(
        Customer, on_delete=models.PROTECT, related_name="referral", verbose_name=_("referred customer")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.delivery.customer.name} → {self.referred.name}"


# --- repair tickets (article 9) ------------------------------------------------------------------


def repair_may_work(instance, user) -> bool:
    return bool(user and user.is_authenticated and has_role(user, instance.store_id, REPAIR_STAFF))


def _out_of_warranty(instance) -> bool:
    return not instance.in_warranty


def _in_warranty(instance) -> bool:
    return instance.in_warranty


def _consented(instance) -> bool:
    return instance.consent is True


_consented.conflict_message = _("The customer has not agreed to the quote.")  # type: ignore[attr-defined]
_out_of_warranty.conflict_message = _("A repair under warranty needs no quote.")  # type: ignore[attr-defined]
_in_warranty.conflict_message = _(  # type: ignore[attr-defined]
    "Out of warranty: record the vendor's quote and the customer's consent first."
)


class RepairTicket(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        AT_VENDOR = "at_vendor", _("Sent to vendor")
        QUOTED = "quoted", _("Quoted")
        REPAIRING = "repairing", _("Repairing")
        BACK = "back", _("Back from vendor")
        READY = "ready", _("Ready for collection")
        COLLECTED = "collected", _("Collected")

    # On our premises: the 7-day rule applies (article 9, 二.5).
    ON_PREMISES = (State.RECEIVED, State.BACK, State.READY)
    AT_VENDOR_STATES = (State.AT_VENDOR, State.QUOTED, State.REPAIRING)

    class SaleSource(models.TextChoices):
        FOUND = "found", _("Found in our sales")
        DECLARED = "declared", _("Declared by the customer")
        NOT_OURS = "not_ours", _("Not sold by us")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="repair_tickets", verbose_name=_("store"))
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    product = models.CharField(_("product"), max_length=120)
    model = models.CharField(_("model"), max_length=120)
    serial = models.CharField(_("serial number"), max_length=60, blank=True, db_index=True)
    accessories = models.TextField(_("accessories handed in"), blank=True)
    defects = models.TextField(_("visible defects"), blank=True)
    fault = models.TextField(_("fault as described"))
    sale_source = models.CharField(_("sold by us"), max_length=10, choices=SaleSource.choices)
    sale_date = models.DateField(_("sale date"), null=True, blank=True)
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=0)
    in_warranty = models.BooleanField(_("in warranty"), default=False)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    vendor_promised_date = models.DateField(_("vendor's promised date"), null=True, blank=True)
    diagnosis = models.TextField(_("vendor's diagnosis"), blank=True)
    price = models.DecimalField(_("repair price"), null=True, blank=True, **MONEY)
    consent = models.BooleanField(_("customer's consent"), null=True, blank=True)
    repaired = models.BooleanField(_("repaired"), default=False)
    back_check_note = models.TextField(_("check on return"), blank=True)
    warranty_after_days = models.PositiveSmallIntegerField(_("warranty after repair (days)"), null=True, blank=True)
    customer_told_at = models.DateTimeField(_("customer told deadline and cost at"), null=True, blank=True)
    state = FSMField(_("state"), default=State.RECEIVED, choices=State.choices, protected=True)
    # When the ticket last moved: the 7-day clock on our premises starts here.
    state_since = models.DateTimeField(_("in this state since"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        indexes = [models.Index(fields=["store", "state", "state_since"], name="repair_store_state_since")]

    def __str__(self) -> str:
        return f"{self.number or self.pk} · {self.product} {self.model}"

    @transition(field=state, source=State.RECEIVED, target=State.AT_VENDOR, permission=repair_may_work)
    def send_to_vendor(self):
        pass

    @transition(
        field=state,
        source=State.AT_VENDOR,
        target=State.QUOTED,
        permission=repair_may_work,
        conditions=[_out_of_warranty],
    )
    def quote(self):
        pass

    @transition(
        field=state, source=State.QUOTED, target=State.REPAIRING, permission=repair_may_work, conditions=[_consented]
    )
    def approve_repair(self):
        pass

    @transition(
        field=state,
        source=State.AT_VENDOR,
        target=State.REPAIRING,
        permission=repair_may_work,
        conditions=[_in_warranty],
    )
    def start_warranty_repair(self):
        pass

    @transition(field=state, source=[State.REPAIRING, State.QUOTED], target=State.BACK, permission=repair_may_work)
    def receive_back(self):
        pass

    @transition(field=state, source=State.BACK, target=State.READY, permission=repair_may_work)
    def make_ready(self):
        pass

    @transition(field=state, source=State.READY, target=State.COLLECTED, permission=repair_may_work)
    def collect(self):
        pass


class RepairBreach(models.Model):
    """One breach of the 7-day rule: the ticket sat on our premises since ``since``. Unique per
    (ticket, since), so the escalation happens once per stay however often the task runs."""

    ticket = models.ForeignKey(RepairTicket, on_delete=models.CASCADE, related_name="breaches")
    since = models.DateTimeField()
    state = models.CharField(max_length=12)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-escalated_at"]
        verbose_name = _("7-day breach")
        verbose_name_plural = _("7-day breaches")
        constraints = [models.UniqueConstraint(fields=["ticket", "since"], name="repair_breach_once")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.since:%Y-%m-%d}"


class RepairFinding(models.Model):
    """What the monthly service report counts besides tickets: an unregistered repair found (the
    seed's 10 CNY fine) or a customer complaint (no 50 CNY bonus that month)."""

    class Kind(models.TextChoices):
        UNREGISTERED = "unregistered", _("Unregistered repair found")
        COMPLAINT = "complaint", _("Customer complaint")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    ticket = models.ForeignKey(RepairTicket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300)
    found_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("service finding")
        verbose_name_plural = _("service findings")
        constraints = [models.CheckConstraint(condition=~Q(note=""), name="repair_finding_has_note")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.found_on}"
