"""Reads of the walk-ins and calls in the user's stores."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from showroom.models import Call, Customer, Store, Visit
from showroom.permissions import store_ids_for
from showroom.selectors.frontdesk.common import BOARD_READERS, day_bounds, db_id

# --- visits and calls --------------------------------------------------------------------------


def _visit_base() -> QuerySet[Visit]:
    return Visit.objects.select_related("store", "source", "consultant", "customer", "logged_by")


def visit_visible(*, user) -> QuerySet[Visit]:
    """Visits of the stores the user holds a role in (anything else answers 404)."""
    return _visit_base().filter(store_id__in=store_ids_for(user))


def visit_list(
    *, user, store: Store | None = None, day: dt.date | None = None, open_only: bool = False
) -> QuerySet[Visit]:
    qs = _visit_base().filter(store_id__in=store_ids_for(user, BOARD_READERS))
    if store is not None:
        qs = qs.filter(store=store)
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(arrived_at__gte=start, arrived_at__lt=end)
    if open_only:
        qs = qs.filter(left_at__isnull=True)
    return qs.order_by("-arrived_at", "-id")


def visit_get(*, user, pk) -> Visit:
    number = db_id(pk)
    found = visit_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def _call_base() -> QuerySet[Call]:
    return Call.objects.select_related("store", "consultant", "customer", "logged_by")


def call_visible(*, user) -> QuerySet[Call]:
    return _call_base().filter(store_id__in=store_ids_for(user))


def call_list(*, user, store: Store | None = None, day: dt.date | None = None) -> QuerySet[Call]:
    qs = _call_base().filter(store_id__in=store_ids_for(user, BOARD_READERS))
    if store is not None:
        qs = qs.filter(store=store)
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(at__gte=start, at__lt=end)
    return qs.order_by("-at", "-id")


def call_get(*, user, pk) -> Call:
    number = db_id(pk)
    found = call_visible(user=user).filter(pk=number).first() if number else None
    if found is None:
        raise Http404
    return found


def customer_for_store(*, store: Store, pk) -> Customer | None:
    number = db_id(pk)
    return Customer.objects.filter(store=store, pk=number).first() if number else None
