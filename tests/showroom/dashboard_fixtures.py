"""Fixture data for the dashboard and audit tests: records with chosen times, written directly
(bulk) so the figures can be checked against counts computed here from the same records."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from leads.models import Lead, LostReason
from showroom.models import Assignment, Call, FollowUp, ReceptionShift, Visit, VisitSource
from showroom.selectors.frontdesk.settings import visit_sources_for
from tests.factories import CustomerFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 20, 15, 0, tzinfo=SHANGHAI)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def shift(store, receptionist) -> ReceptionShift:
    return ReceptionShift.objects.create(
        store=store, receptionist=receptionist, opened_at=at(1, 8, month=1), closed_at=at(1, 9, month=1)
    )


def source(store, code: str) -> VisitSource:
    return next(s for s in visit_sources_for(store=store) if s.code == code)


def visit(
    store,
    the_shift,
    receptionist,
    *,
    arrived,
    first=True,
    src=None,
    consultant=None,
    customer=None,
    logged_after_min: float = 1,
    assigned_after_min: float | None = None,
    kind=Assignment.Kind.ASSIGNED,
):
    v = Visit.objects.create(
        store=store,
        counted_shift=the_shift,
        current_shift=the_shift,
        arrived_at=arrived,
        first_visit=first,
        source=src or source(store, "passing_by"),
        consultant=consultant,
        customer=customer,
        logged_by=receptionist,
    )
    Visit.objects.filter(pk=v.pk).update(created_at=arrived + dt.timedelta(minutes=logged_after_min))
    if consultant is not None:
        a = Assignment.objects.create(
            store=store, day=arrived.date(), consultant=consultant, visit=v, kind=kind, decided_by=receptionist
        )
        after = 1 if assigned_after_min is None else assigned_after_min
        Assignment.objects.filter(pk=a.pk).update(created_at=arrived + dt.timedelta(minutes=after))
    v.refresh_from_db()
    return v


def call(store, the_shift, receptionist, *, when) -> Call:
    return Call.objects.create(
        store=store, counted_shift=the_shift, at=when, number="+8613800000000", question="价格?", logged_by=receptionist
    )


def followup(store, target, assignee, *, due, state="open", done=None) -> FollowUp:
    return FollowUp.objects.create(
        store=store,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        title="回访",
        due_at=due,
        assignee=assignee,
        state=state,
        done_at=done,
    )


def lead(
    store,
    consultant,
    *,
    created,
    created_by=None,
    state="new",
    grade="B",
    needs=False,
    lost_reason=None,
    competitor=("", ""),
    last_contact=None,
    customer=None,
) -> Lead:
    obj = Lead.objects.create(
        store=store,
        customer=customer or CustomerFactory(store=store),
        consultant=consultant,
        created_by=created_by,
        source="walk_in",
        state=state,
        grade=grade,
        usage="上下班" if needs else "",
        lost_reason=lost_reason,
        lost_competitor_brand=competitor[0],
        lost_competitor_model=competitor[1],
        last_contact_at=last_contact,
    )
    Lead.objects.filter(pk=obj.pk).update(created_at=created)
    obj.refresh_from_db()
    return obj


def reason(text: str) -> LostReason:
    return LostReason.objects.create(text=text)
