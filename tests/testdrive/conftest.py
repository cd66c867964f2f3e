"""Fixtures of the test-drive tests: store A's fleet (two cars, two routes), a lead of the
consultant, bookings moved along by the services, checklists completed, and a private folder."""

import datetime as dt

import pytest
from django.utils import timezone

from leads.services import lead_create
from showroom.models import ChecklistItem
from showroom.services.checklists import checklist_answer, checklist_run_start
from testdrive.services import booking_book, booking_check_in, booking_start
from tests.factories import CustomerFactory
from tests.leads.factories import TrimFactory, VehicleModelFactory
from tests.testdrive.factories import DemoVehicleFactory, RouteFactory, licence_upload


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.TESTDRIVE_PRIVATE_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "private"


@pytest.fixture
def fleet(personas):
    store = personas.store_a
    gl8 = VehicleModelFactory(name="GL8", segment="mpv")
    TrimFactory(vehicle_model=gl8, name="陆尊 653T 豪华型")
    car = DemoVehicleFactory(store=store, vehicle_model=gl8)
    other = DemoVehicleFactory(store=store, vehicle_model=gl8)
    routes = [RouteFactory(store=store, name="城市道路线"), RouteFactory(store=store, name="高架快速线")]
    return {"store": store, "model": gl8, "car": car, "other": other, "routes": routes}


@pytest.fixture
def lead(personas, fleet):
    customer = CustomerFactory(store=personas.store_a, name="陈晓雨")
    return lead_create(
        user=personas.consultant, store=personas.store_a, customer=customer, vehicle_model=fleet["model"]
    )


def next_hour(hours: int = 1) -> dt.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=hours)


@pytest.fixture
def scheduled(personas, fleet, lead):
    return booking_book(
        lead=lead, user=personas.consultant, vehicle=fleet["car"], route=fleet["routes"][0], start=next_hour(2)
    )


def check_in(booking, user, **overrides):
    values = {
        "licence_number": "310115198501011234",
        "licence_class": "C1",
        "licence_expiry": timezone.localdate() + dt.timedelta(days=365),
        "licence_image": licence_upload(),
        "signed_name": booking.customer.name,
        "signed_confirmed": True,
    }
    values.update(overrides)
    return booking_check_in(booking=booking, user=user, **values)


def complete_checklist(booking, user, code: str) -> None:
    run = checklist_run_start(template_code=code, target=booking, user=user)
    for item in ChecklistItem.objects.filter(template=run.template):
        if item.kind == ChecklistItem.Kind.NUMBER:
            checklist_answer(run=run, item=item, user=user, number="0.75")
        else:
            checklist_answer(run=run, item=item, user=user, ticked=True)


@pytest.fixture
def checked_in(personas, scheduled):
    return check_in(scheduled, personas.consultant)


@pytest.fixture
def in_progress(personas, checked_in):
    complete_checklist(checked_in, personas.consultant, "testdrive.readiness")
    complete_checklist(checked_in, personas.consultant, "testdrive.briefing")
    return booking_start(booking=checked_in, user=personas.consultant, odometer_km=1000)
