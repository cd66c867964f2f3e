"""Helpers the leads services share: locking a lead, the people to tell, and notices."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leads.models import Lead
from showroom.models import Membership
from showroom.services.followups import notification_send
from showroom.services.transitions import TransitionConflict

# A contact time may be a little ahead of the server's clock (a phone's clock), never more.
CLOCK_SKEW = dt.timedelta(minutes=5)


def lead_lock(lead: Lead) -> Lead:
    """The lead's row, locked for this transaction, with what the services read of it."""
    return (
        Lead.objects.select_for_update(of=("self",))
        .select_related("store", "customer", "consultant", "vehicle_model__brand")
        .get(pk=lead.pk)
    )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


def require_open(lead: Lead, message: str | None = None) -> None:
    if not lead.is_open:
        raise TransitionConflict(
            message or _("This lead is %(state)s; reactivate it first.") % {"state": lead.get_state_display().lower()},
            state=lead.state,
        )


def person(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


def _ranked_members(*, store_id: int, roles: list[str], exclude_user_id: int | None) -> list[tuple[int, object]]:
    rows = (
        Membership.objects.filter(store_id=store_id, is_active=True, role__code__in=roles, user__is_active=True)
        .select_related("user", "role")
        .order_by("id")
    )
    ranked: dict[int, tuple[int, object]] = {}
    for membership in rows:
        if membership.user_id == exclude_user_id:
            continue
        rank = roles.index(membership.role.code)
        if membership.user_id not in ranked or rank < ranked[membership.user_id][0]:
            ranked[membership.user_id] = (rank, membership.user)
    return sorted(ranked.values(), key=lambda pair: (pair[0], pair[1].pk))


def store_members(*, store_id: int, roles: Iterable[str], exclude_user_id: int | None = None) -> list:
    """Active users holding one of ``roles`` in the store, each once, in the order of ``roles``
    (one query)."""
    return [
        user for _rank, user in _ranked_members(store_id=store_id, roles=list(roles), exclude_user_id=exclude_user_id)
    ]


def first_holders(*, store_id: int, roles: Iterable[str], exclude_user_id: int | None = None) -> list:
    """Everyone holding the first of ``roles`` that anyone in the store holds: the showroom
    managers, else the sales managers, … (one query)."""
    ranked = _ranked_members(store_id=store_id, roles=list(roles), exclude_user_id=exclude_user_id)
    if not ranked:
        return []
    best = ranked[0][0]
    return [user for rank, user in ranked if rank == best]


def notify(*, user, key: str, title: str, body: str, url: str) -> None:
    """An in-app notice (and an e-mail after commit when the user has an address), once per key.
    Texts are written in the installation's language, like the core's notices."""
    if user is None:
        return
    notification_send(user=user, key=key[:120], title=title, body=body, url=url, now=timezone.now())


def in_site_language():
    return translation.override(settings.LANGUAGE_CODE)
