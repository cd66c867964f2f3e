"""Change the store's front-desk settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from showroom.models import FrontDeskSettings, Store
from showroom.selectors.frontdesk import DISTRIBUTION_EDITORS, ROSTER_MANAGERS
from showroom.services.frontdesk.common import _require

# --- settings ----------------------------------------------------------------------------------

_SETTING_BOUNDS = {
    "shift_minutes": (30, 720),
    "overdue_skip_hours": (1, 24 * 30),
}


@transaction.atomic
def frontdesk_settings_update(
    *,
    store: Store,
    user,
    shift_minutes: int | None = None,
    overdue_skip_hours: int | None = None,
    distribution_rule: str | None = None,
) -> FrontDeskSettings:
    """Change the store's front-desk settings (managers; the distribution rule: the sales
    manager or the general manager). Values left out keep theirs."""
    _require(user, store, ROSTER_MANAGERS, _("Only the showroom's managers may change the front-desk settings."))
    if distribution_rule is not None:
        _require(
            user, store, DISTRIBUTION_EDITORS, _("Only the sales manager sets how campaign leads are distributed.")
        )
    values = {
        "shift_minutes": shift_minutes,
        "overdue_skip_hours": overdue_skip_hours,
    }
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if value is None:
            continue
        low, high = _SETTING_BOUNDS[name]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    if distribution_rule is not None and distribution_rule not in FrontDeskSettings.DistributionRule.values:
        errors["distribution_rule"] = [_("Choose round-robin or back to the seller.")]
    if errors:
        raise ValidationError(errors)
    row, _created = FrontDeskSettings.objects.select_for_update().get_or_create(store=store)
    for name, value in values.items():
        if value is not None:
            setattr(row, name, value)
    if distribution_rule is not None:
        row.distribution_rule = distribution_rule
    row.save()
    return row
