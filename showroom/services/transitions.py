"""Run one state-machine transition, the same way for every workflow.

Workflow services call ``transition_run`` (directly, or through their own named service that adds
rules and side effects). It locks the row, checks the caller's permission (the transition's
``permission=``), the transition's ``conditions=`` and the registered checklist guards, runs the
transition with the audit fields set for django-fsm-log, and saves. Errors are typed so the API
and pages answer 403/404/409 without looking at states themselves.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed
from django_fsm_log.helpers import FSMLogDescriptor


class TransitionNotFound(LookupError):
    """The record has no transition of that name (404)."""


class TransitionConflict(Exception):
    """The transition cannot run from the record's current state, a condition fails, a guard is
    unmet, or another user changed the record first (409)."""

    def __init__(self, message: str, *, missing: list[str] | None = None, state: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing or []
        self.state = state


# Checks the core cannot know about (checklist guards) are plugged in here by the engines that
# provide them; each raises TransitionConflict when unmet.
_pre_checks: list[Callable[..., None]] = []


def register_pre_check(check: Callable[..., None]) -> None:
    if check not in _pre_checks:
        _pre_checks.append(check)


def transition_method(instance: models.Model, name: str):
    method = getattr(type(instance), name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise TransitionNotFound(name)
    return getattr(instance, name)


def transitions_available(*, instance: models.Model, user, field: str = "state") -> list[str]:
    """Names of the transitions this user may run now (state, conditions and permission)."""
    getter = getattr(instance, f"get_available_user_{field}_transitions", None)
    if getter is None:
        return []
    return [t.name for t in getter(user)]


def _condition_message(method) -> str:
    meta = method._django_fsm
    return str(getattr(meta, "conflict_message", "") or _("This step is not possible in the current state."))


def transition_run(
    *,
    instance: models.Model,
    name: str,
    user,
    note: str = "",
    field: str = "state",
    lock: bool = True,
    before_save: Callable[[models.Model], None] | None = None,
    **kwargs: Any,
) -> models.Model:
    """Lock, check, transition, save. Returns the saved (locked) instance."""
    with transaction.atomic():
        obj = type(instance)._default_manager.select_for_update().get(pk=instance.pk) if lock else instance
        method = transition_method(obj, name)
        current = getattr(obj, field)
        # State first: a step that cannot run from here is a conflict (409) for everyone, so the
        # answer does not depend on who asks; then who may run it (403); then its conditions.
        allowed_from = {t.source for t in method._django_fsm.transitions.values()}
        if current not in allowed_from and "*" not in allowed_from and "+" not in allowed_from:
            label = dict(obj._meta.get_field(field).flatchoices).get(current, current)
            raise TransitionConflict(
                _("This step is not possible from the state “%(state)s”.") % {"state": label},
                state=current,
            )
        # The permission alone: django_fsm.has_transition_perm also evaluates the conditions, which
        # would turn a failed condition (a conflict) into a refusal of the person (403).
        if not method._django_fsm.has_transition_perm(obj, current, user):
            raise PermissionDenied(_("You are not allowed to do this."))
        if not can_proceed(method):
            raise TransitionConflict(_condition_message(method), state=current)
        for check in _pre_checks:
            check(instance=obj, transition=name, user=user)
        try:
            with FSMLogDescriptor(obj, "by", user), FSMLogDescriptor(obj, "description", note or None):
                method(**kwargs)
        except TransitionNotAllowed as exc:
            raise TransitionConflict(str(exc), state=current) from exc
        if before_save is not None:
            before_save(obj)
        obj.save()
    return obj
