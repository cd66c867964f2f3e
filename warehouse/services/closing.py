"""The month-end close with its journal: ``month_end_close`` runs the ledger's ``month_close``
(each item's weighted-average cost for the month, a cost posting per pending issue) and posts
one cost-of-goods-sold entry per item: Dr cost of goods sold / Cr inventory."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum

from warehouse.models import Account, CostPosting, JournalEntry, MonthClose, Warehouse
from warehouse.services.journal import cr, dr, journal_post
from warehouse.services.valuation import _month_bounds, month_close


@transaction.atomic
def month_end_close(*, warehouse: Warehouse, month: dt.date, user) -> MonthClose:
    close = month_close(warehouse=warehouse, month=month, user=user)
    _start, end = _month_bounds(close.month)
    last_day = end.date() - dt.timedelta(days=1)
    rows = (
        CostPosting.objects.filter(close=close)
        .values("move__item_id", "move__item__code")
        .annotate(amount=Sum("amount"))
        .order_by("move__item__code")
    )
    for row in rows:
        journal_post(
            store_id=warehouse.store_id,
            kind=JournalEntry.Kind.MONTH_CLOSE,
            legs=[dr(Account.COGS, row["amount"]), cr(Account.INVENTORY, row["amount"])],
            source=close,
            source_label=f"{warehouse.code} {close.month:%Y-%m} {row['move__item__code']}",
            memo=row["move__item__code"],
            user=user,
            date=last_day,
        )
    return close
