"""Setting a project up: the project with its fund-supervision account and rates, and its
buildings with their floors and units (the sales manager)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from realestate.models import Building, Project, Unit
from showroom import roles as r
from showroom.money import to_decimal

from ._common import require_role
from .projects import units_create

MAX_FLOORS = 120
MAX_PER_FLOOR = 40


def _required(value: str, field: str, message: str, errors: dict) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = [message]
    return text


@transaction.atomic
def project_create(
    *,
    user,
    store,
    code: str,
    name: str,
    fund_bank: str,
    fund_account_name: str,
    fund_account_no: str,
    address: str = "",
) -> Project:
    """A new project (preparing): nothing can be sold before its five permits, its public-notice
    checklist and its opening. The rates (deed tax, fund, fee, small deposit) start at the seed's
    defaults and are changed in the admin."""
    require_role(user=user, store_id=store.pk, roles=(r.SALES_MANAGER,))
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", _("Give the project's name."), errors)
    code = slugify(code or "")[:30]
    if not code:
        errors["code"] = [_("Give a short code (letters, digits, hyphens).")]
    fund_bank = _required(fund_bank, "fund_bank", _("Name the fund-supervision bank."), errors)
    fund_account_name = _required(
        fund_account_name, "fund_account_name", _("Give the fund-supervision account's name."), errors
    )
    fund_account_no = _required(
        fund_account_no, "fund_account_no", _("Give the fund-supervision account's number."), errors
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return Project.objects.create(
                store=store,
                code=code,
                name=name[:120],
                address=(address or "").strip()[:255],
                fund_bank=fund_bank[:120],
                fund_account_name=fund_account_name[:120],
                fund_account_no=fund_account_no[:40],
            )
    except IntegrityError:
        raise ValidationError({"code": [_("Another project of the store has this code.")]}) from None


@transaction.atomic
def building_create(
    *,
    user,
    project: Project,
    name: str,
    floors: int,
    units_per_floor: int,
    built_area,
    inner_area,
    layout: str = "",
    orientations: list[str] | None = None,
    use: str = Unit.Use.RESIDENTIAL,
) -> Building:
    """A building with ``floors`` × ``units_per_floor`` units numbered floor + position (1201,
    1202…); the orientations repeat along each floor. Areas and layouts can differ per unit later
    (admin)."""
    require_role(user=user, store_id=project.store_id, roles=(r.SALES_MANAGER,))
    errors: dict[str, list[str]] = {}
    name = _required(name, "name", _("Give the building's name."), errors)
    if not isinstance(floors, int) or not 1 <= floors <= MAX_FLOORS:
        errors["floors"] = [_("1 to %(n)s floors.") % {"n": MAX_FLOORS}]
    if not isinstance(units_per_floor, int) or not 1 <= units_per_floor <= MAX_PER_FLOOR:
        errors["units_per_floor"] = [_("1 to %(n)s units a floor.") % {"n": MAX_PER_FLOOR}]
    areas = {}
    for field, value in (("built_area", built_area), ("inner_area", inner_area)):
        try:
            areas[field] = to_decimal(value)
            if areas[field] <= 0:
                errors[field] = [_("An area above zero.")]
        except (TypeError, ValueError):
            errors[field] = [_("Not a number.")]
    if not errors and areas["inner_area"] > areas["built_area"]:
        errors["inner_area"] = [_("The inner area is at most the built-up area.")]
    orientations = [o for o in (orientations or [Unit.Orientation.SOUTH]) if o]
    if any(o not in Unit.Orientation.values for o in orientations):
        errors["orientations"] = [_("Unknown orientation.")]
    if use not in Unit.Use.values:
        errors["use"] = [_("Residential or commercial.")]
    if name and project.buildings.filter(name=name).exists():
        errors["name"] = [_("The project already has a building of this name.")]
    if errors:
        raise ValidationError(errors)
    order = (project.buildings.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    building = Building.objects.create(project=project, name=name[:60], order=order)
    rows = [
        {
            "floor": floor,
            "number": f"{floor}{i + 1:02d}",
            "use": use,
            "built_area": areas["built_area"],
            "inner_area": areas["inner_area"],
            "layout": (layout or "").strip()[:40],
            "orientation": orientations[i % len(orientations)],
        }
        for floor in range(1, floors + 1)
        for i in range(units_per_floor)
    ]
    units_create(building=building, rows=rows)
    return building
