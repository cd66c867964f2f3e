"""Reads of the monthly stocktake, scoped to the stores the user may see. Lists and the progress
panel cost a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Abs

from showroom.permissions import store_ids_for
from warehouse.models import (
    StockMove,
    Stocktake,
    StocktakeAdjustment,
    StocktakeArea,
    StocktakeAuditLine,
    StocktakeCount,
    StocktakeLine,
)
from warehouse.models.stocktake import FROZEN_STATES

OPEN_STATES = [s for s in Stocktake.State.values if s not in (Stocktake.State.CLOSED, Stocktake.State.CANCELLED)]


def stocktake_list(
    *, user, state: str = "", warehouse_id: int | None = None, month: str = "", open_only: bool = False
) -> QuerySet[Stocktake]:
    rows = (
        Stocktake.objects.filter(store_id__in=store_ids_for(user))
        .select_related("warehouse", "store")
        .annotate(area_count=Count("areas", distinct=True))
        .order_by("-count_start", "-id")
    )
    if state in Stocktake.State.values:
        rows = rows.filter(state=state)
    if warehouse_id:
        rows = rows.filter(warehouse_id=warehouse_id)
    if month and len(month) == 7 and month[:4].isdigit() and month[5:].isdigit():
        rows = rows.filter(month__year=int(month[:4]), month__month=int(month[5:]))
    if open_only:
        rows = rows.filter(state__in=OPEN_STATES)
    return rows


def stocktake_get(*, user, pk: int) -> Stocktake:
    return Stocktake.objects.select_related("warehouse", "store", "supervisor", "approved_by").get(
        pk=pk, store_id__in=store_ids_for(user)
    )


def current_round(*, stocktake: Stocktake, area: StocktakeArea) -> tuple[str, int] | None:
    """The round counted now in ``area`` (None when nothing is counted there)."""
    if stocktake.state == Stocktake.State.FIRST_COUNT and area.state == StocktakeArea.State.COUNTING:
        return StocktakeCount.Round.FIRST, 0
    if stocktake.state == Stocktake.State.RECOUNT:
        return StocktakeCount.Round.RECOUNT, 0
    if stocktake.state == Stocktake.State.SAMPLE_AUDIT and area.state == StocktakeArea.State.FULL_RECOUNT:
        return StocktakeCount.Round.FULL, area.recount_pass
    return None


def stocktake_count_sheet(*, area: StocktakeArea, round_: str, pass_no: int) -> QuerySet[StocktakeLine]:
    """The blind count sheet of one area: bin, item and whether this round has its entry — never
    the book quantity or another round's count."""
    counted = StocktakeCount.objects.filter(line=OuterRef("pk"), round=round_, pass_no=pass_no)
    return (
        StocktakeLine.objects.filter(area=area)
        .select_related("bin", "item")
        .annotate(counted_now=Exists(counted))
        .only("id", "bin__code", "item__code", "item__name", "item__unit", "item__specification")
        .order_by("bin__code", "item__code")
    )


def stocktake_moves_since_count(*, stocktake: Stocktake) -> list[StockMove]:
    """Moves of the warehouse since counting started, other than the stocktake's own adjustments:
    shown before posting."""
    if stocktake.counted_at is None:
        return []
    slips = list(stocktake.adjustments.values_list("pk", flat=True))
    own = Q(content_type=ContentType.objects.get_for_model(StocktakeAdjustment), object_id__in=slips)
    return list(
        StockMove.objects.filter(warehouse_id=stocktake.warehouse_id, created_at__gte=stocktake.counted_at)
        .exclude(own)
        .select_related("item", "bin")
        .order_by("created_at", "id")[:200]
    )


def stocktake_parties_to_notify(*, stocktake: Stocktake) -> dict[str, list[str]]:
    """营销部通知厂家和客户在盘点日期间停止送收货品: suppliers with approved orders still open for the
    warehouse, customers with approved orders or sheets waiting to ship from it."""
    from warehouse.models import PurchaseOrder, SalesOrder, SpotSheet

    wh = stocktake.warehouse_id
    suppliers = (
        PurchaseOrder.objects.filter(warehouse_id=wh, state=PurchaseOrder.State.APPROVED)
        .values_list("supplier__name", flat=True)
        .distinct()
    )
    customers = set(
        SalesOrder.objects.filter(warehouse_id=wh, state=SalesOrder.State.APPROVED).values_list(
            "account__customer__name", flat=True
        )
    )
    customers |= set(
        SpotSheet.objects.filter(warehouse_id=wh)
        .exclude(state__in=(SpotSheet.State.RELEASED, SpotSheet.State.CANCELLED))
        .values_list("account__customer__name", flat=True)
    )
    return {"suppliers": sorted(set(suppliers)), "customers": sorted(customers)}


