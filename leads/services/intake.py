"""Opening a lead and working it: the needs analysis, contacts, objections, the test-drive offer and
the used-car appraisal request; and the lead a walk-in handed to a consultant opens or moves on."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leads.models import (
    LEAD_MANAGERS,
    AppraisalRequest,
    Lead,
    LeadContact,
    LeadObjection,
    Trim,
    VehicleModel,
    lead_may_work,
)
from leads.services._common import (
    CLOCK_SKEW,
    in_site_language,
    lead_lock,
    notify,
    person,
    require,
    require_open,
    store_members,
)
from leads.services.grades import (
    GRADES,
    grade_for_timeline,
    grade_plan_schedule,
    grade_rules_for,
    plan_confirmation_request,
)
from leads.services.lifecycle import lead_event
from showroom.models import Customer, Membership, Store
from showroom.money import money
from showroom.permissions import has_role
from showroom.roles import APPRAISER, CONSULTANT, RECEPTIONIST, SALES_ASSISTANT
from showroom.selectors.customers import customer_owner_live
from showroom.services.ownership import customer_contact_record, customer_owner_claim
from showroom.services.transitions import transition_run

LEAD_CREATORS = (CONSULTANT, SALES_ASSISTANT, RECEPTIONIST, *LEAD_MANAGERS)
NEEDS_FIELDS = (
    "usage",
    "passengers",
    "body_type",
    "key_criteria",
    "models_compared",
    "trade_in",
    "trade_in_details",
)
EDITABLE_FIELDS = ("source", "vehicle_model", "trim", "budget", "purchase_timeline", *NEEDS_FIELDS)
TEXT_LIMITS = {
    "usage": 200,
    "body_type": 60,
    "key_criteria": 300,
    "models_compared": 300,
    "trade_in_details": 300,
}
MAX_BUDGET = Decimal("9999999999.99")
# 沪A12345, 沪AD12345 (new energy), 京B·C8888: a province, a letter, five or six letters/digits.
PLATE_RE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$")


def _consultant_of_store(user, store_id: int) -> bool:
    return Membership.objects.filter(
        user=user, store_id=store_id, role__code=CONSULTANT, is_active=True, user__is_active=True
    ).exists()


def _clean_values(values: dict[str, Any], *, lead: Lead | None) -> dict[str, Any]:
    """Check the editable fields given, collecting every field error at once."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name in TEXT_LIMITS:
            text = str(value or "").strip()
            if len(text) > TEXT_LIMITS[name]:
                errors[name] = [_("Keep it under %(n)s characters.") % {"n": TEXT_LIMITS[name]}]
            cleaned[name] = text
        elif name == "passengers":
            if value in (None, ""):
                cleaned[name] = None
            else:
                try:
                    number = int(value)
                except (TypeError, ValueError):
                    number = 0
                if not 1 <= number <= 60:
                    errors[name] = [_("Give a number of passengers from 1 to 60.")]
                cleaned[name] = number
        elif name == "trade_in":
            cleaned[name] = bool(value)
        elif name == "source":
            if value not in Customer.Source.values:
                errors[name] = [_("Choose a source from the list.")]
            cleaned[name] = value
        elif name == "purchase_timeline":
            if value not in Lead.Timeline.values:
                errors[name] = [_("Choose a purchase timeline from the list.")]
            cleaned[name] = value
        elif name == "budget":
            if value in (None, ""):
                cleaned[name] = None
                continue
            try:
                amount = money(value)
            except (InvalidOperation, ValueError, TypeError):
                errors[name] = [_("Enter an amount in yuan.")]
                continue
            if amount < 0 or amount > MAX_BUDGET:
                errors[name] = [_("Enter an amount from 0 to 9,999,999,999.99.")]
            cleaned[name] = amount
        elif name == "vehicle_model":
            if value is not None and not isinstance(value, VehicleModel):
                value = VehicleModel.objects.filter(pk=value).first() if str(value).isdigit() else None
                if value is None:
                    errors[name] = [_("Choose a model from the catalogue.")]
            if value is not None and not value.is_active:
                errors[name] = [_("This model is no longer on sale.")]
            cleaned[name] = value
        elif name == "trim":
            if value is not None and not isinstance(value, Trim):
                value = Trim.objects.filter(pk=value).first() if str(value).isdigit() else None
                if value is None:
                    errors[name] = [_("Choose a trim from the catalogue.")]
            cleaned[name] = value
        else:
            errors[name] = [_("This field cannot be changed.")]
    model = cleaned.get("vehicle_model", lead.vehicle_model if lead is not None else None)
    trim = cleaned.get("trim", lead.trim if lead is not None else None)
    if trim is not None and "trim" not in errors and (model is None or trim.vehicle_model_id != model.pk):
        errors["trim"] = [_("The trim must be one of the chosen model's.")]
    if cleaned.get("trade_in") is False and "trade_in_details" not in values:
        cleaned["trade_in_details"] = ""
    if errors:
        raise ValidationError(errors)
    return cleaned


