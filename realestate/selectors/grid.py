"""The sales-control grid (销控表): building × floor × unit with state colours, counts and areas
per state. A fixed number of queries whatever the number of units."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.http import Http404
from django.urls import reverse

from realestate.models import Project, Unit
from realestate.pricing import price_list_current, unit_price
from showroom.permissions import store_ids_for

ZERO = Decimal("0")


def projects_for_user(*, user):
    return Project.objects.filter(store_id__in=store_ids_for(user)).select_related("store")


def project_get_for_user(*, user, project_id) -> Project:
    project = projects_for_user(user=user).filter(pk=project_id).first()
    if project is None:
        raise Http404
    return project


def unit_get_for_user(*, user, unit_id) -> Unit:
    unit = (
        Unit.objects.filter(store_id__in=store_ids_for(user), pk=unit_id)
        .select_related("building", "project", "holder")
        .first()
    )
    if unit is None:
        raise Http404
    return unit


@dataclass
class GridBuilding:
    building_id: int
    name: str
    floors: list[tuple[int, list[dict]]] = field(default_factory=list)


def grid_build(*, project: Project) -> dict:
    """Everything the grid page shows: per building its floors (top first) and units with state,
    price and holder; totals per state (count and built-up area). Four queries: the price list in
    force, its base prices, the units (with building and holder), the totals."""
    price_list = price_list_current(project_id=project.pk)
    bases = {b.building_id: b.base_price_per_m2 for b in price_list.bases.all()} if price_list else {}
    units = (
        Unit.objects.filter(project=project)
        .select_related("building", "holder")
        .order_by("building__order", "building__name", "-floor", "number")
    )
    labels = {code: str(label) for code, label in Unit.State.choices}
    buildings: dict[int, GridBuilding] = {}
    by_floor: dict[int, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for unit in units:
        b = buildings.setdefault(unit.building_id, GridBuilding(unit.building_id, unit.building.name))
        per_m2, total = unit_price(unit=unit, price_list=price_list, bases=bases) if price_list else (ZERO, ZERO)
        by_floor[b.building_id][unit.floor].append(
            {
                "unit": unit,
                "per_m2": per_m2,
                "total": total,
                "state_label": labels.get(unit.state, unit.state),
                "holder": (unit.holder.get_full_name() or unit.holder.get_username()) if unit.holder_id else "",
            }
        )
    for bid, floors in by_floor.items():
        buildings[bid].floors = sorted(floors.items(), key=lambda kv: -kv[0])
    totals_rows = Unit.objects.filter(project=project).values("state").annotate(n=Count("pk"), area=Sum("built_area"))
    totals = {row["state"]: row for row in totals_rows}
    states = [
        {
            "code": code,
            "label": label,
            "count": totals.get(code, {}).get("n", 0),
            "area": totals.get(code, {}).get("area") or ZERO,
        }
        for code, label in Unit.State.choices
    ]
    # The unit panel's address without its id: one reverse() for the page, not one per unit.
    unit_url = reverse("realestate:unit", args=[0]).removesuffix("0/")
    return {"buildings": list(buildings.values()), "states": states, "price_list": price_list, "unit_url": unit_url}


def grid_unit_states(*, project: Project, since=None) -> list[dict]:
    """The units changed since ``since`` (all when None): id, state, holder, for the live grid."""
    qs = Unit.objects.filter(project=project)
    if since is not None:
        qs = qs.filter(changed_at__gt=since)
    return list(qs.values("pk", "state", "changed_at"))


def buildings_with_unit_counts(*, project: Project) -> list:
    return list(project.buildings.annotate(unit_count=Count("units")))


def price_list_in_force(*, project: Project):
    return price_list_current(project_id=project.pk)
