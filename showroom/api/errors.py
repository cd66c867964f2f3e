"""One error body for the whole API:

    {"code": "invalid", "detail": "…", "fields": {"mobile": ["…"]}}

400 invalid input (with field messages), 401/403 not allowed, 404 not in the user's stores,
409 a transition not allowed now or a lost race. Django's ValidationError and PermissionDenied,
raised by services, are translated here so views never catch them.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from showroom.services.transitions import TransitionConflict, TransitionNotFound


def _django_validation_fields(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            name: [str(m) for m in DjangoValidationError(errors).messages] for name, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _body(code: str, detail, fields: dict | None = None, **extra) -> dict:
    body = {"code": code, "detail": str(detail)}
    if fields:
        body["fields"] = fields
    body |= extra
    return body


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        fields = _django_validation_fields(exc)
        return Response(_body("invalid", _("Please correct the errors below."), fields), status=400)
    if isinstance(exc, TransitionConflict):
        extra = {"missing": exc.missing} if exc.missing else {}
        return Response(_body("conflict", exc.message, state=exc.state, **extra), status=409)
    if isinstance(exc, TransitionNotFound):
        return Response(_body("not_found", _("There is no such step.")), status=404)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, (OverflowError, DataError)):
        # A filter or id far outside the database's range (SQLite raises OverflowError,
        # PostgreSQL a DataError): the input is wrong, not the server.
        return Response(_body("invalid", _("A value is out of range.")), status=400)
    if isinstance(exc, IntegrityError):
        return Response(
            _body("conflict", _("Someone else changed this record at the same time. Reload and try again.")),
            status=409,
        )
    if isinstance(exc, OperationalError) and "lock" in str(exc).lower():
        return Response(_body("conflict", _("The record is busy. Try again in a moment.")), status=409)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = _body("invalid", _("Please correct the errors below."), _flatten(fields))
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(exc, "default_code", "error")
        if response.status_code == status.HTTP_404_NOT_FOUND:
            code = "not_found"
        response.data = _body(code, detail)
    return response


def _flatten(fields) -> dict:
    out = {}
    for name, messages in fields.items():
        if isinstance(messages, dict):
            for sub, sub_messages in _flatten(messages).items():
                out[f"{name}.{sub}"] = sub_messages
        elif isinstance(messages, list):
            out[name] = [str(m) for m in messages]
        else:
            out[name] = [str(messages)]
    return out
