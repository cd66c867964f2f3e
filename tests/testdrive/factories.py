"""Factories of the test-drive app: demo cars (with a valid VIN), routes, and a PNG image."""

import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from testdrive.models import DemoVehicle, Route
from testdrive.validators import vin_check_digit
from tests.factories import StoreFactory
from tests.leads.factories import ColourFactory, TrimFactory, VehicleModelFactory


def valid_vin(n: int) -> str:
    body = f"LSGUA84K0PA{n:06d}"
    return body[:8] + vin_check_digit(body) + body[9:]


class DemoVehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemoVehicle

    store = factory.SubFactory(StoreFactory)
    vin = factory.Sequence(valid_vin)
    plate = factory.Sequence(lambda n: f"沪AD{n:04d}")
    vehicle_model = factory.SubFactory(VehicleModelFactory)
    trim = factory.LazyAttribute(lambda o: TrimFactory(vehicle_model=o.vehicle_model))
    colour = factory.LazyAttribute(lambda o: ColourFactory(vehicle_model=o.vehicle_model))
    odometer_km = 1000
    fuel_level = Decimal("0.75")
    signage_fitted = True


class RouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Route

    store = factory.SubFactory(StoreFactory)
    name = factory.Sequence(lambda n: f"路线{n}")
    description = "城市道路"
    distance_km = Decimal("8.5")
    expected_minutes = 25


def png_bytes(size=(40, 24)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 220, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def licence_upload(name: str = "licence.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")
