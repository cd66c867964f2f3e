"""Reads of the base-customer campaigns, shared by pages and API. Owners (personal data from the
service department) are read in the stores where the user is a manager; campaigns in every store
the user works in (what may be done with them is the services' question: 403, not 404)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from leads.models import LEAD_MANAGERS, Campaign, Lead, Owner, ReplacementCycle, VehicleModel
from leads.services.campaigns import DEFAULT_CYCLES, replacement_cycles_for
from showroom.permissions import store_ids_for

MAX_ID = 2**63 - 1


def _db_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


def campaign_store_ids(*, user) -> list[int]:
    return store_ids_for(user, LEAD_MANAGERS)


# --- owners -------------------------------------------------------------------------------------


def owner_visible(*, user) -> QuerySet[Owner]:
    return Owner.objects.filter(store_id__in=campaign_store_ids(user=user)).select_related(
        "customer", "vehicle_model__brand", "sold_by"
    )


def owner_list(
    *,
    user,
    store_id: int | None = None,
    vehicle_model_id: int | None = None,
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
    bought_elsewhere: bool | None = None,
    search: str = "",
) -> QuerySet[Owner]:
    """The owners of the user's stores, soonest replacement first; each row knows whether its
    customer has an open lead in the store (one query for a page, whatever its length)."""
    qs = owner_visible(user=user)
    if store_id:
        qs = qs.filter(store_id=store_id)
    if vehicle_model_id:
        qs = qs.filter(vehicle_model_id=vehicle_model_id)
    if due_from:
        qs = qs.filter(replacement_due__gte=due_from)
    if due_to:
        qs = qs.filter(replacement_due__lte=due_to)
    if bought_elsewhere is not None:
        qs = qs.filter(bought_elsewhere=bought_elsewhere)
    search = (search or "").strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        condition = Q(customer__name__icontains=search) | Q(model_text__icontains=search)
        if len(digits) >= 4:
            condition |= Q(customer__mobile__contains=digits)
        qs = qs.filter(condition)
    open_lead = Lead.objects.filter(
        store_id=OuterRef("store_id"), customer_id=OuterRef("customer_id"), state__in=Lead.OPEN_STATES
    )
    return qs.annotate(has_open_lead=Exists(open_lead)).order_by("replacement_due", "id")


def owner_get(*, user, pk) -> Owner:
    number = _db_id(pk)
    found = owner_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def owner_models() -> QuerySet[VehicleModel]:
    return VehicleModel.objects.select_related("brand").order_by("-brand__is_own", "brand__name", "name")


# --- replacement cycles -------------------------------------------------------------------------


@dataclass
class CycleRow:
    segment: str
    label: str
    months: int
    default: int


def replacement_cycle_rows(*, store) -> list[CycleRow]:
    """Each segment's cycle in the store (the defaults are created the first time)."""
    months = replacement_cycles_for(store=store)
    labels = dict(VehicleModel.Segment.choices)
    return [
        CycleRow(segment=segment, label=str(labels[segment]), months=months[segment], default=default)
        for segment, default in DEFAULT_CYCLES.items()
    ]


def replacement_cycle_list(*, user, store_id: int | None = None) -> QuerySet[ReplacementCycle]:
    qs = ReplacementCycle.objects.filter(store_id__in=campaign_store_ids(user=user))
    if store_id:
        qs = qs.filter(store_id=store_id)
    return qs.order_by("store_id", "segment")


# --- campaigns ----------------------------------------------------------------------------------


def campaign_visible(*, user) -> QuerySet[Campaign]:
    return (
        Campaign.objects.filter(store_id__in=store_ids_for(user))
        .select_related("store", "created_by")
        .annotate(
            lead_count=Count("leads", distinct=True),
            open_lead_count=Count("leads", filter=Q(leads__state__in=Lead.OPEN_STATES), distinct=True),
        )
    )


def campaign_list(*, user, store_id: int | None = None) -> QuerySet[Campaign]:
    qs = campaign_visible(user=user)
    if store_id:
        qs = qs.filter(store_id=store_id)
    return qs.order_by("-created_at", "-id")


def campaign_get(*, user, pk) -> Campaign:
    number = _db_id(pk)
    found = campaign_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


@dataclass
class DistributionRow:
    consultant_id: int
    name: str
    leads: int


@dataclass
class CampaignOverview:
    owners: list[Owner] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    distribution: list[DistributionRow] = field(default_factory=list)
    to_launch: int = 0


def campaign_overview(*, campaign: Campaign) -> CampaignOverview:
    """What the campaign page shows: the owners due in the window (each with the campaign's lead
    for its customer, if any, and whether the next launch would pick it), the leads created and
    how they were distributed (three queries)."""
    campaign_leads = (
        Lead.objects.filter(campaign=campaign)
        .select_related("customer", "consultant", "vehicle_model__brand")
        .order_by("consultant__first_name", "consultant__username", "id")
    )
    leads = list(campaign_leads)
    by_customer = {lead.customer_id: lead for lead in leads}
    open_lead = Lead.objects.filter(
        store_id=campaign.store_id, customer_id=OuterRef("customer_id"), state__in=Lead.OPEN_STATES
    )
    owners = list(
        Owner.objects.filter(
            store_id=campaign.store_id,
            replacement_due__gte=campaign.due_from,
            replacement_due__lte=campaign.due_to,
        )
        .select_related("customer", "vehicle_model__brand", "sold_by")
        .annotate(has_open_lead=Exists(open_lead))
        .order_by("replacement_due", "id")
    )
    to_launch: set[int] = set()
    for owner in owners:
        owner.campaign_lead = by_customer.get(owner.customer_id)
        owner.will_launch = not owner.bought_elsewhere and not owner.has_open_lead
        if owner.will_launch:
            to_launch.add(owner.customer_id)
    counts: dict[int, DistributionRow] = {}
    for lead in leads:
        row = counts.get(lead.consultant_id)
        if row is None:
            name = lead.consultant.get_full_name() or lead.consultant.get_username()
            row = counts[lead.consultant_id] = DistributionRow(lead.consultant_id, name, 0)
        row.leads += 1
    return CampaignOverview(
        owners=owners,
        leads=leads,
        distribution=sorted(counts.values(), key=lambda row: (-row.leads, row.name)),
        to_launch=len(to_launch),
    )
