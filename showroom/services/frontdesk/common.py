"""Shared checks of the front-desk services: roles, the store's lock, times, customers,
consultants, plates and phone numbers."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Customer, Store
from showroom.permissions import has_role
from showroom.selectors.frontdesk import CLOCK_SKEW, FRONT_DESK_ROLES, is_store_consultant, local_today

MAX_PARTY = 50
MAX_TEXT = 2000
#: A callback may be agreed this far ahead.
MAX_CALLBACK_AHEAD = dt.timedelta(days=90)


def _require(user, store, roles, message: str) -> None:
    if not has_role(user, store, roles):
        raise PermissionDenied(message)


def _require_front_desk(user, store) -> None:
    _require(user, store, FRONT_DESK_ROLES, _("Only the front desk and the showroom's managers may do this."))


def _lock_store(store: Store) -> None:
    """Serialise the front desk's shift changes in one store."""
    Store.objects.select_for_update().filter(pk=store.pk).values_list("pk", flat=True).first()


def _check_time(value, *, field: str, errors: dict, now: dt.datetime, today_only: bool = True, not_before=None) -> None:
    """A time typed at the desk: aware, not in the future, today (local) unless told otherwise."""
    if value is None:
        return
    if not isinstance(value, dt.datetime):
        errors[field] = [_("Enter a date and time.")]
    elif timezone.is_naive(value):
        errors[field] = [_("Give the time with its time zone.")]
    elif value > now + CLOCK_SKEW:
        errors[field] = [_("This time is in the future.")]
    elif today_only and timezone.localtime(value).date() != local_today(now):
        errors[field] = [_("Only today's visitors and callers are logged here.")]
    elif not_before is not None and value < not_before:
        errors[field] = [_("This is earlier than the arrival.")]


def _check_customer(customer, *, store: Store, errors: dict) -> None:
    if customer is None:
        return
    if not isinstance(customer, Customer) or customer.store_id != store.pk:
        errors["customer"] = [_("Choose a customer of this store.")]


def _check_consultant(consultant, *, store: Store, errors: dict, field: str = "consultant") -> None:
    if consultant is None:
        return
    if not is_store_consultant(user=consultant, store=store):
        errors[field] = [_("Choose a consultant of this store.")]


def normalise_plate(value: str) -> str:
    return str(value or "").strip().upper().replace(" ", "").replace("·", "").replace("-", "")


def normalise_phone(value: str) -> str:
    """Any phone number as its digits (a leading + is dropped with the rest of the punctuation)."""
    return re.sub(r"\D", "", str(value or ""))
