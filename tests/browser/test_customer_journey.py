"""A consultant's first customer, through the browser, in English and Chinese.

Elements are found by ids, hrefs, roles and data-testid, not by their (translated) text.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from showroom.models import Customer
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NAME = "王小明"
MOBILE = "13812345678"
MASKED = "138****5678"

LIST_URL = reverse("customers:list")
NEW_URL = reverse("customers:create")


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}{reverse('login')}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"{base_url}{reverse('home')}")


def switch_language(page: Page, code: str) -> None:
    button = page.get_by_test_id(f"lang-{code}")
    with page.expect_navigation():
        button.click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def open_customer_list(page: Page, base_url: str) -> None:
    page.locator(f".side-menu a[href='{LIST_URL}']").first.click()
    page.wait_for_url(f"{base_url}{LIST_URL}")


def save_form(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").click()


def test_consultant_adds_a_customer_in_chinese_and_sees_it_masked_in_the_list(
    live_server, personas, page, page_problems, screenshot, assert_assets_loaded
):
    base = live_server.url
    # given a consultant of store A, logged in through the form (English browser)
    page.goto(f"{base}{reverse('login')}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "login", "en")
    log_in(page, base, personas.consultant.username)
    assert_assets_loaded(page)
    screenshot(page, "home", "en")
    open_customer_list(page, base)
    screenshot(page, "customer-list-empty", "en")

    # when she switches to Chinese with the language button
    switch_language(page, "zh-hans")
    expect(page).to_have_url(f"{base}{LIST_URL}")
    assert_assets_loaded(page)
    screenshot(page, "customer-list-empty", "zh-hans")

    # and adds a customer through the page's new-customer button
    page.locator(f".page-actions a[href='{NEW_URL}']").click()
    page.wait_for_url(f"{base}{NEW_URL}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    screenshot(page, "customer-new", "zh-hans")
    page.locator("#id_name").fill(NAME)
    page.locator("#id_mobile").fill(MOBILE)
    expect(page.locator("#id_mobile")).to_have_value("138 1234 5678")  # formatted as typed
    page.locator("#id_consent_given").check()
    screenshot(page, "customer-new-filled", "zh-hans")
    save_form(page)

    # then she lands on the customer's page, the mobile masked there too
    customer = Customer.objects.get()
    assert (customer.name, customer.mobile, customer.store_id) == (NAME, f"+86{MOBILE}", personas.store_a.pk)
    assert customer.consent_given
    detail_url = reverse("customers:detail", args=[customer.pk])
    expect(page).to_have_url(f"{base}{detail_url}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_contain_text(NAME)
    expect(page.get_by_test_id("mobile")).to_have_text(MASKED)
    expect(page.locator(".messages .alert-success[role=alert]")).to_contain_text(NAME)
    screenshot(page, "customer-detail", "zh-hans")

    # and back in the list her row shows the mobile masked, never the full number
    page.locator(f".breadcrumb a[href='{LIST_URL}']").click()
    page.wait_for_url(f"{base}{LIST_URL}")
    row = page.locator(f"#customer-table tr[data-href='{detail_url}']")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link")).to_have_text(NAME)
    expect(row.locator("td.font-monospace")).to_have_text(MASKED)
    table = page.locator("#customer-table")
    expect(table).not_to_contain_text(MOBILE)
    expect(table).not_to_contain_text("138 1234 5678")
    assert MOBILE not in page.content()
    screenshot(page, "customer-list", "zh-hans")

    # the same pages in English, for the reviewer
    switch_language(page, "en")
    expect(row.locator("td.font-monospace")).to_have_text(MASKED)
    screenshot(page, "customer-list", "en")
    row.get_by_role("link").click()
    page.wait_for_url(f"{base}{detail_url}")
    screenshot(page, "customer-detail", "en")
    page.goto(f"{base}{NEW_URL}")
    screenshot(page, "customer-new", "en")

    page_problems.assert_none()


def test_login_page_follows_the_browser_language(live_server, browser, screenshot):
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}{reverse('login')}")
        expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
        expect(page.get_by_test_id("lang-en")).to_be_visible()
        screenshot(page, "login", "zh-hans")
    finally:
        context.close()


def test_bad_mobile_shows_the_field_error_and_saves_nothing(live_server, personas, page, page_problems, screenshot):
    base = live_server.url
    log_in(page, base, personas.consultant.username)
    for lang in ("en", "zh-hans"):
        if lang != "en":
            switch_language(page, lang)
        page.goto(f"{base}{NEW_URL}")
        page.locator("#id_name").fill(NAME)
        page.locator("#id_mobile").fill("1234567")
        page.locator("#id_consent_given").check()
        save_form(page)

        # the form comes back on the same address with the error next to the mobile field
        expect(page).to_have_url(f"{base}{NEW_URL}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        mobile = page.locator("#id_mobile")
        expect(mobile).to_have_class(re.compile(r"\bis-invalid\b"))
        field_error = page.locator("#id_mobile ~ .invalid-feedback")
        expect(field_error).to_have_count(1)
        expect(field_error).to_be_visible()
        expect(field_error).not_to_be_empty()
        expect(page.locator("main .alert-danger[role=alert]")).to_be_visible()
        # the other fields keep what was typed; only the mobile is in error
        expect(page.locator("#id_name")).to_have_value(NAME)
        expect(page.locator("#id_name")).not_to_have_class(re.compile(r"\bis-invalid\b"))
        screenshot(page, "customer-new-bad-mobile", lang)

    assert not Customer.objects.exists()
    page_problems.assert_none()
