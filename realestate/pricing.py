"""Pure price arithmetic of the price scheme and the fees collected at signing (no queries except
``permit_caps`` and ``price_list_current``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from showroom.money import Percent, money

ZERO = Decimal("0")


def unit_price(*, unit, price_list, bases: dict[int, Decimal]) -> tuple[Decimal, Decimal]:
    """(list price per m², list total) of ``unit`` under ``price_list``: the building's base,
    plus the step per floor above the first, plus the orientation's adjustment; the total is on
    the built-up area, to the cent (half-up)."""
    base = bases.get(unit.building_id)
    if base is None:
        return ZERO, ZERO
    per_m2 = base + price_list.floor_step * max(unit.floor - 1, 0)
    per_m2 += Decimal(price_list.orientation_adjustments.get(unit.orientation, "0"))
    per_m2 = money(per_m2)
    return per_m2, money(per_m2 * unit.built_area)


def method_discount(*, price_list, method: str) -> Decimal:
    return Decimal(price_list.method_discounts.get(method, "0"))


def discounted(*, total: Decimal, discount_pct: Decimal) -> Decimal:
    return money(total - Percent(discount_pct).of(total))


def signing_fees(*, total: Decimal, project) -> dict[str, Decimal]:
    """Deed tax and maintenance fund as a share of the price, and the registration fee, each
    rounded half-up to the cent."""
    return {
        "deed_tax": Percent(project.deed_tax_rate).of(total),
        "maintenance_fund": Percent(project.maintenance_fund_rate).of(total),
        "registration_fee": money(project.registration_fee),
    }


def permit_caps(*, project_id: int) -> dict[int, Decimal]:
    """The filed maximum price per m² of each building (the lowest if two permits cover it)."""
    from realestate.models import Permit

    caps: dict[int, Decimal] = {}
    rows = Permit.objects.filter(project_id=project_id, kind=Permit.Kind.PRESALE).values_list(
        "buildings", "max_price_per_m2"
    )
    for building_id, cap in rows:
        if building_id is None or cap is None:
            continue
        caps[building_id] = min(cap, caps.get(building_id, cap))
    return caps


def price_list_current(*, project_id: int, now: dt.datetime | None = None):
    """The version in force: approved before ``now`` and effective on its local day; the newest."""
    from realestate.models import PriceList

    now = now or timezone.now()
    return (
        PriceList.objects.filter(
            project_id=project_id,
            state=PriceList.State.APPROVED,
            approved_at__lte=now,
            effective_from__lte=timezone.localtime(now).date(),
        )
        .order_by("-effective_from", "-version")
        .first()
    )
