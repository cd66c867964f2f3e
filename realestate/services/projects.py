"""Project set-up: the five permits, buildings and units, versioned price lists and opening."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from realestate.models import Building, Permit, PriceList, PriceListBuilding, Project, Unit
from realestate.pricing import permit_caps, unit_price
from showroom import roles as r
from showroom.money import to_decimal
from showroom.services.approvals import approval_request_create
from showroom.services.transitions import TransitionConflict, transition_run

from ._common import person, require_role

PRICE_KIND = "realestate.price_change"
ALL_PERMITS = [choice for choice, _label in Permit.Kind.choices]


def project_sale_problems(*, project: Project, building_id: int | None = None) -> list[str]:
    """Why nothing may be reserved or sold in ``project`` (empty when it may): a missing permit,
    or no pre-sale permit covering the building."""
    permits = list(project.permits.prefetch_related("buildings"))
    kinds = {p.kind for p in permits}
    labels = dict(Permit.Kind.choices)
    problems = [
        _("The %(permit)s is not on file.") % {"permit": labels[kind]} for kind in ALL_PERMITS if kind not in kinds
    ]
    if building_id is not None and Permit.Kind.PRESALE in kinds:
        covered = {b.pk for p in permits if p.kind == Permit.Kind.PRESALE for b in p.buildings.all()}
        if building_id not in covered:
            problems.append(_("No pre-sale permit covers this building."))
    return problems


def project_require_sellable(*, project: Project, building_id: int | None = None) -> None:
    problems = project_sale_problems(project=project, building_id=building_id)
    if problems:
        raise TransitionConflict(" ".join(problems), missing=problems, state=project.state)


def permit_record(
    *,
    user,
    project: Project,
    kind: str,
    number: str,
    issued_on: dt.date,
    scan,
    max_price_per_m2=None,
    buildings: list[Building] | None = None,
) -> Permit:
    require_role(user=user, store_id=project.store_id, roles=(r.SALES_MANAGER, r.SALES_ASSISTANT))
    errors: dict[str, list[str]] = {}
    if kind not in ALL_PERMITS:
        errors["kind"] = [_("Choose one of the five permits.")]
    if not (number or "").strip():
        errors["number"] = [_("Give the permit's number.")]
    if issued_on is None:
        errors["issued_on"] = [_("Give the permit's date.")]
    if not scan:
        errors["scan"] = [_("Attach the scanned permit.")]
    cap = None
    if kind == Permit.Kind.PRESALE:
        try:
            cap = to_decimal(max_price_per_m2) if max_price_per_m2 not in (None, "") else None
        except (TypeError, ValueError):
            cap = None
        if cap is None or cap <= 0:
            errors["max_price_per_m2"] = [_("The pre-sale permit needs its filed maximum price per m².")]
        if not buildings:
            errors["buildings"] = [_("Name the buildings the pre-sale permit covers.")]
        elif any(b.project_id != project.pk for b in buildings):
            errors["buildings"] = [_("A building of another project cannot be covered.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        permit = Permit.objects.create(
            project=project, kind=kind, number=number.strip(), issued_on=issued_on, scan=scan, max_price_per_m2=cap
        )
        if kind == Permit.Kind.PRESALE:
            permit.buildings.set(buildings)
    return permit


def project_open(*, user, project: Project) -> Project:
    """Open the project for sale: the five permits on file, the public-notice checklist complete
    (a checklist guard on the transition)."""
    project_require_sellable(project=project)

    def stamp(obj):
        obj.opened_at = timezone.now()

    return transition_run(instance=project, name="open", user=user, before_save=stamp)


def units_create(*, building: Building, rows: list[dict]) -> list[Unit]:
    """Create a building's units (set-up and seeding); rows carry floor, number, areas, layout,
    orientation and use."""
    project = building.project
    units = [Unit(store_id=project.store_id, project=project, building=building, **row) for row in rows]
    return Unit.objects.bulk_create(units)


def _parse_amounts(raw: dict, *, field: str, allowed: set[str], errors: dict) -> dict[str, str]:
    out = {}
    for key, value in (raw or {}).items():
        if key not in allowed:
            errors.setdefault(field, []).append(_("Unknown key %(key)s.") % {"key": key})
            continue
        try:
            out[key] = str(to_decimal(value))
        except (TypeError, ValueError):
            errors.setdefault(field, []).append(_("%(key)s: not an amount.") % {"key": key})
    return out


@transaction.atomic
def price_list_create(
    *,
    user,
    project: Project,
    effective_from: dt.date,
    bases: dict[int, Decimal | str],
    floor_step: Decimal | str = "0",
    orientation_adjustments: dict | None = None,
    method_discounts: dict | None = None,
    note: str = "",
) -> PriceList:
    """A new draft version of the project's price scheme (the sales manager prepares it)."""
    require_role(user=user, store_id=project.store_id, roles=(r.SALES_MANAGER,))
    errors: dict[str, list[str]] = {}
    orientations = _parse_amounts(
        orientation_adjustments or {},
        field="orientation_adjustments",
        allowed={c for c, _l in Unit.Orientation.choices},
        errors=errors,
    )
    discounts = _parse_amounts(
        method_discounts or {},
        field="method_discounts",
        allowed={c for c, _l in PriceList.Method.choices},
        errors=errors,
    )
    for key, value in discounts.items():
        if not Decimal("0") <= Decimal(value) < Decimal("100"):
            errors.setdefault("method_discounts", []).append(_("%(key)s: a discount is 0–100 %%.") % {"key": key})
    buildings = {b.pk: b for b in project.buildings.all()}
    parsed_bases = {}
    for building_id, value in (bases or {}).items():
        if int(building_id) not in buildings:
            errors.setdefault("bases", []).append(_("A building of another project."))
            continue
        try:
            parsed_bases[int(building_id)] = to_decimal(value)
        except (TypeError, ValueError):
            errors.setdefault("bases", []).append(_("Not an amount."))
    if not parsed_bases:
        errors.setdefault("bases", []).append(_("Give the base price of at least one building."))
    try:
        step = to_decimal(floor_step)
    except (TypeError, ValueError):
        errors["floor_step"] = [_("Not an amount.")]
        step = Decimal("0")
    if effective_from is None:
        errors["effective_from"] = [_("Give the date the price list takes effect.")]
    if errors:
        raise ValidationError(errors)
    Project.objects.select_for_update().filter(pk=project.pk).first()
    last = project.price_lists.order_by("-version").values_list("version", flat=True).first() or 0
    price_list = PriceList.objects.create(
        project=project,
        version=last + 1,
        effective_from=effective_from,
        floor_step=step,
        orientation_adjustments=orientations,
        method_discounts=discounts,
        note=note,
        created_by=user,
    )
    PriceListBuilding.objects.bulk_create(
        [
            PriceListBuilding(price_list=price_list, building_id=bid, base_price_per_m2=v)
            for bid, v in parsed_bases.items()
        ]
    )
    return price_list


