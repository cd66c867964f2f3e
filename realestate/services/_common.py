"""What the real-estate services share: errors, role checks, the local day."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.permissions import has_role
from showroom.services.transitions import TransitionConflict


class UnitUnavailable(TransitionConflict):
    """Another buyer holds the unit (409, naming who holds it)."""


def require_role(*, user, store_id: int, roles) -> None:
    if not has_role(user, store_id, roles):
        raise PermissionDenied(_("You are not allowed to do this."))


def local_today() -> dt.date:
    return timezone.localdate()


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def project_scope(project_id: int) -> str:
    """The numbering and quota scope of a project."""
    return f"project:{project_id}"
