"""Small helpers the test-drive pages share (parsing, toasts, error texts)."""

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.services.transitions import TransitionConflict


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def toast(response: HttpResponse, message: str, level: str = "success") -> HttpResponse:
    response["HX-Trigger"] = json.dumps({"showToast": {"message": str(message), "level": level}})
    return response


def error_text(exc: Exception) -> str:
    if isinstance(exc, TransitionConflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("You are not allowed to do this.")
    return str(exc)


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in ValidationError(errs).messages] for name, errs in exc.error_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 2**63 else None


def parse_local_datetime(value: str) -> dt.datetime | None:
    """A ``datetime-local`` input (``2026-11-27T10:00``) or ISO string, as an aware time."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_current_timezone())
    return parsed


def parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None
