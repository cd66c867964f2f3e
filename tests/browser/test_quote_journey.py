# ruff: noqa: F811  (pytest fixtures imported from tests.leads.quotes_fixtures)
"""A quote through the browser: the consultant builds a quote with two accessory packages (htmx:
the totals follow each line) and a discount above his limit; the sales manager approves it on the
approvals page; the consultant sends it, the customer accepts, the deposit is taken.

Elements are found by ids, names and data-testid, not by their (translated) text.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from leads.models import Order, Quote
from showroom.models import ApprovalRequest
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_customer_journey import log_in, switch_language
from tests.leads.quotes_fixtures import shop  # noqa: F401

pytestmark = pytest.mark.browser


def test_quote_with_accessories_and_an_approved_discount_to_the_deposit(
    live_server, personas, shop, browser: Browser, page: Page, page_problems, screenshot, assert_assets_loaded
):
    base = live_server.url
    lead = shop.lead

    # the consultant opens the lead and starts a quote for the white GL8
    log_in(page, base, personas.consultant.username)
    page.goto(f"{base}{reverse('leads:detail', args=[lead.pk])}")
    assert_assets_loaded(page)
    expect(page.get_by_test_id("book-test-drive")).to_have_attribute(
        "href", f"{reverse('testdrive:calendar')}?lead={lead.pk}"
    )
    page.get_by_test_id("new-quote").click()
    page.locator("#id_trim_colour").select_option(str(shop.tc.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    quote = Quote.objects.get(lead=lead)
    assert page.url.endswith(reverse("leads:quote", args=[quote.pk]))

    # two accessory packages: each line answers the builder with the new totals (htmx)
    for n, item in enumerate((shop.mats, shop.film), start=1):
        form = page.get_by_test_id("add-line")
        form.locator("#line-kind").select_option("accessory")
        form.locator("#line-item").select_option(str(item.pk))
        form.locator("button[type=submit]").click()
        expect(page.get_by_test_id("quote-line")).to_have_count(n)
    expect(page.get_by_test_id("accessories-total")).to_contain_text("5,288.49")  # 1,288.50 + 3,999.99

    # a discount of 5,000 (his limit is 3,000; the store's sales manager approves up to 8,000)
    terms = page.get_by_test_id("terms")
    terms.locator("#terms-discount").fill("5,000")
    with page.expect_navigation():  # the terms change the page's steps: a full round trip
        terms.locator("button[type=submit]").click()
    expect(page.get_by_test_id("discount")).to_contain_text("5,000.00")
    quote.refresh_from_db()
    expect(page.get_by_test_id("quote-total")).to_contain_text(f"{quote.total:,.2f}")
    screenshot(page, "quote-builder", "en")
    with page.expect_navigation():
        page.locator("[data-action=send]").click()
    expect(page.get_by_test_id("pending-approval")).to_be_visible()
    request = ApprovalRequest.objects.get(kind="leads.quote_discount", object_id=quote.pk)
    assert request.routed_role.code == "sales_manager"

    # the sales manager approves it on the approvals page (his own browser session)
    manager_context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    manager_context.set_default_timeout(TIMEOUT_MS)
    manager = manager_context.new_page()
    log_in(manager, base, personas.sales_manager.username)
    manager.goto(f"{base}{reverse('approvals:detail', args=[request.pk])}")
    with manager.expect_navigation():
        manager.locator(f"form[action='{reverse('approvals:decide', args=[request.pk, 'approve'])}'] button").click()
    manager_context.close()
    quote.refresh_from_db()
    assert quote.state == "approved"

    # the consultant sends it, the customer accepts
    page.reload()
    with page.expect_navigation():
        page.locator("[data-action=send]").click()
    expect(page.locator("[data-action=accept]")).to_be_visible()
    quote.refresh_from_db()
    assert quote.state == "sent" and quote.number.startswith("QT-")
    with page.expect_navigation():
        page.locator("[data-action=accept]").click()
    order = Order.objects.get(quote=quote)
    assert page.url.endswith(reverse("leads:order", args=[order.pk]))

    # the deposit, by card, with its numbered receipt
    switch_language(page, "zh-hans")
    deposit = page.get_by_test_id("deposit-form")
    deposit.locator("#dep-method").select_option("card")
    deposit.locator("#dep-ref").fill("POS 778812")
    with page.expect_navigation():
        deposit.locator("[data-action=deposit]").click()
    order.refresh_from_db()
    assert (order.state, order.paid) == ("deposit_paid", order.deposit_due)
    expect(page.get_by_test_id("payments")).to_contain_text("DR-")
    screenshot(page, "order-deposit-paid", "zh-hans")
    lead.refresh_from_db()
    assert lead.state == "won"
    page_problems.assert_none()
