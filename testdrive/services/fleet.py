"""The demo fleet and the routes: managers of the store add and change them."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from leads.models import Colour, Trim, VehicleModel
from showroom.models import Store
from showroom.permissions import has_role
from testdrive.models import DRIVE_MANAGERS, DemoVehicle, Route
from testdrive.validators import validate_vin, vin_normalise


def _require_manager(user, store_id: int) -> None:
    if not has_role(user, store_id, DRIVE_MANAGERS):
        raise PermissionDenied(_("Only a manager of the store may change the demo fleet and the routes."))


@transaction.atomic
def vehicle_create(
    *,
    store: Store,
    user,
    vin: str,
    plate: str,
    vehicle_model: VehicleModel,
    trim: Trim,
    colour: Colour,
    odometer_km: int = 0,
    fuel_level: Decimal = Decimal("1"),
    signage_fitted: bool = False,
) -> DemoVehicle:
    """Add a demo car: a VIN with a valid check digit, the plate, and a trim and colour of the model."""
    _require_manager(user, store.pk)
    vin = vin_normalise(vin)
    plate = (plate or "").replace(" ", "").upper()
    errors: dict[str, list] = {}
    try:
        validate_vin(vin)
    except ValidationError as exc:
        errors["vin"] = exc.messages
    if not plate or len(plate) > 12:
        errors["plate"] = [_("Enter the licence plate.")]
    if trim.vehicle_model_id != vehicle_model.pk:
        errors["trim"] = [_("Choose a trim of this model.")]
    if colour.vehicle_model_id != vehicle_model.pk:
        errors["colour"] = [_("Choose a colour of this model.")]
    if odometer_km is None or odometer_km < 0:
        errors["odometer_km"] = [_("Enter the odometer reading.")]
    if fuel_level is None or not Decimal("0") <= Decimal(fuel_level) <= Decimal("1"):
        errors["fuel_level"] = [_("The fuel level is a fraction of a tank, from 0 to 1.")]
    if "vin" not in errors and DemoVehicle.objects.filter(vin=vin).exists():
        errors["vin"] = [_("A demo car with this VIN exists already.")]
    if "plate" not in errors and DemoVehicle.objects.filter(store=store, plate=plate).exists():
        errors["plate"] = [_("The store has a demo car with this plate already.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return DemoVehicle.objects.create(
                store=store,
                vin=vin,
                plate=plate,
                vehicle_model=vehicle_model,
                trim=trim,
                colour=colour,
                odometer_km=odometer_km,
                fuel_level=Decimal(fuel_level),
                signage_fitted=signage_fitted,
            )
    except IntegrityError as exc:
        raise ValidationError({"vin": [_("A demo car with this VIN or plate exists already.")]}) from exc


@transaction.atomic
def vehicle_update(
    *,
    vehicle: DemoVehicle,
    user,
    status: str | None = None,
    signage_fitted: bool | None = None,
    fuel_level: Decimal | None = None,
    odometer_km: int | None = None,
) -> DemoVehicle:
    """Change a car's status, signage, fuel or odometer. "In use" is set by a drive only, and a car
    on a drive keeps that status until the drive ends."""
    vehicle = DemoVehicle.objects.select_for_update().get(pk=vehicle.pk)
    _require_manager(user, vehicle.store_id)
    errors: dict[str, list] = {}
    if status is not None:
        if status not in DemoVehicle.Status.values or status == DemoVehicle.Status.IN_USE:
            errors["status"] = [_("Choose available, preparing or out of service.")]
        elif vehicle.status == DemoVehicle.Status.IN_USE:
            errors["status"] = [_("The car is on a drive: its status changes when the drive ends.")]
        else:
            vehicle.status = status
    if fuel_level is not None:
        if not Decimal("0") <= Decimal(fuel_level) <= Decimal("1"):
            errors["fuel_level"] = [_("The fuel level is a fraction of a tank, from 0 to 1.")]
        else:
            vehicle.fuel_level = Decimal(fuel_level)
    if odometer_km is not None:
        if odometer_km < vehicle.odometer_km:
            errors["odometer_km"] = [_("The odometer cannot go back.")]
        else:
            vehicle.odometer_km = odometer_km
    if signage_fitted is not None:
        vehicle.signage_fitted = signage_fitted
    if errors:
        raise ValidationError(errors)
    vehicle.save()
    return vehicle


@transaction.atomic
def route_create(
    *,
    store: Store,
    user,
    name: str,
    distance_km: Decimal,
    expected_minutes: int,
    description: str = "",
    map_image=None,
) -> Route:
    _require_manager(user, store.pk)
    name = (name or "").strip()
    errors: dict[str, list] = {}
    if not name or len(name) > 120:
        errors["name"] = [_("Name the route (up to 120 characters).")]
    elif Route.objects.filter(store=store, name=name).exists():
        errors["name"] = [_("The store has a route with this name already.")]
    if distance_km is None or Decimal(distance_km) <= 0 or Decimal(distance_km) >= 10000:
        errors["distance_km"] = [_("Enter the distance in km.")]
    if expected_minutes is None or not 1 <= int(expected_minutes) <= 600:
        errors["expected_minutes"] = [_("Enter the expected minutes (1 to 600).")]
    if errors:
        raise ValidationError(errors)
    route = Route(
        store=store,
        name=name,
        description=(description or "").strip(),
        distance_km=Decimal(distance_km),
        expected_minutes=int(expected_minutes),
    )
    if map_image is not None:
        route.map_image = map_image
    route.save()
    return route