def _open_lead(*, store_id: int, customer_id: int) -> Lead | None:
    return (
        Lead.objects.filter(store_id=store_id, customer_id=customer_id, state__in=Lead.OPEN_STATES)
        .select_related("consultant")
        .first()
    )


def _start_plan(lead: Lead, *, created_by) -> None:
    rule = grade_rules_for(lead.store)[lead.grade]
    grade_plan_schedule(lead=lead, rule=rule, created_by=created_by)
    plan_confirmation_request(lead=lead, rule=rule)


@transaction.atomic
def lead_create(
    *,
    user,
    store: Store,
    customer: Customer,
    consultant=None,
    source: str = "",
    vehicle_model: VehicleModel | None = None,
    trim: Trim | None = None,
    budget: Decimal | None = None,
    purchase_timeline: str = Lead.Timeline.MONTH,
    grade: str = "",
    **needs: Any,
) -> Lead:
    """Open a lead for a customer of the store, for ``consultant`` (the user when he is one). The
    grade defaults to the one the purchase timeline stands for; its follow-up plan starts now."""
    require(has_role(user, store, LEAD_CREATORS), _("Your role in this store cannot open leads."))
    errors: dict[str, list[str]] = {}
    if store.kind != Store.Kind.CAR_SHOWROOM:
        errors["store"] = [_("Leads are kept for car showrooms.")]
    if customer is None or customer.store_id != store.pk:
        errors["customer"] = [_("Choose a customer of this store.")]
    if consultant is None and _consultant_of_store(user, store.pk):
        consultant = user
    if consultant is None:
        errors["consultant"] = [_("Choose the consultant who will follow the lead.")]
    elif not _consultant_of_store(consultant, store.pk):
        errors["consultant"] = [_("The consultant must work in this store as a consultant.")]
    if grade and grade not in GRADES:
        errors["grade"] = [_("Choose H, A, B or C.")]
    unknown = set(needs) - set(NEEDS_FIELDS)
    for name in sorted(unknown):
        errors[name] = [_("Unknown field.")]
    values = {
        "source": source or (customer.source if customer is not None else Customer.Source.WALK_IN),
        "vehicle_model": vehicle_model,
        "trim": trim,
        "budget": budget,
        "purchase_timeline": purchase_timeline or Lead.Timeline.MONTH,
        **{k: v for k, v in needs.items() if k in NEEDS_FIELDS},
    }
    try:
        cleaned = _clean_values(values, lead=None)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    if "customer" not in errors and consultant is not None and "consultant" not in errors:
        owner = customer_owner_live(customer=customer)
        if owner is not None and owner.pk != consultant.pk:
            errors["customer"] = [
                _("%(owner)s owns this customer; ask a manager to transfer the customer first.")
                % {"owner": person(owner)}
            ]
    if "customer" not in errors:
        existing = _open_lead(store_id=store.pk, customer_id=customer.pk)
        if existing is not None:
            errors["customer"] = [
                _("This customer already has an open lead with %(consultant)s.")
                % {"consultant": person(existing.consultant)}
            ]
    if errors:
        raise ValidationError(errors)
    rules = grade_rules_for(store)
    lead = Lead(
        store=store,
        customer=customer,
        consultant=consultant,
        created_by=user,
        grade=grade or grade_for_timeline(rules=rules, timeline=cleaned["purchase_timeline"]),
        **cleaned,
    )
    try:
        with transaction.atomic():
            lead.save()
    except IntegrityError as exc:  # a second open lead created at the same moment
        raise ValidationError({"customer": [_("This customer already has an open lead.")]}) from exc
    customer_owner_claim(customer=customer, consultant=consultant, by=user)
    _start_plan(lead, created_by=user)
    return lead


@transaction.atomic
def lead_update(*, lead: Lead, user, **values: Any) -> Lead:
    """Change the vehicle of interest, budget, timeline, source or the needs analysis."""
    lead = lead_lock(lead)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may change it."))
    require_open(lead)
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    cleaned = _clean_values(values, lead=lead)
    for name, value in cleaned.items():
        setattr(lead, name, value)
    lead.save(update_fields=[*cleaned.keys(), "updated_at"])
    return lead


def _check_time(at, errors: dict, field: str = "at") -> None:
    if not isinstance(at, dt.datetime):
        errors[field] = [_("Enter a date and time.")]
    elif timezone.is_naive(at):
        errors[field] = [_("Give the time with its time zone.")]
    elif at > timezone.now() + CLOCK_SKEW:
        errors[field] = [_("A contact cannot be in the future.")]


