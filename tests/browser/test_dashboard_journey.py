"""The manager opens the dashboard in Chinese, reads the funnel, clicks the needs-analysis step
and lands on the lead list filtered the same way. A screenshot of the dashboard is saved."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_customer_journey import log_in, switch_language
from tests.showroom.dashboard_fixtures import lead, shift, visit

pytestmark = pytest.mark.browser


def test_manager_reads_the_dashboard_in_chinese_and_drills_into_the_funnel(
    live_server, personas, page: Page, page_problems, screenshot, assert_assets_loaded
):
    base = live_server.url
    store, desk = personas.store_a, personas.receptionist
    now = timezone.now()
    s = shift(store, desk)
    for minutes in (90, 60, 30):
        visit(store, s, desk, arrived=now - dt.timedelta(minutes=minutes), consultant=personas.consultant)
    with_needs = [lead(store, personas.consultant, created=now - dt.timedelta(minutes=m), needs=True) for m in (50, 20)]
    lead(store, personas.consultant, created=now - dt.timedelta(minutes=10), needs=False)

    log_in(page, base, personas.showroom_manager.username)
    switch_language(page, "zh-hans")
    today = timezone.localdate()  # yesterday too, so a run just after midnight still sees them all
    page.goto(f"{base}/dashboard/?period=custom&from={today - dt.timedelta(days=1)}&to={today}")
    assert_assets_loaded(page)
    funnel = page.get_by_test_id("funnel")
    expect(funnel.locator("tr[data-step='core.walkins'] td.fw-semibold")).to_have_text("3")
    expect(funnel.locator("tr[data-step='leads.needs_analysis'] td.fw-semibold")).to_have_text("2")
    expect(page.locator("#chart-funnel")).to_be_visible()
    screenshot(page, "dashboard", "zh-hans")

    # the needs-analysis step opens the lead list with the same filter: exactly those two leads
    with page.expect_navigation():
        page.get_by_test_id("funnel-leads.needs_analysis").click()
    assert "/leads/" in page.url and "needs=1" in page.url
    expect(page.get_by_test_id("total")).to_contain_text("2")
    for obj in with_needs:
        expect(page.locator("main")).to_contain_text(obj.customer.name)
    screenshot(page, "needs-analysis-leads", "zh-hans")
    assert not page_problems.js_errors
