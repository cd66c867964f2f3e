# ruff: noqa: F811  (the ``counter`` fixture is imported from jewellery_support)
"""The jewellery counter in the browser: the consultant counts the trays at opening on the tablet
screen (one ring short), the day page shows the difference and no "open" step until the duty
manager records the cause; then the counter opens. Screenshots in English and Chinese."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_customer_journey import log_in, switch_language
from tests.warehouse.jewellery_support import counter  # noqa: F401
from warehouse.models import CounterDay
from warehouse.services import jewellery as jw

pytestmark = pytest.mark.browser


def test_opening_count_with_a_difference_waits_for_the_duty_manager(
    live_server, counter, page: Page, page_problems, screenshot, assert_assets_loaded
):
    base, c = live_server.url, counter
    log_in(page, base, c.p.consultant.username)
    page.goto(f"{base}{reverse('warehouse:jewellery_count', args=[c.day.pk, 'opening'])}")
    assert_assets_loaded(page)
    page.locator("#safe_empty").check()
    page.locator("#safe_closed").check()
    for box in page.locator("input[name=checklist]").all():
        box.check()
    for tray in c.trays:
        pieces = tray.pieces - 1 if tray.code == "T1" else tray.pieces
        weight = "97.300" if tray.code == "T1" else str(tray.weight)
        page.locator(f"#pieces_{tray.pk}").fill(str(pieces))
        page.locator(f"#weight_{tray.pk}").fill(weight)
    screenshot(page, "opening-count", "en")
    page.locator("[data-testid=count-form] button[type=submit]").click()
    expect(page.get_by_test_id("differences")).to_contain_text("T1")
    expect(page.locator("button[data-step=open]")).to_be_disabled()
    screenshot(page, "day-difference", "en")
    switch_language(page, "zh-hans")
    screenshot(page, "day-difference", "zh-hans")

    jw.counter_difference_explain(day=c.day, user=c.p.showroom_manager, cause="戒指送修未登记")
    page.reload()
    page.locator("button[data-step=open]").click()
    expect(page.locator("button[data-step=close]")).to_be_disabled()  # not before the closing count
    assert CounterDay.objects.get(pk=c.day.pk).state == CounterDay.State.OPENED
    screenshot(page, "day-open", "zh-hans")
    page_problems.assert_none()
