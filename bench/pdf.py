"""Benchmark: PDF rendering. The quote PDF (``document_render``: data, template, WeasyPrint, storage)
beside WeasyPrint rendering the very same HTML directly, and a 10-page report: the stocktake
report's template is not on this branch yet (another helper builds it), so a 10-page stock-on-hand
table goes through showroom/pdf.py's generic template instead, beside WeasyPrint on its HTML.

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


def _p50(func, rounds: int) -> float:
    func()
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _capture_html():
    """Wrap showroom.pdf._layout to keep the last HTML it laid out."""
    import showroom.pdf as pdf

    seen: list[str] = []
    original = pdf._layout

    def layout(html: str):
        seen.append(html)
        return original(html)

    pdf._layout = layout
    return seen


def _weasy(html: str) -> bytes:
    from weasyprint import HTML

    import showroom.pdf as pdf

    roots = pdf._static_roots()
    return HTML(string=html, base_url=str(roots[0]) + "/" if roots else None).write_pdf()


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


def stock_report_context() -> dict:
    from warehouse.models import StockLevel

    rows_per_page = 29  # the generic template's lines per A4 page (measured): ten pages, repeated if few items
    wanted = rows_per_page * REPORT_PAGES
    levels = list(StockLevel.objects.select_related("item", "warehouse").order_by("item__code")[:wanted])
    levels = (levels * (wanted // max(1, len(levels)) + 1))[:wanted]
    return {
        "title": "库存盘点表",
        "fields": [("仓库", "华东中心仓"), ("盘点日期", time.strftime("%Y-%m-%d"))],
        "columns": ["编码", "名称", "规格", "账面数量", "实盘数量", "差异", "金额"],
        "numeric_columns": [3, 4, 5, 6],
        "rows": [
            (lv.item.code, lv.item.name, lv.item.specification, lv.quantity, lv.quantity, "0", lv.value)
            for lv in levels
        ],
        "signatures": ["盘点人", "复核人", "仓库主管"],
    }


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
    from showroom.pdf import render_pdf_document
    from showroom.scale.database import scale_connection_use, scale_target
    from showroom.services.documents import document_render

    settings.MEDIA_ROOT = tempfile.mkdtemp()
    scale_connection_use(target=scale_target(database_url=args.url))
    seen = _capture_html()
    with transaction.atomic():
        user = get_user_model().objects.get(username="scale_consultant")
        store = Membership.objects.get(user=user).store
        document = quote_document(store, user)

        def quote_pdf():
            Document.objects.filter(pk=document.pk).update(state="pending")
            document_render(document_id=document.pk)

        quote_ms = _p50(quote_pdf, args.rounds)
        document.refresh_from_db()
        quote_html = seen[-1]
        direct_ms = _p50(lambda: _weasy(quote_html), args.rounds)
        context = stock_report_context()
        report = {}

        def report_pdf():
            report["doc"] = render_pdf_document("pdf/showroom/generic.html", context)

        report_ms = _p50(report_pdf, max(1, args.rounds // 2))
        report_html = seen[-1]
        report_direct_ms = _p50(lambda: _weasy(report_html), max(1, args.rounds // 2))
        transaction.set_rollback(True)
    pages = report["doc"].pages
    print(f"PDF rendering, p50 of {args.rounds} (ms)")
    print(f"{'case':<34} {'p50':>8} {'WeasyPrint direct':>18} {'ratio':>6}")
    print(f"{'quote PDF (document_render)':<34} {quote_ms:>8.1f} {direct_ms:>18.1f} {quote_ms / direct_ms:>6.2f}")
    label = f"stock table, {pages} pages (pdf.py)"
    print(f"{label:<34} {report_ms:>8.1f} {report_direct_ms:>18.1f} {report_ms / report_direct_ms:>6.2f}")
    print("(the stocktake report's own template is not on this branch: a stock table stands in)")
    emit(
        "pdf",
        [
            Figure("quote PDF p50", quote_ms, "ms", direct_ms, "WeasyPrint on the same HTML", quote_ms / direct_ms),
            Figure(
                f"{pages}-page stock table p50",
                report_ms,
                "ms",
                report_direct_ms,
                "WeasyPrint on the same HTML",
                report_ms / report_direct_ms,
            ),
        ],
    )


if __name__ == "__main__":
    main()
