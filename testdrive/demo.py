"""Demo data of the test-drive app: three demo cars and two routes in store "car01", and bookings
in every state (requested, scheduled, checked in, in progress, completed — one of them short —
cancelled and no-show) on the demo leads. Registered as the ``testdrive`` seeder after "leads";
idempotent."""

import datetime as dt
import io
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from showroom.registry import register_seeder
from testdrive.validators import vin_check_digit

# (model name, plate, VIN without its check digit: 8 + "?" + 8, odometer, signage)
FLEET = [
    ("GL8", "沪A·D1234", "LSGUA84K?PA100231", 3560, True),
    ("君越", "沪A·D2345", "LSGZC53L?PS200417", 1280, True),
    ("昂科威 Plus", "沪A·D3456", "LSGXE83L?PD300598", 820, True),
]
ROUTES = [
    ("城市道路线", "世纪大道—张杨路—浦东南路,含红绿灯起步与跟车", Decimal("8.5"), 25),
    ("高架快速线", "罗山路高架—中环线,含加速并线与高速静谧性体验", Decimal("15.0"), 35),
]


def demo_vin(template: str) -> str:
    vin = template.replace("?", "0")
    return template.replace("?", vin_check_digit(vin))


def _licence_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (210, 225, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def seed_testdrive(*, stdout) -> None:
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from leads.models import Lead, VehicleModel
    from showroom.models import Store
    from testdrive.models import Booking, DemoVehicle, Feedback, Route

    store = Store.objects.filter(code="car01").first()
    manager = get_user_model().objects.filter(username="showroom_manager").first()
    if store is None or manager is None:
        stdout.write("  testdrive: skipped (no store car01 or showroom manager)")
        return
    if DemoVehicle.objects.filter(store=store).exists():
        stdout.write("  testdrive: already seeded")
        return
    models = {m.name: m for m in VehicleModel.objects.filter(name__in=[f[0] for f in FLEET])}
    if len(models) < len(FLEET):
        stdout.write("  testdrive: skipped (the leads catalogue is missing)")
        return
    leads = list(
        Lead.objects.filter(store=store, state__in=Lead.OPEN_STATES)
        .select_related("customer", "consultant")
        .order_by("id")[:7]
    )
    now = timezone.now()
    with transaction.atomic():
        vehicles = []
        for name, plate, vin, km, signage in FLEET:
            model = models[name]
            vehicles.append(
                DemoVehicle.objects.create(
                    store=store,
                    vin=demo_vin(vin),
                    plate=plate.replace("·", ""),
                    vehicle_model=model,
                    trim=model.trims.order_by("list_price").first(),
                    colour=model.colours.order_by("name").first(),
                    odometer_km=km,
                    fuel_level=Decimal("0.75"),
                    signage_fitted=signage,
                )
            )
        routes = [
            Route.objects.create(store=store, name=n, description=d, distance_km=km, expected_minutes=m)
            for n, d, km, m in ROUTES
        ]
        if len(leads) < 7:
            stdout.write("  testdrive: 3 cars, 2 routes; too few open leads for bookings")
            return
        today = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
        hour = dt.timedelta(hours=1)
        S = Booking.State
        # (state, car, route, start offset from the current hour, minutes driven, short reason)
        plan = [
            (S.REQUESTED, None, None, None, None, ""),
            (S.SCHEDULED, 0, 0, 2 * hour, None, ""),
            (S.CHECKED_IN, 1, 1, 1 * hour, None, ""),
            (S.IN_PROGRESS, 2, 0, dt.timedelta(0), None, ""),
            (S.COMPLETED, 0, 1, -3 * hour, 32, ""),
            (S.COMPLETED, 1, 0, -26 * hour, 12, "客户临时有事,提前结束"),
            (S.CANCELLED, 2, 1, 24 * hour, None, ""),
        ]
        for (state, car, route, offset, minutes, reason), lead in zip(plan, leads, strict=True):
            vehicle = vehicles[car] if car is not None else None
            start = today + offset if offset is not None else None
            booking = Booking(
                store=store,
                lead=lead,
                customer=lead.customer,
                consultant=lead.consultant,
                wanted_model=vehicle.vehicle_model if vehicle else lead.vehicle_model,
                vehicle=vehicle,
                route=routes[route] if route is not None else None,
                slot_start=start,
                slot_end=start + hour if start else None,
                state=state,
                created_by=lead.consultant,
                cancel_reason="客户改期" if state == S.CANCELLED else "",
            )
            if state in (S.CHECKED_IN, S.IN_PROGRESS, S.COMPLETED):
                booking.licence_number = f"31011519850{lead.pk:07d}"[:18]
                booking.licence_class = "C1"
                booking.licence_expiry = (now + dt.timedelta(days=900)).date()
                booking.signed_name = lead.customer.name
                booking.signed_at = booking.checked_in_at = start - dt.timedelta(minutes=10)
                booking.licence_image.save(f"demo-{lead.pk}.png", ContentFile(_licence_png()), save=False)
            if state in (S.IN_PROGRESS, S.COMPLETED):
                booking.started_at = start
                booking.start_odometer_km = vehicle.odometer_km
            if state == S.COMPLETED:
                booking.ended_at = start + dt.timedelta(minutes=minutes)
                booking.end_odometer_km = vehicle.odometer_km + 9
                booking.short_drive = bool(reason)
                booking.short_reason = reason
            booking.save()
            if state == S.COMPLETED:
                Feedback.objects.create(
                    booking=booking,
                    handling=5,
                    comfort=4,
                    space=5 if vehicle.vehicle_model.name == "GL8" else 4,
                    noise=4,
                    features=4,
                    overall=9 if not reason else 7,
                    comments="起步平顺,隔音很好" if not reason else "想再约一次长途试驾",
                    ready_to_talk_price=Feedback.PriceTalk.YES if not reason else Feedback.PriceTalk.LATER,
                    customer_confirmed_at=booking.ended_at,
                    recorded_by=lead.consultant,
                )
        vehicles[2].status = DemoVehicle.Status.IN_USE
        vehicles[2].save(update_fields=["status"])
    stdout.write("  testdrive: 3 cars, 2 routes, 7 bookings (every state)")


register_seeder("testdrive", seed_testdrive, depends_on=["leads"])
