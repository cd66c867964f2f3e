"""The vehicle catalogue: brands, models (segment, the consultant's discount limit), trims, colours
and the list price of each trim × colour. Everyone reads it; a sales manager (in any store: the
catalogue is the dealer's, not one store's) edits it."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leads.models import Brand, Colour, Trim, TrimColour, VehicleModel
from leads.services._common import require
from showroom.money import money
from showroom.permissions import store_ids_for
from showroom.roles import SALES_MANAGER

MAX_PRICE = Decimal("9999999999.99")


def catalogue_may_edit(*, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return bool(user.is_superuser or store_ids_for(user, SALES_MANAGER))


def _require_editor(user) -> None:
    require(catalogue_may_edit(user=user), _("Only a sales manager edits the vehicle catalogue."))


def _text(values: dict, name: str, errors: dict, *, limit: int, required: bool = True, message: str = "") -> None:
    if name not in values:
        return
    text = str(values[name] or "").strip()
    if required and not text:
        errors[name] = [message or _("This field is required.")]
    elif len(text) > limit:
        errors[name] = [_("Keep it under %(n)s characters.") % {"n": limit}]
    values[name] = text


def _money(values: dict, name: str, errors: dict) -> None:
    if name not in values:
        return
    try:
        amount = money(values[name])
    except (InvalidOperation, ValueError, TypeError):
        errors[name] = [_("Enter an amount in yuan.")]
        return
    if amount < 0 or amount > MAX_PRICE:
        errors[name] = [_("Enter an amount from 0 to 9,999,999,999.99.")]
    values[name] = amount


def _name_taken(queryset, *, name: str, instance) -> bool:
    """Another row of ``queryset`` already has this name (case-insensitive); the row being edited
    does not count."""
    clash = queryset.filter(name__iexact=name)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    return clash.exists()


def _save(obj, values: dict[str, Any], allowed: tuple[str, ...]) -> Any:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in sorted(unknown)})
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


# --- brands -------------------------------------------------------------------------------------

BRAND_FIELDS = ("name", "is_own")


def _clean_brand(values: dict, *, instance: Brand | None) -> dict:
    errors: dict[str, list[str]] = {}
    _text(values, "name", errors, limit=60, message=_("Name the brand."))
    if "is_own" in values:
        values["is_own"] = bool(values["is_own"])
    name = values.get("name")
    if name and "name" not in errors and _name_taken(Brand.objects.all(), name=name, instance=instance):
        errors["name"] = [_("This brand is already in the catalogue.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def brand_create(*, user, name: str, is_own: bool = True) -> Brand:
    _require_editor(user)
    values = _clean_brand({"name": name, "is_own": is_own}, instance=None)
    return _save(Brand(), values, BRAND_FIELDS)


@transaction.atomic
def brand_update(*, user, brand: Brand, **values: Any) -> Brand:
    _require_editor(user)
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    return _save(brand, _clean_brand(dict(values), instance=brand), BRAND_FIELDS)


# --- models -------------------------------------------------------------------------------------

MODEL_FIELDS = ("brand", "name", "segment", "consultant_discount_limit", "is_active")


def _clean_model(values: dict, *, instance: VehicleModel | None) -> dict:
    errors: dict[str, list[str]] = {}
    _text(values, "name", errors, limit=80, message=_("Name the model."))
    if "segment" in values and values["segment"] not in VehicleModel.Segment.values:
        errors["segment"] = [_("Choose a segment from the list.")]
    if "brand" in values and not isinstance(values["brand"], Brand):
        errors["brand"] = [_("Choose a brand.")]
    _money(values, "consultant_discount_limit", errors)
    if "is_active" in values:
        values["is_active"] = bool(values["is_active"])
    brand = values.get("brand", instance.brand if instance is not None else None)
    name = values.get("name", instance.name if instance is not None else "")
    checkable = isinstance(brand, Brand) and name and not ({"name", "brand"} & set(errors))
    if checkable and _name_taken(VehicleModel.objects.filter(brand=brand), name=name, instance=instance):
        errors["name"] = [_("This brand already has a model of this name.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def vehicle_model_create(
    *,
    user,
    brand: Brand,
    name: str,
    segment: str,
    consultant_discount_limit: Decimal | str = Decimal("0"),
    is_active: bool = True,
) -> VehicleModel:
    _require_editor(user)
    values = _clean_model(
        {
            "brand": brand,
            "name": name,
            "segment": segment,
            "consultant_discount_limit": consultant_discount_limit,
            "is_active": is_active,
        },
        instance=None,
    )
    return _save(VehicleModel(), values, MODEL_FIELDS)


@transaction.atomic
def vehicle_model_update(*, user, vehicle_model: VehicleModel, **values: Any) -> VehicleModel:
    _require_editor(user)
    vehicle_model = VehicleModel.objects.select_for_update().select_related("brand").get(pk=vehicle_model.pk)
    return _save(vehicle_model, _clean_model(dict(values), instance=vehicle_model), MODEL_FIELDS)


# --- trims and colours --------------------------------------------------------------------------

TRIM_FIELDS = ("name", "list_price", "is_active")
COLOUR_FIELDS = ("name", "code")


def _clean_trim(values: dict, *, vehicle_model: VehicleModel, instance: Trim | None) -> dict:
    errors: dict[str, list[str]] = {}
    _text(values, "name", errors, limit=120, message=_("Name the trim."))
    _money(values, "list_price", errors)
    if "is_active" in values:
        values["is_active"] = bool(values["is_active"])
    name = values.get("name")
    siblings = Trim.objects.filter(vehicle_model=vehicle_model)
    if name and "name" not in errors and _name_taken(siblings, name=name, instance=instance):
        errors["name"] = [_("This model already has a trim of this name.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def trim_create(
    *, user, vehicle_model: VehicleModel, name: str, list_price: Decimal | str, is_active: bool = True
) -> Trim:
    _require_editor(user)
    values = _clean_trim(
        {"name": name, "list_price": list_price, "is_active": is_active}, vehicle_model=vehicle_model, instance=None
    )
    return _save(Trim(vehicle_model=vehicle_model), values, TRIM_FIELDS)


@transaction.atomic
def trim_update(*, user, trim: Trim, **values: Any) -> Trim:
    _require_editor(user)
    trim = Trim.objects.select_for_update().get(pk=trim.pk)
    cleaned = _clean_trim(dict(values), vehicle_model=trim.vehicle_model, instance=trim)
    return _save(trim, cleaned, TRIM_FIELDS)


def _clean_colour(values: dict, *, vehicle_model: VehicleModel, instance: Colour | None) -> dict:
    errors: dict[str, list[str]] = {}
    _text(values, "name", errors, limit=60, message=_("Name the colour."))
    _text(values, "code", errors, limit=20, required=False)
    name = values.get("name")
    siblings = Colour.objects.filter(vehicle_model=vehicle_model)
    if name and "name" not in errors and _name_taken(siblings, name=name, instance=instance):
        errors["name"] = [_("This model already has a colour of this name.")]
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def colour_create(*, user, vehicle_model: VehicleModel, name: str, code: str = "") -> Colour:
    _require_editor(user)
    values = _clean_colour({"name": name, "code": code}, vehicle_model=vehicle_model, instance=None)
    return _save(Colour(vehicle_model=vehicle_model), values, COLOUR_FIELDS)


@transaction.atomic
def colour_update(*, user, colour: Colour, **values: Any) -> Colour:
    _require_editor(user)
    colour = Colour.objects.select_for_update().get(pk=colour.pk)
    cleaned = _clean_colour(dict(values), vehicle_model=colour.vehicle_model, instance=colour)
    return _save(colour, cleaned, COLOUR_FIELDS)


@transaction.atomic
def trim_colour_price_set(*, user, trim: Trim, colour: Colour, list_price: Decimal | str) -> TrimColour:
    """The list price of one sellable trim × colour (created the first time)."""
    _require_editor(user)
    errors: dict[str, list[str]] = {}
    values = {"list_price": list_price}
    _money(values, "list_price", errors)
    if colour.vehicle_model_id != trim.vehicle_model_id:
        errors["colour"] = [_("The colour must be one of the trim's model.")]
    if errors:
        raise ValidationError(errors)
    row, _created = TrimColour.objects.select_for_update().get_or_create(
        trim=trim, colour=colour, defaults={"list_price": values["list_price"]}
    )
    if row.list_price != values["list_price"]:
        row.list_price = values["list_price"]
        row.save(update_fields=["list_price"])
    return row
