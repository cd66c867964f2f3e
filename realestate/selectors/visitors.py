"""Reads of the visitors' records: intention records, the A customers to spot-check, work logs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from realestate.models import Intention, SpotCheck, WorkLog
from showroom.permissions import store_ids_for


def intentions_for_user(*, user, day: dt.date | None = None, mine: bool = True):
    qs = Intention.objects.filter(store_id__in=store_ids_for(user)).select_related("customer", "project", "consultant")
    if mine:
        qs = qs.filter(consultant=user)
    if day is not None:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        qs = qs.filter(created_at__gte=start, created_at__lt=start + dt.timedelta(days=1))
    return qs


def intention_get_for_user(*, user, pk) -> Intention | None:
    return intentions_for_user(user=user, mine=False).filter(pk=pk).first()


def a_customers(*, project):
    """The project's A customers: the latest intention record of each customer when it is graded
    A, with the last spot-check (time, tick and note) as subqueries — one query."""
    later = Intention.objects.filter(
        project_id=OuterRef("project_id"), customer_id=OuterRef("customer_id"), created_at__gt=OuterRef("created_at")
    )
    last = SpotCheck.objects.filter(
        intention__project_id=OuterRef("project_id"), intention__customer_id=OuterRef("customer_id")
    ).order_by("-checked_at")
    return (
        Intention.objects.filter(project=project, grade=Intention.Grade.A)
        .exclude(Exists(later))
        .select_related("customer", "consultant")
        .annotate(
            last_check_at=Subquery(last.values("checked_at")[:1]),
            last_check_ok=Subquery(last.values("confirmed")[:1]),
            last_check_note=Subquery(last.values("note")[:1]),
        )
        .order_by("created_at")
    )


def work_log_today(*, user, store_id: int) -> WorkLog | None:
    return WorkLog.objects.filter(store_id=store_id, consultant=user, day=timezone.localdate()).first()
