"""What the test-drive app brings to the manager dashboard and the process audit (registered from
``testdrive/registrations.py``): the test-drive funnel step, test drives and the test-drive rate
per consultant, and the audit item "the test drive lasted at least 20 minutes" (article 1, 4.4;
the minimum is the audit settings' ``test_drive_minutes``).

A test drive counts in the period its slot started in, when it was completed — the same filter
as the booking list (``state=completed``, ``day_from``/``day_to`` on the slot's start).
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
from testdrive.models import Booking


def _completed(store_ids, start, end):
    return Booking.objects.filter(
        store_id__in=store_ids, state=Booking.State.COMPLETED, slot_start__gte=start, slot_start__lt=end
    )


def _dates(start, end) -> dict:
    first, last = period_dates(start, end)
    return {"state": Booking.State.COMPLETED, "day_from": first.isoformat(), "day_to": last.isoformat()}


def drives_count(*, store_ids, start, end) -> int:
    return _completed(store_ids, start, end).count()


def drives_url(*, store_ids, start, end) -> str:
    return query_url("testdrive:bookings", **_dates(start, end))


def drives_values(*, store_ids, start, end) -> dict[int, int]:
    rows = _completed(store_ids, start, end).values("consultant_id").annotate(n=Count("id"))
    return {row["consultant_id"]: row["n"] for row in rows}


def drives_consultant_url(*, store_ids, start, end, consultant_id) -> str:
    return query_url("testdrive:bookings", consultant=consultant_id, **_dates(start, end))


def score_drive_long_enough(*, audit, settings) -> AuditVerdict | None:
    """The customer's completed drive around the interaction lasted the minimum (20 minutes)."""
    if not audit.customer_id:
        return None
    booking = (
        Booking.objects.filter(
            store_id=audit.store_id,
            customer_id=audit.customer_id,
            state=Booking.State.COMPLETED,
            started_at__gte=audit.interaction_day_start,
            started_at__lt=audit.interaction_end,
        )
        .order_by("-started_at")
        .first()
    )
    if booking is None or booking.ended_at is None:
        return None
    minutes = int((booking.ended_at - booking.started_at).total_seconds() // 60)
    wanted = settings.test_drive_minutes
    return AuditVerdict(
        passed=minutes >= wanted,
        evidence=gettext("Test drive of %(minutes)d minutes (at least %(wanted)d).")
        % {"minutes": minutes, "wanted": wanted},
    )


def register() -> None:
    register_funnel_step(
        FunnelStep(
            code="testdrive.drives",
            label=_("Test drives"),
            order=30,
            count=drives_count,
            list_url=drives_url,
            daily=True,
        )
    )
    register_consultant_figure(
        ConsultantFigure(
            code="testdrive.drives",
            label=_("Test drives"),
            order=30,
            values=drives_values,
            list_url=drives_consultant_url,
            rate_of="core.walkins_assigned",
            rate_label=_("Test-drive rate"),
            daily=True,
        )
    )
    register_audit_scorer(AuditScorer("4.4", _("Test drive of at least 20 minutes"), score_drive_long_enough))
