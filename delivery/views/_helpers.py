"""Small helpers the delivery pages share."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.services.transitions import TransitionConflict


def current_store(request):
    store = request.store
    if store is None:
        raise PermissionDenied(_("You hold no role in any store."))
    return store


def error_text(exc: Exception) -> str:
    if isinstance(exc, TransitionConflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You are not allowed to do this.")


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in ValidationError(errs).messages] for name, errs in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def parse_local_datetime(value) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def int_or_none(value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
