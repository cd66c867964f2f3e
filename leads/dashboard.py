"""What the leads app brings to the manager dashboard and to the process audit (registered from
``LeadsConfig.ready()``): the needs-analysis funnel step, leads created vs assigned per
consultant, lost leads by reason and by competitor model, H/A leads at risk, and the audit items
the leads answer (needs analysis recorded, test drive offered, follow-ups on their due day, the
same-day record update).

Leads are counted by the period they were opened in (a cohort): "lost" means opened in the period
and lost since. Every count is one query; every figure links to the lead list filtered the same
way (``lead_list``'s drill-down parameters).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leads.models import Lead, LeadContact
from leads.selectors import lead_at_risk_q, lead_needs_analysis_q
from showroom.models import FollowUp
from showroom.registry import (
    AuditScorer,
    AuditVerdict,
    ConsultantFigure,
    DashboardPanel,
    FunnelStep,
    PanelRow,
    register_audit_scorer,
    register_consultant_figure,
    register_dashboard_panel,
    register_funnel_step,
)
from showroom.selectors.dashboard_core import period_dates, query_url


def _opened(store_ids, start, end):
    return Lead.objects.filter(store_id__in=store_ids, created_at__gte=start, created_at__lt=end)


def _dates(start, end) -> dict:
    first, last = period_dates(start, end)
    return {"created_from": first.isoformat(), "created_to": last.isoformat()}


# --- funnel -------------------------------------------------------------------------------------


def needs_analysis_count(*, store_ids, start, end) -> int:
    return _opened(store_ids, start, end).filter(lead_needs_analysis_q()).count()


def needs_analysis_url(*, store_ids, start, end) -> str:
    return query_url("leads:all", needs=1, **_dates(start, end))


# --- per consultant -----------------------------------------------------------------------------


def assigned_values(*, store_ids, start, end) -> dict[int, int]:
    rows = _opened(store_ids, start, end).values("consultant_id").annotate(n=Count("id"))
    return {row["consultant_id"]: row["n"] for row in rows}


def assigned_url(*, store_ids, start, end, consultant_id) -> str:
    return query_url("leads:all", consultant=consultant_id, **_dates(start, end))


def created_values(*, store_ids, start, end) -> dict[int, int]:
    rows = (
        _opened(store_ids, start, end).filter(created_by__isnull=False).values("created_by_id").annotate(n=Count("id"))
    )
    return {row["created_by_id"]: row["n"] for row in rows}


def created_url(*, store_ids, start, end, consultant_id) -> str:
    return query_url("leads:all", created_by=consultant_id, **_dates(start, end))


def won_values(*, store_ids, start, end) -> dict[int, int]:
    rows = _opened(store_ids, start, end).filter(state=Lead.State.WON).values("consultant_id").annotate(n=Count("id"))
    return {row["consultant_id"]: row["n"] for row in rows}


def won_url(*, store_ids, start, end, consultant_id) -> str:
    return query_url("leads:all", consultant=consultant_id, state=Lead.State.WON, **_dates(start, end))


# --- panels -------------------------------------------------------------------------------------


def lost_by_reason(*, store_ids, start, end) -> list[PanelRow]:
    rows = (
        _opened(store_ids, start, end)
        .filter(state=Lead.State.LOST)
        .values("lost_reason_id", "lost_reason__text")
        .annotate(n=Count("id"))
        .order_by("-n", "lost_reason__text")
    )
    dates = _dates(start, end)
    return [
        PanelRow(
            label=row["lost_reason__text"] or gettext("No reason given"),
            value=row["n"],
            url=query_url("leads:all", state=Lead.State.LOST, lost_reason=row["lost_reason_id"], **dates)
            if row["lost_reason_id"]
            else query_url("leads:all", state=Lead.State.LOST, **dates),
        )
        for row in rows
    ]


def lost_by_competitor(*, store_ids, start, end) -> list[PanelRow]:
    rows = (
        _opened(store_ids, start, end)
        .filter(state=Lead.State.LOST)
        .exclude(lost_competitor_brand="", lost_competitor_model="")
        .values("lost_competitor_brand", "lost_competitor_model")
        .annotate(n=Count("id"))
        .order_by("-n", "lost_competitor_brand", "lost_competitor_model")
    )
    dates = _dates(start, end)
    return [
        PanelRow(
            label=f"{row['lost_competitor_brand']} {row['lost_competitor_model']}".strip(),
            value=row["n"],
            url=query_url(
                "leads:all",
                state=Lead.State.LOST,
                competitor=f"{row['lost_competitor_brand']}|{row['lost_competitor_model']}",
                **dates,
            ),
        )
        for row in rows
    ]


def at_risk(*, store_ids, start, end) -> list[PanelRow]:
    """Open H and A leads at risk now (not bound to the period), by grade."""
    counts = Lead.objects.filter(store_id__in=store_ids).filter(lead_at_risk_q(now=timezone.now()))
    by_grade = dict(counts.values("grade").annotate(n=Count("id")).values_list("grade", "n"))
    return [
        PanelRow(
            label=gettext("%(grade)s leads") % {"grade": grade},
            value=by_grade.get(grade, 0),
            url=query_url("leads:all", grade=grade, at_risk=1),
        )
        for grade in ("H", "A")
    ]


# --- audit scorers ------------------------------------------------------------------------------


def _audit_lead(audit) -> Lead | None:
    """The lead of the audited interaction: the customer's lead in the store opened last before
    (or on the day of) the interaction."""
    if not audit.customer_id:
        return None
    return (
        Lead.objects.filter(store_id=audit.store_id, customer_id=audit.customer_id)
        .filter(created_at__lt=audit.interaction_end)
        .order_by("-created_at", "-id")
        .first()
    )


def score_needs_analysis(*, audit, settings) -> AuditVerdict | None:
    lead = _audit_lead(audit)
    if lead is None:
        return None
    recorded = Lead.objects.filter(pk=lead.pk).filter(lead_needs_analysis_q()).exists()
    return AuditVerdict(
        passed=recorded,
        evidence=gettext("Needs analysis recorded on lead %(id)s.") % {"id": lead.pk}
        if recorded
        else gettext("No needs analysis on lead %(id)s.") % {"id": lead.pk},
    )


def score_test_drive_offered(*, audit, settings) -> AuditVerdict | None:
    lead = _audit_lead(audit)
    if lead is None:
        return None
    offered = bool(lead.test_drive)
    return AuditVerdict(
        passed=offered,
        evidence=gettext("Test drive offered (%(answer)s).") % {"answer": lead.get_test_drive_display()}
        if offered
        else gettext("No test drive offered on lead %(id)s.") % {"id": lead.pk},
    )


def score_followups_on_due_day(*, audit, settings) -> AuditVerdict | None:
    """Every follow-up of the lead due by the audit's date was done on (or before) its due day."""
    lead = _audit_lead(audit)
    if lead is None:
        return None
    from django.db.models import F
    from django.db.models.functions import TruncDate

    due = FollowUp.objects.filter(
        content_type=ContentType.objects.get_for_model(Lead),
        object_id=lead.pk,
        due_at__lt=audit.scored_until,
    ).exclude(state=FollowUp.State.CANCELLED)
    counts = due.annotate(due_day=TruncDate("due_at"), done_day=TruncDate("done_at")).aggregate(
        total=Count("id"),
        on_time=Count("id", filter=Q(state=FollowUp.State.DONE, done_day__lte=F("due_day"))),
    )
    if not counts["total"]:
        return None
    return AuditVerdict(
        passed=counts["on_time"] == counts["total"],
        evidence=gettext("%(on_time)d of %(total)d follow-ups done on their due day.") % counts,
    )


