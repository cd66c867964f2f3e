"""Factories of the leads app: catalogue rows and leads (created directly, state "new"; tests that
need the follow-up plan open leads through ``lead_create``)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from leads.models import Brand, Colour, Lead, LeadContact, Trim, TrimColour, VehicleModel
from tests.factories import CustomerFactory, StoreFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)  # a Friday morning in the showroom


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"品牌{n}")
    is_own = True


class VehicleModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VehicleModel

    brand = factory.SubFactory(BrandFactory, name="别克")
    name = factory.Sequence(lambda n: f"车型{n}")
    segment = VehicleModel.Segment.SUV
    consultant_discount_limit = Decimal("5000.00")


class TrimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trim

    vehicle_model = factory.SubFactory(VehicleModelFactory)
    name = factory.Sequence(lambda n: f"豪华型 {n}")
    list_price = Decimal("219900.00")


class ColourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Colour

    vehicle_model = factory.SubFactory(VehicleModelFactory)
    name = factory.Sequence(lambda n: f"颜色{n}")
    code = "GAZ"


class TrimColourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrimColour

    trim = factory.SubFactory(TrimFactory)
    colour = factory.LazyAttribute(lambda o: ColourFactory(vehicle_model=o.trim.vehicle_model))
    list_price = factory.LazyAttribute(lambda o: o.trim.list_price)


class LeadFactory(factory.django.DjangoModelFactory):
    """A lead row without its follow-up plan (for lists and permission checks)."""

    class Meta:
        model = Lead

    store = factory.SubFactory(StoreFactory)
    customer = factory.LazyAttribute(lambda o: CustomerFactory(store=o.store))
    consultant = factory.SubFactory(UserFactory)
    created_by = factory.LazyAttribute(lambda o: o.consultant)
    source = "walk_in"
    vehicle_model = factory.SubFactory(VehicleModelFactory)
    grade = "B"


class LeadContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadContact

    lead = factory.SubFactory(LeadFactory)
    kind = "call"
    summary = "电话沟通"
    at = factory.LazyFunction(timezone.now)
    recorded_by = factory.LazyAttribute(lambda o: o.lead.consultant)
