"""Shared helpers of the front-desk pages: htmx answers, service errors, the store and the day a
request is about."""

import datetime as dt
import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from showroom.selectors.frontdesk import local_today
from showroom.selectors.stores import store_get_for_user
from showroom.services.transitions import TransitionConflict

HTMX_ERROR_STATUSES = (400, 403, 404, 409)


# --- helpers -----------------------------------------------------------------------------------


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _toast(response: HttpResponse, message: str, level: str = "success") -> HttpResponse:
    # json.dumps escapes non-ASCII, so the header stays ASCII whatever the language.
    response["HX-Trigger"] = json.dumps({"showToast": {"message": str(message), "level": level}})
    return response


def _error_text(exc: Exception) -> str:
    if isinstance(exc, TransitionConflict):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You are not allowed to do this.")


def _status_of(exc: Exception) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, TransitionConflict):
        return 409
    return 400


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, texts in errors.items():
        field = name if name in form.fields else None
        for text in texts:
            form.add_error(field, text)


def _current_store(request):
    store = request.store if getattr(request, "store", None) else None
    if store is None:
        raise Http404
    return store


def _store_for(request, check) -> object:
    """The store a page is about: ``?store=`` when given (one of the user's), else the current
    one; 403 when the user's role there does not use the page."""
    raw = request.GET.get("store") or request.POST.get("store")
    store = store_get_for_user(user=request.user, store_id=raw) if raw else _current_store(request)
    if not check(user=request.user, store=store):
        raise PermissionDenied(_("Your role does not use this page in this store."))
    return store


def _day(request, *, default: dt.date) -> dt.date:
    raw = request.GET.get("day", "")
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise Http404 from exc


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def _today_at(value: dt.time | None) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.make_aware(dt.datetime.combine(local_today(), value))


def _field_errors(form: forms.Form) -> list[str]:
    return [str(text) for texts in form.errors.values() for text in texts]
