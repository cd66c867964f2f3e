"""Editing the set-up once it exists (the sales manager): a unit's surveyed areas, layout and
orientation while it is still available, and the project's rates and limits. Every field is
checked before anything is written; a unit already taken (held, deposited, subscribed or sold)
keeps what its buyer was shown."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from realestate.models import Project, Unit
from showroom import roles as r
from showroom.services.transitions import TransitionConflict

from ._common import require_role

HUNDRED = Decimal("100")
MAX_DAYS = 365


def _decimal(value: Decimal | str, *, field: str, errors: dict, places: int = 2) -> Decimal | None:
    """``value`` as a Decimal with at most ``places`` decimals, else a field error."""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = [_("Not a number.")]
        return None
    if not number.is_finite():
        errors[field] = [_("Not a number.")]
        return None
    if number.as_tuple().exponent < -places:
        errors[field] = [_("At most %(n)s decimals.") % {"n": places}]
        return None
    return number


def _days(value: int | str, *, field: str, errors: dict) -> int | None:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = [_("A whole number of days.")]
        return None
    if not 1 <= days <= MAX_DAYS:
        errors[field] = [_("Between 1 and %(max)s days.") % {"max": MAX_DAYS}]
        return None
    return days


@transaction.atomic
def unit_survey_update(
    *, user, unit: Unit, built_area: Decimal | str, inner_area: Decimal | str, layout: str, orientation: str
) -> Unit:
    """Correct a unit's surveyed areas (built-up, inner), layout and orientation. Only while it
    is available: once a buyer holds or bought it, its price and papers rest on these figures."""
    require_role(user=user, store_id=unit.store_id, roles=(r.SALES_MANAGER,))
    errors: dict[str, list[str]] = {}
    built = _decimal(built_area, field="built_area", errors=errors)
    inner = _decimal(inner_area, field="inner_area", errors=errors)
    if built is not None and not Decimal("1") <= built <= Decimal("99999999"):
        errors["built_area"] = [_("The built-up area must be between 1 and 99,999,999 m².")]
    if inner is not None and inner <= 0:
        errors["inner_area"] = [_("The inner area must be above zero.")]
    if built is not None and inner is not None and "built_area" not in errors and inner > built:
        errors["inner_area"] = [_("The inner area cannot exceed the built-up area.")]
    layout = (layout or "").strip()
    if len(layout) > 40:
        errors["layout"] = [_("At most 40 characters.")]
    if orientation not in Unit.Orientation.values:
        errors["orientation"] = [_("Choose an orientation.")]
    if errors:
        raise ValidationError(errors)
    locked = Unit.objects.select_for_update(of=("self",)).select_related("building").get(pk=unit.pk)
    if locked.state != Unit.State.AVAILABLE:
        raise TransitionConflict(
            _(
                "Unit %(unit)s is “%(state)s”: its areas, layout and orientation can only be changed "
                "while it is available."
            )
            % {"unit": locked.label, "state": locked.get_state_display()},
            state=locked.state,
        )
    locked.built_area, locked.inner_area, locked.layout, locked.orientation = built, inner, layout, orientation
    # changed_at moves so the live grid (polling on it) shows the new area and price.
    locked.save(update_fields=["built_area", "inner_area", "layout", "orientation", "changed_at"])
    return locked


RATE_FIELDS = (
    "deed_tax_rate",
    "maintenance_fund_rate",
    "registration_fee",
    "small_deposit_limit",
    "small_deposit_days",
    "sign_within_days",
)


@transaction.atomic
def project_rates_update(
    *,
    user,
    project: Project,
    deed_tax_rate: Decimal | str,
    maintenance_fund_rate: Decimal | str,
    registration_fee: Decimal | str,
    small_deposit_limit: Decimal | str,
    small_deposit_days: int | str,
    sign_within_days: int | str,
) -> Project:
    """The project's deed tax % and maintenance fund % (collected at signing), the registration
    fee, the small-deposit limit and days, and the days to sign. Contracts already drafted keep
    their fees and reviewed subscriptions their due date: they were computed when made."""
    require_role(user=user, store_id=project.store_id, roles=(r.SALES_MANAGER,))
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    for field, raw in (("deed_tax_rate", deed_tax_rate), ("maintenance_fund_rate", maintenance_fund_rate)):
        rate = _decimal(raw, field=field, errors=errors)
        if rate is not None and not Decimal("0") <= rate < HUNDRED:
            errors[field] = [_("A rate is 0 to under 100 %.")]
        values[field] = rate
    fee = _decimal(registration_fee, field="registration_fee", errors=errors)
    if fee is not None and not Decimal("0") <= fee <= Decimal("99999999"):
        errors["registration_fee"] = [_("The fee must be between 0 and 99,999,999.")]
    values["registration_fee"] = fee
    limit = _decimal(small_deposit_limit, field="small_deposit_limit", errors=errors)
    if limit is not None and not Decimal("0") < limit <= Decimal("999999999999"):
        errors["small_deposit_limit"] = [_("The small-deposit limit must be above zero.")]
    values["small_deposit_limit"] = limit
    values["small_deposit_days"] = _days(small_deposit_days, field="small_deposit_days", errors=errors)
    values["sign_within_days"] = _days(sign_within_days, field="sign_within_days", errors=errors)
    if errors:
        raise ValidationError(errors)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    for field, value in values.items():
        setattr(locked, field, value)
    locked.save(update_fields=list(RATE_FIELDS))
    return locked
