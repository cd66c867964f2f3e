"""Planning and freezing a stocktake (盘点准备).

盘点工作规定每月进行一次,时间为月末最后2天。头天晚上8时开始至次日中午完成初盘和复盘工作,下午进行抽盘工作:
the window runs from 20:00 on the month's second-to-last day to noon on the last day (first count
and recount), the sample audit in the afternoon (until 18:00).

Freezing (营销部通知厂家和客户在盘点日期间停止送收货品。财务部将盘点日前已经审核生效的单据记帐) refuses every
move of the warehouse in the ledger's one write path (``stocktake_freeze_guard``, registered with
``register_move_guard``) until finance approves the count.
"""

from __future__ import annotations

import calendar
import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import Stocktake, Warehouse
from warehouse.models.stocktake import FROZEN_STATES, PLANNERS
from warehouse.services._common import require_role
from warehouse.services.ledger import StockConflict

COUNT_START = dt.time(20, 0)
COUNT_END = dt.time(12, 0)
AUDIT_END = dt.time(18, 0)


def stocktake_label(stocktake: Stocktake) -> str:
    return stocktake.number or _("stocktake #%(pk)s of %(month)s") % {
        "pk": stocktake.pk,
        "month": stocktake.month.strftime("%Y-%m"),
    }


def stocktake_window(*, month: dt.date) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """The article's window for ``month``: 20:00 on the second-to-last day, noon and 18:00 on the
    last day, in the store's time zone (Asia/Shanghai)."""
    last = calendar.monthrange(month.year, month.month)[1]
    first_day = dt.date(month.year, month.month, last - 1)
    second_day = dt.date(month.year, month.month, last)
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(first_day, COUNT_START, tzinfo=tz),
        dt.datetime.combine(second_day, COUNT_END, tzinfo=tz),
        dt.datetime.combine(second_day, AUDIT_END, tzinfo=tz),
    )


def is_second_to_last_day(day: dt.date) -> bool:
    """``on_day`` of the per-store job: the day the month's count starts in the evening."""
    return day.day == calendar.monthrange(day.year, day.month)[1] - 1


@transaction.atomic
def stocktake_plan(
    *, warehouse: Warehouse, user=None, month: dt.date | None = None, scheduled: bool = False, seed: int | None = None
) -> Stocktake:
    """Plan a stocktake of ``warehouse`` for ``month`` (the month of today when not given). The
    monthly job plans one per warehouse and month (``scheduled``, unique); a manager may add
    others. The random seed of the sample draw is stored now, so the draw can be replayed."""
    if user is not None:
        require_role(user=user, store_id=warehouse.store_id, roles=PLANNERS)
    if not warehouse.is_active:
        raise ValidationError({"warehouse": [_("This warehouse is not active.")]})
    month = (month or timezone.localdate()).replace(day=1)
    start, end, audit_end = stocktake_window(month=month)
    try:
        with transaction.atomic():
            return Stocktake.objects.create(
                store_id=warehouse.store_id,
                warehouse=warehouse,
                month=month,
                scheduled=scheduled,
                count_start=start,
                count_end=end,
                audit_end=audit_end,
                seed=seed if seed is not None else secrets.randbits(62),
                created_by=user,
            )
    except IntegrityError as exc:
        raise TransitionConflict(
            _("%(warehouse)s already has its monthly stocktake for %(month)s.")
            % {"warehouse": warehouse.name, "month": month.strftime("%Y-%m")}
        ) from exc


def stocktake_month_job(*, store, day: dt.date) -> None:
    """The per-store job (second-to-last day of the month): plans the month's stocktake of every
    active warehouse whose monthly counts are switched on. Safe to run twice."""
    month = day.replace(day=1)
    have = set(
        Stocktake.objects.filter(store=store, month=month, scheduled=True).values_list("warehouse_id", flat=True)
    )
    for warehouse in Warehouse.objects.filter(store=store, is_active=True, monthly_counts=True).order_by("code"):
        if warehouse.pk not in have:
            stocktake_plan(warehouse=warehouse, month=month, scheduled=True)


def stocktake_freeze_guard(*, item, warehouse, bin, quantity, kind) -> None:
    """Registered with ``register_move_guard``: while a stocktake of the warehouse is frozen or
    counting, every move (receipts, outbound slips, transfers, any other flow) is refused, naming
    the stocktake."""
    row = (
        Stocktake.objects.filter(warehouse_id=warehouse.pk, state__in=FROZEN_STATES)
        .only("id", "number", "month", "state")
        .first()
    )
    if row is not None:
        raise StockConflict(
            _(
                "%(warehouse)s is frozen for %(stocktake)s (%(state)s): receipts, outbound slips and "
                "transfers wait until finance approves the count."
            )
            % {"warehouse": warehouse.name, "stocktake": stocktake_label(row), "state": row.get_state_display()}
        )


def _unposted_documents(stocktake: Stocktake) -> list[str]:
    """Documents approved before the count whose goods have not moved yet: finance posts them
    before the freeze, or they would be stuck behind it."""
    from warehouse.models import SalesSlip, SpotSheet, Transfer

    wh = stocktake.warehouse_id
    found = [
        _("transfer %(n)s in transit") % {"n": t}
        for t in Transfer.objects.filter(to_warehouse_id=wh, state=Transfer.State.DISPATCHED)
    ]
    found += [
        _("sales slip %(n)s approved, goods not shipped") % {"n": s.number}
        for s in SalesSlip.objects.filter(order__warehouse_id=wh, state=SalesSlip.State.APPROVED)
    ]
    found += [
        _("resource sheet %(n)s signed, goods not released") % {"n": s.number}
        for s in SpotSheet.objects.filter(warehouse_id=wh, state=SpotSheet.State.SIGNED)
    ]
    return found


@transaction.atomic
def stocktake_freeze(*, stocktake: Stocktake, user, note: str = "") -> Stocktake:
    """Freeze the warehouse. Refused (409) while an approved document has not moved its goods
    (finance posts it first); unapproved documents wait until after the stocktake."""

    def check(obj: Stocktake) -> None:
        pending = _unposted_documents(obj)
        if pending:
            raise TransitionConflict(
                _("Post the documents approved before the count first: %(docs)s.") % {"docs": "; ".join(pending)},
                missing=pending,
                state=obj.state,
            )
        if Stocktake.objects.filter(warehouse_id=obj.warehouse_id, state__in=FROZEN_STATES).exclude(pk=obj.pk):
            raise TransitionConflict(_("Another stocktake of this warehouse is under way."), state=obj.state)
        obj.frozen_at = timezone.now()
        obj.supervisor = user

    return transition_run(instance=stocktake, name="freeze", user=user, note=note, before_save=check)


@transaction.atomic
def stocktake_cancel(*, stocktake: Stocktake, user, note: str = "") -> Stocktake:
    """The stocktake does not take place (before counting): the freeze lifts."""
    return transition_run(instance=stocktake, name="cancel", user=user, note=note)
