"""Helpers the delivery services share: the state-then-permission pre-check, local times, settings."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import Membership
from showroom.services.transitions import TransitionConflict, transition_method

# Seed article 9: a product is not left unprocessed for more than a week (二.5); 10 CNY a case, 50 CNY
# for a month without complaint (二.6).
DEFAULTS = {
    "REPAIR_IDLE_DAYS": 7,
    "CALL_HOUR": 10,
    "FIRST_SERVICE_MONTHS": 6,
    "FIRST_SERVICE_KM": 5000,
    "KM_PER_DAY": 40,
}


def delivery_setting(name: str):
    return getattr(settings, "DELIVERY", {}).get(name, DEFAULTS[name])


def precheck(instance, name: str, user, message: str, *, conditions: bool = True) -> None:
    """A step that cannot run from this state is a 409 for everyone, then who may run it (403);
    input is validated after both."""
    method = transition_method(instance, name)
    sources = {t.source for t in method._django_fsm.transitions.values()}
    if instance.state not in sources and "*" not in sources:
        raise TransitionConflict(
            _("This step is not possible from the state “%(state)s”.") % {"state": instance.get_state_display()},
            state=instance.state,
        )
    # The permission alone (django-fsm's has_transition_perm also checks the conditions, which
    # the runner reports as a 409 after the input is checked).
    if user is None or not method._django_fsm.has_transition_perm(instance, instance.state, user):
        raise PermissionDenied(message)
    # The conditions, as a 409 with the condition's message (the core runner would answer 403: its
    # permission check is django-fsm's, which includes the conditions).
    if conditions and not method._django_fsm.conditions_met(instance, instance.state):
        for condition in method._django_fsm.get_transition(instance.state).conditions:
            if not condition(instance):
                raise TransitionConflict(
                    str(getattr(condition, "conflict_message", "") or _("This step is not possible now.")),
                    state=instance.state,
                )


def at_local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware time on ``day`` in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def not_before_now(when: dt.datetime) -> dt.datetime:
    now = timezone.now()
    return when if when > now else now


def member_with_role(*, store_id: int, roles, exclude_user_id: int | None = None):
    """The first active member of the store holding one of ``roles`` (in that order of preference)."""
    rows = (
        Membership.objects.filter(store_id=store_id, is_active=True, role__code__in=list(roles), user__is_active=True)
        .exclude(user_id=exclude_user_id)
        .select_related("user", "role")
        .order_by("id")
    )
    best = None
    for membership in rows:
        rank = list(roles).index(membership.role.code)
        if best is None or rank < best[0]:
            best = (rank, membership.user)
    return best[1] if best else None


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
