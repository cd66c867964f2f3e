"""The retail day (article 2, 零售日报业务): cash sales at a counter with no order are summed per
day into one retail daily report (RD), settled in cash only (零售业务不存在赊销). Approving it
(finance) creates the delivery note and the outbound moves, and posts Dr cash / Cr revenue,
Cr output VAT, and Dr cost of goods sold / Cr inventory (at once under moving average; at the
month-end close under monthly average)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.services.documents import document_issue, document_number_allocate
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Account,
    Bin,
    Item,
    JournalEntry,
    PaymentMethod,
    RetailDailyReport,
    RetailSale,
    StockMove,
    Warehouse,
)
from warehouse.services._common import decimal_of, require_role
from warehouse.services.journal import cr, dr, journal_post, money, vat_split
from warehouse.services.ledger import stock_move_append
from warehouse.services.slips import cogs_post

ZERO = Decimal("0")
COUNTER = (r.COUNTER_LEADER, r.SALES_ASSISTANT, r.CASHIER)


@transaction.atomic
def retail_sale_record(
    *, user, warehouse: Warehouse, bin: Bin, item: Item, quantity, unit_price=None, method: str = "cash"
) -> RetailSale:
    """One cash sale at the counter. Retail is settled in cash only: any other method is refused."""
    require_role(user=user, store_id=warehouse.store_id, roles=COUNTER)
    quantity = decimal_of(quantity, field="quantity")
    price = decimal_of(item.list_price if unit_price in (None, "") else unit_price, field="unit_price")
    errors = {}
    if method != PaymentMethod.CASH:
        errors["method"] = [_("Retail sales are settled in cash only; there are no credit sales.")]
    if quantity <= 0:
        errors["quantity"] = [_("The quantity must be above zero.")]
    if price < 0 or price != money(price):
        errors["unit_price"] = [_("The price is an amount to the cent, not below zero.")]
    if not item.is_stocked or item.is_serial:
        errors["item"] = [_("Sell a stocked item without a serial number at the counter.")]
    if bin.warehouse_id != warehouse.pk:
        errors["bin"] = [_("The bin is not in this warehouse.")]
    if errors:
        raise ValidationError(errors)
    day = timezone.localdate()
    if RetailDailyReport.objects.filter(warehouse=warehouse, day=day).exists():
        raise TransitionConflict(_("Today's retail report is already made; the day is closed."))
    return RetailSale.objects.create(
        store_id=warehouse.store_id,
        warehouse=warehouse,
        bin=bin,
        item=item,
        quantity=quantity,
        unit_price=price,
        total=money(quantity * price),
        day=day,
        created_by=user,
    )


@transaction.atomic
def retail_report_create(*, user, warehouse: Warehouse, day: dt.date) -> RetailDailyReport:
    """Sum the day's counter sales into the retail daily report (one per warehouse and day)."""
    require_role(user=user, store_id=warehouse.store_id, roles=(r.COUNTER_LEADER, r.CASHIER, r.FINANCE))
    sales = RetailSale.objects.select_for_update().filter(warehouse=warehouse, day=day, report__isnull=True)
    if not sales.exists():
        raise ValidationError({"day": [_("No counter sales that day.")]})
    try:
        with transaction.atomic():
            report = RetailDailyReport.objects.create(
                store_id=warehouse.store_id, warehouse=warehouse, day=day, number="", created_by=user
            )
    except IntegrityError as exc:
        raise TransitionConflict(_("That day already has its retail report.")) from exc
    report.total = sales.aggregate(t=Sum("total"))["t"] or ZERO
    report.number = document_issue(doc_type="RD", target=report, store=warehouse.store, user=user).number
    report.save(update_fields=["total", "number"])
    sales.update(report=report)
    return report


def retail_report_lines(*, report: RetailDailyReport) -> list[dict]:
    """The report's lines: per item and bin, the quantity and the cash taken."""
    rows = (
        report.sales.values("item_id", "bin_id", "item__vat_rate")
        .annotate(quantity=Sum("quantity"), total=Sum("total"))
        .order_by("item_id", "bin_id")
    )
    return list(rows)


@transaction.atomic
def retail_report_approve(*, report: RetailDailyReport, user, note: str = "") -> RetailDailyReport:
    """Approve: the delivery note (DN) and one outbound move per item and bin; the entries."""

    def stamp(obj: RetailDailyReport) -> None:
        obj.approved_by = user

    report = transition_run(instance=report, name="approve", user=user, note=note, before_save=stamp)
    report.delivery_number = document_number_allocate(doc_type="DN", store=report.store_id)
    report.save(update_fields=["delivery_number"])
    lines = retail_report_lines(report=report)
    items = Item.objects.in_bulk([row["item_id"] for row in lines])
    bins = Bin.objects.in_bulk([row["bin_id"] for row in lines])
    moves = [
        stock_move_append(
            item=items[row["item_id"]],
            warehouse=report.warehouse,
            bin=bins[row["bin_id"]],
            quantity=-row["quantity"],
            kind=StockMove.Kind.ISSUE,
            user=user,
            source=report,
            source_label=report.delivery_number,
        )
        for row in lines
    ]
    net = vat = ZERO
    by_rate: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for row in lines:
        by_rate[row["item__vat_rate"]] += row["total"]
    for rate, total in by_rate.items():
        n, v = vat_split(total=total, rate=rate)
        net += n
        vat += v
    journal_post(
        store_id=report.store_id,
        kind=JournalEntry.Kind.RETAIL,
        legs=[dr(Account.CASH, net + vat), cr(Account.REVENUE, net), cr(Account.OUTPUT_VAT, vat)],
        source=report,
        source_label=report.number,
        user=user,
        date=report.day,
    )
    if report.warehouse.valuation == Warehouse.Valuation.MOVING:
        cogs_post(moves=moves, store_id=report.store_id, source=report, label=report.number, user=user)
    return report
