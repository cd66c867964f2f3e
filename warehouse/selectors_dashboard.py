"""The warehouse dashboard: a list of panels, each one query, each figure with the URL of the list
that shows its records filtered the same way.

A later part adds its panel with one line (the stocktake's progress and error rates per area):

    DASHBOARD_PANELS.append(Panel("stocktake", _("Stocktake"), "warehouse/stocktake/_panel.html", func))

``func(*, store_ids, start, end) -> dict`` returns the panel template's context (a fixed number of
queries); the template receives it as ``panel``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warehouse.models import GoodsReceipt, NightlyReport, SalesSlip, StockLevel, StockMove

ZERO = Decimal("0")


@dataclass(frozen=True)
class Panel:
    code: str
    title: object
    template: str
    func: Callable[..., dict]


def _url(name: str, **query) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def panel_stock_value(*, store_ids: list[int], start, end) -> dict:
    """Stock value by warehouse and category, counted as the stock page counts (lines with stock
    on hand or reserved)."""
    rows = list(
        StockLevel.objects.filter(warehouse__store_id__in=store_ids)
        .filter(Q(quantity__gt=0) | Q(reserved__gt=0))
        .values("warehouse_id", "warehouse__name", "item__category_id", "item__category__name")
        .annotate(lines=Count("id"), value=Sum("value"))
        .order_by("warehouse__name", "item__category__name")
    )
    for row in rows:
        row["value"] = row["value"] or ZERO
        row["url"] = _url("warehouse:stock", warehouse=row["warehouse_id"], category=row["item__category_id"])
    by_warehouse: dict[int, dict] = {}
    for row in rows:
        w = by_warehouse.setdefault(
            row["warehouse_id"],
            {
                "name": row["warehouse__name"],
                "value": ZERO,
                "lines": 0,
                "url": _url("warehouse:stock", warehouse=row["warehouse_id"]),
            },
        )
        w["value"] += row["value"]
        w["lines"] += row["lines"]
    return {
        "rows": rows,
        "warehouses": list(by_warehouse.values()),
        "total": sum((r["value"] for r in rows), ZERO),
        "url": _url("warehouse:stock"),
    }


def panel_day_moves(*, store_ids: list[int], start, end) -> dict:
    """Today's movements per warehouse and kind."""
    kinds = dict(StockMove.Kind.choices)
    day = timezone.localtime(start).date().isoformat()
    rows = list(
        StockMove.objects.filter(warehouse__store_id__in=store_ids, created_at__gte=start, created_at__lt=end)
        .values("warehouse_id", "warehouse__name", "kind")
        .annotate(moves=Count("id"), value=Sum("value"))
        .order_by("warehouse__name", "kind")
    )
    for row in rows:
        row["label"] = kinds.get(row["kind"], row["kind"])
        row["url"] = _url("warehouse:moves", warehouse=row["warehouse_id"], kind=row["kind"], day=day)
    return {"rows": rows, "total": sum(r["moves"] for r in rows), "url": _url("warehouse:moves", day=day)}


def panel_receipts_waiting(*, store_ids: list[int], start, end) -> dict:
    """Goods receipts waiting for inspection, for the slip, or for the slip's approval."""
    states = [GoodsReceipt.State.INSPECTION, GoodsReceipt.State.INSPECTED, GoodsReceipt.State.SLIP_OPEN]
    counts = dict(
        GoodsReceipt.objects.filter(store_id__in=store_ids, state__in=states)
        .values("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    labels = dict(GoodsReceipt.State.choices)
    rows = [
        {"state": s, "label": labels[s], "count": counts.get(s, 0), "url": _url("warehouse:receipts", state=s)}
        for s in states
    ]
    return {"rows": rows, "total": sum(r["count"] for r in rows)}


def panel_slips_waiting(*, store_ids: list[int], start, end) -> dict:
    """Sales slips waiting for credit (the balance is short) and the money missing."""
    totals = SalesSlip.objects.filter(
        store_id__in=store_ids, state=SalesSlip.State.WAITING, total__gt=F("account__balance")
    ).aggregate(n=Count("id"), missing=Sum(F("total") - F("account__balance")))
    return {"count": totals["n"] or 0, "missing": totals["missing"] or ZERO, "url": _url("warehouse:slips", credit=1)}


def panel_latest_report(*, store_ids: list[int], start, end) -> dict:
    """The latest nightly report of each store."""
    latest = NightlyReport.objects.filter(store_id=OuterRef("store_id")).order_by("-day").values("day")[:1]
    reports = list(
        NightlyReport.objects.filter(store_id__in=store_ids, day=Subquery(latest))
        .select_related("store")
        .order_by("store__name")
    )
    return {"reports": reports, "url": _url("warehouse:reports")}


def panel_stocktakes(*, store_ids: list[int], start, end) -> dict:
    """The open stocktakes with per-area progress and error rates (two queries)."""
    from warehouse.selectors_stocktake import stocktake_progress

    return {"progress": stocktake_progress(store_ids=store_ids)}


#: The dashboard's panels in order. Append a panel here (see the module docstring).
DASHBOARD_PANELS: list[Panel] = [
    Panel(
        "stock_value",
        _("Stock value by warehouse and category"),
        "warehouse/dashboard/_stock_value.html",
        panel_stock_value,
    ),
    Panel("day_moves", _("Today's movements"), "warehouse/dashboard/_day_moves.html", panel_day_moves),
    Panel(
        "receipts",
        _("Receipts waiting for inspection or approval"),
        "warehouse/dashboard/_receipts.html",
        panel_receipts_waiting,
    ),
    Panel("slips", _("Sales slips waiting for credit"), "warehouse/dashboard/_slips.html", panel_slips_waiting),
    Panel("nightly", _("Latest nightly report"), "warehouse/dashboard/_nightly.html", panel_latest_report),
    Panel("stocktake", _("Stocktakes under way"), "warehouse/dashboard/_stocktake.html", panel_stocktakes),
]


def dashboard_panels(*, store_ids: list[int], now: dt.datetime | None = None) -> list[dict]:
    """Every panel's context for the stores, today (local day)."""
    now = timezone.localtime(now or timezone.now())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + dt.timedelta(days=1)
    return [
        {"code": p.code, "title": p.title, "template": p.template, **p.func(store_ids=store_ids, start=start, end=end)}
        for p in DASHBOARD_PANELS
    ]