@transaction.atomic
def lead_contact_record(*, lead: Lead, user, kind: str, summary: str, at: dt.datetime | None = None) -> LeadContact:
    """Record a call, visit or message with the customer: the lead's last contact moves up, and a
    new lead becomes contacted. This is the record the closing-time check looks for."""
    lead = lead_lock(lead)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may record its contacts."))
    require_open(lead)
    summary = (summary or "").strip()
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    if kind not in dict(LeadContact._meta.get_field("kind").choices):
        errors["kind"] = [_("Choose a call, a visit, a message or other.")]
    if not summary:
        errors["summary"] = [_("Say what was said or agreed.")]
    elif len(summary) > 4000:
        errors["summary"] = [_("Keep it under 4,000 characters.")]
    _check_time(at, errors)
    if errors:
        raise ValidationError(errors)
    contact = LeadContact.objects.create(lead=lead, kind=kind, summary=summary, at=at, recorded_by=user)
    customer_contact_record(customer=lead.customer_id, by=lead.consultant, at=at)

    def touch(obj: Lead) -> None:
        if obj.last_contact_at is None or at > obj.last_contact_at:
            obj.last_contact_at = at

    if lead.state == Lead.State.NEW:
        transition_run(instance=lead, name="contact", user=user, note=summary[:200], lock=False, before_save=touch)
    else:
        touch(lead)
        lead.save(update_fields=["last_contact_at", "updated_at"])
    return contact


@transaction.atomic
def lead_objection_add(*, lead: Lead, user, objection: str, answer: str = "", resolved: bool = False) -> LeadObjection:
    """An objection the customer raised during the presentation, and how it was answered."""
    lead = lead_lock(lead)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may record objections."))
    require_open(lead)
    objection = (objection or "").strip()
    answer = (answer or "").strip()
    errors: dict[str, list[str]] = {}
    if not objection:
        errors["objection"] = [_("Write down the customer's objection.")]
    elif len(objection) > 300:
        errors["objection"] = [_("Keep it under 300 characters.")]
    if len(answer) > 4000:
        errors["answer"] = [_("Keep it under 4,000 characters.")]
    if resolved and not answer:
        errors["answer"] = [_("Say how the objection was answered before marking it resolved.")]
    if errors:
        raise ValidationError(errors)
    return LeadObjection.objects.create(
        lead=lead, objection=objection, answer=answer, resolved=bool(resolved), recorded_by=user
    )


@transaction.atomic
def lead_objection_answer(*, objection: LeadObjection, user, answer: str, resolved: bool) -> LeadObjection:
    lead = lead_lock(objection.lead)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may record objections."))
    require_open(lead)
    answer = (answer or "").strip()
    errors: dict[str, list[str]] = {}
    if not answer:
        errors["answer"] = [_("Say how the objection was answered.")]
    elif len(answer) > 4000:
        errors["answer"] = [_("Keep it under 4,000 characters.")]
    if errors:
        raise ValidationError(errors)
    objection = LeadObjection.objects.select_for_update().get(pk=objection.pk, lead=lead)
    objection.answer = answer
    objection.resolved = bool(resolved)
    objection.save(update_fields=["answer", "resolved"])
    return objection


@transaction.atomic
def lead_test_drive_offer(*, lead: Lead, user, accepted: bool) -> Lead:
    """Record that a test drive was offered and whether the customer accepted or declined."""
    lead = lead_lock(lead)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may record this."))
    require_open(lead)
    lead.test_drive = Lead.TestDrive.ACCEPTED if accepted else Lead.TestDrive.DECLINED
    lead.save(update_fields=["test_drive", "updated_at"])
    return lead


def normalize_plate(value: str) -> str:
    return re.sub(r"[\s·.\-]", "", value or "").upper()


