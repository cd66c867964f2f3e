"""The jewellery demo: store jw01's counter with its trays, yesterday closed, today open with a
confirmed sale; idempotent."""

from io import StringIO

import pytest

from showroom.demo import seed_core
from warehouse.demo_jewellery import seed
from warehouse.models import CounterDay, CounterSale, GroomingCheck, Tray

pytestmark = pytest.mark.django_db


def test_demo_jewellery():
    seed_core(stdout=StringIO())
    seed(stdout=StringIO())
    seed(stdout=StringIO())  # idempotent
    assert Tray.objects.filter(counter__store__code="jw01").count() == 5
    assert sorted(CounterDay.objects.values_list("state", flat=True)) == ["closed", "opened"]
    sale = CounterSale.objects.get()
    assert sale.confirmed and sale.tray.pieces == 38
    assert GroomingCheck.objects.count() == 2
