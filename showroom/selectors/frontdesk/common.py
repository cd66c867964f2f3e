"""Who may do what at the front desk, ids and labels, local days, and the store's people."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from showroom import roles as r
from showroom.models import Membership, Store
from showroom.permissions import has_role

# --- who may do what ---------------------------------------------------------------------------

#: The managers who set the roster, override the order and change the front-desk settings.
ROSTER_MANAGERS = frozenset({r.SHOWROOM_MANAGER, r.SALES_SUPERVISOR, r.SALES_MANAGER, r.GENERAL_MANAGER})
#: Who works the desk: logs visits and calls, opens and closes shifts, assigns in turn.
FRONT_DESK_ROLES = frozenset({r.RECEPTIONIST}) | ROSTER_MANAGERS
#: Who may look at the board (consultants see who is next up and their walk-ins).
BOARD_READERS = FRONT_DESK_ROLES | {r.CONSULTANT, r.SALES_ASSISTANT, r.MARKETING_DIRECTOR}
#: Who reads the front-desk reports, and who receives the daily one by e-mail.
REPORT_READERS = ROSTER_MANAGERS | {r.RECEPTIONIST, r.MARKETING_DIRECTOR}
REPORT_RECIPIENTS = frozenset({r.SALES_MANAGER, r.MARKETING_DIRECTOR})
#: Who sets how campaign leads are distributed ("set by the sales manager").
DISTRIBUTION_EDITORS = frozenset({r.SALES_MANAGER, r.GENERAL_MANAGER})

MAX_ID = 2**63 - 1
#: A time typed at the desk may run this far ahead of the server's clock.
CLOCK_SKEW = dt.timedelta(minutes=5)


def frontdesk_may_work(*, user, store) -> bool:
    return has_role(user, store, FRONT_DESK_ROLES)


def frontdesk_may_read(*, user, store) -> bool:
    return has_role(user, store, BOARD_READERS)


def frontdesk_may_manage(*, user, store) -> bool:
    return has_role(user, store, ROSTER_MANAGERS)


def frontdesk_may_read_reports(*, user, store) -> bool:
    return has_role(user, store, REPORT_READERS)


def db_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


def user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- days --------------------------------------------------------------------------------------


def local_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now()).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The aware start of ``day`` and of the next day, in the current time zone (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and the last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    return month_bounds(day.replace(day=1) - dt.timedelta(days=1))


# --- people ------------------------------------------------------------------------------------


def _members(store: Store | int, roles) -> QuerySet:
    store_id = store if isinstance(store, int) else store.pk
    ids = Membership.objects.filter(
        store_id=store_id, role__code__in=list(roles), is_active=True, user__is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "username")


def store_consultants(*, store: Store | int) -> QuerySet:
    """The active users holding the consultant role in the store."""
    return _members(store, {r.CONSULTANT})


def store_front_desk_staff(*, store: Store | int) -> QuerySet:
    """Who may take over the desk at a handover."""
    return _members(store, FRONT_DESK_ROLES)


def is_store_consultant(*, user, store: Store | int) -> bool:
    store_id = store if isinstance(store, int) else store.pk
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(store_id=store_id, user=user, role__code=r.CONSULTANT, is_active=True).exists()
    )


def report_recipients(*, store: Store) -> list:
    """The sales managers and marketing directors of the store with an e-mail address."""
    return [u for u in _members(store, REPORT_RECIPIENTS) if u.email]
