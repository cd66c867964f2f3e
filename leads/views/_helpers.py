"""Small helpers the leads pages share (parsing, toasts, error texts)."""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from showroom.services.transitions import TransitionConflict


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def toast(response: HttpResponse, message: str, level: str = "success", **events) -> HttpResponse:
    # json.dumps escapes non-ASCII, so the header stays ASCII whatever the language.
    response["HX-Trigger"] = json.dumps({"showToast": {"message": str(message), "level": level}, **events})
    return response


def error_text(exc: Exception) -> str:
    if isinstance(exc, TransitionConflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("You are not allowed to do this.")
    return str(exc)


def int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def date_or_none(value):
    """A ``YYYY-MM-DD`` query parameter as a date, or None when absent or not a date."""
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
