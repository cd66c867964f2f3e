"""The nightly stock report: its figures against the ledger, the 90-day and reorder lists, the
job (once per store and day, mailed to the supervisors) and the stored files."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone

from showroom.models import JobRun
from showroom.registry import scheduled_jobs
from showroom.services.jobs import job_is_due, job_run_once
from tests.warehouse.factories import ItemCategoryFactory, ItemFactory
from warehouse.models import Item, NightlyReport, StockMove
from warehouse.services.nightly import JOB_CODE, nightly_figures, nightly_report_create, report_bounds

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)
ZONE = timezone.get_default_timezone()


def at(day: dt.date, hour: int = 10, **delta) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), ZONE) + dt.timedelta(**delta)


@pytest.fixture
def ledger(wh, put_in, take_out):
    """Moves over four months in W1 and W2, some after the reported day; items placed around the
    90-day and reorder-point boundaries."""
    _start, cutoff = report_bounds(DAY)
    parts = ItemCategoryFactory(code="parts", name="配件")
    tools = ItemCategoryFactory(code="tools", name="工具")
    items = {
        "idle_old": ItemFactory(code="IDLE-OLD", category=parts, reorder_point=Decimal("0")),
        "idle_edge": ItemFactory(code="IDLE-EDGE", category=parts),
        "edge_moved": ItemFactory(code="EDGE-MOVED", category=parts),
        "recent": ItemFactory(code="RECENT", category=tools),
        "below": ItemFactory(code="BELOW", category=tools, reorder_point=Decimal("50")),
        "at_point": ItemFactory(code="AT-POINT", category=tools, reorder_point=Decimal("50")),
        "emptied": ItemFactory(code="EMPTIED", category=tools, reorder_point=Decimal("5")),
    }

    def travel(moment):
        return time_machine.travel(moment, tick=False)

    with travel(at(DAY, days=-120)):
        put_in(items["idle_old"], wh.w1, wh.a, 7, unit_cost="3.10")
        put_in(wh.car, wh.w1, wh.a, 1, unit_cost="200000", serial="LSGOLD00000000001")
    with travel(cutoff - dt.timedelta(days=90, seconds=1)):  # one second past the 90 days: idle
        put_in(items["idle_edge"], wh.w2, wh.c, 4, unit_cost="8")
    with travel(cutoff - dt.timedelta(days=90)):  # exactly 90 days before: it moved within them
        put_in(items["edge_moved"], wh.w2, wh.c, 2, unit_cost="8")
    with travel(at(DAY, days=-40)):
        put_in(items["recent"], wh.w1, wh.b, 12, unit_cost="1.25")
        put_in(items["below"], wh.w1, wh.a, 60, unit_cost="2")
        put_in(items["at_point"], wh.w1, wh.a, 50, unit_cost="2")
        put_in(items["emptied"], wh.w1, wh.a, 3, unit_cost="9")
    with travel(at(DAY, days=-3)):
        put_in(wh.car, wh.w1, wh.a, 1, unit_cost="210000", serial="LSGNEW00000000002")
    with travel(at(DAY, hour=9)):  # the reported day
        take_out(items["below"], wh.w1, wh.a, 20)
        put_in(wh.bolt, wh.w1, wh.a, 100, unit_cost="0.35", kind=StockMove.Kind.RECEIPT)
        take_out(wh.bolt, wh.w1, wh.a, 30)
        take_out(items["emptied"], wh.w1, wh.a, 3)
        put_in(wh.gold, wh.w2, wh.c, "12.5", unit_cost="480")
    with travel(at(DAY, hour=1, days=1)):  # after the cutoff, before the job: not in the figures
        put_in(items["recent"], wh.w1, wh.b, 1000, unit_cost="1")
        take_out(items["below"], wh.w1, wh.a, 40)
    return items


def ledger_sums(warehouse, cutoff):
    """What the ledger says, from the StockMove rows alone: per item, quantity and value."""
    rows = (
        StockMove.objects.filter(warehouse=warehouse, created_at__lt=cutoff)
        .values("item_id", "item__category__name")
        .annotate(q=Sum("quantity"), v=Sum("value"))
    )
    return {r["item_id"]: (r["q"], r["v"], r["item__category__name"]) for r in rows}


def test_the_totals_equal_the_ledger_sums_as_of_the_end_of_the_day(personas, wh, ledger):
    # given moves before, on and after the reported day
    _start, cutoff = report_bounds(DAY)
    # when the figures are computed
    figures = nightly_figures(store=personas.store_a, day=DAY)
    # then each warehouse's value and lines equal the moves summed up to the cutoff
    by_code = {w["code"]: w for w in figures["warehouses"]}
    for warehouse in (wh.w1, wh.w2):
        sums = ledger_sums(warehouse, cutoff)
        held = {k: v for k, v in sums.items() if v[0] != 0 or v[1] != 0}
        report = by_code[warehouse.code]
        assert report["value"] == sum(v for _q, v, _c in held.values())
        assert report["lines"] == len(held)
        by_category = {}
        for _q, v, category in held.values():
            by_category[category or ""] = by_category.get(category or "", Decimal("0")) + v
        assert {c["category"]: c["value"] for c in report["categories"]} == by_category
    # and W1 holds: 7 × 3.10 + 2 cars + 12 × 1.25 + 40 × 2 + 50 × 2 + 70 bolts × 0.35 (the move
    # after midnight is not counted)
    assert by_code["w1"]["value"] == Decimal("21.70") + Decimal("410000") + Decimal("15") + 80 + 100 + Decimal("24.50")
    assert by_code["w2"]["value"] == Decimal("32") + Decimal("16") + Decimal("6000")


def test_the_days_movements_are_those_of_the_reported_day(personas, wh, ledger):
    figures = nightly_figures(store=personas.store_a, day=DAY)
    w1 = {m["kind"]: m for m in next(w for w in figures["warehouses"] if w["code"] == "w1")["moves"]}
    assert set(w1) == {"issue", "receipt"}
    assert w1["issue"]["moves"] == 3
    assert w1["issue"]["quantity_out"] == Decimal("53")
    assert w1["receipt"]["quantity_in"] == Decimal("100")
    assert w1["receipt"]["value"] == Decimal("35.00")
    w2 = {m["kind"]: m for m in next(w for w in figures["warehouses"] if w["code"] == "w2")["moves"]}
    assert w2["other_in"]["quantity_in"] == Decimal("12.5")


def test_below_reorder_and_idle_lists_are_exact(personas, wh, ledger):
    figures = nightly_figures(store=personas.store_a, day=DAY)
    w1 = next(w for w in figures["warehouses"] if w["code"] == "w1")
    w2 = next(w for w in figures["warehouses"] if w["code"] == "w2")
    # 40 left of BELOW (reorder 50) is below; AT-POINT has exactly 50; EMPTIED has 0 of 5
    assert [b["code"] for b in w1["below_reorder_rows"]] == ["BELOW", "EMPTIED"]
    assert w1["below_reorder"] == 2
    assert w2["below_reorder"] == 0
    # IDLE-OLD (120 days) and the first car (its level unmoved since 120 days... the second car
    # moved the level 3 days ago, so the car line is not idle)
    assert [i["code"] for i in w1["idle_rows"]] == ["IDLE-OLD"]
    # one second beyond 90 days is idle, exactly 90 days is not
    assert [i["code"] for i in w2["idle_rows"]] == ["IDLE-EDGE"]
    assert w2["idle_rows"][0]["last_move"] == report_bounds(DAY)[1] - dt.timedelta(days=90, seconds=1)
    assert (w1["idle"], w2["idle"]) == (1, 1)


def test_the_idle_list_follows_the_clock(personas, wh, put_in):
    # given an item received today
    item = ItemFactory(code="FRESH")
    put_in(item, wh.w1, wh.a, 5)
    today = timezone.localdate()
    # then it is not idle today, still not after 89 days, and idle on the report 91 days on
    assert nightly_figures(store=personas.store_a, day=today)["warehouses"][0]["idle"] == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=89), tick=False):
        assert nightly_figures(store=personas.store_a, day=today + dt.timedelta(days=88))["warehouses"][0]["idle"] == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=92), tick=False):
        figures = nightly_figures(store=personas.store_a, day=today + dt.timedelta(days=91))
        assert [i["code"] for i in figures["warehouses"][0]["idle_rows"]] == ["FRESH"]


def test_serial_units_are_counted_by_age(personas, wh, ledger):
    figures = nightly_figures(store=personas.store_a, day=DAY)
    w1 = next(w for w in figures["warehouses"] if w["code"] == "w1")
    [car] = w1["serials"]
    assert car["code"] == "GL8-WHITE"
    assert car["units"] == 2
    # buckets 0–30, 31–90, 91–180, 181–365, >365: one car of 3 days, one of 120 days
    assert car["buckets"] == [1, 0, 1, 0, 0]
    assert (w1["serial_units"], w1["serial_buckets"]) == (2, [1, 0, 1, 0, 0])


def test_the_job_runs_once_per_store_and_day_and_mails_the_supervisors(
    personas, wh, ledger, mailoutbox, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = next(j for j in scheduled_jobs() if j.code == JOB_CODE)
    run_day = DAY + dt.timedelta(days=1)
    # due at 02:00 store time, not before
    assert not job_is_due(job=job, store=personas.store_a, now=at(run_day, hour=1, minutes=59))
    assert job_is_due(job=job, store=personas.store_a, now=at(run_day, hour=2))
    # when the tick runs it twice for both stores
    with django_capture_on_commit_callbacks(execute=True):
        assert job_run_once(job=job, store=personas.store_a, day=run_day) is True
        assert job_run_once(job=job, store=personas.store_a, day=run_day) is False
        job_run_once(job=job, store=personas.store_b, day=run_day)
    # then one run per store, one report (store B has no warehouse), for the day that ended
    assert JobRun.objects.filter(job=JOB_CODE, day=run_day, status="done").count() == 2
    [report] = NightlyReport.objects.all()
    assert (report.store, report.day) == (personas.store_a, DAY)
    assert report.emailed_at is not None
    # and one mail to the warehouse supervisor with both files
    [mail] = mailoutbox
    assert mail.to == [personas.warehouse_supervisor.email]
    assert "2026-11-20" in mail.subject
    names = sorted(name for name, _content, _mime in mail.attachments)
    assert names[0].endswith(".pdf") and names[1].endswith(".xlsx")
    assert mail.attachments[0][1][:4] == b"%PDF"


def test_the_files_are_stored_with_every_line(personas, wh, ledger, settings, tmp_path):
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    report = nightly_report_create(store=personas.store_a, day=DAY)
    assert report.pdf.name.startswith("warehouse/nightly/2026/11/")
    with report.pdf.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    with report.xlsx.open("rb") as handle:
        book = load_workbook(BytesIO(handle.read()), read_only=True)
    balances = list(book.worksheets[2].iter_rows(values_only=True))[1:]
    codes = sorted(row[1] for row in balances)
    # every line with stock at the cutoff, in both warehouses (EMPTIED left at zero)
    assert codes == sorted(
        ["IDLE-OLD", "GL8-WHITE", "RECENT", "BELOW", "AT-POINT", "BOLT", "IDLE-EDGE", "EDGE-MOVED", "GOLD"]
    )
    assert report.data["value"] == str(sum(Decimal(w["value"]) for w in report.data["warehouses"]))
    # a re-run of the same day replaces the row's files instead of adding a report
    again = nightly_report_create(store=personas.store_a, day=DAY)
    assert again.pk == report.pk and NightlyReport.objects.count() == 1


def test_service_items_and_other_stores_stay_out(personas, wh, ledger):
    from tests.warehouse.factories import BinFactory, WarehouseFactory
    from warehouse.services import stock_move_append

    other = WarehouseFactory(store=personas.store_b, code="bw")
    stock_move_append(
        item=wh.bolt,
        warehouse=other,
        bin=BinFactory(warehouse=other),
        quantity=Decimal("9"),
        kind="other_in",
        unit_cost="1",
        user=None,
    )
    figures = nightly_figures(store=personas.store_a, day=timezone.localdate())
    assert {w["code"] for w in figures["warehouses"]} == {"w1", "w2"}
    assert not Item.objects.filter(tracking=Item.Tracking.SERVICE, levels__isnull=False).exists()
