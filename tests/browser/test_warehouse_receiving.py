"""Receiving in the browser: the keeper opens the goods receipts, enters the supplier's delivery
note against an approved purchase order (the item picked from the search list), sees a line
that does not match refused beside the line with nothing saved, corrects it, and lands on the
receipt waiting for the QC inspection.

Elements are found by ids, names and data-testid, not by their (translated) text.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_customer_journey import log_in, switch_language
from tests.warehouse.factories import BinFactory, ItemFactory, SupplierFactory, WarehouseFactory
from warehouse.models import GoodsReceipt, Item
from warehouse.services import purchase_order_approve, purchase_order_create

pytestmark = pytest.mark.browser


def test_keeper_enters_a_delivery_note_against_an_approved_order(
    live_server, personas, page: Page, page_problems, screenshot, assert_assets_loaded
):
    base = live_server.url
    store = personas.store_a
    w1 = WarehouseFactory(store=store, code="w1", name="华东中心仓")
    shelf = BinFactory(warehouse=w1, code="A-01")
    supplier = SupplierFactory(code="sgm", name="上汽通用")
    filter_ = ItemFactory(code="OIL-FILTER", name="机油滤清器", specification="GL8", tracking=Item.Tracking.QUANTITY)
    order = purchase_order_create(
        user=personas.purchasing,
        warehouse=w1,
        supplier=supplier,
        lines=[{"item": filter_, "specification": "GL8", "quantity": 10, "unit_cost": "45"}],
    )
    order = purchase_order_approve(order=order, user=personas.warehouse_supervisor)

    # the keeper opens the goods receipts and starts a new one
    log_in(page, base, personas.warehouse_keeper.username)
    page.goto(f"{base}{reverse('warehouse:receipts')}")
    assert_assets_loaded(page)
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_test_id("new-receipt").click()
    page.wait_for_url(f"{base}{reverse('warehouse:receipt_create')}")
    screenshot(page, "delivery-note-form", "en")
    # the keeper works in Chinese
    switch_language(page, "zh-hans")
    form = page.get_by_test_id("entry-form")

    # the delivery note's header
    form.locator("#id_supplier").select_option(str(supplier.pk))
    form.locator("#id_note_number").fill("SH-2024-118")
    form.locator("#id_stamped").check()
    form.locator("#id_certificate").fill("ZB-7781")
    form.locator("#id_warehouse").select_option(str(w1.pk))
    form.locator("#id_bin").select_option(str(shelf.pk))
    # line 1: the order number, the item found by part of its name (htmx fills the list)
    form.locator("#id_lines-0-order_number").fill(order.number)
    form.locator("#id_lines-0-item").press_sequentially("滤清", delay=50)
    expect(page.locator("#item-options option[value='OIL-FILTER']")).to_have_count(1)
    form.locator("#id_lines-0-item").fill("OIL-FILTER")
    # the keeper types the specification printed on the note: it does not match the order
    form.locator("#id_lines-0-specification").fill("GL6")
    form.locator("#id_lines-0-quantity").fill("10")
    screenshot(page, "delivery-note", "zh-hans")
    form.get_by_test_id("entry-submit").click()

    # refused whole: the reason beside the line, nothing saved
    expect(page.get_by_test_id("line-errors-0")).to_contain_text(order.number)
    expect(page.get_by_test_id("line-errors-0")).to_contain_text("第 1 行")
    expect(page.get_by_test_id("errors")).to_be_visible()
    assert not GoodsReceipt.objects.exists()
    screenshot(page, "delivery-note-refused", "zh-hans")

    # the keeper corrects the specification (the form kept everything else) and sends it again
    form = page.get_by_test_id("entry-form")
    expect(form.locator("#id_note_number")).to_have_value("SH-2024-118")
    form.locator("#id_lines-0-specification").fill("GL8")
    form.get_by_test_id("entry-submit").click()
    page.wait_for_url(re.compile(r".*/warehouse/receipts/\d+/$"))

    receipt = GoodsReceipt.objects.get()
    assert receipt.state == GoodsReceipt.State.INSPECTION
    assert page.url == f"{base}{reverse('warehouse:receipt', args=[receipt.pk])}"
    expect(page.locator("h1 [data-state='inspection'], [data-state='inspection']").first).to_contain_text("待检验")
    screenshot(page, "receipt-waiting-for-inspection", "zh-hans")
    switch_language(page, "en")
    expect(page.locator("[data-state='inspection']").first).to_contain_text("Waiting for inspection")
    screenshot(page, "receipt-waiting-for-inspection", "en")
    page_problems.assert_none()
