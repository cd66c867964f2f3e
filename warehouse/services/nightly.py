"""The nightly stock report: computed at 02:00 store time for the day that ended, stored as PDF
and XLSX, listed on the reports page and e-mailed to the store's warehouse supervisors once the
job's transaction commits.

The figures come from ``warehouse.selectors_reports`` (set-based SQL); Python only writes the
files. The PDF carries the summaries and the first ``PDF_ROWS`` lines of each list (with the
full count); the spreadsheet carries every line.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from functools import partial
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.models import Membership, Store
from showroom.pdf import pdf_language, render_pdf_document
from warehouse import selectors_reports as q
from warehouse.models import Item, NightlyReport, StockMove, Warehouse

logger = logging.getLogger(__name__)

JOB_CODE = "warehouse.nightly_report"
#: Lines of each list printed in the PDF; the spreadsheet has them all.
PDF_ROWS = 50


def report_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The reported day as [start, cutoff) in the store's time zone."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), zone)
    cutoff = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), zone)
    return start, cutoff


def nightly_figures(*, store: Store, day: dt.date, pdf_rows: int | None = PDF_ROWS) -> dict:
    """Every figure of the report of ``store`` for ``day`` (a fixed number of queries)."""
    warehouses = list(Warehouse.objects.filter(store=store, is_active=True).order_by("code"))
    ids = [w.pk for w in warehouses]
    start, cutoff = report_bounds(day)
    names = {w.pk: w.name for w in warehouses}
    if not ids:
        return {"warehouses": [], "start": start, "cutoff": cutoff, "day": day, "ids": ids, "names": names}
    totals = q.report_warehouse_totals(warehouse_ids=ids, cutoff=cutoff)
    counts = q.report_counts(warehouse_ids=ids, cutoff=cutoff)
    categories = q.report_category_totals(warehouse_ids=ids, cutoff=cutoff)
    moves = q.report_day_moves(warehouse_ids=ids, start=start, cutoff=cutoff)
    below = q.report_below_reorder(warehouse_ids=ids, cutoff=cutoff, limit=pdf_rows)
    idle = q.report_idle(warehouse_ids=ids, cutoff=cutoff, limit=pdf_rows)
    serials = q.report_serial_ages(warehouse_ids=ids, cutoff=cutoff)
    kinds = dict(StockMove.Kind.choices)
    units = dict(Item.Unit.choices)
    per = []
    for w in warehouses:
        per.append(
            {
                "id": w.pk,
                "code": w.code,
                "name": w.name,
                **totals[w.pk],
                **counts[w.pk],
                "categories": [c for c in categories if c["warehouse_id"] == w.pk],
                "moves": [{**m, "label": kinds.get(m["kind"], m["kind"])} for m in moves if m["warehouse_id"] == w.pk],
                "below_reorder_rows": [
                    {**b, "unit_label": units.get(b["unit"], b["unit"])} for b in below if b["warehouse_id"] == w.pk
                ],
                "idle_rows": [
                    {**i, "unit_label": units.get(i["unit"], i["unit"])} for i in idle if i["warehouse_id"] == w.pk
                ],
                "serials": [s for s in serials if s["warehouse_id"] == w.pk],
            }
        )
        # The PDF lists the first lines and the warehouse's total per age; the spreadsheet all.
        mine = per[-1]["serials"]
        per[-1]["serial_rows"] = mine[:pdf_rows] if pdf_rows else mine
        per[-1]["serial_units"] = sum(s["units"] for s in mine)
        per[-1]["serial_buckets"] = [sum(col) for col in zip(*(s["buckets"] for s in mine), strict=True)]
    return {"warehouses": per, "start": start, "cutoff": cutoff, "day": day, "ids": ids, "names": names}


def _summary(figures: dict) -> dict:
    """The JSON kept on the report row: per warehouse its totals (money as strings)."""
    return {
        "warehouses": [
            {
                "id": w["id"],
                "name": w["name"],
                "lines": w["lines"],
                "value": str(w["value"]),
                "moves": sum(m["moves"] for m in w["moves"]),
                "below_reorder": w["below_reorder"],
                "idle": w["idle"],
                "serial_units": sum(s["units"] for s in w["serials"]),
            }
            for w in figures["warehouses"]
        ],
        "value": str(sum((w["value"] for w in figures["warehouses"]), Decimal("0.00"))),
    }


def _xlsx(*, store: Store, figures: dict) -> bytes:
    from openpyxl import Workbook

    ids, names, start, cutoff = figures["ids"], figures["names"], figures["start"], figures["cutoff"]
    units = dict(Item.Unit.choices)
    kinds = dict(StockMove.Kind.choices)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Summary")[:31])
    sheet.append([_("Nightly stock report"), store.name, f"{figures['day']:%Y-%m-%d}"])
    sheet.append([_("Warehouse"), _("Item lines"), _("Value"), _("Below reorder point"), _("No movement (90 days)")])
    for w in figures["warehouses"]:
        sheet.append([w["name"], w["lines"], w["value"], w["below_reorder"], w["idle"]])
    sheet = book.create_sheet(_("By category")[:31])
    sheet.append([_("Warehouse"), _("Category"), _("Item lines"), _("Value")])
    for w in figures["warehouses"]:
        for c in w["categories"]:
            sheet.append([w["name"], c["category"] or _("No category"), c["lines"], c["value"]])
    sheet = book.create_sheet(_("Balances")[:31])
    sheet.append(
        [
            _("Warehouse"),
            _("Item code"),
            _("Item"),
            _("Category"),
            _("Unit"),
            _("On hand"),
            _("Value"),
            _("Reorder point"),
        ]
    )
    for wid, code, name, category, unit, quantity, value, reorder in q.report_item_balances(
        warehouse_ids=ids, cutoff=cutoff
    ):
        sheet.append([names[wid], code, name, category or "", str(units.get(unit, unit)), quantity, value, reorder])
    sheet = book.create_sheet(_("Movements")[:31])
    sheet.append(
        [_("Warehouse"), _("At"), _("Item code"), _("Item"), _("Kind"), _("Quantity"), _("Value"), _("Document")]
    )
    for wid, at, code, name, kind, quantity, value, label in q.report_day_move_lines(
        warehouse_ids=ids, start=start, cutoff=cutoff
    ):
        stamp = timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if isinstance(at, dt.datetime) else str(at)
        sheet.append([names[wid], stamp, code, name, str(kinds.get(kind, kind)), quantity, value, label])
    sheet = book.create_sheet(_("Below reorder point")[:31])
    sheet.append([_("Warehouse"), _("Item code"), _("Item"), _("On hand"), _("Reorder point")])
    for b in q.report_below_reorder(warehouse_ids=ids, cutoff=cutoff):
        sheet.append([names[b["warehouse_id"]], b["code"], b["name"], b["quantity"], b["reorder_point"]])
    sheet = book.create_sheet(_("No movement (90 days)")[:31])
    sheet.append([_("Warehouse"), _("Item code"), _("Item"), _("On hand"), _("Value"), _("Last move")])
    for i in q.report_idle(warehouse_ids=ids, cutoff=cutoff):
        last = i["last_move"]
        last = timezone.localtime(last).strftime("%Y-%m-%d") if isinstance(last, dt.datetime) else (last or "")
        sheet.append([names[i["warehouse_id"]], i["code"], i["name"], i["quantity"], i["value"], last])
    sheet = book.create_sheet(_("Serial numbers by age")[:31])
    sheet.append([_("Warehouse"), _("Item code"), _("Item"), _("Units"), *q.age_bucket_labels()])
    for w in figures["warehouses"]:
        for s in w["serials"]:
            sheet.append([w["name"], s["code"], s["name"], s["units"], *s["buckets"]])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf(*, store: Store, figures: dict) -> bytes:
    with translation.override(pdf_language()):
        return render_pdf_document(
            "pdf/warehouse/nightly.html",
            {
                "store": store,
                "title": _("Nightly stock report"),
                "number": f"{figures['day']:%Y-%m-%d}",
                "figures": figures,
                "age_labels": q.age_bucket_labels(),
                "pdf_rows": PDF_ROWS,
                "idle_days": q.IDLE_DAYS,
            },
        ).content


@transaction.atomic
def nightly_report_create(*, store: Store, day: dt.date) -> NightlyReport:
    """Compute, store and (after commit) mail the report of ``store`` for ``day``. Run again for
    the same day it replaces the files (a manual re-run); the job itself runs once a day."""
    began = time.perf_counter()
    figures = nightly_figures(store=store, day=day)
    stem = f"nightly-{store.code}-{day:%Y%m%d}"
    report, _created = NightlyReport.objects.select_for_update().get_or_create(
        store=store, day=day, defaults={"cutoff": figures["cutoff"]}
    )
    for field in (report.pdf, report.xlsx):
        if field:
            field.delete(save=False)
    report.cutoff = figures["cutoff"]
    report.data = _summary(figures)
    report.xlsx.save(f"{stem}.xlsx", ContentFile(_xlsx(store=store, figures=figures)), save=False)
    report.pdf.save(f"{stem}.pdf", ContentFile(_pdf(store=store, figures=figures)), save=False)
    report.seconds = Decimal(f"{time.perf_counter() - began:.2f}")
    report.emailed_at = None
    report.save()
    transaction.on_commit(partial(nightly_report_email_send, report_id=report.pk))
    return report


def nightly_report_job(*, store: Store, day: dt.date) -> None:
    """The scheduled job (02:00 store time, ``day`` is the local day it runs on): reports the day
    that just ended. A store without an active warehouse has nothing to report."""
    if not Warehouse.objects.filter(store=store, is_active=True).exists():
        return
    nightly_report_create(store=store, day=day - dt.timedelta(days=1))


def report_recipients(*, store: Store | int) -> list[str]:
    """The e-mail addresses of the store's active warehouse supervisors."""
    store_id = store if isinstance(store, int) else store.pk
    return sorted(
        set(
            Membership.objects.filter(
                store_id=store_id, role__code=r.WAREHOUSE_SUPERVISOR, is_active=True, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def nightly_report_email_send(*, report_id: int) -> bool:
    """Mail one report to the warehouse supervisors, once: the row is claimed before sending and
    released when sending fails. True when sent now."""
    if not NightlyReport.objects.filter(pk=report_id, emailed_at__isnull=True).update(emailed_at=timezone.now()):
        return False
    report = NightlyReport.objects.select_related("store").get(pk=report_id)
    recipients = report_recipients(store=report.store_id)
    if not recipients:
        NightlyReport.objects.filter(pk=report_id).update(emailed_at=None)
        logger.info("nightly report %s: the store has no warehouse supervisor with an e-mail", report_id)
        return False
    base = getattr(settings, "SHOWROOM", {}).get("BASE_URL", "")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(app)s] Nightly stock report %(day)s · %(store)s") % {
            "app": _("Showroom"),
            "day": f"{report.day:%Y-%m-%d}",
            "store": report.store.name,
        }
        lines = [
            _("%(warehouse)s: %(lines)s item lines, value ¥%(value)s, %(moves)s moves, %(below)s below reorder point")
            % {
                "warehouse": w["name"],
                "lines": w["lines"],
                "value": w["value"],
                "moves": w["moves"],
                "below": w["below_reorder"],
            }
            for w in report.data.get("warehouses", [])
        ]
        body = "\n".join(
            [
                *lines,
                "",
                _("The PDF and the spreadsheet are attached and on the reports page:"),
                base + reverse("warehouse:reports"),
            ]
        )
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    for field, mime in (
        (report.pdf, "application/pdf"),
        (report.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        if field:
            with field.open("rb") as handle:
                message.attach(field.name.rsplit("/", 1)[-1], handle.read(), mime)
    try:
        message.send()
    except Exception:
        logger.exception("nightly report %s: e-mail failed", report_id)
        NightlyReport.objects.filter(pk=report_id).update(emailed_at=None)
        return False
    return True
