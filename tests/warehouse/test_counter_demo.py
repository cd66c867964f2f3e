"""The counter-shop demo: store ct01 with stock, a day of receipts in each state, questions, a
replenishment list processed and partly ordered; idempotent; the registrations the core sees."""

from io import StringIO

import pytest
from django.utils import timezone

from delivery.services.repairs import repair_sale_lookup
from showroom.demo import seed_core
from showroom.models import Store
from showroom.registry import dashboard_metrics, document_type, followup_plan, scheduled_jobs
from warehouse.demo_counter import seed_warehouse_counter
from warehouse.models import CounterQuestion, CounterReceipt, CounterReplenishmentLine
from warehouse.selectors_counter import metric_counter_receipts, metric_counter_sales

pytestmark = pytest.mark.django_db


def test_demo_counter_shop():
    seed_core(stdout=StringIO())
    seed_warehouse_counter(stdout=StringIO())
    seed_warehouse_counter(stdout=StringIO())  # idempotent
    store = Store.objects.get(code="ct01")
    assert set(CounterReceipt.objects.filter(store=store).values_list("state", flat=True)) == {
        "issued",
        "picked",
        "cancelled",
    }
    assert CounterReceipt.objects.filter(store=store).count() == 6
    assert set(CounterQuestion.objects.values_list("state", flat=True)) == {"open", "answered"}
    assert set(CounterReplenishmentLine.objects.values_list("supply", flat=True)) >= {"ordered"}
    # the phone sold today is found by the repair desk
    phone = CounterReceipt.objects.filter(store=store, lines__item__code="HW-MATE60").first().lines.first()
    assert repair_sale_lookup(store=store, serial=phone.serial) == (timezone.localdate(), 12)
    # the dashboard sees the day
    start = timezone.now() - timezone.timedelta(days=1)
    end = timezone.now() + timezone.timedelta(minutes=1)
    assert metric_counter_receipts(store_ids=[store.pk], start=start, end=end) == 5
    assert metric_counter_sales(store_ids=[store.pk], start=start, end=end) > 0


def test_counter_registrations():
    codes = {m.code for m in dashboard_metrics()}
    assert {"warehouse.counter_receipts", "warehouse.counter_sales"} <= codes
    assert document_type("CR").prefix == "CR"
    assert followup_plan("warehouse.counter_callback") is not None
    assert "warehouse.counter_replenishment" in {job.code for job in scheduled_jobs()}
