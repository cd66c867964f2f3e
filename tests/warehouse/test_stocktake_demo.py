"""The stocktake's registrations and demo: a stocktake in its first count in its own warehouse,
the job, the document types, the approval handler, the metrics and the progress panel's reads."""

import datetime as dt
from io import StringIO

import pytest
from django.template.loader import render_to_string

from showroom.demo import seed_core
from showroom.registry import approval_kind, dashboard_metrics, document_type, scheduled_jobs
from warehouse.demo import seed_warehouse
from warehouse.demo_stocktake import seed as seed_stocktake
from warehouse.models import Stocktake
from warehouse.selectors_stocktake import metric_stocktakes_open, stocktake_progress

pytestmark = pytest.mark.django_db


def test_demo_stocktake_is_in_its_first_count(django_capture_on_commit_callbacks, django_assert_num_queries):
    seed_core(stdout=StringIO())
    seed_warehouse(stdout=StringIO())
    seed_stocktake(stdout=StringIO())
    seed_stocktake(stdout=StringIO())  # idempotent
    stocktake = Stocktake.objects.get()
    assert stocktake.state == "first_count" and stocktake.areas.count() == 2
    assert stocktake.lines.filter(first_quantity__isnull=False).count() == 2
    # 1 the open stocktakes with warehouse, 2 their areas with line and count figures
    with django_assert_num_queries(2):
        rows = stocktake_progress(store_ids=[stocktake.store_id])
    assert [a["counted"] for a in rows[0]["areas"]] == [2, 0] and rows[0]["frozen"]
    html = render_to_string("warehouse/stocktake/_progress_panel.html", {"progress": rows})
    assert "盘点演示仓" in html
    now = dt.datetime.now(dt.UTC)
    assert metric_stocktakes_open(store_ids=[stocktake.store_id], start=now, end=now + dt.timedelta(days=40)) == 1


def test_the_stocktake_registers_with_the_core():
    assert approval_kind("warehouse.stock_adjustment").handler is not None
    assert document_type("SK").template == "warehouse/stocktake_report.html" and document_type("AS")
    job = next(j for j in scheduled_jobs() if j.code == "warehouse.stocktake_plan")
    assert job.on_day(dt.date(2026, 2, 27)) and not job.on_day(dt.date(2026, 2, 28))
    assert {"warehouse.stocktakes_open", "warehouse.stocktake_adjustments"} <= {m.code for m in dashboard_metrics()}
