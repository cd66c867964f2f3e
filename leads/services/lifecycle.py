"""A lead's state: events that move it forward, the steps a consultant runs by hand, the lost
request and its approval, reactivation and dormancy.

Events ("contacted", "visited", "test_driven", "quoted", "deposit_paid") are facts recorded
elsewhere (the front desk, a later test drive, quote or deposit): each moves the lead forward from
any earlier open state to the event's state and never back; an event about a closed lead changes
nothing. A lead is lost only when the showroom manager approves a request naming the competitor's
brand and model and a reason from the store's list; it goes dormant only by the daily tick.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.models import (
    RUN_AS_EVENT,
    RUN_DORMANT_TICK,
    RUN_LOST_APPROVED,
    Lead,
    LeadSettings,
    LostReason,
    lead_may_work,
)
from leads.services._common import in_site_language, lead_lock, notify, person, require, require_open
from leads.services.grades import (
    grade_plan_cancel,
    grade_plan_close,
    grade_plan_schedule,
    grade_rules_for,
    plan_confirmation_request,
)
from showroom.models import ApprovalRequest, Store
from showroom.services.approvals import approval_request_create
from showroom.services.transitions import TransitionConflict, transition_run

logger = logging.getLogger(__name__)

State = Lead.State
EVENT_STATES = {
    "contacted": State.CONTACTED,
    "visited": State.VISITED,
    "test_driven": State.TEST_DRIVEN,
    "quoted": State.NEGOTIATING,
    "deposit_paid": State.WON,
}
TRANSITION_TO = {
    State.CONTACTED: "contact",
    State.VISITED: "visit",
    State.TEST_DRIVEN: "drive",
    State.NEGOTIATING: "quote",
    State.WON: "win",
}
FORWARD_TRANSITIONS = tuple(TRANSITION_TO.values())
LOST_KIND = "leads.lost_lead"
LOST_KIND_LABEL = gettext_lazy("Lost lead (defeat) confirmation")


def _set_run(lead: Lead, run: str) -> None:
    lead._leads_service_run = run


def _forward_of(state: str, target: str) -> bool:
    progress = list(Lead.PROGRESS)
    return state in progress and progress.index(state) < progress.index(target)


def _after_won(lead: Lead, user) -> None:
    with in_site_language():
        reason = _("The lead is won.")
    grade_plan_close(lead=lead, user=user, reason=reason)


@transaction.atomic
def lead_event(*, lead: Lead, event: str, user=None, at: dt.datetime | None = None, note: str = "") -> Lead:
    """Record that something happened with the customer: the lead moves forward to the event's
    state from any earlier open state (never back) and its last contact is brought up to ``at``.
    ``user`` (optional) is who recorded the event, for the audit trail."""
    if event not in EVENT_STATES:
        raise ValidationError({"event": [_("Unknown event “%(event)s”.") % {"event": event}]})
    lead = lead_lock(lead)
    if not lead.is_open:
        return lead
    at = at or timezone.now()
    target = EVENT_STATES[event]

    def touch(obj: Lead) -> None:
        if obj.last_contact_at is None or at > obj.last_contact_at:
            obj.last_contact_at = at

    if not _forward_of(lead.state, target):
        touch(lead)
        lead.save(update_fields=["last_contact_at", "updated_at"])
        return lead
    _set_run(lead, RUN_AS_EVENT)
    lead = transition_run(
        instance=lead, name=TRANSITION_TO[target], user=user, note=note, lock=False, before_save=touch
    )
    _set_run(lead, "")
    if target == State.WON:
        _after_won(lead, user)
    return lead


@transaction.atomic
def lead_transition(*, lead: Lead, name: str, user, note: str = "") -> Lead:
    """A step run by hand from the lead's page or the API. Forward steps stand in for the events
    that do not exist yet; lost and dormant are never run by hand."""
    if name == "lose":
        raise TransitionConflict(
            _("A lead is marked lost only through a request the showroom manager confirms."), state=lead.state
        )
    if name == "sleep":
        raise TransitionConflict(
            _("A lead goes dormant by itself after the store's days without contact."), state=lead.state
        )
    if name == "reactivate":
        return lead_reactivate(lead=lead, user=user, note=note)
    lead = lead_lock(lead)
    lead = transition_run(instance=lead, name=name, user=user, note=note, lock=False)
    if lead.state == State.WON:
        _after_won(lead, user)
    return lead


def _other_open_lead(lead: Lead) -> Lead | None:
    return (
        Lead.objects.filter(store_id=lead.store_id, customer_id=lead.customer_id, state__in=Lead.OPEN_STATES)
        .exclude(pk=lead.pk)
        .select_related("consultant")
        .first()
    )


@transaction.atomic
def lead_reactivate(*, lead: Lead, user, note: str = "") -> Lead:
    """A lost or dormant lead comes back as contacted, with a fresh plan of its grade."""
    lead = lead_lock(lead)
    if lead.state in (State.LOST, State.DORMANT):
        other = _other_open_lead(lead)
        if other is not None:
            raise TransitionConflict(
                _("The customer already has an open lead with %(consultant)s.")
                % {"consultant": person(other.consultant)},
                state=lead.state,
            )
    now = timezone.now()

    def reopen(obj: Lead) -> None:
        obj.lost_competitor_brand = ""
        obj.lost_competitor_model = ""
        obj.lost_reason = None
        obj.last_contact_at = now
        obj.plan_confirmed_at = None
        obj.plan_confirmed_by = None

    try:
        with transaction.atomic():
            lead = transition_run(
                instance=lead, name="reactivate", user=user, note=note, lock=False, before_save=reopen
            )
    except IntegrityError as exc:
        raise TransitionConflict(_("The customer already has an open lead."), state=lead.state) from exc
    with in_site_language():
        reason = _("The lead was reactivated; its plan starts again.")
    grade_plan_cancel(lead=lead, user=user, reason=reason)
    rule = grade_rules_for(lead.store)[lead.grade]
    grade_plan_schedule(lead=lead, rule=rule, created_by=user, start=now)
    plan_confirmation_request(lead=lead, rule=rule)
    return lead


# --- lost ---------------------------------------------------------------------------------------


def lost_reasons_for(*, store: Store | int):
    """The active reasons a store offers: its own and the general ones."""
    store_id = store if isinstance(store, int) else store.pk
    return LostReason.objects.filter(Q(store_id=store_id) | Q(store__isnull=True), is_active=True).order_by("text")


def lost_request_pending(*, lead: Lead) -> ApprovalRequest | None:
    from django.contrib.contenttypes.models import ContentType

    return ApprovalRequest.objects.filter(
        kind=LOST_KIND,
        content_type=ContentType.objects.get_for_model(Lead),
        object_id=lead.pk,
        state=ApprovalRequest.State.PENDING,
    ).first()


@transaction.atomic
def lead_lost_request(
    *, lead: Lead, user, competitor_brand: str, competitor_model: str, reason_id, note: str = ""
) -> ApprovalRequest:
    """Ask the showroom manager to confirm the lead is lost (the customer bought a competitor's
    car): 400 with each missing field and nothing changed, else a pending approval. The lead stays
    as it is until the manager approves."""
    lead = lead_lock(lead)
    require(lead_may_work(lead, user), _("Only the lead's consultant or a manager may report it lost."))
    require_open(lead, _("Only an open lead can be reported lost."))
    brand = (competitor_brand or "").strip()
    model = (competitor_model or "").strip()
    errors: dict[str, list[str]] = {}
    if not brand:
        errors["competitor_brand"] = [_("Name the brand the customer bought.")]
    elif len(brand) > 60:
        errors["competitor_brand"] = [_("Keep the brand under 60 characters.")]
    if not model:
        errors["competitor_model"] = [_("Name the model the customer bought.")]
    elif len(model) > 80:
        errors["competitor_model"] = [_("Keep the model under 80 characters.")]
    reason = None
    try:
        reason = lost_reasons_for(store=lead.store_id).filter(pk=int(reason_id)).first() if reason_id else None
    except (TypeError, ValueError, OverflowError):
        reason = None
    if reason is None:
        errors["reason_id"] = [_("Choose a reason from the store's list.")]
    if errors:
        raise ValidationError(errors)
    if lost_request_pending(lead=lead) is not None:
        raise TransitionConflict(
            _("This lead already waits for the showroom manager's confirmation."), state=lead.state
        )
    note = (note or "").strip()
    text = f"{brand} {model} · {reason.text}" + (f"\n{note}" if note else "")
    return approval_request_create(
        target=lead,
        kind=LOST_KIND,
        store=lead.store,
        requester=user,
        reason=text,
        value=0,
        payload={
            "competitor_brand": brand,
            "competitor_model": model,
            "reason_id": reason.pk,
            "reason": reason.text,
            "note": note,
        },
    )


def lost_lead_approved(*, request: ApprovalRequest) -> None:
    """The approval handler: inside the approving transaction, the lead is lost as the deciding
    manager, with the competitor and reason of the request. A lead no longer open refuses (409)
    and the approval rolls back."""
    decision = request.decisions.order_by("decided_at", "id").last()
    decider = decision.decider if decision is not None else None
    payload = request.payload or {}
    lead = lead_lock(Lead(pk=request.object_id))
    reason = LostReason.objects.filter(pk=payload.get("reason_id")).first()

    def record(obj: Lead) -> None:
        obj.lost_competitor_brand = str(payload.get("competitor_brand", ""))[:60]
        obj.lost_competitor_model = str(payload.get("competitor_model", ""))[:80]
        obj.lost_reason = reason

    _set_run(lead, RUN_LOST_APPROVED)
    lead = transition_run(instance=lead, name="lose", user=decider, note=request.reason, lock=False, before_save=record)
    _set_run(lead, "")
    with in_site_language():
        grade_plan_close(lead=lead, user=decider, reason=_("The lead is lost."))
        title = _("Lost confirmed: %(lead)s") % {"lead": lead.customer.name}
    notify(
        user=lead.consultant,
        key=f"leads:lost:{request.pk}:approved",
        title=title,
        body=request.reason,
        url=reverse("leads:detail", args=[lead.pk]),
    )


def lost_lead_rejected(*, request: ApprovalRequest) -> None:
    """The lead stays as it was; the requester is told why."""
    decision = request.decisions.order_by("decided_at", "id").last()
    lead = Lead.objects.select_related("customer").filter(pk=request.object_id).first()
    if lead is None:
        return
    with in_site_language():
        title = _("Lost not confirmed: %(lead)s") % {"lead": lead.customer.name}
    notify(
        user=request.requester,
        key=f"leads:lost:{request.pk}:rejected",
        title=title,
        body=decision.note if decision is not None else "",
        url=reverse("leads:detail", args=[lead.pk]),
    )


# --- dormancy -----------------------------------------------------------------------------------


def dormant_after_days(*, store_id: int) -> int:
    row = LeadSettings.objects.filter(store_id=store_id).values_list("dormant_after_days", flat=True).first()
    return row or LeadSettings.DEFAULT_DORMANT_AFTER_DAYS


def _sleep_one(*, pk: int, cutoff: dt.datetime, days: int) -> bool:
    with transaction.atomic():
        lead = (
            Lead.objects.select_for_update(skip_locked=True, of=("self",))
            .annotate(silent_since=Coalesce("last_contact_at", "created_at"))
            .filter(pk=pk, state__in=Lead.OPEN_STATES, silent_since__lt=cutoff)
            .first()
        )
        if lead is None:
            return False
        _set_run(lead, RUN_DORMANT_TICK)
        with in_site_language():
            note = _("No contact for %(days)s days.") % {"days": days}
        transition_run(instance=lead, name="sleep", user=None, note=note, lock=False)
    return True


def leads_dormant_tick(*, store: Store | None = None, now: dt.datetime | None = None) -> int:
    """Put every open lead without contact for its store's configured days to dormant. Each lead
    in its own transaction; a lead someone is working on (locked) is left for the next run."""
    now = now or timezone.now()
    stores = [store] if store is not None else list(Store.objects.filter(is_active=True, kind=Store.Kind.CAR_SHOWROOM))
    slept = 0
    for each in stores:
        days = dormant_after_days(store_id=each.pk)
        cutoff = now - dt.timedelta(days=days)
        candidates = (
            Lead.objects.filter(store_id=each.pk, state__in=Lead.OPEN_STATES)
            .annotate(silent_since=Coalesce("last_contact_at", "created_at"))
            .filter(silent_since__lt=cutoff)
            .order_by("silent_since", "id")
            .values_list("pk", flat=True)
        )
        for pk in list(candidates):
            try:
                if _sleep_one(pk=pk, cutoff=cutoff, days=days):
                    slept += 1
            except Exception:
                logger.exception("putting lead %s to dormant failed; the next run tries again", pk)
    return slept


def leads_dormant_job(*, store: Store, day: dt.date) -> None:
    """The daily scheduled job (per car store)."""
    leads_dormant_tick(store=store)