def stocktake_documents_waiting(*, stocktake: Stocktake) -> list[str]:
    """Documents not approved before the count: they wait until after the stocktake."""
    from warehouse.models import GoodsReceipt, OtherReceipt, SalesSlip, Transfer

    wh = stocktake.warehouse_id
    rows = [
        str(r)
        for r in GoodsReceipt.objects.filter(warehouse_id=wh).exclude(
            state__in=(GoodsReceipt.State.POSTED, GoodsReceipt.State.CANCELLED)
        )
    ]
    rows += [s.number for s in SalesSlip.objects.filter(order__warehouse_id=wh, state=SalesSlip.State.WAITING)]
    rows += [
        str(t)
        for t in Transfer.objects.filter(Q(from_warehouse_id=wh) | Q(to_warehouse_id=wh), state=Transfer.State.DRAFT)
    ]
    rows += [str(o) for o in OtherReceipt.objects.filter(warehouse_id=wh, state=OtherReceipt.State.DRAFT)]
    return rows


def _rate_percent(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else (rate * 100).quantize(Decimal("0.01"))


def stocktake_progress(*, store_ids: list[int]) -> list[dict]:
    """The open stocktakes of the stores with per-area progress and error rate (two queries): for
    the warehouse dashboard's panel (``warehouse/stocktake/_progress_panel.html``)."""
    stocktakes = list(
        Stocktake.objects.filter(store_id__in=store_ids, state__in=OPEN_STATES)
        .select_related("warehouse")
        .order_by("count_start", "id")
    )
    if not stocktakes:
        return []
    areas = (
        StocktakeArea.objects.filter(stocktake__in=stocktakes)
        .annotate(
            line_count=Count("lines", distinct=True),
            first_done=Count("lines", filter=Q(lines__first_quantity__isnull=False), distinct=True),
            recounted=Count("lines", filter=Q(lines__recount_quantity__isnull=False), distinct=True),
        )
        .order_by("name", "id")
    )
    by_stocktake: dict[int, list[dict]] = {}
    for area in areas:
        by_stocktake.setdefault(area.stocktake_id, []).append(
            {
                "name": area.name,
                "state": area.state,
                "state_display": area.get_state_display(),
                "lines": area.line_count,
                "counted": area.first_done,
                "recounted": area.recounted,
                "percent": 0 if not area.line_count else round(100 * area.first_done / area.line_count),
                "error_rate": _rate_percent(area.error_rate),
            }
        )
    return [
        {
            "stocktake": s,
            "id": s.pk,
            "label": str(s.number or s.warehouse.name),
            "warehouse": s.warehouse.name,
            "state": s.state,
            "state_display": s.get_state_display(),
            "frozen": s.state in FROZEN_STATES,
            "areas": by_stocktake.get(s.pk, []),
        }
        for s in stocktakes
    ]


def stocktake_audit_lines(*, stocktake: Stocktake) -> QuerySet[StocktakeAuditLine]:
    return stocktake.audit_lines.select_related("line__bin", "line__item", "line__area", "audited_by", "partner")


def stocktake_lines(*, stocktake: Stocktake) -> QuerySet[StocktakeLine]:
    return stocktake.lines.select_related("bin", "item", "area", "responsible").order_by("bin__code", "item__code")


def metric_stocktakes_open(*, store_ids: list[int], start, end) -> int:
    return Stocktake.objects.filter(store_id__in=store_ids, state__in=OPEN_STATES, count_start__lt=end).count()


def metric_stocktake_adjustments(*, store_ids: list[int], start, end) -> Decimal:
    """Value of the surplus and deficit slips posted in the period (absolute, CNY)."""
    total = (
        StocktakeAdjustment.objects.filter(
            stocktake__store_id__in=store_ids, posted_at__gte=start, posted_at__lt=end
        ).aggregate(v=Sum(Abs("total")))["v"]
        or 0
    )
    return Decimal(total)
