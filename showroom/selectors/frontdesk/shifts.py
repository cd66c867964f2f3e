"""Reads of the receptionist's shifts and what each counted."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from showroom.models import Call, ReceptionShift, Store, Visit
from showroom.permissions import store_ids_for
from showroom.selectors.frontdesk.common import BOARD_READERS, day_bounds, db_id
from showroom.selectors.frontdesk.visits import _visit_base

# --- shifts ------------------------------------------------------------------------------------


def shift_open_get(*, store: Store | int) -> ReceptionShift | None:
    store_id = store if isinstance(store, int) else store.pk
    return (
        ReceptionShift.objects.select_related("receptionist").filter(store_id=store_id, closed_at__isnull=True).first()
    )


def shift_visible(*, user, readable_only: bool = False) -> QuerySet[ReceptionShift]:
    """Shifts of the stores the user holds a role in (anything else answers 404); with
    ``readable_only``, of the stores where he may read the front desk."""
    return ReceptionShift.objects.select_related(
        "store", "receptionist", "closed_by", "handed_to__receptionist"
    ).filter(store_id__in=store_ids_for(user, BOARD_READERS if readable_only else None))


def shift_get(*, user, pk) -> ReceptionShift:
    number = db_id(pk)
    found = shift_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def shift_list(*, store: Store, day: dt.date) -> QuerySet[ReceptionShift]:
    start, end = day_bounds(day)
    return (
        ReceptionShift.objects.select_related("receptionist", "handed_to__receptionist")
        .filter(store=store, opened_at__gte=start, opened_at__lt=end)
        .order_by("opened_at", "id")
    )


def shift_counts(*, shift: ReceptionShift) -> dict:
    """What a shift counted: the visits and calls logged in it (first/return, people), the open
    visits it looks after now, and those it received from the shift before (two queries)."""
    visits = Visit.objects.filter(Q(counted_shift=shift) | Q(current_shift=shift)).aggregate(
        visits=Count("id", filter=Q(counted_shift=shift)),
        first=Count("id", filter=Q(counted_shift=shift, first_visit=True)),
        people=Coalesce(Sum("party_size", filter=Q(counted_shift=shift)), 0),
        open=Count("id", filter=Q(current_shift=shift, left_at__isnull=True)),
        received=Count("id", filter=Q(current_shift=shift) & ~Q(counted_shift=shift)),
    )
    visits["return"] = visits["visits"] - visits["first"]
    visits["calls"] = Call.objects.filter(counted_shift=shift).count()
    return visits


def shift_visits(*, shift: ReceptionShift) -> QuerySet[Visit]:
    """The visits counted in the shift and those it received at a handover."""
    return _visit_base().filter(Q(counted_shift=shift) | Q(current_shift=shift)).order_by("arrived_at", "id")
