"""What car sales bring to the manager dashboard and to the process audit (registered from
``LeadsConfig.ready()``): the funnel steps "quotes" and "orders", per consultant the quotes sent
(with the quote rate) and the average days from the customer's first visit to the order, and the
audit items 5.2 (the quote in the standard format, sent the same day) and 5.3 (the estimated
delivery date given).

Quotes count by the day they were sent, orders by the day they were taken (cancelled ones
included: the funnel counts what happened in the period). One query per figure; each links to the
quote or order list filtered the same way.
"""

from __future__ import annotations

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from leads.models import Order, Quote
from showroom.models import Visit
from showroom.registry import (
    AuditScorer,
    AuditVerdict,
    ConsultantFigure,
    FunnelStep,
    register_audit_scorer,
    register_consultant_figure,
    register_funnel_step,
)
from showroom.selectors.dashboard_core import period_dates, query_url


def _sent(store_ids, start, end):
    return Quote.objects.filter(store_id__in=store_ids, sent_at__gte=start, sent_at__lt=end)


def _taken(store_ids, start, end):
    return Order.objects.filter(store_id__in=store_ids, created_at__gte=start, created_at__lt=end)


def _days(start, end, prefix: str) -> dict:
    first, last = period_dates(start, end)
    return {f"{prefix}_from": first.isoformat(), f"{prefix}_to": last.isoformat()}


# --- funnel -------------------------------------------------------------------------------------


def quotes_count(*, store_ids, start, end) -> int:
    return _sent(store_ids, start, end).count()


def quotes_url(*, store_ids, start, end) -> str:
    return query_url("leads:quotes", **_days(start, end, "sent"))


def orders_count(*, store_ids, start, end) -> int:
    return _taken(store_ids, start, end).count()


def orders_url(*, store_ids, start, end) -> str:
    return query_url("leads:orders", **_days(start, end, "created"))


# --- per consultant -----------------------------------------------------------------------------


def quotes_values(*, store_ids, start, end) -> dict[int, int]:
    rows = _sent(store_ids, start, end).values("consultant_id").annotate(n=Count("id"))
    return {row["consultant_id"]: row["n"] for row in rows}


def quotes_consultant_url(*, store_ids, start, end, consultant_id) -> str:
    return query_url("leads:quotes", consultant=consultant_id, **_days(start, end, "sent"))


def days_to_order_values(*, store_ids, start, end) -> dict[int, float]:
    """Per consultant, the average days from the customer's first visit to the store (or, without
    a logged visit, the lead's opening) to the order, over the orders taken in the period."""
    first_visit = (
        Visit.objects.filter(store_id=OuterRef("store_id"), customer_id=OuterRef("lead__customer_id"))
        .values("customer_id")
        .annotate(first=Min("arrived_at"))
        .values("first")[:1]
    )
    waited = ExpressionWrapper(
        F("created_at") - Coalesce(Subquery(first_visit), F("lead__created_at")), output_field=DurationField()
    )
    rows = _taken(store_ids, start, end).values("consultant_id").annotate(avg=Avg(waited))
    return {
        row["consultant_id"]: round(row["avg"].total_seconds() / 86400, 1) for row in rows if row["avg"] is not None
    }


def orders_consultant_url(*, store_ids, start, end, consultant_id) -> str:
    return query_url("leads:orders", consultant=consultant_id, **_days(start, end, "created"))


# --- audit --------------------------------------------------------------------------------------


def _audit_quote(audit) -> Quote | None:
    """The first quote made for the audited customer on the interaction's day."""
    if not audit.customer_id:
        return None
    return (
        Quote.objects.filter(
            store_id=audit.store_id,
            lead__customer_id=audit.customer_id,
            created_at__gte=audit.interaction_day_start,
            created_at__lt=audit.interaction_end,
        )
        .order_by("created_at", "id")
        .first()
    )


def score_quote_sent_same_day(*, audit, settings) -> AuditVerdict | None:
    """5.2 "the written quote on the standard form": the quote made for the interaction went out
    the same day (every quote is the document engine's one format, so being sent is the test)."""
    quote = _audit_quote(audit)
    if quote is None:
        return None
    made = timezone.localtime(quote.created_at).date()
    sent_same_day = quote.sent_at is not None and timezone.localtime(quote.sent_at).date() == made
    if sent_same_day:
        return AuditVerdict(
            passed=True, evidence=gettext("Quote %(number)s sent the day it was made.") % {"number": quote.number}
        )
    return AuditVerdict(
        passed=False,
        evidence=gettext("The quote made on %(day)s was not sent that day.") % {"day": made.isoformat()},
    )


def score_delivery_time_told(*, audit, settings) -> AuditVerdict | None:
    """5.3 "is the customer told roughly when he can take delivery": the quote carries the
    estimated delivery date."""
    quote = _audit_quote(audit)
    if quote is None:
        return None
    if quote.estimated_delivery:
        return AuditVerdict(
            passed=True,
            evidence=gettext("The quote gives delivery around %(day)s.")
            % {"day": quote.estimated_delivery.isoformat()},
        )
    return AuditVerdict(passed=False, evidence=gettext("The quote gives no estimated delivery date."))


def register() -> None:
    register_funnel_step(
        FunnelStep(
            code="leads.quotes",
            label=_("Quotes sent"),
            order=40,
            count=quotes_count,
            list_url=quotes_url,
            daily=True,
        )
    )
    register_funnel_step(
        FunnelStep(
            code="leads.orders",
            label=_("Orders"),
            order=50,
            count=orders_count,
            list_url=orders_url,
            daily=True,
        )
    )
    register_consultant_figure(
        ConsultantFigure(
            code="leads.quotes_sent",
            label=_("Quotes sent"),
            order=45,
            values=quotes_values,
            list_url=quotes_consultant_url,
            rate_of="leads.assigned",
            rate_label=_("Quote rate"),
            daily=True,
        )
    )
    register_consultant_figure(
        ConsultantFigure(
            code="leads.days_to_order",
            label=_("Days from first visit to order"),
            order=65,
            values=days_to_order_values,
            list_url=orders_consultant_url,
            average=True,
        )
    )
    register_audit_scorer(
        AuditScorer("5.2", _("Written quote on the standard form, sent that day"), score_quote_sent_same_day)
    )
    register_audit_scorer(AuditScorer("5.3", _("Estimated delivery date given"), score_delivery_time_told))
