"""Repair tickets of the counter shop and accessories (seed article 9, 九、售后服务 and 售后服务工作标准).

Intake registers the customer and the product, finds whether we sold it (our ledger's issue of
that serial, or the customer's word) and so the warranty, and numbers the intake receipt (RT).
Out of warranty the vendor's diagnosis and price need the customer's consent before repair. A
product on our premises (received, back from vendor, ready) may not sit unprocessed for more than
``DELIVERY["REPAIR_IDLE_DAYS"]`` (7) days: ``repairs_escalate`` escalates each breach to the
after-sales manager once.
"""

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import REPAIR_MANAGERS, REPAIR_STAFF, RepairBreach, RepairFinding, RepairTicket
from delivery.services._common import add_months, at_local, delivery_setting, member_with_role, precheck
from showroom.models import FollowUp, Store
from showroom.permissions import has_role
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.customers import customer_create
from showroom.services.documents import document_issue
from showroom.services.followups import followup_plan_schedule, notification_send
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import StockMove

logger = logging.getLogger(__name__)

PLAN_TELL_CUSTOMER = "delivery.repair_customer"
PLAN_VENDOR_PROGRESS = "delivery.repair_vendor"
NOT_STAFF = "Only the store's after-sales staff may do this."


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def repair_sale_lookup(*, store: Store, serial: str) -> tuple[dt.date, int] | None:
    """Our sale of this serial: the local date of the ledger's latest issue of it in the store and
    the item's warranty months (one query), or None."""
    if not serial:
        return None
    move = (
        StockMove.objects.filter(
            serial__number=serial.upper(), kind=StockMove.Kind.ISSUE, quantity__lt=0, warehouse__store_id=store.pk
        )
        .select_related("item")
        .order_by("-created_at", "-id")
        .first()
    )
    if move is None:
        return None
    return timezone.localtime(move.created_at).date(), move.item.warranty_months


def warranty_covers(*, sale_date: dt.date | None, months: int, on: dt.date) -> bool:
    """In warranty on ``on``: before the same day ``months`` later than the sale."""
    return sale_date is not None and months > 0 and on < add_months(sale_date, months)


@transaction.atomic
def repair_intake(
    *,
    store: Store,
    user,
    customer_mobile: str,
    customer_name: str = "",
    contact: str = "",
    product: str,
    model: str,
    serial: str = "",
    accessories: str = "",
    defects: str = "",
    fault: str,
    declared_sale_date: dt.date | None = None,
    declared_warranty_months: int | None = None,
    consent_given: bool = False,
) -> RepairTicket:
    """Register a product handed in for repair, with its numbered intake receipt (RT)."""
    if not has_role(user, store, REPAIR_STAFF):
        raise PermissionDenied(_(NOT_STAFF))
    errors: dict[str, list[str]] = {}
    for field, value in (("product", product), ("model", model), ("fault", fault)):
        if not (value or "").strip():
            errors[field] = [_("This field is required.")]
    customer = customer_find_by_mobile(store=store, mobile=customer_mobile or "")
    if customer is None and not (customer_name or "").strip():
        errors["customer_name"] = [_("A new customer: enter the name (and the consent to keep the data).")]
    today = timezone.localdate()
    if declared_sale_date is not None and (not isinstance(declared_sale_date, dt.date) or declared_sale_date > today):
        errors["declared_sale_date"] = [_("Enter the sale date, not in the future.")]
    if declared_warranty_months is not None and not 0 <= int(declared_warranty_months) <= 120:
        errors["declared_warranty_months"] = [_("Enter 0 to 120 months.")]
    if errors:
        raise ValidationError(errors)
    if customer is None:
        customer = customer_create(
            user=user, store=store, name=customer_name, mobile=customer_mobile, consent_given=consent_given
        )
    serial = _text(serial, 60).upper()
    found = repair_sale_lookup(store=store, serial=serial)
    if found is not None:
        sale_source, (sale_date, months) = RepairTicket.SaleSource.FOUND, found
    elif declared_sale_date is not None:
        sale_source, sale_date = RepairTicket.SaleSource.DECLARED, declared_sale_date
        months = int(declared_warranty_months or 0)
    else:
        sale_source, sale_date, months = RepairTicket.SaleSource.NOT_OURS, None, 0
    ticket = RepairTicket.objects.create(
        store=store,
        customer=customer,
        contact=_text(contact, 120),
        product=_text(product, 120),
        model=_text(model, 120),
        serial=serial,
        accessories=_text(accessories, 2000),
        defects=_text(defects, 2000),
        fault=_text(fault, 2000),
        sale_source=sale_source,
        sale_date=sale_date,
        warranty_months=months,
        in_warranty=warranty_covers(sale_date=sale_date, months=months, on=today),
        state_since=timezone.now(),
        received_by=user,
    )
    ticket.number = document_issue(doc_type="RT", target=ticket, store=store, user=user).number
    ticket.save(update_fields=["number"])
    return ticket


