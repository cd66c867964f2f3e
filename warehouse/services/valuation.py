"""Valuation: the moving weighted average is kept by every move (``stock_move_append``); the
monthly weighted average is known only at the month-end close (article 2: 如果存货计价方法为加权
平均法, 则到月末处理时才可计算出存货单价, 凭证也在月末结转生成).

``month_close`` computes, per item of a monthly-average warehouse,

    average = (value at the start of the month + value received in the month)
              / (quantity at the start of the month + quantity received in the month)

and posts each of the month's pending issues at that average (a ``CostPosting`` per issue, the
moves themselves untouched), taking the posted cost off the stock value.
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.permissions import has_role
from warehouse.models import CostPosting, MonthClose, StockLevel, StockMove, Warehouse
from warehouse.services.ledger import UNIT_COST, ZERO, StockConflict, money

CLOSERS = (r.FINANCE, r.WAREHOUSE_SUPERVISOR)


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime(month.year, month.month, 1, tzinfo=tz)
    end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
    return start, end


@transaction.atomic
def month_close(*, warehouse: Warehouse, month: dt.date, user) -> MonthClose:
    """Close ``month`` of a monthly-average warehouse: compute each item's average and post the
    cost of goods sold of the month's pending issues. A month is closed once."""
    if not has_role(user, warehouse.store_id, CLOSERS):
        raise PermissionDenied(_("Only finance or the warehouse supervisor closes a month."))
    if warehouse.valuation != Warehouse.Valuation.MONTHLY:
        raise ValidationError({"warehouse": [_("This warehouse values stock by moving average: nothing to close.")]})
    month = month.replace(day=1)
    start, end = _month_bounds(month)
    if end > timezone.now() + dt.timedelta(days=31):
        raise ValidationError({"month": [_("That month has not begun.")]})
    try:
        with transaction.atomic():
            close = MonthClose.objects.create(warehouse=warehouse, month=month, closed_by=user)
    except IntegrityError as exc:
        raise StockConflict(_("This month is already closed.")) from exc
    moves = StockMove.objects.filter(warehouse=warehouse)
    pending = list(
        moves.filter(cost_pending=True, created_at__gte=start, created_at__lt=end, cost_posting__isnull=True)
        .exclude(reversed_by__isnull=False)
        .order_by("id")
    )
    if not pending:
        return close
    items = {m.item_id for m in pending}
    # Opening: every move before the month, less the cost posted for the earlier issues.
    before = moves.filter(item_id__in=items, created_at__lt=start)
    opening = {
        row["item_id"]: (row["q"] or ZERO, row["v"] or ZERO)
        for row in before.values("item_id").annotate(q=Sum("quantity"), v=Sum("value"))
    }
    posted_before = {
        row["move__item_id"]: row["a"] or ZERO
        for row in CostPosting.objects.filter(move__in=before.filter(cost_pending=True))
        .values("move__item_id")
        .annotate(a=Sum("amount"))
    }
    # Received in the month: in-moves, except reversals of pending issues (they come back at no value).
    received = (
        moves.filter(item_id__in=items, created_at__gte=start, created_at__lt=end, quantity__gt=0)
        .exclude(Q(kind=StockMove.Kind.REVERSAL) & Q(reverses__cost_pending=True))
        .values("item_id")
        .annotate(q=Sum("quantity"), v=Sum("value"))
    )
    inflow = {row["item_id"]: (row["q"] or ZERO, row["v"] or ZERO) for row in received}
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for move in pending:
        open_q, open_v = opening.get(move.item_id, (ZERO, ZERO))
        open_v -= posted_before.get(move.item_id, ZERO)
        in_q, in_v = inflow.get(move.item_id, (ZERO, ZERO))
        quantity = open_q + in_q
        average = (open_v + in_v) / quantity if quantity > 0 else ZERO
        unit_cost = average.quantize(UNIT_COST, rounding=ROUND_HALF_UP)
        amount = money(-move.quantity * average)
        CostPosting.objects.create(move=move, unit_cost=unit_cost, amount=amount, close=close)
        totals[move.item_id] += amount
    for level in StockLevel.objects.select_for_update().filter(warehouse=warehouse, item_id__in=totals):
        level.value -= totals[level.item_id]
        level.save(update_fields=["value"])
    return close
