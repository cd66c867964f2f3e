# ruff: noqa: F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""Quote and order pages and API: query counts that do not grow with rows, the builder's htmx
answers (totals live), permissions from both sides, the API's errors (400/403/404/409)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from leads.models import Lead, Order, Quote
from leads.services.quotes import quote_accept, quote_create, quote_send
from tests.factories import CustomerFactory
from tests.leads.quotes_fixtures import VIN1, shop, today  # noqa: F401

D = Decimal


def add_quotes(personas, shop, n: int) -> None:
    """``n`` sent quotes of store A, each with its lead and an order, in bulk."""
    customers = CustomerFactory.create_batch(n, store=personas.store_a)
    leads = Lead.objects.bulk_create(
        Lead(store=personas.store_a, customer=c, consultant=personas.consultant, source="walk_in", state="won")
        for c in customers
    )
    quotes = Quote.objects.bulk_create(
        Quote(
            store=personas.store_a,
            lead=lead,
            consultant=personas.consultant,
            number=f"QT-2026-{900000 + i + lead.pk:06d}",
            trim_colour=shop.tc,
            vehicle_price=D("231900.00"),
            invoice_date=today(),
            valid_until=today() + dt.timedelta(days=7),
            total=D("250000.00"),
            state="accepted",
        )
        for i, lead in enumerate(leads)
    )
    Order.objects.bulk_create(
        Order(
            store=personas.store_a,
            lead=q.lead,
            quote=q,
            consultant=personas.consultant,
            total=q.total,
            deposit_due=D("5000.00"),
        )
        for q in quotes
    )


def measure(client, url, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("kind", "url_name", "expected"),
    [
        # 1 session, 2 user, 3 memberships, 4 the user's stores (switcher, menu), 5 count, 6 the page
        # of quotes with lead, customer, consultant, trim, model and colour joined
        ("page", "leads:quotes", 6),
        # 1 session, 2 user, 3 memberships, 4 the user's stores, 5 count, 6 the page of orders with
        # lead, customer, consultant, quote, trim, model and colour joined
        ("page", "leads:orders", 6),
        # 1 session, 2 user, 3 memberships (store scope), 4 count, 5 the page (same joins)
        ("api", "lead-quote-list", 5),
        ("api", "lead-order-list", 5),
    ],
)
def test_quote_and_order_lists_cost_the_same_for_5_and_50_rows(
    personas, shop, api, web, django_assert_num_queries, kind, url_name, expected
):
    client = api(personas.consultant) if kind == "api" else web(personas.consultant)
    url = reverse(url_name)
    add_quotes(personas, shop, 5)
    client.get(url)  # warm the session and caches
    measure(client, url, django_assert_num_queries, expected)
    add_quotes(personas, shop, 45)
    response = measure(client, url, django_assert_num_queries, expected)
    if kind == "api":
        assert response.json()["count"] == 50


def test_lists_show_only_the_users_stores(personas, shop, api, web):
    add_quotes(personas, shop, 3)
    assert api(personas.b_consultant).get(reverse("lead-quote-list")).json()["count"] == 0
    assert api(personas.b_consultant).get(reverse("lead-order-list")).json()["count"] == 0
    page = web(personas.consultant).get(reverse("leads:quotes")).content.decode()
    assert page.count('data-testid="quote-row"') == 3
    empty = web(personas.b_consultant).get(reverse("leads:orders")).content.decode()
    assert "No order yet" in empty


