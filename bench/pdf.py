"""Benchmark: PDF rendering. The quote PDF (``document_render``: data, template, WeasyPrint, storage)
beside WeasyPrint rendering the very same HTML directly, and the stocktake report SK (《盘点单》,
warehouse/documents_stocktake.py and its template, through ``document_render`` too) of a closed
stocktake with enough differences for a 10-page report, printed 一式二份 as the app does (two
copies, so 20 pages in the PDF), beside WeasyPrint laying out the same two copies' HTML.

Works inside a ``seed_scale`` database in one transaction that is rolled back at the end.
Run: .venv/bin/python bench/pdf.py --url postgres://…/showroom_scale_small [--rounds 7]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PG, Figure, emit, setup_django, size_from_argv

REPORT_PAGES = 10
# The SK template's rows per A4 page with its header and area table (measured: 10 pages a copy)
REPORT_LINES_PER_PAGE = 16
REPORT_LINES = REPORT_LINES_PER_PAGE * REPORT_PAGES


def _p50(func, rounds: int) -> float:
    func()
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _capture_html():
    """Wrap showroom.pdf._layout to keep the HTML it laid out (one per copy) since the list was
    last cleared."""
    import showroom.pdf as pdf

    seen: list[str] = []
    original = pdf._layout

    def layout(html: str):
        seen.append(html)
        return original(html)

    pdf._layout = layout
    return seen


def _weasy(htmls: list[str]) -> bytes:
    """WeasyPrint alone on the same HTML: each copy laid out, the pages written as one PDF."""
    from weasyprint import HTML

    import showroom.pdf as pdf

    roots = pdf._static_roots()
    base_url = str(roots[0]) + "/" if roots else None
    documents = [HTML(string=html, base_url=base_url).render() for html in htmls]
    return documents[0].copy([page for doc in documents for page in doc.pages]).write_pdf()


def quote_document(store, user):
    from decimal import Decimal

    from leads.models import Colour, Lead, Trim, TrimColour
    from leads.services.quotes import quote_create, quote_line_add, quote_send
    from showroom.models import Customer, Document
    from warehouse.models import Item

    trim = Trim.objects.filter(vehicle_model__brand__name="星河").order_by("pk").first()
    colour = Colour.objects.filter(vehicle_model=trim.vehicle_model).first()
    tc, _ = TrimColour.objects.get_or_create(trim=trim, colour=colour, defaults={"list_price": trim.list_price})
    from django.utils import timezone

    # 199 is no prefix of showroom.demo's fake mobiles: no clash with the seeded customers
    customer = Customer.objects.create(
        store=store, name="王先生", mobile="+8619900000000", consent_given=True, consent_at=timezone.now()
    )
    lead = Lead.objects.create(store=store, customer=customer, consultant=user, source="walk_in", state="negotiating")
    quote = quote_create(lead=lead, user=user, trim_colour=tc, discount="0")
    for i, tracking in enumerate(["quantity", "quantity", "service", "service", "service", "service"]):
        item = Item.objects.create(
            code=f"PDF-BENCH-{i}", name=f"精品{i}", tracking=tracking, list_price=Decimal("1288.50")
        )
        quote_line_add(quote=quote, user=user, kind="accessory" if i < 2 else "fee", item=item)
    from django.test import TestCase

    # the whole run is one rolled-back transaction: run what quote_send leaves for the commit now
    with TestCase.captureOnCommitCallbacks(execute=True):
        quote_send(quote=quote, user=user)
    return Document.objects.get(doc_type="QT", object_id=quote.pk)


def stocktake_document(keeper):
    """A closed stocktake of the scale warehouse whose report runs to REPORT_PAGES pages a copy,
    and its SK document (pending): rows written directly, as the counting, audit and posting
    services would have left them (the report reads the lines with a difference, their area and
    adjustment line). Every line differs, so each one is a row of the report."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from showroom.models import Document
    from showroom.services.documents import document_issue
    from warehouse.models import (
        Bin,
        BinBalance,
        Item,
        Stocktake,
        StocktakeAdjustment,
        StocktakeAdjustmentLine,
        StocktakeArea,
        StocktakeLine,
        Warehouse,
    )

    warehouse = Warehouse.objects.select_related("store").get(store__code="scale-wh1", code="main")
    bins = list(Bin.objects.filter(warehouse=warehouse).order_by("code"))
    items = list(Item.objects.filter(code__startswith="SC").order_by("code")[:REPORT_LINES])
    books = {(b.bin_id, b.item_id): b.quantity for b in BinBalance.objects.filter(warehouse=warehouse)}
    now = timezone.now()
    stocktake = Stocktake.objects.create(
        store=warehouse.store,
        warehouse=warehouse,
        month=timezone.localdate().replace(day=1),
        count_start=now - dt.timedelta(days=3),
        count_end=now - dt.timedelta(days=2),
        audit_end=now - dt.timedelta(days=1),
        seed=16,
        state=Stocktake.State.CLOSED,
        adjustment_decision=Stocktake.Decision.APPROVED,
        supervisor=keeper,
        approved_by=keeper,
        approved_at=now,
        closed_at=now,
    )
    half = len(bins) // 2
    areas = StocktakeArea.objects.bulk_create(
        [
            StocktakeArea(
                stocktake=stocktake,
                name=name,
                leader=keeper,
                state="finished",
                audited_lines=40,
                wrong_lines=wrong,
                error_rate=Decimal(wrong) / 40,
                finished_at=now,
            )
            for name, wrong in (("A 区", 1), ("B 区", 2))
        ]
    )
    causes = [c for c, _ in StocktakeLine.Cause.choices if c != "negligence"]
    lines = []
    # (bin, item) pairs: each item's own bin first (its book balance), then other bins where the
    # count found some (book 0): as many as the report needs, however few items the data set has
    for n in range(REPORT_LINES):
        item = items[n % len(items)]
        bin_ = bins[(n // len(items) + item.pk) % len(bins)]
        expected = books.get((bin_.pk, item.pk), Decimal(0))
        delta = Decimal(1 + n % 3) if expected < 3 or n % 2 else -Decimal(1 + n % 3)
        lines.append(
            StocktakeLine(
                stocktake=stocktake,
                area=areas[0] if bins.index(bin_) < half else areas[1],
                bin=bin_,
                item=item,
                expected=expected,
                first_quantity=expected + delta,
                recount_quantity=expected + delta,
                final_quantity=expected + delta,
                cause=causes[n % len(causes)],
                cause_note="复盘确认" if n % 5 == 0 else "",
                added_in="" if expected else "first_count",
            )
        )
    lines = StocktakeLine.objects.bulk_create(lines)
    slips = {
        kind: StocktakeAdjustment.objects.create(stocktake=stocktake, kind=kind, number=f"AS-BENCH-{kind}")
        for kind in ("surplus", "deficit")
    }
    adjustments = []
    for line in lines:
        cost = Decimal("12.5000") + line.item.pk % 90
        quantity = line.final_quantity - line.expected
        kind = "surplus" if quantity > 0 else "deficit"
        value = (quantity * cost).quantize(Decimal("0.01"))
        adjustments.append(
            StocktakeAdjustmentLine(adjustment=slips[kind], line=line, quantity=quantity, unit_cost=cost, value=value)
        )
        slips[kind].total += value
    StocktakeAdjustmentLine.objects.bulk_create(adjustments)
    for slip in slips.values():
        slip.save(update_fields=["total"])
    document = document_issue(doc_type="SK", target=stocktake, store=warehouse.store)
    return Document.objects.get(pk=document.pk)


def main() -> None:
    size, _ = size_from_argv("small")
    parser = argparse.ArgumentParser()
    parser.add_argument("--size")
    parser.add_argument("--url", default=os.environ.get("SCALE_URL") or PG + f"showroom_scale_{size}")
    parser.add_argument("--rounds", type=int, default=2 if size == "tiny" else 7)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from showroom.models import Document, Membership
    from showroom.scale.database import scale_connection_use, scale_target
    from showroom.services.documents import document_render

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    scale_connection_use(target=scale_target(database_url=args.url))
    seen = _capture_html()
    with transaction.atomic():
        user = get_user_model().objects.get(username="scale_consultant")
        store = Membership.objects.get(user=user).store
        documents = {
            "quote": quote_document(store, user),
            "stocktake": stocktake_document(get_user_model().objects.get(username="scale_keeper")),
        }
        rounds = {"quote": args.rounds, "stocktake": max(1, args.rounds // 2)}
        app_ms, direct_ms, htmls = {}, {}, {}
        for case, document in documents.items():

            def render(document=document):
                seen.clear()  # keep the HTML of the last render only (one per copy)
                Document.objects.filter(pk=document.pk).update(state="pending")
                assert document_render(document_id=document.pk).state == "ready", document.error

            app_ms[case] = _p50(render, rounds[case])
            htmls[case] = list(seen)
            direct_ms[case] = _p50(lambda case=case: _weasy(htmls[case]), rounds[case])
            document.refresh_from_db()
        transaction.set_rollback(True)
    pages = documents["stocktake"].pages
    copies = len(htmls["stocktake"])
    print(f"PDF rendering, p50 of {args.rounds} (quote) and {rounds['stocktake']} (stocktake report) rounds (ms)")
    print(f"{'case':<44} {'p50':>8} {'WeasyPrint direct':>18} {'ratio':>6}")
    labels = {
        "quote": f"quote PDF QT, {documents['quote'].pages} pages",
        "stocktake": f"stocktake report SK, {pages} pages ({copies} copies)",
    }
    for case, label in labels.items():
        ratio = app_ms[case] / direct_ms[case]
        print(f"{label:<44} {app_ms[case]:>8.1f} {direct_ms[case]:>18.1f} {ratio:>6.2f}")
    emit(
        "pdf",
        [
            Figure(
                "quote PDF p50",
                app_ms["quote"],
                "ms",
                direct_ms["quote"],
                "WeasyPrint on the same HTML",
                app_ms["quote"] / direct_ms["quote"],
            ),
            Figure(
                f"stocktake report {pages // max(1, copies)} pages x{copies} p50",
                app_ms["stocktake"],
                "ms",
                direct_ms["stocktake"],
                "WeasyPrint on the same HTML",
                app_ms["stocktake"] / direct_ms["stocktake"],
            ),
        ],
    )


if __name__ == "__main__":
    main()
