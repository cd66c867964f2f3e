"""Through HTTP: the agreement PDF's text, the private licence image, the API's transitions and
errors, the booking page with htmx, and query counts of the calendar and the booking list."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from showroom.models import Document
from showroom.services.documents import document_render
from testdrive.models import Booking
from tests.testdrive.conftest import next_hour
from tests.testdrive.factories import licence_upload

PAGE_QUERIES = 7


def test_the_agreement_pdf_names_the_customer_the_vin_and_the_route(personas, checked_in):
    from pypdf import PdfReader

    # given the agreement issued at check-in, rendered by the documents engine
    document = document_render(document_id=Document.objects.get().pk)
    assert document.state == Document.State.READY
    # then its text holds the customer's name, the car's VIN and the chosen route
    with document.file.open("rb") as fh:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)
    assert checked_in.customer.name in text
    assert checked_in.vehicle.vin in text
    assert checked_in.route.name in text


def test_a_signature_drawn_on_screen_is_printed_in_the_agreement(personas, scheduled):
    import base64

    from pypdf import PdfReader

    from tests.testdrive.conftest import check_in
    from tests.testdrive.factories import png_bytes

    # given a customer who signs on the screen instead of typing the name
    drawn = "data:image/png;base64," + base64.b64encode(png_bytes((120, 40))).decode()
    check_in(scheduled, personas.consultant, signature=drawn, signed_name="", signed_confirmed=False)
    # when the agreement is rendered
    document = document_render(document_id=Document.objects.get().pk)
    # then the PDF carries the drawn signature as an image (embedded, no URL)
    with document.file.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    assert sum(len(page.images) for page in reader.pages) == 1


def test_the_licence_image_is_shown_to_the_consultant_and_managers_only(personas, checked_in, client):
    url = reverse("testdrive:licence_image", args=[checked_in.pk])
    # anonymous: to the login page
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    # a consultant of another store: not found (the booking is not in their stores)
    client.force_login(personas.b_consultant)
    assert client.get(url).status_code == 404
    client.force_login(personas.b_manager)
    assert client.get(url).status_code == 404
    # a receptionist of the same store: refused
    client.force_login(personas.receptionist)
    assert client.get(url).status_code == 403
    # the booking's consultant and the showroom manager: the picture, never cached
    for user in (personas.consultant, personas.showroom_manager):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_api_books_and_refuses_an_overlap_with_409(personas, api, fleet, lead, scheduled):
    client = api(personas.consultant)
    start = scheduled.slot_start + dt.timedelta(minutes=30)
    response = client.post(
        "/api/v1/testdrive/bookings/",
        {"lead": lead.pk, "vehicle": fleet["car"].pk, "route": fleet["routes"][0].pk, "start": start.isoformat()},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and f"#{scheduled.pk}" in response.json()["detail"]
    # the other car is free
    response = client.post(
        "/api/v1/testdrive/bookings/",
        {"lead": lead.pk, "vehicle": fleet["other"].pk, "route": fleet["routes"][1].pk, "start": start.isoformat()},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "scheduled" and "check_in" in body["available_transitions"]


def test_api_runs_the_drive_through_its_transitions(personas, api, scheduled):
    from tests.testdrive.conftest import complete_checklist

    client = api(personas.consultant)
    base = f"/api/v1/testdrive/bookings/{scheduled.pk}/transitions"
    expired = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    data = {
        "licence_number": "310115198501011234",
        "licence_class": "C1",
        "licence_expiry": expired,
        "licence_image": licence_upload(),
        "signed_name": "陈晓雨",
        "signed_confirmed": "true",
    }
    response = client.post(f"{base}/check_in/", data, format="multipart")
    assert response.status_code == 400 and "licence_expiry" in response.json()["fields"]
    data["licence_expiry"] = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data["licence_image"] = licence_upload()
    response = client.post(f"{base}/check_in/", data, format="multipart")
    assert response.status_code == 200, response.json()
    response = client.post(f"{base}/start/", {"odometer_km": 1000}, format="json")
    assert response.status_code == 409 and response.json()["missing"]
    booking = Booking.objects.get(pk=scheduled.pk)
    complete_checklist(booking, personas.consultant, "testdrive.readiness")
    complete_checklist(booking, personas.consultant, "testdrive.briefing")
    assert client.post(f"{base}/start/", {"odometer_km": 1000}, format="json").status_code == 200
    Booking.objects.filter(pk=booking.pk).update(started_at=timezone.now() - dt.timedelta(minutes=25))
    feedback = {"handling": 4, "comfort": 4, "space": 4, "noise": 3, "features": 5, "overall": 8}
    feedback |= {"ready_to_talk_price": "later", "customer_confirmed": True, "odometer_km": 1011}
    response = client.post(f"{base}/complete/", feedback, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "completed" and response.json()["feedback"]["overall"] == 8
    # another store's consultant does not see the booking at all
    assert api(personas.b_consultant).get(f"/api/v1/testdrive/bookings/{booking.pk}/").status_code == 404


def test_the_booking_form_books_with_htmx_and_answers_a_taken_car_with_alternatives(
    personas, web, fleet, lead, scheduled
):
    client = web(personas.consultant)
    start = timezone.localtime(scheduled.slot_start + dt.timedelta(minutes=30))
    data = {
        "lead": lead.pk,
        "vehicle": fleet["car"].pk,
        "route": fleet["routes"][0].pk,
        "start": f"{start:%Y-%m-%dT%H:%M}",
    }
    response = client.post(reverse("testdrive:book"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    assert f"#{scheduled.pk}" in response.content.decode() and 'data-testid="alternatives"' in response.content.decode()
    data["vehicle"] = fleet["other"].pk
    response = client.post(reverse("testdrive:book"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/testdrive/bookings/")


def test_pages_render(personas, web, checked_in):
    client = web(personas.consultant)
    for url in (
        reverse("testdrive:calendar") + "?view=week",
        reverse("testdrive:bookings"),
        reverse("testdrive:fleet"),
        reverse("testdrive:book"),
        reverse("testdrive:detail", args=[checked_in.pk]),
    ):
        assert client.get(url).status_code == 200, url


def _bookings(personas, fleet, n):
    from leads.services import lead_create
    from testdrive.services import booking_book
    from tests.factories import CustomerFactory

    for i in range(n):
        lead = lead_create(
            user=personas.consultant, store=personas.store_a, customer=CustomerFactory(store=personas.store_a)
        )
        booking_book(
            lead=lead,
            user=personas.consultant,
            vehicle=fleet["car"] if i % 2 else fleet["other"],
            route=fleet["routes"][0],
            start=next_hour(24 + i),
        )


@pytest.mark.parametrize("n", [2, 8])
def test_query_count_of_the_booking_list_api(personas, api, fleet, n, django_assert_num_queries):
    _bookings(personas, fleet, n)
    client = api(personas.consultant)
    # session, user, memberships (store scope), count, the page of bookings with their joins
    with django_assert_num_queries(5):
        response = client.get("/api/v1/testdrive/bookings/")
    assert response.status_code == 200 and response.json()["count"] == n


@pytest.mark.parametrize("n", [2, 8])
def test_query_count_of_the_calendar_page_and_api(personas, api, web, fleet, n, django_assert_num_queries):
    _bookings(personas, fleet, n)
    day = (timezone.localtime(next_hour(24))).date().isoformat()
    client = api(personas.consultant)
    # session, user, memberships, the store, the cars, the live bookings of the week
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/testdrive/bookings/calendar/?store={personas.store_a.pk}&day={day}&days=7")
    assert response.status_code == 200 and len(response.json()) == 2
    page = web(personas.consultant)
    with CaptureQueriesContext(connection) as counted:
        assert page.get(reverse("testdrive:calendar") + f"?view=week&day={day}").status_code == 200
    # the page's own queries do not grow with the bookings (the frame's are fixed too)
    print("\n".join(q["sql"][:110] for q in counted.captured_queries))
    assert len(counted.captured_queries) == PAGE_QUERIES


def test_the_booking_list_exports_exactly_its_filtered_rows(personas, web, scheduled):
    import csv

    from openpyxl import load_workbook

    client = web(personas.consultant)
    # the scheduled drive is the one row of its state, in CSV and XLSX
    text = b"".join(client.get("/testdrive/bookings/?state=scheduled&export=csv").streaming_content)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))[1:]
    assert [r[1] for r in rows] == [scheduled.customer.name]
    sheet = load_workbook(io.BytesIO(client.get("/testdrive/bookings/?state=completed&export=xlsx").content)).active
    assert sheet.max_row == 1  # only the header: no completed drive
