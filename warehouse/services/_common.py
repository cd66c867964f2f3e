"""Small helpers the warehouse services share."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from showroom.permissions import has_role


def require_role(*, user, store_id: int, roles, message: str = "") -> None:
    if not has_role(user, store_id, roles):
        raise PermissionDenied(message or _("You are not allowed to do this."))


def decimal_of(value, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError({field: [_("Enter a number.")]}) from exc
    if not number.is_finite():
        raise ValidationError({field: [_("Enter a number.")]})
    return number
