"""Playwright: a sales order from entry to the outbound slip, including the wait for a
payment. Each person works in their own browser context; elements are found by ids, names and
data-testid, not by their (translated) text."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.warehouse.conftest import put_in, shop, wh  # noqa: F401 (the warehouse fixtures)
from warehouse.models import SalesOrder, SalesSlip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_sales_order_from_entry_to_the_outbound_slip(live_server, personas, wh, shop, browser):  # noqa: F811
    base = live_server.url

    def person(user):
        ctx = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(15_000)
        tab = ctx.new_page()
        tab.goto(f"{base}{reverse('login')}")
        tab.locator("#id_username").fill(user.username)
        tab.locator("#id_password").fill(PASSWORD)
        tab.locator("main form[method=post] button[type=submit]").click()
        tab.wait_for_url(f"{base}{reverse('home')}")
        return tab

    def submit(tab, selector):
        with tab.expect_navigation():
            tab.locator(selector).first.click()

    # the sales assistant enters the customer's faxed order
    seller = person(personas.sales_assistant)
    seller.goto(f"{base}{reverse('warehouse:sales_orders')}")
    seller.locator("details summary").click()
    seller.locator("#id_mobile").fill("13812345678")
    seller.locator("#id_warehouse").select_option(str(wh.w1.pk))
    seller.locator("#id_channel").select_option("fax")
    seller.locator("#id_freight").select_option("delivered")
    seller.locator("#id_item_1").fill("BOLT")
    seller.locator("#id_quantity_1").fill("100")
    seller.locator("#id_price_1").fill("100.00")
    submit(seller, "[data-testid=order-form] button[type=submit]")
    order = SalesOrder.objects.get()
    order_url = f"{base}{reverse('warehouse:sales_order', args=[order.pk])}"
    # the marketing director approves: stock is reserved
    director = person(personas.marketing_director)
    director.goto(order_url)
    submit(director, "[data-transition=approve]")
    # the keeper picks from the bin and packs one box; the supervisor closes the packing
    keeper = person(personas.warehouse_keeper)
    keeper.goto(order_url)
    submit(keeper, "[data-testid=pick-form] button[type=submit]")
    submit(keeper, "[data-testid=pack-form] button[type=submit]")
    expect(keeper.get_by_test_id("boxes")).to_contain_text("PL-")
    supervisor = person(personas.warehouse_supervisor)
    supervisor.goto(order_url)
    submit(supervisor, "[data-testid=close-packing]")
    slip = SalesSlip.objects.get()
    slip_url = f"{base}{reverse('warehouse:slip', args=[slip.pk])}"
    # the customer has paid 9,999.99: the slip waits and shows the missing 0.01
    cashier = person(personas.cashier)
    account_url = f"{base}{reverse('warehouse:account', args=[shop.account.pk])}"
    cashier.goto(account_url)
    cashier.locator("#id_amount").fill("9999.99")
    cashier.locator("#id_method").select_option("transfer")
    submit(cashier, "[data-testid=payment-form] button[type=submit]")
    director.goto(slip_url)
    expect(director.get_by_test_id("missing")).to_contain_text("0.01")
    submit(director, "[data-transition=approve]")
    expect(director.get_by_test_id("missing")).to_contain_text("0.01")
    slip.refresh_from_db()
    assert slip.state == "waiting"
    # a payment of 0.01 arrives; now the director approves
    cashier.goto(account_url)
    cashier.locator("#id_amount").fill("0.01")
    cashier.locator("#id_method").select_option("cash")
    submit(cashier, "[data-testid=payment-form] button[type=submit]")
    expect(cashier.get_by_test_id("balance")).to_contain_text("10,000.00")
    director.goto(slip_url)
    submit(director, "[data-transition=approve]")
    expect(director.get_by_test_id("signatures")).to_be_visible()
    # the keeper, the supervisor and the customer sign the outbound slip; the goods leave
    keeper.goto(slip_url)
    submit(keeper, "[data-sign=keeper]")
    supervisor.goto(slip_url)
    submit(supervisor, "[data-sign=supervisor]")
    keeper.goto(slip_url)
    keeper.locator("[data-testid=signatures] input[name=name]").fill("王经理")
    submit(keeper, "[data-sign=customer]")
    expect(keeper.get_by_test_id("shipped")).to_be_visible()
    slip.refresh_from_db()
    order.refresh_from_db()
    assert slip.state == "shipped" and order.state == "done"
