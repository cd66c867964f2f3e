"""The contract in the browser: the assistant drafts it from the reviewed subscription with the
payment schedule, the cashier collects (confirming the step), and the page shows the receipts;
the set-up page opens for the sales manager with its forms."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from realestate.models import Contract
from tests.browser.test_customer_journey import log_in
from tests.factories import CustomerFactory
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import site_make

pytestmark = pytest.mark.browser


def test_assistant_drafts_and_cashier_collects(live_server, personas, page: Page, page_problems, screenshot, browser):
    base = live_server.url
    project, _building, units, _pl = site_make(personas)
    buyer = CustomerFactory(store=personas.store_a, name="李娜", mobile="+8613812345678")
    sub = subscribe_through(personas, units[0], buyer)

    # the assistant drafts the contract: full payment today
    log_in(page, base, personas.sales_assistant.username)
    page.goto(f"{base}{reverse('realestate:subscription', args=[sub.pk])}")
    form = page.get_by_test_id("contract-form")
    form.locator("#c-full").fill(str(sub.total_price))
    form.get_by_role("button").click()
    page.wait_for_url(f"{base}/realestate/contracts/*/")
    contract = Contract.objects.get()
    expect(page.get_by_test_id("contract-state")).to_contain_text("Draft")

    # the cashier confirms "collect" in the dialog
    ctx = browser.new_context(locale="en-US")
    cashier = ctx.new_page()
    log_in(cashier, base, personas.cashier.username)
    cashier.goto(f"{base}{reverse('realestate:contract', args=[contract.pk])}")
    cashier.once("dialog", lambda dialog: dialog.accept())
    cashier.locator('[data-transition="collect"]').click()
    expect(cashier.get_by_test_id("contract-state")).to_contain_text("collected")
    expect(cashier.get_by_test_id("receipts")).to_contain_text("Deed tax")
    screenshot(cashier, "contract-collected", "en")
    ctx.close()
    contract.refresh_from_db()
    assert contract.state == "collected"

    # the sales manager's set-up page
    ctx = browser.new_context(locale="en-US")
    manager = ctx.new_page()
    log_in(manager, base, personas.sales_manager.username)
    manager.goto(f"{base}{reverse('realestate:setup', args=[project.pk])}")
    expect(manager.get_by_test_id("permit-form")).to_be_visible()
    expect(manager.get_by_test_id("price-list-form")).to_be_visible()
    screenshot(manager, "setup", "en")
    ctx.close()
    page_problems.assert_none()
