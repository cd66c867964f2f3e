"""An extra discount in the browser: the consultant asks for 1 % on the subscription's changes
page, the sales manager approves it from his inbox, and the subscription shows it."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from realestate.models import ChangeRequest, Subscription
from tests.browser.test_customer_journey import log_in
from tests.factories import CustomerFactory
from tests.realestate.conftest import subscribe_through
from tests.realestate.factories import site_make

pytestmark = pytest.mark.browser


def test_an_extra_discount_approved_from_the_inbox_shows_on_the_subscription(
    live_server, personas, page: Page, page_problems, screenshot, browser
):
    base = live_server.url
    _project, _building, units, _pl = site_make(personas)
    buyer = CustomerFactory(store=personas.store_a, name="李娜", mobile="+8613812345678")
    sub = subscribe_through(personas, units[0], buyer)

    # the consultant asks for a 1 % extra discount (first without a reason: the field says so)
    log_in(page, base, personas.consultant.username)
    page.goto(f"{base}{reverse('realestate:subscription', args=[sub.pk])}")
    page.get_by_test_id("request-change").click()
    form = page.get_by_test_id("form-extra_discount")
    form.locator("#d-pct").fill("1")
    form.get_by_role("button").click()
    expect(page.get_by_test_id("form-extra_discount").locator(".invalid-feedback")).to_be_visible()
    form = page.get_by_test_id("form-extra_discount")
    form.locator("#extra_discount-reason").fill("老客户介绍")
    form.get_by_role("button").click()
    page.wait_for_url(f"{base}{reverse('realestate:subscription', args=[sub.pk])}")
    expect(page.get_by_test_id("change-rows")).to_contain_text("Extra discount")
    change = ChangeRequest.objects.get()
    assert change.approval.routed_role.code == "sales_manager"

    # the sales manager approves it from the inbox
    ctx = browser.new_context(locale="en-US")
    manager = ctx.new_page()
    log_in(manager, base, personas.sales_manager.username)
    manager.goto(f"{base}{reverse('approvals:inbox')}")
    manager.locator(f"form[action$='/{change.approval_id}/approve/'] button").click()
    manager.wait_for_load_state()
    ctx.close()

    # the subscription shows the discount and the new price
    page.goto(f"{base}{reverse('realestate:subscription', args=[sub.pk])}")
    expect(page.get_by_test_id("extra-discount")).to_contain_text("1.00%")
    expect(page.get_by_test_id("price")).to_contain_text("1,968,615.00")
    screenshot(page, "realestate-extra-discount", "en")
    assert Subscription.objects.get(pk=sub.pk).extra_discount_pct == 1
    assert page_problems.js_errors == []
