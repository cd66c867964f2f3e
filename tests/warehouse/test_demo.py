"""The warehouse demo seeder: a hundred items across the four tracking kinds, twenty cars with
valid VINs in stock, orders and receipts in every state; balances equal their moves; idempotent."""

from io import StringIO

import pytest
from django.db.models import Sum

from showroom.demo import seed_core
from showroom.registry import dashboard_metrics
from warehouse.demo import seed_warehouse, vin_is_valid
from warehouse.models import GoodsReceipt, Item, PurchaseOrder, Serial, StockLevel, StockMove, Transfer

pytestmark = pytest.mark.django_db


def test_demo_warehouse(django_capture_on_commit_callbacks):
    seed_core(stdout=StringIO())
    seed_warehouse(stdout=StringIO())
    seed_warehouse(stdout=StringIO())  # idempotent
    assert Item.objects.count() == 100
    assert set(Item.objects.values_list("tracking", flat=True)) == {"quantity", "serial", "weight", "service"}
    cars = Serial.objects.filter(item__category__code="car", state="in_stock")
    assert cars.count() == 20
    assert all(vin_is_valid(number) for number in cars.values_list("number", flat=True))
    assert set(PurchaseOrder.objects.values_list("state", flat=True)) == {"draft", "approved", "closed", "cancelled"}
    assert set(GoodsReceipt.objects.values_list("state", flat=True)) == {
        "inspection",
        "inspected",
        "slip_open",
        "posted",
        "cancelled",
    }
    assert set(Transfer.objects.values_list("state", flat=True)) == {"dispatched", "received"}
    for level in StockLevel.objects.all():
        total = StockMove.objects.filter(item=level.item, warehouse=level.warehouse).aggregate(q=Sum("quantity"))["q"]
        assert level.quantity == total >= 0
    codes = {m.code for m in dashboard_metrics()}
    assert {"warehouse.stock_value", "warehouse.below_reorder", "warehouse.receipts_waiting"} <= codes
