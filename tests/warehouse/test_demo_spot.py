"""The steel desk's demo: a price list with its discount rates and sheets at several steps, made
through the services; idempotent."""

from io import StringIO

import pytest

from showroom.demo import seed_core
from warehouse.demo import seed_warehouse
from warehouse.demo_sales import seed_warehouse_sales
from warehouse.demo_spot import seed as seed_warehouse_spot
from warehouse.models import SpotDiscountRate, SpotPrice, SpotSheet, StockMove

pytestmark = pytest.mark.django_db


def test_demo_spot():
    seed_core(stdout=StringIO())
    seed_warehouse(stdout=StringIO())
    seed_warehouse_sales(stdout=StringIO())
    seed_warehouse_spot(stdout=StringIO())
    seed_warehouse_spot(stdout=StringIO())  # idempotent
    assert SpotPrice.objects.count() == 3 and SpotDiscountRate.objects.count() == 9
    assert sorted(SpotSheet.objects.values_list("state", flat=True)) == ["approved", "negotiating", "paid", "released"]
    released = SpotSheet.objects.get(state="released")
    moves = StockMove.objects.filter(source_label=released.number, kind=StockMove.Kind.ISSUE)
    assert [m.quantity for m in moves] == [-line.net for line in released.lines.all()]
