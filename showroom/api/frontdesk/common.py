"""Shared parameters and helpers of the front-desk API."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import customer_for_store, frontdesk_may_read, user_label
from showroom.selectors.stores import store_get_for_user

DAY_PARAM = OpenApiParameter("day", OpenApiTypes.DATE, description="A local day (YYYY-MM-DD).")
STORE_PARAM = OpenApiParameter("store", OpenApiTypes.INT, description="One of your stores.")


def _day_param(request, *, default: dt.date | None = None) -> dt.date | None:
    raw = request.query_params.get("day", "")
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({"day": [_("Enter a date as YYYY-MM-DD.")]}) from exc


def _store_param(request, *, required: bool = False, value=None):
    raw = value if value is not None else request.query_params.get("store", "")
    if raw in ("", None):
        if required:
            raise ValidationError({"store": [_("Choose one of your stores.")]})
        return None
    store = store_get_for_user(user=request.user, store_id=raw)
    if not frontdesk_may_read(user=request.user, store=store):
        raise PermissionDenied(_("Your role does not use the front desk in this store."))
    return store


def _readable(request, obj):
    if not frontdesk_may_read(user=request.user, store=obj.store_id):
        raise PermissionDenied(_("Your role does not use the front desk in this store."))
    return obj


def _user_or_error(pk, field: str):
    if pk is None:
        return None
    user = user_by_id(pk)
    if user is None:
        raise ValidationError({field: [_("There is no such person.")]})
    return user


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user_label(user)}


def _customer_or_error(*, store, pk):
    """The customer ``pk`` of ``store`` (None when not given); another store's is a field error."""
    if pk is None:
        return None
    customer = customer_for_store(store=store, pk=pk)
    if customer is None:
        raise ValidationError({"customer": [_("Choose a customer of this store.")]})
    return customer