def score_same_day_update(*, audit, settings) -> AuditVerdict | None:
    """The consultant recorded the contact (not the automatic one) on the interaction's day."""
    lead = _audit_lead(audit)
    if lead is None:
        return None
    recorded = LeadContact.objects.filter(
        lead=lead,
        automatic=False,
        recorded_by_id=audit.consultant_id,
        recorded_at__gte=audit.interaction_day_start,
        recorded_at__lt=audit.interaction_end,
    ).exists()
    return AuditVerdict(
        passed=recorded,
        evidence=gettext("Contact recorded the same day.") if recorded else gettext("No contact recorded that day."),
    )


def register() -> None:
    register_funnel_step(
        FunnelStep(
            code="leads.needs_analysis",
            label=_("Needs analysis"),
            order=20,
            count=needs_analysis_count,
            list_url=needs_analysis_url,
        )
    )
    register_consultant_figure(
        ConsultantFigure(
            code="leads.assigned", label=_("Leads assigned"), order=20, values=assigned_values, list_url=assigned_url
        )
    )
    register_consultant_figure(
        ConsultantFigure(
            code="leads.created",
            label=_("Leads created"),
            order=21,
            values=created_values,
            list_url=created_url,
            daily=True,
        )
    )
    register_consultant_figure(
        ConsultantFigure(
            code="leads.won",
            label=_("Leads won"),
            order=60,
            values=won_values,
            list_url=won_url,
            rate_of="leads.assigned",
            rate_label=_("Close rate"),
        )
    )
    register_dashboard_panel(
        DashboardPanel(
            code="leads.lost_reason",
            title=_("Lost leads by reason"),
            order=20,
            rows=lost_by_reason,
            help_text=_("Leads opened in the period and lost since."),
        )
    )
    register_dashboard_panel(
        DashboardPanel(
            code="leads.lost_competitor",
            title=_("Lost leads by competitor model"),
            order=21,
            rows=lost_by_competitor,
            help_text=_("Leads opened in the period and lost since."),
        )
    )
    register_dashboard_panel(
        DashboardPanel(
            code="leads.at_risk",
            title=_("H and A leads at risk"),
            order=10,
            rows=at_risk,
            help_text=_("Open now, with a follow-up overdue or untouched for 7 days."),
        )
    )
    register_audit_scorer(AuditScorer("3.1", _("Needs analysis recorded"), score_needs_analysis))
    register_audit_scorer(AuditScorer("4.1", _("Test drive offered"), score_test_drive_offered))
    register_audit_scorer(AuditScorer("6.1", _("Follow-ups done on their due day"), score_followups_on_due_day))
    register_audit_scorer(AuditScorer("6.3", _("Record updated the same day"), score_same_day_update))
