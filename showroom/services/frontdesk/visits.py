"""Log a walk-in, say goodbye, name its customer."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Assignment, Customer, Store, Visit, VisitSource
from showroom.selectors.customers import customer_find_by_mobile
from showroom.selectors.frontdesk import frontdesk_may_work, local_today, user_label, visit_sources_for
from showroom.selectors.roster import owner_duty
from showroom.services.customers import customer_create
from showroom.services.frontdesk.common import (
    MAX_PARTY,
    MAX_TEXT,
    _check_consultant,
    _check_customer,
    _check_time,
    _require_front_desk,
    normalise_plate,
)
from showroom.services.frontdesk.shifts import _shift_for_logging
from showroom.services.ownership import customer_contact_record, customer_owner_claim, customer_stand_in_record
from showroom.services.roster import roster_entry_busy, roster_entry_release
from showroom.services.transitions import TransitionConflict
from showroom.signals import visit_assigned, visit_logged
from showroom.validators import normalize_mobile, validate_licence_plate

# --- visits ------------------------------------------------------------------------------------


@transaction.atomic
def visit_log(
    *,
    store: Store,
    user,
    party_size: int,
    purpose: str,
    first_visit: bool,
    source: VisitSource | None,
    arrived_at: dt.datetime | None = None,
    licence_plate: str = "",
    customer: Customer | None = None,
    consultant=None,
    notes: str = "",
    customer_mobile: str = "",
    customer_name: str = "",
    customer_consent: bool = False,
) -> Visit:
    """Log a walk-in in the open shift (opening one for ``user`` when none is open). With a
    consultant, the customer asked for him: recorded as such (it takes nobody's turn).

    A returning customer with an owner goes to the owner when he is on duty (nobody else may be
    chosen then); when the owner is away, the consultant chosen is his stand-in and the owner is
    told. Neither counts for the roster's fairness, which counts only new customers.

    A mobile number names the customer: a known number in the store finds the existing customer
    (never a second one); an unknown one registers a new customer, which needs a name and the
    visitor's consent. Without either the visit stays anonymous and can be linked later."""
    _require_front_desk(user, store)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if customer is None and (customer_mobile or "").strip():
        customer = _customer_for_walk_in(
            store=store, user=user, mobile=customer_mobile, name=customer_name, consent=customer_consent, errors=errors
        )
    if not isinstance(party_size, int) or isinstance(party_size, bool) or not 1 <= party_size <= MAX_PARTY:
        errors["party_size"] = [_("A party is 1 to %(max)s people.") % {"max": MAX_PARTY}]
    if purpose not in Visit.Purpose.values:
        errors["purpose"] = [_("Choose what the visitor came for.")]
    if not isinstance(first_visit, bool):
        errors["first_visit"] = [_("Say whether this is the first visit.")]
    if source is None or source.pk not in {s.pk for s in visit_sources_for(store=store)}:
        errors["source"] = [_("Choose a source from the store's list.")]
    _check_time(arrived_at, field="arrived_at", errors=errors, now=now)
    plate = normalise_plate(licence_plate)
    if plate:
        try:
            validate_licence_plate(plate)
        except ValidationError as exc:
            errors["licence_plate"] = exc.messages
    _check_customer(customer, store=store, errors=errors)
    _check_consultant(consultant, store=store, errors=errors)
    duty = owner_duty(store=store, customer=customer if "customer" not in errors else None)
    if consultant is not None and duty.owner is not None and duty.owner.pk != consultant.pk and duty.on_duty:
        errors["consultant"] = [
            _("%(owner)s owns this customer and is on duty today: the visitor goes to the owner.")
            % {"owner": user_label(duty.owner)}
        ]
    notes = (notes or "").strip()
    if len(notes) > MAX_TEXT:
        errors["notes"] = [_("Keep the notes under 2000 characters.")]
    if errors:
        raise ValidationError(errors)

    shift = _shift_for_logging(store=store, user=user, now=now)
    visit = Visit.objects.create(
        store=store,
        counted_shift=shift,
        current_shift=shift,
        arrived_at=arrived_at or now,
        party_size=party_size,
        purpose=purpose,
        first_visit=first_visit,
        source=source,
        licence_plate=plate,
        customer=customer,
        consultant=consultant,
        notes=notes,
        logged_by=user,
    )
    if customer is not None:
        customer_contact_record(customer=customer, at=visit.arrived_at)
    visit_logged.send(sender=Visit, visit=visit)
    if consultant is None and duty.on_duty:
        # A returning customer goes to his owner, not to the next consultant in turn.
        consultant = duty.owner
        visit.consultant = consultant
        visit.save(update_fields=["consultant"])
    if consultant is not None:
        if duty.owner is None:
            kind = Assignment.Kind.REQUESTED
        elif duty.owner.pk == consultant.pk:
            kind = Assignment.Kind.OWNER
        else:
            kind = Assignment.Kind.STAND_IN
            customer_stand_in_record(customer=customer, stand_in=consultant, by=user, visit_id=visit.pk)
        entry = roster_entry_busy(consultant_id=consultant.pk, store=store, now=now)
        Assignment.objects.create(
            store=store,
            day=local_today(now),
            roster_entry=entry,
            consultant=consultant,
            visit=visit,
            kind=kind,
            counts_for_fairness=False,
            decided_by=user,
        )
        if customer is not None:
            customer_owner_claim(customer=customer, consultant=consultant, by=user, now=now)
        visit_assigned.send(sender=Visit, visit=visit, consultant=consultant)
    return visit


def _customer_for_walk_in(
    *, store: Store, user, mobile: str, name: str, consent: bool, errors: dict[str, list[str]]
) -> Customer | None:
    try:
        number = normalize_mobile(mobile)
    except ValidationError as exc:
        errors["customer_mobile"] = exc.messages
        return None
    known = customer_find_by_mobile(store=store, mobile=number)
    if known is not None:
        return known
    missing = {}
    if not (name or "").strip():
        missing["customer_name"] = [_("A new customer needs a name.")]
    if not consent:
        missing["customer_consent"] = [_("Ask the visitor's consent before storing the number.")]
    if missing:
        errors.update(missing)
        return None
    try:
        return customer_create(
            user=user, store=store, name=name, mobile=number, consent_given=True, source=Customer.Source.WALK_IN
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors[{"name": "customer_name", "mobile": "customer_mobile"}.get(field, field)] = messages
        return None


def _lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update(of=("self",)).select_related("store").get(pk=visit.pk)


@transaction.atomic
def visit_leave(*, visit: Visit, user, left_at: dt.datetime | None = None) -> Visit:
    """The visitor left. The consultant is available again when he has no other open visit."""
    locked = _lock_visit(visit)
    if not (
        frontdesk_may_work(user=user, store=locked.store) or (user is not None and locked.consultant_id == user.pk)
    ):
        raise PermissionDenied(_("Only the front desk, the visit's consultant or a manager may do this."))
    if locked.left_at is not None:
        raise TransitionConflict(
            _("This visitor already left at %(time)s.")
            % {"time": timezone.localtime(locked.left_at).strftime("%H:%M")},
            state="left",
        )
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    _check_time(left_at, field="left_at", errors=errors, now=now, today_only=False, not_before=locked.arrived_at)
    if errors:
        raise ValidationError(errors)
    locked.left_at = left_at or max(now, locked.arrived_at)
    locked.save(update_fields=["left_at"])
    roster_entry_release(consultant_id=locked.consultant_id, store=locked.store, now=now)
    visit.left_at = locked.left_at
    return locked


@transaction.atomic
def visit_customer_link(*, visit: Visit, user, customer: Customer) -> Visit:
    """Name the customer of an anonymous visit (or correct it)."""
    locked = _lock_visit(visit)
    if not (
        frontdesk_may_work(user=user, store=locked.store) or (user is not None and locked.consultant_id == user.pk)
    ):
        raise PermissionDenied(_("Only the front desk, the visit's consultant or a manager may do this."))
    errors: dict[str, list[str]] = {}
    if customer is None:
        errors["customer"] = [_("Choose a customer of this store.")]
    _check_customer(customer, store=locked.store, errors=errors)
    if errors:
        raise ValidationError(errors)
    locked.customer = customer
    locked.save(update_fields=["customer"])
    customer_contact_record(customer=customer, at=locked.arrived_at)
    if locked.consultant_id is not None:
        customer_owner_claim(customer=customer, consultant=locked.consultant, by=user)
        # Naming the customer of a visit already handed over is what lets the consultant's
        # lead open: announce the assignment again, now with a customer.
        visit_assigned.send(sender=Visit, visit=locked, consultant=locked.consultant)
    return locked