def test_the_builder_adds_a_line_and_answers_the_new_totals(personas, shop, web):
    quote = quote_create(lead=shop.lead, user=personas.consultant, trim_colour=shop.tc, invoice_date=today())
    client = web(personas.consultant)
    url = reverse("leads:quote_line_add", args=[quote.pk])
    response = client.post(url, {"kind": "accessory", "item": shop.mats.pk, "quantity": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    quote.refresh_from_db()
    assert quote.accessories_total == D("2577.00")
    assert "¥2,577.00" in body and f"¥{quote.total:,.2f}" in body
    assert "showToast" in response["HX-Trigger"]
    # bad input: 400 with the field's message, nothing added
    response = client.post(url, {"kind": "fee", "item": shop.mats.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert quote.lines.count() == 1
    # another store's consultant: 404; a receptionist of the store: 409 page answer, nothing added
    assert web(personas.b_consultant).post(url, {"kind": "fee", "item": shop.fee.pk}).status_code == 404
    web(personas.receptionist).post(url, {"kind": "fee", "item": shop.fee.pk}, HTTP_HX_REQUEST="true")
    assert quote.lines.count() == 1


def test_quote_page_and_order_page_render_for_the_consultant(personas, shop, web):
    quote = quote_create(lead=shop.lead, user=personas.consultant, trim_colour=shop.tc, vin=VIN1)
    client = web(personas.consultant)
    page = client.get(reverse("leads:quote", args=[quote.pk])).content.decode()
    assert VIN1 in page and 'data-testid="signing-documents"' in page and 'data-action="send"' in page
    quote = quote_send(quote=quote, user=personas.consultant)
    order = quote_accept(quote=quote, user=personas.consultant)
    page = client.get(reverse("leads:order", args=[order.pk])).content.decode()
    assert 'data-testid="deposit-form"' in page
    lead_page = client.get(reverse("leads:detail", args=[shop.lead.pk])).content.decode()
    assert f"?lead={shop.lead.pk}" in lead_page and quote.number in lead_page
    loan = client.get(
        reverse("leads:quote_loan", args=[quote.pk]),
        {"price": "1000000", "down_payment": "0", "months": "360", "annual_rate": "4.9"},
    )
    assert "¥5,307.27" in loan.content.decode()


def test_api_quote_journey_and_errors(personas, shop, api):
    client = api(personas.consultant)
    response = client.post(
        reverse("lead-quote-list"),
        {"lead": shop.lead.pk, "trim_colour": shop.tc.pk, "discount": "3000.01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    quote_id = response.json()["id"]
    lines = reverse("lead-quote-lines", args=[quote_id])
    assert client.post(lines, {"kind": "accessory", "item": shop.film.pk}, format="json").status_code == 201
    bad = client.post(lines, {"kind": "insurance", "item": shop.film.pk}, format="json")
    assert bad.status_code == 400 and "item" in bad.json()["fields"]
    # another store: 404; a receptionist: 403
    assert api(personas.b_consultant).get(reverse("lead-quote-detail", args=[quote_id])).status_code == 404
    assert (
        api(personas.receptionist).post(lines, {"kind": "fee", "item": shop.fee.pk}, format="json").status_code == 403
    )
    send = reverse("lead-quote-transitions", args=[quote_id, "send"])
    body = client.post(send, {}, format="json").json()
    assert body["state"] == "pending_approval"
    assert client.post(send, {}, format="json").status_code == 409
    detail = client.get(reverse("lead-quote-detail", args=[quote_id])).json()
    assert detail["accessories_total"] == "3999.99" and len(detail["lines"]) == 1
    loan = client.post(
        reverse("lead-loan-calculator"),
        {"price": "1000000", "down_payment": "0", "months": 360, "annual_rate": "4.9"},
        format="json",
    )
    assert loan.status_code == 200 and loan.json()["monthly_payment"] == "5307.27"
    assert (
        client.post(
            reverse("lead-loan-calculator"), {"price": "x", "months": 0, "annual_rate": "1"}, format="json"
        ).status_code
        == 400
    )


def test_api_order_steps(personas, shop, api):
    quote = quote_send(
        quote=quote_create(lead=shop.lead, user=personas.consultant, trim_colour=shop.tc), user=personas.consultant
    )
    order = quote_accept(quote=quote, user=personas.consultant)
    client = api(personas.consultant)

    def step(name, data, user=None):
        c = api(user) if user else client
        return c.post(reverse("lead-order-transitions", args=[order.pk, name]), data, format="json")

    assert step("allocate", {"vin": VIN1}).status_code == 409  # no deposit yet
    assert step("pay_deposit", {"method": "bitcoin"}).status_code == 400
    assert step("pay_deposit", {"method": "cash"}, personas.receptionist).status_code == 403
    body = step("pay_deposit", {"method": "cash"}).json()
    assert (body["state"], body["paid"]) == ("deposit_paid", "5000.00")
    assert body["payments"][0]["receipt_number"].startswith("DR-")
    assert step("allocate", {"vin": "WRONG"}).status_code == 400
    body = step("allocate", {"vin": VIN1}).json()
    assert (body["state"], body["vin"]) == ("allocated", VIN1)
    assert step("cancel", {"reason": "客户放弃"}).json()["refunded"] == "0.00"


def test_the_terms_form_refuses_bad_input_with_a_400_next_to_the_field(personas, shop, web):
    quote = quote_create(lead=shop.lead, user=personas.consultant, trim_colour=shop.tc)
    url = reverse("leads:quote_update", args=[quote.pk])
    response = web(personas.consultant).post(url, {"discount": "lots", "vin": ""})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    quote.refresh_from_db()
    assert quote.discount == D("0.00")
    response = web(personas.consultant).post(url, {"discount": "1,500.50", "vin": VIN1})
    assert response.status_code == 302
    quote.refresh_from_db()
    assert (quote.discount, quote.vin) == (D("1500.50"), VIN1)


def test_the_appraiser_records_a_trade_in_with_photos_and_the_customer_accepts(personas, shop, web):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from leads.models import Appraisal, AppraisalRequest

    request = AppraisalRequest.objects.create(
        lead=shop.lead, store=personas.store_a, car_details="本田 雅阁 2019", requested_by=personas.consultant
    )
    url = reverse("leads:appraisal_record", args=[request.pk])
    values = {
        "make": "本田",
        "model": "雅阁",
        "year": "2019",
        "mileage_km": "62000",
        "offer": "88,000",
        "valid_days": "5",
    }
    # the consultant may not appraise; the appraiser may
    assert web(personas.consultant).post(url, values).status_code == 403
    bad = web(personas.appraiser).post(url, {**values, "offer": "", "year": "1800"})
    assert bad.status_code == 400 and not Appraisal.objects.exists()
    photo = SimpleUploadedFile("front.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    assert web(personas.appraiser).post(url, {**values, "photos": photo}).status_code == 302
    appraisal = Appraisal.objects.get()
    assert (appraisal.offer, appraisal.valid_until) == (D("88000.00"), today() + dt.timedelta(days=5))
    assert len(appraisal.photos) == 1 and appraisal.photos[0].startswith(f"appraisals/{request.pk}/")
    answer = reverse("leads:appraisal_answer", args=[appraisal.pk])
    assert web(personas.consultant).post(answer, {"accepted": "yes"}).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.state == "accepted"
    quote = quote_create(lead=shop.lead, user=personas.consultant, trim_colour=shop.tc, trade_in=appraisal)
    assert quote.trade_in_credit == D("88000.00")
