"""The sales-control grid in the browser: the consultant opens the grid, picks a unit and starts
a subscription; the assistant, the cashier and the manager take it to "reviewed"; the grid, open
in the consultant's page all along, turns the unit "subscribed" without a reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from realestate.models import Subscription
from tests.browser.test_customer_journey import log_in
from tests.realestate.factories import site_make

pytestmark = pytest.mark.browser


def test_consultant_subscribes_a_unit_from_the_grid_and_the_grid_turns_subscribed(
    live_server, personas, page: Page, page_problems, screenshot, assert_assets_loaded, browser
):
    base = live_server.url
    project, _building, units, _pl = site_make(personas)
    unit = units[0]
    grid_url = f"{base}{reverse('realestate:grid', args=[project.pk])}"

    # a second user (the manager) keeps the grid open in another browser context
    watcher_ctx = browser.new_context(locale="en-US")
    watcher = watcher_ctx.new_page()
    log_in(watcher, base, personas.sales_manager.username)
    watcher.goto(grid_url)
    expect(watcher.locator(f'[data-unit="{unit.pk}"]')).to_have_attribute("data-state", "available")

    # the consultant opens the grid, picks the unit and subscribes it for a new buyer
    log_in(page, base, personas.consultant.username)
    page.goto(grid_url)
    assert_assets_loaded(page)
    screenshot(page, "grid", "en")
    page.locator(f'[data-unit="{unit.pk}"]').click()
    form = page.get_by_test_id("subscribe-form")
    expect(form).to_be_visible()
    form.locator("#sub-mobile").fill("13912345678")
    form.locator("#sub-name").fill("张伟")
    form.locator("#sub-consent").check()
    form.locator("#sub-method").select_option("full")
    form.locator("#sub-deposit").fill("50,000")
    screenshot(page, "subscribe", "en")
    form.get_by_test_id("subscribe").click()
    page.wait_for_url(f"{base}/realestate/subscriptions/*/")
    sub = Subscription.objects.get()
    assert sub.customer.name == "张伟" and str(sub.deposit) == "50000.00"

    # the other user's grid turns the unit "subscribed" without a reload (htmx poll)
    expect(watcher.locator(f'[data-unit="{unit.pk}"]')).to_have_attribute("data-state", "subscribed", timeout=10_000)

    # the assistant issues the slip, the cashier takes the deposit, the manager reviews
    for username, step in (
        (personas.sales_assistant.username, "issue_slip"),
        (personas.cashier.username, "pay"),
        (personas.sales_manager.username, "approve"),
    ):
        ctx = browser.new_context(locale="en-US")
        other = ctx.new_page()
        log_in(other, base, username)
        other.goto(f"{base}{reverse('realestate:subscription', args=[sub.pk])}")
        other.locator(f'[data-transition="{step}"]').click()
        other.wait_for_load_state("load")
        ctx.close()
    sub.refresh_from_db()
    assert sub.state == Subscription.State.APPROVED and sub.number.startswith("SA-")
    page.goto(f"{base}{reverse('realestate:subscription', args=[sub.pk])}")
    expect(page.get_by_test_id("sub-state")).to_contain_text("Reviewed")
    screenshot(page, "subscription", "en")
    page.goto(grid_url)
    expect(page.locator(f'[data-unit="{unit.pk}"]')).to_have_attribute("data-state", "subscribed")
    watcher_ctx.close()
    page_problems.assert_none()