def _lock(ticket: RepairTicket) -> RepairTicket:
    return RepairTicket.objects.select_for_update(of=("self",)).select_related("store", "customer").get(pk=ticket.pk)


def _move(ticket: RepairTicket, name: str, user, note: str = "", stamp=None) -> RepairTicket:
    now = timezone.now()

    def before_save(obj: RepairTicket) -> None:
        obj.state_since = now
        if stamp is not None:
            stamp(obj)

    return transition_run(instance=ticket, name=name, user=user, note=note, lock=False, before_save=before_save)


def _tell_customer(ticket: RepairTicket, user, title: str) -> FollowUp:
    """A call to the customer today (the seed: on the day the vendor answers)."""
    closing = ticket.store.closing_time
    due = max(at_local(timezone.localdate(), closing.hour, closing.minute), timezone.now() + dt.timedelta(minutes=5))
    return followup_plan_schedule(
        plan_code=PLAN_TELL_CUSTOMER,
        target=ticket,
        store=ticket.store,
        assignee=user,
        due_at=due,
        kind=FollowUp.Kind.CALL,
        title=title[:200],
        created_by=user,
    )


@transaction.atomic
def repair_send_to_vendor(
    *, ticket: RepairTicket, user, vendor: str, promised_date: dt.date, note: str = ""
) -> RepairTicket:
    """Sent to the vendor with the date it promised: the customer is told the deadline (and that the
    repair is free, under warranty) today; the day before the promised date the vendor is asked for
    progress."""
    ticket = _lock(ticket)
    precheck(ticket, "send_to_vendor", user, _(NOT_STAFF))
    errors = {}
    if not (vendor or "").strip():
        errors["vendor"] = [_("Name the vendor.")]
    if not isinstance(promised_date, dt.date) or promised_date < timezone.localdate():
        errors["promised_date"] = [_("Enter the vendor's promised date, today or later.")]
    if errors:
        raise ValidationError(errors)

    def stamp(obj: RepairTicket) -> None:
        obj.vendor = _text(vendor, 120)
        obj.vendor_promised_date = promised_date

    ticket = _move(ticket, "send_to_vendor", user, note, stamp)
    if ticket.in_warranty:
        told = _("Tell %(name)s: repair by %(day)s, free under warranty")
    else:
        told = _("Tell %(name)s: out of warranty, the vendor checks and quotes; repair after consent; by %(day)s")
    _tell_customer(ticket, user, told % {"name": ticket.customer.name, "day": promised_date.isoformat()})
    followup_plan_schedule(
        plan_code=PLAN_VENDOR_PROGRESS,
        target=ticket,
        store=ticket.store,
        assignee=user,
        due_at=max(
            at_local(promised_date - dt.timedelta(days=1), delivery_setting("CALL_HOUR")),
            timezone.now() + dt.timedelta(minutes=5),
        ),
        kind=FollowUp.Kind.CALL,
        title=(_("Ask %(vendor)s for progress on %(number)s") % {"vendor": ticket.vendor, "number": ticket.number})[
            :200
        ],
        created_by=user,
    )
    return ticket


