"""Reads of the leads app, shared by pages and API: every query scoped to the user's stores."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

from leads.models import (
    NEEDS_ANALYSIS_Q,
    AppraisalRequest,
    Brand,
    Colour,
    Lead,
    LeadContact,
    LeadObjection,
    Trim,
    TrimColour,
    VehicleModel,
)
from showroom.models import FollowUp, Membership
from showroom.permissions import store_ids_for
from showroom.roles import CONSULTANT
from showroom.selectors.frontdesk import day_bounds
from showroom.selectors.timeline import TimelineEntry, register_timeline_source

GRADE_ORDER = {"H": 0, "A": 1, "B": 2, "C": 3}
# The steps that count as a consultant working a lead (for the closing-time check).
TOUCH_TRANSITIONS = ("contact", "visit", "drive", "quote", "win", "reactivate")
TOUCH_FOLLOWUP, TOUCH_VISIT, TOUCH_STATE = "followup", "visit", "state"
TOUCH_LABELS = {
    TOUCH_FOLLOWUP: gettext_lazy("follow-up done"),
    TOUCH_VISIT: gettext_lazy("visit"),
    TOUCH_STATE: gettext_lazy("status changed"),
}


def _lead_type() -> ContentType:
    return ContentType.objects.get_for_model(Lead)


def _next_followup() -> Subquery:
    return Subquery(
        FollowUp.objects.filter(content_type_id=_lead_type().pk, object_id=OuterRef("pk"), state=FollowUp.State.OPEN)
        .order_by("due_at", "id")
        .values("due_at")[:1],
        output_field=models.DateTimeField(),
    )


def _grade_rank() -> Case:
    return Case(
        *(When(grade=grade, then=Value(rank)) for grade, rank in GRADE_ORDER.items()),
        default=Value(9),
        output_field=models.IntegerField(),
    )


#: An open H or A lead is at risk when a follow-up is overdue or nobody touched it for this long.
AT_RISK_DAYS = 7


def lead_needs_analysis_q() -> Q:
    """The lead has a needs analysis recorded (any of its fields filled in)."""
    return NEEDS_ANALYSIS_Q


def lead_at_risk_q(*, now: dt.datetime, days: int = AT_RISK_DAYS) -> Q:
    """Open H/A leads with an overdue open follow-up, or untouched (no contact; if never, since it
    was opened) for ``days``."""
    overdue = Exists(
        FollowUp.objects.filter(
            content_type_id=_lead_type().pk, object_id=OuterRef("pk"), state=FollowUp.State.OPEN, due_at__lt=now
        )
    )
    silent_since = now - dt.timedelta(days=days)
    untouched = Q(last_contact_at__lt=silent_since) | Q(last_contact_at__isnull=True, created_at__lt=silent_since)
    return Q(state__in=Lead.OPEN_STATES, grade__in=("H", "A")) & (Q(overdue) | untouched)


def lead_visible(*, user) -> QuerySet[Lead]:
    """Every lead of the stores the user holds a membership in, with what a list row shows."""
    return Lead.objects.filter(store_id__in=store_ids_for(user)).select_related(
        "store", "customer", "consultant", "vehicle_model__brand"
    )


def lead_list(
    *,
    user,
    store_id: int | None = None,
    state: str = "",
    grade: str = "",
    consultant_id: int | None = None,
    vehicle_model_id: int | None = None,
    created_from: dt.date | None = None,
    created_to: dt.date | None = None,
    search: str = "",
    needs_analysis: bool = False,
    lost_reason_id: int | None = None,
    competitor_model: str = "",
    at_risk: bool = False,
    created_by_id: int | None = None,
) -> QuerySet[Lead]:
    """The leads of the user's stores, filtered, newest first; each row carries its next open
    follow-up's due time (one query for the page, whatever its length). The last five filters are
    the manager dashboard's drill-downs (``leads/dashboard.py``)."""
    qs = lead_visible(user=user)
    if needs_analysis:
        qs = qs.filter(lead_needs_analysis_q())
    if lost_reason_id:
        qs = qs.filter(state=Lead.State.LOST, lost_reason_id=lost_reason_id)
    if competitor_model:
        brand, _sep, model = competitor_model.partition("|")
        qs = qs.filter(state=Lead.State.LOST, lost_competitor_brand=brand, lost_competitor_model=model)
    if at_risk:
        qs = qs.filter(lead_at_risk_q(now=timezone.now()))
    if created_by_id:
        qs = qs.filter(created_by_id=created_by_id)
    if store_id:
        qs = qs.filter(store_id=store_id)
    if state:
        qs = qs.filter(state=state)
    if grade:
        qs = qs.filter(grade=grade)
    if consultant_id:
        qs = qs.filter(consultant_id=consultant_id)
    if vehicle_model_id:
        qs = qs.filter(vehicle_model_id=vehicle_model_id)
    if created_from:
        qs = qs.filter(created_at__gte=day_bounds(created_from)[0])
    if created_to:
        qs = qs.filter(created_at__lt=day_bounds(created_to)[1])
    search = (search or "").strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        condition = Q(customer__name__icontains=search)
        if len(digits) >= 4:
            condition |= Q(customer__mobile__contains=digits)
        qs = qs.filter(condition)
    return qs.annotate(next_followup_at=_next_followup()).order_by("-created_at", "-id")


