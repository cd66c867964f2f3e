"""A test drive through the browser: the consultant books a drive for his lead from the calendar
(htmx panel), checks the customer in (licence, picture, typed signature), starts the drive once
the car's readiness and the briefing lists are complete, and completes it with the feedback.

Elements are found by ids, names and data-testid, not by their (translated) text.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from leads.models import Lead
from leads.services import lead_create
from testdrive.models import Booking, DemoVehicle
from tests.browser.test_customer_journey import log_in, switch_language
from tests.factories import CustomerFactory
from tests.leads.factories import TrimFactory, VehicleModelFactory
from tests.testdrive.conftest import complete_checklist
from tests.testdrive.factories import DemoVehicleFactory, RouteFactory, png_bytes

pytestmark = pytest.mark.browser


def test_consultant_books_checks_in_starts_and_completes_a_test_drive(
    live_server, personas, page: Page, page_problems, screenshot, assert_assets_loaded, tmp_path, settings
):
    settings.TESTDRIVE_PRIVATE_ROOT = str(tmp_path / "private")
    base = live_server.url
    store = personas.store_a
    gl8 = VehicleModelFactory(name="GL8", segment="mpv")
    TrimFactory(vehicle_model=gl8)
    car = DemoVehicleFactory(store=store, vehicle_model=gl8)
    routes = [RouteFactory(store=store, name="城市道路线"), RouteFactory(store=store, name="高架快速线")]
    customer = CustomerFactory(store=store, name="陈晓雨")
    lead = lead_create(user=personas.consultant, store=store, customer=customer, vehicle_model=gl8)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    # the consultant opens the calendar for his lead, tomorrow
    log_in(page, base, personas.consultant.username)
    page.goto(f"{base}{reverse('testdrive:calendar')}?lead={lead.pk}&day={tomorrow.isoformat()}")
    assert_assets_loaded(page)
    screenshot(page, "calendar", "en")
    # one click on the free 10:00 slot opens the booking form beside the calendar
    page.get_by_test_id(f"slot-{car.pk}-1000").click()
    form = page.get_by_test_id("book-form")
    expect(form).to_be_visible()
    expect(form.locator("#book-lead")).to_have_value(str(lead.pk))
    # the customer chooses the route; book
    form.locator(f"#book-route-{routes[1].pk}").check()
    screenshot(page, "booking-form", "en")
    form.get_by_test_id("book-submit").click()
    page.wait_for_url(f"{base}/testdrive/bookings/*/")
    booking = Booking.objects.get()
    assert (booking.state, booking.vehicle_id, booking.route_id) == ("scheduled", car.pk, routes[1].pk)
    assert timezone.localtime(booking.slot_start).hour == 10

    # check-in: licence, its picture, and the customer's typed name with the tick
    check_in = page.get_by_test_id("check-in-form")
    check_in.locator("#licence_number").fill("310115198501011234")
    check_in.locator("#licence_class").select_option("C1")
    check_in.locator("#licence_expiry").fill((tomorrow + dt.timedelta(days=400)).isoformat())
    picture = tmp_path / "licence.png"
    picture.write_bytes(png_bytes((200, 120)))
    check_in.locator("#licence_image").set_input_files(str(picture))
    check_in.locator("#signed_name").fill("陈晓雨")
    check_in.locator("#signed_confirmed").check()
    screenshot(page, "check-in", "en")
    check_in.get_by_test_id("check-in").click()
    expect(page.get_by_test_id("step-start")).to_be_visible()
    booking.refresh_from_db()
    assert booking.state == "checked_in" and booking.signed_name == "陈晓雨"
    expect(page.get_by_test_id("licence-link")).to_be_visible()

    # the car was prepared and the briefing given (the checklists engine's own pages)
    complete_checklist(booking, personas.consultant, "testdrive.readiness")
    complete_checklist(booking, personas.consultant, "testdrive.briefing")
    page.reload()
    expect(page.get_by_test_id("checklist-done-testdrive.readiness")).to_be_visible()
    page.locator("#start-odometer").fill(str(car.odometer_km))
    page.get_by_test_id("start").click()
    expect(page.get_by_test_id("step-complete")).to_be_visible()
    assert DemoVehicle.objects.get(pk=car.pk).status == "in_use"

    # twenty-five minutes later the customer is back and fills the feedback form
    Booking.objects.filter(pk=booking.pk).update(started_at=timezone.now() - dt.timedelta(minutes=25))
    done = page.get_by_test_id("complete-form")
    done.locator("#end-odometer").fill(str(car.odometer_km + 15))
    for name in ("handling", "comfort", "space", "noise", "features"):
        done.locator(f"label[for='{name}-5']").click()
    done.locator("#overall").fill("9")
    done.locator("#comments").fill("第三排空间宽敞")
    done.locator("#price-yes").check()
    done.locator("#grade_to").select_option("A")
    done.locator("#customer_confirmed").check()
    screenshot(page, "feedback", "en")
    done.get_by_test_id("complete").click()
    expect(page.get_by_test_id("feedback")).to_be_visible()
    expect(page.get_by_test_id("overall")).to_have_text("9")
    booking.refresh_from_db()
    lead.refresh_from_db()
    assert (booking.state, booking.short_drive) == ("completed", False)
    assert (lead.state, lead.grade) == (Lead.State.TEST_DRIVEN, "A")
    screenshot(page, "completed", "en")
    switch_language(page, "zh-hans")
    screenshot(page, "completed", "zh-hans")
    page_problems.assert_none()
