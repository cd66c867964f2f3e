"""Writes of the vehicle delivery (seed article 1, 七、交车过程).

The delivery is opened by the ``order_ready_for_delivery`` signal; scheduling creates the
day-before and on-the-day follow-ups; preparing waits for the ``delivery.pre_delivery`` checklist
and handing over for the before and at phases of ``delivery.handover`` (checklist guards, 409
naming the missing items). The handover takes the VIN out of stock (the order's reservation
consumed by a ledger out-move) in the same transaction, numbers the handover form (HF) and
schedules the safe-arrival call; completing starts the owner-care plan and the thank-you letter.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import DELIVERY_MANAGERS, Delivery
from delivery.services._common import (
    at_local,
    delivery_setting,
    member_with_role,
    not_before_now,
    precheck,
)
from leads.models import Order
from showroom.models import FollowUp
from showroom.roles import CONSULTANT, GENERAL_MANAGER, RECEPTIONIST, SHOWROOM_MANAGER
from showroom.services.documents import document_issue
from showroom.services.followups import followup_cancel, followup_plan_schedule
from showroom.services.transitions import TransitionConflict, transition_run
from showroom.validators import validate_vin
from warehouse.models import Serial, StockMove
from warehouse.services import other_receipt_create, stock_move_append, trade_in_item

PLAN_AGREE = "delivery.agree_time"
PLAN_DAY_BEFORE = "delivery.day_before"
PLAN_ON_THE_DAY = "delivery.on_the_day"
PLAN_SAFE_ARRIVAL = "delivery.safe_arrival"
PLAN_LETTER = "delivery.thank_you_letter"
SCHEDULE_PLANS = (PLAN_DAY_BEFORE, PLAN_ON_THE_DAY)
NOT_YOURS = "Only the delivery's consultant or a sales manager of the store may do this."


def delivery_lock(delivery: Delivery) -> Delivery:
    return (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("store", "customer", "consultant", "order__reservation")
        .get(pk=delivery.pk)
    )


def _precheck(delivery: Delivery, name: str, user) -> None:
    precheck(delivery, name, user, _(NOT_YOURS))


@transaction.atomic
def delivery_open(*, order: Order, user=None) -> Delivery:
    """The delivery of an order ready for delivery (idempotent: one per order), with a follow-up
    for the consultant to agree the handover time with the customer."""
    existing = Delivery.objects.filter(order=order).first()
    if existing is not None:
        return existing
    quote = order.quote
    delivery = Delivery.objects.create(
        store_id=order.store_id,
        order=order,
        customer_id=order.lead.customer_id,
        consultant_id=order.consultant_id,
        vin=order.vin,
        vehicle_label=str(quote.trim_colour)[:200],
    )
    followup_plan_schedule(
        plan_code=PLAN_AGREE,
        target=delivery,
        store=order.store,
        assignee=order.consultant,
        due_at=timezone.now() + dt.timedelta(hours=2),
        kind=FollowUp.Kind.CALL,
        title=_("Agree the handover date and time with the customer"),
        created_by=user,
    )
    return delivery


def order_ready_receiver(sender, order, user, **kwargs) -> None:
    """Receiver of ``leads.signals.order_ready_for_delivery`` (inside the order's transaction)."""
    delivery_open(order=order, user=user)


def _cancel_open(delivery: Delivery, plans: tuple[str, ...], reason: str, user) -> int:
    """Cancel the delivery's open follow-ups of these plans (a new time replaces them); logged."""
    ct = ContentType.objects.get_for_model(Delivery)
    rows = FollowUp.objects.filter(content_type=ct, object_id=delivery.pk, plan__in=plans, state=FollowUp.State.OPEN)
    count = 0
    for followup in rows:
        followup_cancel(followup=followup, user=user, reason=reason)
        count += 1
    return count


@transaction.atomic
def delivery_schedule(*, delivery: Delivery, user, at: dt.datetime, bay: str = "", note: str = "") -> Delivery:
    """Agree the handover time. The day before (at the call hour, 10:00): a call to confirm the car
    has arrived and the time, and the task to pre-configure the connected services for the welcome
    call; on the day, at the store's opening: a call to confirm the customer's arrival time."""
    delivery = delivery_lock(delivery)
    _precheck(delivery, "schedule", user)
    errors = {}
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        errors["at"] = [_("Enter a date and time.")]
    elif at <= timezone.now():
        errors["at"] = [_("Choose a time in the future.")]
    elif at > timezone.now() + dt.timedelta(days=366):
        errors["at"] = [_("Choose a time within a year.")]
    if len(bay or "") > 60:
        errors["bay"] = [_("Keep it under 60 characters.")]
    if errors:
        raise ValidationError(errors)
    _cancel_open(delivery, (PLAN_AGREE, *SCHEDULE_PLANS), _("A handover time was agreed."), user)

    def stamp(obj: Delivery) -> None:
        obj.scheduled_at = at
        obj.bay = (bay or "").strip()

    delivery = transition_run(
        instance=delivery,
        name="schedule",
        user=user,
        note=note or f"{timezone.localtime(at):%Y-%m-%d %H:%M}",
        lock=False,
        before_save=stamp,
    )
    day = timezone.localtime(at).date()
    hour = delivery_setting("CALL_HOUR")
    day_before = not_before_now(at_local(day - dt.timedelta(days=1), hour))
    common = {"target": delivery, "store": delivery.store, "assignee": delivery.consultant, "created_by": user}
    when = f"{timezone.localtime(at):%Y-%m-%d %H:%M}"
    followup_plan_schedule(
        plan_code=PLAN_DAY_BEFORE,
        due_at=day_before,
        kind=FollowUp.Kind.CALL,
        title=_("Call the customer: the car has arrived; confirm the handover at %(when)s") % {"when": when},
        sequence=1,
        **common,
    )
    followup_plan_schedule(
        plan_code=PLAN_DAY_BEFORE,
        due_at=day_before,
        kind=FollowUp.Kind.TASK,
        title=_("Pre-configure the car's connected services so the customer gets the welcome call"),
        sequence=2,
        **common,
    )
    opening = delivery.store.opening_time
    on_the_day = not_before_now(min(at_local(day, opening.hour, opening.minute), at - dt.timedelta(hours=1)))
    followup_plan_schedule(
        plan_code=PLAN_ON_THE_DAY,
        due_at=on_the_day,
        kind=FollowUp.Kind.CALL,
        title=_("Confirm the customer's arrival time for today's handover"),
        sequence=3,
        **common,
    )
    return delivery


@transaction.atomic
def delivery_reschedule(*, delivery: Delivery, user, note: str) -> Delivery:
    """The customer asked for another time: the follow-ups of the old time are cancelled."""
    delivery = delivery_lock(delivery)
    _precheck(delivery, "reschedule", user)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Say why the handover is moved.")]})
    _cancel_open(delivery, SCHEDULE_PLANS, note.strip(), user)
    return transition_run(instance=delivery, name="reschedule", user=user, note=note.strip(), lock=False)


@transaction.atomic
def delivery_prepare(*, delivery: Delivery, user, note: str = "") -> Delivery:
    """The car is prepared: refused (409) until the ``delivery.pre_delivery`` checklist is complete."""
    delivery = delivery_lock(delivery)
    _precheck(delivery, "prepare", user)
    return transition_run(instance=delivery, name="prepare", user=user, note=note, lock=False)


@transaction.atomic
def delivery_arrive(*, delivery: Delivery, user, note: str = "") -> Delivery:
    delivery = delivery_lock(delivery)
    _precheck(delivery, "arrive", user)

    def stamp(obj: Delivery) -> None:
        obj.arrived_at = timezone.now()

    return transition_run(instance=delivery, name="arrive", user=user, note=note, lock=False, before_save=stamp)


def _clean_handover(
    *, signed_name, destination, arrival_minutes, first_service_date, first_service_km, km_per_day, satisfaction
) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    signed_name = (signed_name or "").strip()
    if not signed_name:
        errors["signed_name"] = [_("The customer signs the handover acceptance form: enter the name signed.")]
    elif len(signed_name) > 80:
        errors["signed_name"] = [_("Keep it under 80 characters.")]
    cleaned["signed_name"] = signed_name
    cleaned["destination"] = (destination or "").strip()[:200]
    try:
        minutes = int(arrival_minutes)
        if not 1 <= minutes <= 24 * 60:
            raise ValueError
        cleaned["arrival_minutes"] = minutes
    except (TypeError, ValueError):
        errors["arrival_minutes"] = [_("Estimate the drive to the first destination in minutes (1–1440).")]
    today = timezone.localdate()
    months = delivery_setting("FIRST_SERVICE_MONTHS")
    from delivery.services._common import add_months

    if first_service_date in (None, ""):
        cleaned["first_service_date"] = add_months(today, months)
    elif isinstance(first_service_date, dt.date) and today < first_service_date <= add_months(today, 24):
        cleaned["first_service_date"] = first_service_date
    else:
        errors["first_service_date"] = [_("Choose a date within the next two years.")]
    for field, value, default, top in (
        ("first_service_km", first_service_km, delivery_setting("FIRST_SERVICE_KM"), 100000),
        ("km_per_day", km_per_day, delivery_setting("KM_PER_DAY"), 2000),
    ):
        try:
            number = default if value in (None, "") else int(value)
            if not 1 <= number <= top:
                raise ValueError
            cleaned[field] = number
        except (TypeError, ValueError):
            errors[field] = [_("Enter a whole number from 1 to %(top)s.") % {"top": top}]
    if satisfaction in (None, ""):
        cleaned["satisfaction"] = None
    else:
        try:
            cleaned["satisfaction"] = int(satisfaction)
            if not 1 <= cleaned["satisfaction"] <= 5:
                raise ValueError
        except (TypeError, ValueError):
            errors["satisfaction"] = [_("Choose 1 to 5.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _stock_out(delivery: Delivery, user) -> StockMove:
    """The car leaves stock: a ledger out-move of the VIN consuming the order's reservation."""
    reservation = delivery.order.reservation
    if reservation is None or reservation.state != "active":
        raise TransitionConflict(_("The car's VIN is not reserved for this order in stock."), state=delivery.state)
    serial = Serial.objects.select_related("bin").filter(number=delivery.vin, item_id=reservation.item_id).first()
    if serial is None or serial.bin_id is None:
        raise TransitionConflict(_("VIN %(vin)s is not in stock.") % {"vin": delivery.vin}, state=delivery.state)
    return stock_move_append(
        item=reservation.item,
        warehouse=reservation.warehouse,
        bin=serial.bin,
        quantity=-1,
        kind=StockMove.Kind.ISSUE,
        user=user,
        serial=delivery.vin,
        source=delivery,
        source_label=_("Handover %(vin)s") % {"vin": delivery.vin},
        reservation=reservation,
    )


def _trade_in(delivery: Delivery, *, vin: str) -> tuple:
    """The order's accepted trade-in and the VIN it is received under, or (None, "")."""
    from leads.models import Appraisal

    appraisal = delivery.order.quote.trade_in
    if appraisal is None or appraisal.state != Appraisal.State.ACCEPTED:
        return None, ""
    number = (vin or appraisal.vin or "").strip().upper()
    if not number:
        raise ValidationError(
            {"trade_in_vin": [_("Enter the VIN of the traded-in car: it is received into stock at the handover.")]}
        )
    try:
        validate_vin(number)
    except ValidationError as exc:
        raise ValidationError({"trade_in_vin": exc.messages}) from exc
    return appraisal, number


def _receive_trade_in(delivery: Delivery, user, *, appraisal, vin: str, stock_move: StockMove):
    """File the trade-in receipt (its stock comes in on the warehouse supervisor's approval) in
    the warehouse and bin the new car left from."""
    return other_receipt_create(
        user=user,
        warehouse=stock_move.warehouse,
        bin=stock_move.bin,
        kind="trade_in",
        source_label=_("Trade-in %(make)s %(model)s %(year)s, appraisal %(id)s, handover %(vin)s")
        % {
            "make": appraisal.make,
            "model": appraisal.model,
            "year": appraisal.year,
            "id": appraisal.pk,
            "vin": delivery.vin,
        },
        lines=[{"item": trade_in_item(), "quantity": 1, "unit_cost": appraisal.offer, "serial_number": vin}],
        source=appraisal,
        roles=(CONSULTANT, *DELIVERY_MANAGERS),
    )


@transaction.atomic
def delivery_hand_over(
    *,
    delivery: Delivery,
    user,
    signed_name: str,
    arrival_minutes,
    destination: str = "",
    first_service_date: dt.date | None = None,
    first_service_km=None,
    km_per_day=None,
    satisfaction=None,
    survey_note: str = "",
    note: str = "",
    trade_in_vin: str = "",
) -> Delivery:
    """Hand the car over. Refused (409 naming the items) until the ``delivery.handover`` checklist
    is complete for its before and at phases. In the same transaction: the VIN leaves stock, an
    accepted trade-in is received by a trade-in receipt (its VIN from the appraisal or
    ``trade_in_vin``), the handover form (HF) is numbered (its PDF rendered after commit) and a
    call is due at the predicted arrival time to confirm the customer arrived safely."""
    delivery = delivery_lock(delivery)
    _precheck(delivery, "hand_over", user)
    appraisal, traded_vin = _trade_in(delivery, vin=trade_in_vin)
    cleaned = _clean_handover(
        signed_name=signed_name,
        destination=destination,
        arrival_minutes=arrival_minutes,
        first_service_date=first_service_date,
        first_service_km=first_service_km,
        km_per_day=km_per_day,
        satisfaction=satisfaction,
    )
    now = timezone.now()

    def stamp(obj: Delivery) -> None:
        obj.handed_over_at = now
        obj.signed_name = cleaned["signed_name"]
        obj.destination = cleaned["destination"]
        obj.arrival_expected_at = now + dt.timedelta(minutes=cleaned["arrival_minutes"])
        obj.first_service_date = cleaned["first_service_date"]
        obj.first_service_km = cleaned["first_service_km"]
        obj.km_per_day = cleaned["km_per_day"]
        obj.satisfaction = cleaned["satisfaction"]
        obj.survey_note = (survey_note or "").strip()[:2000]

    delivery = transition_run(instance=delivery, name="hand_over", user=user, note=note, lock=False, before_save=stamp)
    delivery.stock_move = _stock_out(delivery, user)
    delivery.save(update_fields=["stock_move"])
    if appraisal is not None:
        _receive_trade_in(delivery, user, appraisal=appraisal, vin=traded_vin, stock_move=delivery.stock_move)
    document_issue(doc_type="HF", target=delivery, store=delivery.store, user=user)
    followup_plan_schedule(
        plan_code=PLAN_SAFE_ARRIVAL,
        target=delivery,
        store=delivery.store,
        assignee=delivery.consultant,
        due_at=delivery.arrival_expected_at,
        kind=FollowUp.Kind.CALL,
        title=_("Call the customer to confirm a safe arrival at %(place)s")
        % {"place": delivery.destination or _("the first destination")},
        created_by=user,
    )
    return delivery


@transaction.atomic
def delivery_complete(*, delivery: Delivery, user, note: str = "") -> Delivery:
    """Completed: the owner-care plan starts and the thank-you letter (TL, with the general
    manager's printed signature) is rendered and queued for mailing (a task for customer service)."""
    from delivery.services.care import care_plan_start

    delivery = delivery_lock(delivery)
    _precheck(delivery, "complete", user)

    def stamp(obj: Delivery) -> None:
        obj.completed_at = timezone.now()

    delivery = transition_run(instance=delivery, name="complete", user=user, note=note, lock=False, before_save=stamp)
    care_plan_start(delivery=delivery, user=user)
    letter = document_issue(doc_type="TL", target=delivery, store=delivery.store, user=user)
    mailer = (
        member_with_role(store_id=delivery.store_id, roles=(RECEPTIONIST, SHOWROOM_MANAGER, GENERAL_MANAGER))
        or delivery.consultant
    )
    followup_plan_schedule(
        plan_code=PLAN_LETTER,
        target=delivery,
        store=delivery.store,
        assignee=mailer,
        due_at=timezone.now() + dt.timedelta(hours=4),
        kind=FollowUp.Kind.TASK,
        title=_("Mail the thank-you letter %(number)s to %(name)s")
        % {"number": letter.number, "name": delivery.customer.name},
        created_by=user,
    )
    return delivery


@transaction.atomic
def delivery_cancel(*, delivery: Delivery, user, reason: str) -> Delivery:
    delivery = delivery_lock(delivery)
    _precheck(delivery, "cancel", user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the delivery is cancelled.")]})
    _cancel_open(delivery, (PLAN_AGREE, *SCHEDULE_PLANS), reason, user)

    def stamp(obj: Delivery) -> None:
        obj.cancel_reason = reason[:300]

    return transition_run(instance=delivery, name="cancel", user=user, note=reason, lock=False, before_save=stamp)
