"""The selling demo: orders and slips in every state, a customer short of balance, balanced
books, idempotent."""

from io import StringIO

import pytest

from showroom.demo import seed_core
from showroom.registry import dashboard_metrics
from warehouse.demo import seed_warehouse
from warehouse.demo_sales import seed_warehouse_sales
from warehouse.models import DropShip, JournalEntry, SalesOrder, SalesSlip
from warehouse.selectors_sales import account_balances

pytestmark = pytest.mark.django_db


def test_demo_sales():
    seed_core(stdout=StringIO())
    seed_warehouse(stdout=StringIO())
    seed_warehouse_sales(stdout=StringIO())
    seed_warehouse_sales(stdout=StringIO())  # idempotent
    assert set(SalesOrder.objects.values_list("state", flat=True)) == {"draft", "approved", "done", "cancelled"}
    assert set(SalesSlip.objects.values_list("state", flat=True)) == {"waiting", "approved", "shipped"}
    waiting = SalesSlip.objects.get(state="waiting")
    assert waiting.account.balance < waiting.total
    assert SalesOrder.objects.filter(lines__short_quantity__gt=0).exists()
    assert DropShip.objects.filter(state="closed").exists()
    assert JournalEntry.objects.count() > 5
    assert sum(account_balances().values()) == 0
    codes = {m.code for m in dashboard_metrics()}
    assert {"warehouse.slips_waiting_for_credit", "warehouse.outbound"} <= codes