def _money(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValidationError({"price": [_("Enter an amount, e.g. 180.00.")]}) from exc
    if not amount.is_finite() or amount < 0 or amount > Decimal("9999999"):
        raise ValidationError({"price": [_("Enter an amount, e.g. 180.00.")]})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def repair_quote_record(*, ticket: RepairTicket, user, diagnosis: str, price, note: str = "") -> RepairTicket:
    """Out of warranty: the vendor's diagnosis and price; the customer is called for consent today."""
    ticket = _lock(ticket)
    precheck(ticket, "quote", user, _(NOT_STAFF))
    if not (diagnosis or "").strip():
        raise ValidationError({"diagnosis": [_("Write the vendor's diagnosis.")]})
    amount = _money(price)

    def stamp(obj: RepairTicket) -> None:
        obj.diagnosis = _text(diagnosis, 2000)
        obj.price = amount

    ticket = _move(ticket, "quote", user, note, stamp)
    _tell_customer(
        ticket,
        user,
        _("Tell %(name)s the price ¥%(price)s (%(diagnosis)s) and ask for consent")
        % {"name": ticket.customer.name, "price": f"{amount:,.2f}", "diagnosis": ticket.diagnosis[:60]},
    )
    ticket.customer_told_at = timezone.now()
    ticket.save(update_fields=["customer_told_at"])
    return ticket


@transaction.atomic
def repair_consent(*, ticket: RepairTicket, user, agreed: bool, note: str = "") -> RepairTicket:
    """The customer's answer to the quote: agreed, the vendor repairs; refused, it comes back unrepaired."""
    ticket = _lock(ticket)
    precheck(ticket, "approve_repair", user, _(NOT_STAFF), conditions=False)
    if ticket.consent is not None:
        raise TransitionConflict(_("The customer has already answered."), state=ticket.state)
    ticket.consent = bool(agreed)
    ticket.save(update_fields=["consent"])
    if agreed:
        return _move(ticket, "approve_repair", user, note)
    return ticket


@transaction.atomic
def repair_start_warranty(*, ticket: RepairTicket, user, note: str = "") -> RepairTicket:
    """Under warranty the vendor repairs without a quote."""
    ticket = _lock(ticket)
    precheck(ticket, "start_warranty_repair", user, _(NOT_STAFF))
    return _move(ticket, "start_warranty_repair", user, note)


@transaction.atomic
def repair_receive_back(
    *, ticket: RepairTicket, user, accessories_ok: bool, serial_ok: bool, note: str = ""
) -> RepairTicket:
    """Back from the vendor, checked against the intake (accessories and serial); a difference
    must be described."""
    ticket = _lock(ticket)
    precheck(ticket, "receive_back", user, _(NOT_STAFF))
    if ticket.state == RepairTicket.State.QUOTED and ticket.consent is not False:
        raise TransitionConflict(_("Wait for the customer's answer to the quote."), state=ticket.state)
    if not (accessories_ok and serial_ok) and not (note or "").strip():
        raise ValidationError({"note": [_("Describe what differs from the intake.")]})
    repaired = ticket.state == RepairTicket.State.REPAIRING
    checked = _("Accessories as at intake: %(a)s; serial as at intake: %(s)s") % {
        "a": _("yes") if accessories_ok else _("no"),
        "s": _("yes") if serial_ok else _("no"),
    }

    def stamp(obj: RepairTicket) -> None:
        obj.repaired = repaired
        obj.back_check_note = f"{checked}. {(note or '').strip()}".strip()[:2000]

    return _move(ticket, "receive_back", user, note, stamp)


@transaction.atomic
def repair_make_ready(*, ticket: RepairTicket, user, warranty_after_days=None, note: str = "") -> RepairTicket:
    """Ready for collection: the customer is told (repair done and the warranty after repair, or
    returned unrepaired)."""
    ticket = _lock(ticket)
    precheck(ticket, "make_ready", user, _(NOT_STAFF))
    days = None
    if ticket.repaired:
        try:
            days = int(warranty_after_days)
            if not 0 <= days <= 3650:
                raise ValueError
        except (TypeError, ValueError) as exc:
            raise ValidationError({"warranty_after_days": [_("Enter the warranty after repair in days.")]}) from exc

    def stamp(obj: RepairTicket) -> None:
        obj.warranty_after_days = days

    ticket = _move(ticket, "make_ready", user, note, stamp)
    if ticket.repaired:
        title = _("Tell %(name)s: repaired, ready to collect, warranty %(days)s days after repair")
    else:
        title = _("Tell %(name)s: returned unrepaired, ready to collect")
    _tell_customer(ticket, user, title % {"name": ticket.customer.name, "days": days})
    return ticket


@transaction.atomic
def repair_collect(*, ticket: RepairTicket, user, note: str = "") -> RepairTicket:
    ticket = _lock(ticket)
    precheck(ticket, "collect", user, _(NOT_STAFF))

    def stamp(obj: RepairTicket) -> None:
        obj.collected_at = timezone.now()

    return _move(ticket, "collect", user, note, stamp)


@transaction.atomic
def repair_finding_record(
    *,
    store: Store,
    user,
    kind: str,
    staff,
    note: str,
    found_on: dt.date | None = None,
    ticket: RepairTicket | None = None,
) -> RepairFinding:
    """An unregistered repair found, or a complaint (the after-sales manager records them)."""
    if not has_role(user, store, REPAIR_MANAGERS):
        raise PermissionDenied(_("Only the after-sales manager records findings."))
    errors = {}
    if kind not in RepairFinding.Kind.values:
        errors["kind"] = [_("Choose an unregistered repair or a complaint.")]
    if not (note or "").strip():
        errors["note"] = [_("Describe the case.")]
    if staff is None or not has_role(staff, store, REPAIR_STAFF):
        errors["staff"] = [_("Choose a staff member of the repair desk.")]
    if errors:
        raise ValidationError(errors)
    return RepairFinding.objects.create(
        store=store,
        kind=kind,
        staff=staff,
        ticket=ticket,
        note=_text(note, 300),
        found_on=found_on or timezone.localdate(),
        recorded_by=user,
    )


def repairs_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate every ticket that sat on our premises longer than the idle days to the store's
    after-sales manager, once per stay: the ``RepairBreach`` row (unique per ticket and since) is
    the claim, so a second run, or two running at once, escalate nothing again."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=int(delivery_setting("REPAIR_IDLE_DAYS")))
    stale = (
        RepairTicket.objects.filter(state__in=RepairTicket.ON_PREMISES, state_since__lt=limit)
        .exclude(breaches__since=F("state_since"))
        .select_related("store", "customer")
        .order_by("state_since", "id")
    )
    done = 0
    for ticket in stale:
        try:
            with transaction.atomic():
                manager = member_with_role(store_id=ticket.store_id, roles=REPAIR_MANAGERS)
                breach = RepairBreach.objects.create(
                    ticket=ticket,
                    since=ticket.state_since,
                    state=ticket.state,
                    staff_id=ticket.received_by_id,
                    escalated_to=manager,
                )
                if manager is not None:
                    days = (now - ticket.state_since).days
                    notification_send(
                        user=manager,
                        key=f"repair:{ticket.pk}:breach:{breach.since.timestamp():.0f}",
                        title=_("Repair %(number)s has sat %(days)s days (%(state)s)")
                        % {"number": ticket.number, "days": days, "state": ticket.get_state_display()},
                        body=str(ticket),
                        url=f"/delivery/repairs/{ticket.pk}/",
                        now=now,
                    )
            done += 1
        except IntegrityError:
            continue  # another run escalated this stay first
    return done
