"""Base-customer campaigns (基盘客户): existing owners imported from service data, a replacement
cycle per model segment that gives each owner a replacement-due date, and campaigns that select the
owners due in a window, open a lead for each, distribute them by the store's one rule and invite
them for a dated visit (the consultant is reminded the day before through the follow-ups engine).

The import checks every row first and writes only when every row is good, in one transaction: a
file with one bad row imports nothing and reports each bad row (row number, field, message).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.models import LEAD_MANAGERS, Campaign, Lead, Owner
from leads.services._common import in_site_language, require
from leads.services.intake import lead_create
from leads.services.lifecycle import lead_lost_request
from leads.services.owners import (
    CAMPAIGN_MANAGERS,
    CYCLE_EDITORS,
    DEFAULT_CYCLES,
    ImportReport,
    RowError,
    owners_import,
    owners_may_import,
    replacement_cycle_set,
    replacement_cycles_for,
)
from showroom.models import Customer, FollowUp, Membership, Store
from showroom.permissions import has_role
from showroom.registry import FollowUpPlan, register_followup_plan
from showroom.roles import CONSULTANT
from showroom.selectors.customers import customer_owner_live
from showroom.selectors.frontdesk import frontdesk_settings_get, local_today
from showroom.selectors.roster import roster_get
from showroom.services.followups import EVENT_DONE, followup_plan_schedule
from showroom.services.transitions import TransitionConflict

INVITE_PLAN = "leads.campaign_invite"
INVITE_AT = dt.time(10, 0)
MAX_WINDOW_DAYS = 3 * 366

# --- the invitation plan ------------------------------------------------------------------------


def campaign_invite_hook(*, followup: FollowUp, event: str) -> None:
    """An invitation call done counts as a contact with the customer."""
    if event != EVENT_DONE or not followup.done_at:
        return
    lead = Lead.objects.select_for_update(of=("self",)).filter(pk=followup.object_id).first()
    if lead is None or not lead.is_open:
        return
    if lead.last_contact_at is None or followup.done_at > lead.last_contact_at:
        lead.last_contact_at = followup.done_at
        lead.save(update_fields=["last_contact_at", "updated_at"])


register_followup_plan(
    FollowUpPlan(code=INVITE_PLAN, label=gettext_lazy("Campaign visit invitation"), hook=campaign_invite_hook)
)


# --- campaigns ----------------------------------------------------------------------------------


def campaign_may_manage(*, user, store: Store | int) -> bool:
    return has_role(user, store, CAMPAIGN_MANAGERS)


@transaction.atomic
def campaign_create(*, store: Store, user, name: str, talking_points: str, due_from, due_to, visit_on) -> Campaign:
    """A campaign for the owners whose replacement falls due in [due_from, due_to], invited to
    visit on ``visit_on`` (a day after today)."""
    require(campaign_may_manage(user=user, store=store), _("Only the showroom or sales manager creates campaigns."))
    name = (name or "").strip()
    talking_points = (talking_points or "").strip()
    errors: dict[str, list[str]] = {}
    if store.kind != Store.Kind.CAR_SHOWROOM:
        errors["store"] = [_("Campaigns are run by car showrooms.")]
    if not name:
        errors["name"] = [_("Name the campaign.")]
    elif len(name) > 120:
        errors["name"] = [_("Keep the name under 120 characters.")]
    if not talking_points:
        errors["talking_points"] = [_("Write the talking points the consultants will use.")]
    elif len(talking_points) > 4000:
        errors["talking_points"] = [_("Keep it under 4,000 characters.")]
    dates = {"due_from": due_from, "due_to": due_to, "visit_on": visit_on}
    for key, value in dates.items():
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            errors[key] = [_("Enter a date.")]
    if "due_from" not in errors and "due_to" not in errors:
        if due_to < due_from:
            errors["due_to"] = [_("The window ends before it starts.")]
        elif (due_to - due_from).days > MAX_WINDOW_DAYS:
            errors["due_to"] = [_("Keep the window within three years.")]
    if "visit_on" not in errors and visit_on <= local_today():
        errors["visit_on"] = [_("Invite the owners for a day after today.")]
    if errors:
        raise ValidationError(errors)
    return Campaign.objects.create(
        store=store,
        name=name,
        talking_points=talking_points,
        due_from=due_from,
        due_to=due_to,
        visit_on=visit_on,
        distribution=frontdesk_settings_get(store=store).distribution_rule,
        created_by=user,
    )


def _store_consultant_ids(store_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            store_id=store_id, role__code=CONSULTANT, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )


def _rotation_order(*, store: Store, consultant_ids: set[int]) -> list[int]:
    """Today's roster order of the store's consultants (everyone on it, whatever his status now:
    an invitation is a call made over the coming days), or, without a roster, every consultant of
    the store by name. The rotation continues after the consultant who received the store's last
    campaign lead; walk-in turns are neither read nor used."""
    roster = roster_get(store=store, day=local_today())
    order = [e.consultant_id for e in roster.entries.all()] if roster is not None else []
    order = [cid for cid in dict.fromkeys(order) if cid in consultant_ids]
    if not order:
        User = get_user_model()
        order = list(
            User.objects.filter(pk__in=consultant_ids)
            .order_by("first_name", "username", "pk")
            .values_list("pk", flat=True)
        )
    last = (
        Lead.objects.filter(store=store, campaign__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("consultant_id", flat=True)
        .first()
    )
    if last in order:
        start = order.index(last) + 1
        order = order[start:] + order[:start]
    return order


@dataclass
class LaunchResult:
    campaign: Campaign
    created: list[Lead] = field(default_factory=list)
    skipped: int = 0
    by_consultant: dict[int, int] = field(default_factory=dict)


def campaign_owners_due(*, campaign: Campaign):
    """The owners the campaign selects: due in its window, not bought elsewhere, whose customer has
    no open lead in the store."""
    open_lead = Lead.objects.filter(
        store_id=campaign.store_id, customer_id=OuterRef("customer_id"), state__in=Lead.OPEN_STATES
    )
    return (
        Owner.objects.filter(
            store_id=campaign.store_id,
            replacement_due__gte=campaign.due_from,
            replacement_due__lte=campaign.due_to,
            bought_elsewhere=False,
        )
        .exclude(Exists(open_lead))
        .select_related("customer__owner", "vehicle_model", "sold_by")
        .order_by("replacement_due", "id")
    )


def _invite_due(visit_on: dt.date) -> dt.datetime:
    return dt.datetime.combine(visit_on - dt.timedelta(days=1), INVITE_AT, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def campaign_launch(*, campaign: Campaign, user) -> LaunchResult:
    """Open a lead (source "existing", the campaign's talking points as its plan note) for each
    owner the campaign selects, to the customer's owner when someone owns him, else distributed by
    the store's rule, each with an invitation call due
    the day before the visit. Launching again opens leads only for owners who have none open, so
    nothing is duplicated."""
    campaign = Campaign.objects.select_for_update().select_related("store").get(pk=campaign.pk)
    store = campaign.store
    require(campaign_may_manage(user=user, store=store), _("Only the showroom or sales manager launches campaigns."))
    if campaign.visit_on <= local_today():
        raise TransitionConflict(
            _("The visit day has come; create a new campaign with a later day."), state="past_visit_day"
        )
    rule = frontdesk_settings_get(store=store).distribution_rule
    if campaign.distribution != rule:
        campaign.distribution = rule
        campaign.save(update_fields=["distribution"])
    owners = list(campaign_owners_due(campaign=campaign))
    result = LaunchResult(campaign=campaign)
    if not owners:
        return result
    consultants = _store_consultant_ids(store.pk)
    rotation = _rotation_order(store=store, consultant_ids=consultants)
    if not rotation:
        raise ValidationError({"distribution": [_("The store has no consultant to give the leads to.")]})
    User = get_user_model()
    people = User.objects.in_bulk(rotation)
    turn = 0
    seen: set[int] = set()
    due_at = _invite_due(campaign.visit_on)
    with in_site_language():
        note_head = _("Campaign “%(name)s”") % {"name": campaign.name}
    for owner in owners:
        if owner.customer_id in seen:
            result.skipped += 1
            continue
        seen.add(owner.customer_id)
        # A customer someone owns goes to the owner, whatever the rule (it takes nobody's turn).
        consultant = customer_owner_live(customer=owner.customer)
        if consultant is not None and consultant.pk not in consultants:
            consultant = None
        if consultant is None and rule == Campaign.Distribution.SELLER and owner.sold_by_id in consultants:
            consultant = owner.sold_by
        if consultant is None:
            consultant = people[rotation[turn % len(rotation)]]
            turn += 1
        try:
            lead = lead_create(
                user=user,
                store=store,
                customer=owner.customer,
                consultant=consultant,
                source=Customer.Source.EXISTING,
                vehicle_model=owner.vehicle_model if owner.vehicle_model_id and owner.vehicle_model.is_active else None,
            )
        except ValidationError as exc:
            # The customer opened a lead in the meantime (a walk-in): his open lead stays the one.
            if "customer" not in getattr(exc, "error_dict", {}):
                raise
            result.skipped += 1
            continue
        lead.campaign = campaign
        lead.plan_note = f"{note_head}\n{campaign.talking_points}"
        lead.save(update_fields=["campaign", "plan_note", "updated_at"])
        with in_site_language():
            title = _("Invite %(customer)s to visit on %(day)s (%(campaign)s)") % {
                "customer": owner.customer.name,
                "day": campaign.visit_on.isoformat(),
                "campaign": campaign.name,
            }
        followup_plan_schedule(
            plan_code=INVITE_PLAN,
            target=lead,
            store=store,
            assignee=consultant,
            due_at=due_at,
            kind=FollowUp.Kind.CALL,
            title=title[:200],
            created_by=user,
        )
        result.created.append(lead)
        result.by_consultant[consultant.pk] = result.by_consultant.get(consultant.pk, 0) + 1
    return result


# --- bought elsewhere ---------------------------------------------------------------------------


def owner_open_campaign_lead(*, owner: Owner) -> Lead | None:
    return (
        Lead.objects.filter(
            store_id=owner.store_id,
            customer_id=owner.customer_id,
            campaign__isnull=False,
            state__in=Lead.OPEN_STATES,
        )
        .select_related("consultant")
        .first()
    )


def owner_may_mark(*, owner: Owner, user, lead: Lead | None) -> bool:
    if has_role(user, owner.store_id, LEAD_MANAGERS):
        return True
    return lead is not None and lead.consultant_id == user.pk and has_role(user, owner.store_id, CONSULTANT)


@transaction.atomic
def owner_mark_bought_elsewhere(*, owner: Owner, user, brand: str, model: str, reason_id=None, note: str = "") -> Owner:
    """The owner bought his next car elsewhere: he is marked (and no campaign selects him again);
    when he has an open campaign lead, its lost request goes to the showroom manager with that
    brand and model (and the reason, from the store's list)."""
    owner = Owner.objects.select_for_update().select_related("customer").get(pk=owner.pk)
    lead = owner_open_campaign_lead(owner=owner)
    require(
        owner_may_mark(owner=owner, user=user, lead=lead),
        _("Only the store's managers or the consultant of the owner's campaign lead may do this."),
    )
    brand = (brand or "").strip()
    model = (model or "").strip()
    errors: dict[str, list[str]] = {}
    if not brand:
        errors["brand"] = [_("Name the brand the owner bought.")]
    elif len(brand) > 60:
        errors["brand"] = [_("Keep the brand under 60 characters.")]
    if not model:
        errors["model"] = [_("Name the model the owner bought.")]
    elif len(model) > 80:
        errors["model"] = [_("Keep the model under 80 characters.")]
    if errors:
        raise ValidationError(errors)
    if lead is not None:
        try:
            lead_lost_request(
                lead=lead,
                user=user,
                competitor_brand=brand,
                competitor_model=model,
                reason_id=reason_id,
                note=note or _("Bought elsewhere (base-customer campaign)."),
            )
        except ValidationError as exc:
            fields = {"competitor_brand": "brand", "competitor_model": "model"}
            raise ValidationError(
                {fields.get(key, key): messages for key, messages in exc.message_dict.items()}
            ) from exc
    owner.bought_elsewhere = True
    owner.save(update_fields=["bought_elsewhere"])
    return owner


__all__ = [
    "CAMPAIGN_MANAGERS",
    "CYCLE_EDITORS",
    "DEFAULT_CYCLES",
    "INVITE_PLAN",
    "ImportReport",
    "LaunchResult",
    "RowError",
    "campaign_create",
    "campaign_launch",
    "campaign_may_manage",
    "campaign_owners_due",
    "owner_mark_bought_elsewhere",
    "owner_open_campaign_lead",
    "owners_import",
    "owners_may_import",
    "replacement_cycle_set",
    "replacement_cycles_for",
]