def lead_my_list(*, user, now: dt.datetime | None = None, store_id: int | None = None) -> QuerySet[Lead]:
    """The user's open leads: those with an overdue follow-up first, then by grade (H first), then
    by the next follow-up's due time (none last)."""
    now = now or timezone.now()
    qs = lead_visible(user=user).filter(consultant=user, state__in=Lead.OPEN_STATES)
    if store_id:
        qs = qs.filter(store_id=store_id)
    return (
        qs.annotate(
            next_followup_at=_next_followup(),
            grade_rank=_grade_rank(),
        )
        .annotate(
            overdue=Case(
                When(next_followup_at__lt=now, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
        .order_by("-overdue", "grade_rank", models.F("next_followup_at").asc(nulls_last=True), "-created_at", "-id")
    )


def lead_get(*, user, pk) -> Lead:
    """One lead of the user's stores with its parts; 404 for anything else."""
    try:
        return (
            lead_visible(user=user)
            .select_related("trim", "lost_reason", "created_by", "plan_confirmed_by")
            .prefetch_related(
                Prefetch("objections", queryset=LeadObjection.objects.select_related("recorded_by")),
                Prefetch("contacts", queryset=LeadContact.objects.select_related("recorded_by")),
                Prefetch("appraisals", queryset=AppraisalRequest.objects.select_related("requested_by")),
            )
            .annotate(next_followup_at=_next_followup())
            .get(pk=int(pk))
        )
    except (Lead.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise Http404 from exc


def lead_plans_to_confirm(*, user, store_id: int) -> QuerySet[Lead]:
    """Open H and A leads of the store whose plan the showroom manager has not confirmed yet."""
    from leads.models import GradeRule

    needing = GradeRule.objects.filter(store_id=store_id, needs_manager_plan=True).values_list("grade", flat=True)
    return (
        lead_visible(user=user)
        .filter(store_id=store_id, state__in=Lead.OPEN_STATES, plan_confirmed_at__isnull=True, grade__in=needing)
        .order_by("grade", "created_at")
    )


def consultants_of_store(*, store_id: int):
    """Active consultants of the store, by name."""
    user_ids = Membership.objects.filter(
        store_id=store_id, role__code=CONSULTANT, is_active=True, user__is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids).order_by("first_name", "username")


# --- the manager's created-vs-assigned check ----------------------------------------------------


@dataclass
class ConsultantCheck:
    consultant: object
    assigned: int = 0
    created: int = 0
    both: int = 0
    # leads given to the consultant that someone else (or the front desk) opened
    assigned_not_created: list = field(default_factory=list)
    # leads the consultant opened for someone else
    created_not_assigned: list = field(default_factory=list)

    @property
    def differences(self) -> int:
        return len(self.assigned_not_created) + len(self.created_not_assigned)


def lead_created_vs_assigned(
    *, store_id: int, start: dt.date, end: dt.date, consultant_id: int | None = None
) -> list[ConsultantCheck]:
    """Per consultant, the leads opened in [start, end] (local days) assigned to him against those
    he created, with each lead that is in one list and not the other (two queries)."""
    begin, finish = day_bounds(start)[0], day_bounds(end)[1]
    consultants = list(consultants_of_store(store_id=store_id))
    if consultant_id:
        consultants = [c for c in consultants if c.pk == consultant_id]
    ids = {c.pk for c in consultants}
    rows = {c.pk: ConsultantCheck(consultant=c) for c in consultants}
    leads = (
        Lead.objects.filter(store_id=store_id, created_at__gte=begin, created_at__lt=finish)
        .filter(Q(consultant_id__in=ids) | Q(created_by_id__in=ids))
        .select_related("customer", "consultant", "created_by", "vehicle_model__brand")
        .order_by("created_at", "id")
    )
    for lead in leads:
        if lead.consultant_id in rows:
            row = rows[lead.consultant_id]
            row.assigned += 1
            if lead.created_by_id == lead.consultant_id:
                row.both += 1
            else:
                row.assigned_not_created.append(lead)
        if lead.created_by_id in rows:
            row = rows[lead.created_by_id]
            row.created += 1
            if lead.consultant_id != lead.created_by_id:
                row.created_not_assigned.append(lead)
    return [rows[c.pk] for c in consultants]


# --- today's unrecorded contacts ----------------------------------------------------------------


@dataclass
class UnrecordedLead:
    lead: Lead
    touches: list[str]

    @property
    def touch_labels(self) -> list[str]:
        return [str(TOUCH_LABELS[t]) for t in self.touches]


@dataclass
class ConsultantUnrecorded:
    consultant: object
    leads: list[UnrecordedLead]


def leads_unrecorded_contacts(*, store_id: int, day: dt.date) -> list[ConsultantUnrecorded]:
    """Per consultant, the leads touched on ``day`` (a follow-up completed, a walk-in, a status
    change by a person) without a contact the consultant recorded that day (five queries)."""
    start, end = day_bounds(day)
    ct = _lead_type()
    touched: dict[int, list[str]] = defaultdict(list)
    followups = FollowUp.objects.filter(
        content_type=ct, store_id=store_id, state=FollowUp.State.DONE, done_at__gte=start, done_at__lt=end
    ).values_list("object_id", flat=True)
    for pk in followups:
        if TOUCH_FOLLOWUP not in touched[pk]:
            touched[pk].append(TOUCH_FOLLOWUP)
    visits = LeadContact.objects.filter(lead__store_id=store_id, automatic=True, at__gte=start, at__lt=end).values_list(
        "lead_id", flat=True
    )
    for pk in visits:
        if TOUCH_VISIT not in touched[pk]:
            touched[pk].append(TOUCH_VISIT)
    store_leads = Lead.objects.filter(store_id=store_id).values("pk")
    changes = StateLog.objects.filter(
        content_type=ct,
        object_id__in=store_leads,
        timestamp__gte=start,
        timestamp__lt=end,
        transition__in=TOUCH_TRANSITIONS,
        by__isnull=False,
    ).values_list("object_id", flat=True)
    for pk in changes:
        if TOUCH_STATE not in touched[pk]:
            touched[pk].append(TOUCH_STATE)
    if not touched:
        return []
    recorded = LeadContact.objects.filter(
        lead_id=OuterRef("pk"), automatic=False, recorded_at__gte=start, recorded_at__lt=end
    )
    leads = (
        Lead.objects.filter(store_id=store_id, pk__in=list(touched))
        .exclude(Exists(recorded))
        .select_related("customer", "consultant", "vehicle_model__brand")
        .order_by("consultant__first_name", "consultant_id", "customer__name", "id")
    )
    groups: dict[int, ConsultantUnrecorded] = {}
    for lead in leads:
        group = groups.setdefault(lead.consultant_id, ConsultantUnrecorded(consultant=lead.consultant, leads=[]))
        group.leads.append(UnrecordedLead(lead=lead, touches=touched[lead.pk]))
    return list(groups.values())


# --- the catalogue ------------------------------------------------------------------------------


def brand_list() -> QuerySet[Brand]:
    return Brand.objects.annotate(model_count=models.Count("models")).order_by("-is_own", "name")


def vehicle_model_list(*, brand_id: int | None = None, active_only: bool = False) -> QuerySet[VehicleModel]:
    qs = VehicleModel.objects.select_related("brand").annotate(
        trim_count=models.Count("trims", distinct=True), colour_count=models.Count("colours", distinct=True)
    )
    if brand_id:
        qs = qs.filter(brand_id=brand_id)
    if active_only:
        qs = qs.filter(is_active=True, brand__is_own=True)
    return qs.order_by("brand__name", "name")


def vehicle_model_get(*, pk) -> VehicleModel:
    try:
        return (
            VehicleModel.objects.select_related("brand")
            .prefetch_related(
                Prefetch("trims", queryset=Trim.objects.order_by("list_price", "name")),
                Prefetch("colours", queryset=Colour.objects.order_by("name")),
                Prefetch(
                    "trims__colours",
                    queryset=TrimColour.objects.select_related("colour").order_by("colour__name"),
                ),
            )
            .get(pk=int(pk))
        )
    except (VehicleModel.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise Http404 from exc


def catalogue_get(model, pk):
    try:
        return model.objects.get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError, OverflowError) as exc:
        raise Http404 from exc


def trims_for_select() -> QuerySet[Trim]:
    return Trim.objects.filter(is_active=True, vehicle_model__is_active=True).select_related("vehicle_model__brand")


# --- the timeline -------------------------------------------------------------------------------


def _name(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


@register_timeline_source
def lead_parts_source(target: models.Model, ct: ContentType) -> list[TimelineEntry]:
    """A lead's contacts, objections and appraisal requests (three queries; none for other
    records)."""
    if not isinstance(target, Lead):
        return []
    entries: list[TimelineEntry] = []
    for contact in LeadContact.objects.filter(lead=target).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                at=contact.at,
                kind="contact",
                title=_("Contact: %(kind)s") % {"kind": contact.get_kind_display()},
                detail=contact.summary,
                actor=_name(contact.recorded_by) + (f" ({_('automatic')})" if contact.automatic else ""),
            )
        )
    for objection in LeadObjection.objects.filter(lead=target).select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                at=objection.recorded_at,
                kind="objection",
                title=_("Objection: %(text)s") % {"text": objection.objection},
                detail=objection.answer,
                actor=_name(objection.recorded_by),
                state="done" if objection.resolved else "open",
            )
        )
    for appraisal in AppraisalRequest.objects.filter(lead=target).select_related("requested_by"):
        entries.append(
            TimelineEntry(
                at=appraisal.requested_at,
                kind="appraisal",
                title=_("Used-car appraisal requested"),
                detail=" · ".join(filter(None, [appraisal.car_details, appraisal.licence_plate])),
                actor=_name(appraisal.requested_by),
                state=appraisal.state,
            )
        )
    return entries
