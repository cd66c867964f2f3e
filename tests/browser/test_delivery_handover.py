# ruff: noqa: F401, F811  (pytest fixtures imported from the delivery conftest and quotes_fixtures)
"""A handover on the tablet: the consultant opens the handover checklist of an arrived delivery on
a portrait tablet screen, confirms every item with the customer (the fuel level and the photo of
the signed acceptance form too), hands the car over and completes the delivery.

Elements are found by ids, names and data-testid, not by their (translated) text.
"""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from delivery.models import Delivery
from tests.browser.test_customer_journey import log_in, switch_language
from tests.delivery.conftest import arrived, delivery, media, ready_order
from tests.leads.quotes_fixtures import VIN1, shop
from warehouse.models import Serial

pytestmark = pytest.mark.browser


def test_consultant_completes_the_handover_checklist_on_the_tablet_and_finishes_the_delivery(
    live_server, personas, arrived, page: Page, page_problems, screenshot, assert_assets_loaded, tmp_path
):
    base = live_server.url
    signature = tmp_path / "signed-form.png"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), "white").save(buffer, format="PNG")
    signature.write_bytes(buffer.getvalue())
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet, portrait

    log_in(page, base, personas.consultant.username)
    page.goto(f"{base}{reverse('delivery:detail', args=[arrived.pk])}")
    assert_assets_loaded(page)
    screenshot(page, "delivery", "en")
    page.get_by_test_id("checklist-delivery.handover").click()
    form = page.get_by_test_id("checklist-form")
    expect(form).to_be_visible()
    expect(page.get_by_test_id("screen-missing")).to_be_visible()
    # every yes/no item confirmed with the customer (touch targets are the labels)
    for label in form.locator("label[for$='-yes']").all():
        label.click()
    form.locator("input[inputmode=decimal]").fill("0.25")
    form.locator("input[type=file]").set_input_files(str(signature))
    screenshot(page, "handover-checklist", "en")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("screen-complete")).to_be_visible()
    switch_language(page, "zh-hans")
    screenshot(page, "handover-checklist", "zh-hans")
    switch_language(page, "en")

    page.get_by_test_id("back").click()
    expect(page.get_by_test_id("checklist-done-delivery.handover")).to_be_visible()
    page.locator("#arrival_minutes").fill("40")
    page.locator("#destination").fill("浦东新区 家")
    page.locator("#satisfaction").select_option("5")
    page.get_by_test_id("hand-over").click()
    expect(page.get_by_test_id("state").locator("[data-state=handed_over]")).to_be_visible()
    assert Serial.objects.get(number=VIN1).state == "out"
    page.get_by_test_id("complete").click()
    expect(page.get_by_test_id("state").locator("[data-state=completed]")).to_be_visible()
    screenshot(page, "delivery-completed", "en")
    delivery = Delivery.objects.get(pk=arrived.pk)
    assert (delivery.state, delivery.signed_name, delivery.satisfaction) == ("completed", "王先生", 5)
    assert page_problems.js_errors == []