@transaction.atomic
def lead_appraisal_request(
    *, lead: Lead, user, car_details: str = "", licence_plate: str = "", drove_in: bool = False
) -> AppraisalRequest:
    """Offer a free used-car appraisal to a customer who drove in (give the plate) or has a car to
    trade in: a request for the used-car department, whose appraisers are told."""
    lead = lead_lock(lead)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may request an appraisal."))
    require_open(lead)
    plate = normalize_plate(licence_plate)
    details = (car_details or "").strip() or lead.trade_in_details
    errors: dict[str, list[str]] = {}
    if plate and not PLATE_RE.match(plate):
        errors["licence_plate"] = [_("Enter a plate like 沪A12345.")]
    if drove_in and not plate:
        errors["licence_plate"] = [_("Give the plate of the car the customer drove in.")]
    if not plate and not lead.trade_in:
        errors["car_details"] = [
            _("An appraisal is offered to a customer who drove in (give the plate) or has a car to trade in.")
        ]
    if not details:
        errors["car_details"] = [_("Describe the car: brand, model, year, mileage.")]
    elif len(details) > 300:
        errors["car_details"] = [_("Keep it under 300 characters.")]
    if errors:
        raise ValidationError(errors)
    if lead.appraisals.filter(state=AppraisalRequest.State.REQUESTED).exists():
        from showroom.services.transitions import TransitionConflict

        raise TransitionConflict(_("An appraisal is already requested for this lead."), state=lead.state)
    appraisal = AppraisalRequest.objects.create(
        lead=lead, store=lead.store, car_details=details, licence_plate=plate, requested_by=user
    )
    with in_site_language():
        title = _("Used-car appraisal requested: %(car)s") % {"car": details[:80]}
        body = _("%(customer)s, consultant %(consultant)s") % {
            "customer": lead.customer.name,
            "consultant": person(lead.consultant),
        }
    for appraiser in store_members(store_id=lead.store_id, roles=[APPRAISER], exclude_user_id=user.pk):
        notify(
            user=appraiser,
            key=f"leads:appraisal:{appraisal.pk}",
            title=title,
            body=body,
            url=reverse("leads:detail", args=[lead.pk]),
        )
    return appraisal


# --- the front desk -----------------------------------------------------------------------------


@transaction.atomic
def lead_from_visit(*, customer: Customer, store_id: int, consultant, arrived_at: dt.datetime | None) -> Lead | None:
    """A walk-in handed to ``consultant``: the customer's open lead in the store moves on to
    visited (never back), or a new lead opens for the consultant, from the walk-in, as visited.
    Either way the visit is logged as a contact of the lead (automatically: the consultant still
    records what was said). Only car showrooms keep leads; elsewhere nothing happens."""
    store = Store.objects.filter(pk=store_id).first()
    if store is None or store.kind != Store.Kind.CAR_SHOWROOM or customer is None or consultant is None:
        return None
    at = arrived_at or timezone.now()
    lead = (
        Lead.objects.select_for_update(of=("self",))
        .filter(store_id=store_id, customer=customer, state__in=Lead.OPEN_STATES)
        .first()
    )
    created = lead is None
    if created:
        rules = grade_rules_for(store)
        lead = Lead(
            store=store,
            customer=customer,
            consultant=consultant,
            created_by=None,
            source=Customer.Source.WALK_IN,
            grade=grade_for_timeline(rules=rules, timeline=Lead.Timeline.MONTH),
        )
        lead.save()
    with in_site_language():
        note = _("Walk-in received by %(consultant)s.") % {"consultant": person(consultant)}
    lead = lead_event(lead=lead, event="visited", user=consultant, at=at, note=note)
    LeadContact.objects.create(lead=lead, kind="visit", summary=note, at=at, recorded_by=consultant, automatic=True)
    if created:
        _start_plan(lead, created_by=None)
    elif lead.consultant_id != consultant.pk:
        with in_site_language():
            title = _("Your customer %(customer)s walked in") % {"customer": customer.name}
        notify(
            user=lead.consultant,
            key=f"leads:visit:{lead.pk}:{at:%Y%m%d%H%M}",
            title=title,
            body=note,
            url=reverse("leads:detail", args=[lead.pk]),
        )
    return lead


@transaction.atomic
def lead_create_for_new_customer(
    *, user, store: Store, name: str, mobile: str, consent_given: bool, **lead_values: Any
) -> Lead:
    """The new-lead form when the mobile number found nobody: the customer and the lead are created
    together, or neither is (each service's field errors are returned together)."""
    from showroom.services.customers import customer_create

    require(has_role(user, store, LEAD_CREATORS), _("Your role in this store cannot open leads."))
    try:
        with transaction.atomic():
            customer = customer_create(
                user=user,
                store=store,
                name=name,
                mobile=mobile,
                consent_given=consent_given,
                source=lead_values.get("source") or Customer.Source.WALK_IN,
            )
    except ValidationError as exc:
        # Report the lead's own field errors with the customer's, so the form shows them at once.
        errors = dict(exc.message_dict)
        checkable = {k: v for k, v in lead_values.items() if k in EDITABLE_FIELDS}
        try:
            _clean_values(checkable, lead=None)
        except ValidationError as lead_exc:
            for key, messages in lead_exc.message_dict.items():
                errors.setdefault(key, messages)
        raise ValidationError(errors) from exc
    return lead_create(user=user, store=store, customer=customer, **lead_values)