def price_list_cap_problems(*, price_list: PriceList) -> list[str]:
    """Units whose list price per m² would exceed the pre-sale permit's filed maximum."""
    caps = permit_caps(project_id=price_list.project_id)
    bases = {b.building_id: b.base_price_per_m2 for b in price_list.bases.all()}
    problems = []
    units = Unit.objects.filter(project_id=price_list.project_id, building_id__in=bases).select_related("building")
    for unit in units:
        per_m2, _total = unit_price(unit=unit, price_list=price_list, bases=bases)
        cap = caps.get(unit.building_id)
        if cap is not None and per_m2 > cap:
            problems.append(
                _("%(unit)s: %(price)s per m² is above the pre-sale permit's maximum %(cap)s.")
                % {"unit": unit.label, "price": per_m2, "cap": cap}
            )
    return problems


@transaction.atomic
def price_list_submit(*, user, price_list: PriceList) -> PriceList:
    """Send the version for approval (marketing director, then general manager). A list price
    above the pre-sale permit's maximum is refused here."""
    problems = price_list_cap_problems(price_list=price_list)
    if problems:
        raise ValidationError({"bases": problems})
    price_list = transition_run(instance=price_list, name="submit", user=user)
    approval_request_create(
        target=price_list,
        kind=PRICE_KIND,
        store=price_list.project.store,
        requester=user,
        reason=_("Price list %(project)s version %(v)s from %(day)s, prepared by %(who)s")
        % {
            "project": price_list.project.name,
            "v": price_list.version,
            "day": price_list.effective_from.isoformat(),
            "who": person(user),
        },
    )
    return price_list


def price_change_approved(*, request) -> None:
    """Approval handler of ``realestate.price_change``: the version is approved now (it takes
    effect from its date)."""
    if request.content_type.model_class() is not PriceList:
        return
    price_list = PriceList.objects.get(pk=request.object_id)
    problems = price_list_cap_problems(price_list=price_list)
    if problems:  # a permit changed while the request waited
        raise TransitionConflict(" ".join(problems), missing=problems)

    def stamp(obj):
        obj.approved_at = timezone.now()

    transition_run(instance=price_list, name="approve", user=None, before_save=stamp)


def price_change_rejected(*, request) -> None:
    if request.content_type.model_class() is not PriceList:
        return
    transition_run(instance=PriceList.objects.get(pk=request.object_id), name="reject", user=None)
