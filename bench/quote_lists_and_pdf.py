"""Benchmark: the quote list and order list (page and API) with many rows, building a quote
(create + six lines, each recomputing the totals), and rendering one quote PDF.

Creates N quotes with their leads and orders in one store of a scratch database (PostgreSQL when
DATABASE_URL points at one, else a temporary SQLite file), then prints the median time and query
count of each. Run: .venv/bin/python bench/quote_lists_and_pdf.py [N]
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _common import Figure, emit, scratch_database, size_from_argv  # noqa: E402

FIGURES: list[Figure] = []  # what this run measured, for bench/run.py's summary (bench/README.md)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showroom.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(n: int) -> None:
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tempfile.mkdtemp()
    with scratch_database():
        run(n)


def timed(func, repeat=5):
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


def run(n: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone
    from rest_framework.test import APIClient

    from leads.models import Brand, Colour, Lead, Order, Quote, Trim, TrimColour, VehicleModel
    from leads.services.quotes import quote_create, quote_line_add, quote_send
    from showroom.models import Customer, Document, Membership, Role, Store
    from showroom.reference import ensure_reference_data
    from showroom.services.documents import document_render
    from warehouse.models import Item

    ensure_reference_data()
    store = Store.objects.create(code="bench", name="基准门店", kind="car", address="上海市", phone="021-1")
    user = get_user_model().objects.create_user("bench", password="x", first_name="顾问")
    Membership.objects.create(user=user, store=store, role=Role.objects.get(code="consultant"))
    model = VehicleModel.objects.create(
        brand=Brand.objects.create(name="别克"), name="GL8", segment="mpv", consultant_discount_limit=8000
    )
    trim = Trim.objects.create(vehicle_model=model, name="陆尊 653T 豪华型", list_price=Decimal("329900"))
    tc = TrimColour.objects.create(
        trim=trim, colour=Colour.objects.create(vehicle_model=model, name="珍珠白"), list_price=Decimal("331900")
    )
    items = [
        Item.objects.create(code=f"B{i}", name=f"精品{i}", tracking=t, list_price=Decimal("1288.50"))
        for i, t in enumerate(["quantity", "quantity", "service", "service", "service", "service"])
    ]
    today = timezone.localdate()
    start = time.perf_counter()
    customers = Customer.objects.bulk_create(
        Customer(store=store, name=f"客户{i}", mobile=f"+8613{i:09d}", consent_given=True, consent_at=timezone.now())
        for i in range(n)
    )
    leads = Lead.objects.bulk_create(
        Lead(store=store, customer=c, consultant=user, source="walk_in", state="won") for c in customers
    )
    quotes = Quote.objects.bulk_create(
        Quote(
            store=store,
            lead=lead,
            consultant=user,
            number=f"QT-2026-{i + 1:06d}",
            trim_colour=tc,
            vehicle_price=Decimal("331900"),
            invoice_date=today,
            valid_until=today + dt.timedelta(days=7),
            total=Decimal("350000"),
            state="accepted",
        )
        for i, lead in enumerate(leads)
    )
    Order.objects.bulk_create(
        Order(store=store, lead=q.lead, quote=q, consultant=user, total=q.total, deposit_due=Decimal("5000"))
        for q in quotes
    )
    print(f"{n} quotes and orders created in {time.perf_counter() - start:.1f} s")
    web = Client()
    web.force_login(user)
    api = APIClient()
    api.force_login(user)
    for label, client, url in (
        ("quote list page", web, "/leads/quotes/"),
        ("order list page", web, "/leads/orders/"),
        ("quote list API", api, "/api/v1/leads/quotes/"),
        ("order list API", api, "/api/v1/leads/orders/"),
    ):
        client.get(url)
        ms, q = timed(lambda client=client, url=url: client.get(url))
        print(f"{label:18} {ms:7.1f} ms  {q:3d} queries")
        FIGURES.append(Figure(f"{label} median", ms, queries=q))

    new_customer = Customer.objects.create(
        store=store, name="王先生", mobile="+8613900000000", consent_given=True, consent_at=timezone.now()
    )
    lead = Lead.objects.create(store=store, customer=new_customer, consultant=user, source="walk_in")

    def build():
        with transaction.atomic():
            quote = quote_create(lead=lead, user=user, trim_colour=tc, discount="3000")
            for i, item in enumerate(items):
                kind = "accessory" if i < 2 else ("insurance", "warranty", "service", "fee")[i - 2]
                quote_line_add(quote=quote, user=user, kind=kind, item=item)
            transaction.set_rollback(True)

    ms, q = timed(build)
    print(f"{'build a quote':18} {ms:7.1f} ms  {q:3d} queries (create + 6 lines)")
    FIGURES.append(Figure("build a quote (create + 6 lines)", ms, queries=q))
    quote = quote_create(lead=lead, user=user, trim_colour=tc, discount="3000")
    for i, item in enumerate(items):
        quote_line_add(quote=quote, user=user, kind="accessory" if i < 2 else "fee", item=item)
    with transaction.atomic():
        quote_send(quote=quote, user=user)
    document = Document.objects.get(doc_type="QT", object_id=quote.pk)
    start = time.perf_counter()
    document_render(document_id=document.pk)
    document.refresh_from_db()
    ms = (time.perf_counter() - start) * 1000
    print(f"{'quote PDF':18} {ms:7.1f} ms  {document.pages} page(s), {document.state}")
    FIGURES.append(Figure("quote PDF (once)", ms))


SIZE_N = {"tiny": 50, "small": 2_000, "medium": 20_000, "large": 200_000}

if __name__ == "__main__":
    size, rest = size_from_argv("small")
    n = int(rest[0]) if rest else SIZE_N[size]
    main(n)
    emit(Path(__file__).stem, FIGURES)
