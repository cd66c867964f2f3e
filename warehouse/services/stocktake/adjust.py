"""After the count (盘点后期工作): approval, the surplus and deficit slips, their approval, posting
and the stocktake report.

经复盘通过的《盘点单》由财务部审核 … 仓库主管将已审核《盘点单》导出为进、出仓单,生成《盘盈单》和《盘亏单》。仓库
主管查找盘盈盘亏的原因,并将《库存盘点汇总表》和差异原因查找报告交财务主管复核上交总经理审批后。财务部据审批结果
审核《盘盈单》和《盘亏单》调整库存帐。

- ``stocktake_approve`` (finance): the sheet is final; the slips AS are made, each difference
  valued at the current cost (the warehouse's moving average, else the item's last cost). The
  freeze lifts.
- ``stocktake_line_explain`` (supervisor): the cause of each difference and, for staff negligence,
  the person responsible (由于人为过失造成盘点数据不真实,责任人要负过失责任).
- ``stocktake_adjustment_submit`` (supervisor): the summary and the cause report go through the
  approvals engine, kind ``warehouse.stock_adjustment`` (finance, then the general manager).
- ``stocktake_post`` (finance): once approved, one ledger move per difference. Moves of the
  warehouse since counting started are shown first and must be acknowledged.
- ``stocktake_close``: the stocktake report SK, signed by the supervisor and finance.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.money import money
from showroom.services.approvals import approval_request_create
from showroom.services.documents import document_issue
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    StockLevel,
    StockMove,
    Stocktake,
    StocktakeAdjustment,
    StocktakeAdjustmentLine,
    StocktakeArea,
    StocktakeLine,
)
from warehouse.models.stocktake import SUPERVISORS
from warehouse.services._common import require_role
from warehouse.services.ledger import stock_move_append

ADJUSTMENT_KIND = "warehouse.stock_adjustment"
UNIT_COST = Decimal("0.0001")
ZERO = Decimal("0")
Decision = Stocktake.Decision


def current_unit_cost(*, item_id: int, warehouse_id: int) -> Decimal:
    """The current cost of one unit: the warehouse's average, else the last cost it came in at."""
    level = StockLevel.objects.filter(item_id=item_id, warehouse_id=warehouse_id).first()
    if level is not None and level.quantity > 0:
        return (level.value / level.quantity).quantize(UNIT_COST, rounding=ROUND_HALF_UP)
    last = (
        StockMove.objects.filter(item_id=item_id, quantity__gt=0, unit_cost__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("unit_cost", flat=True)
        .first()
    )
    return last if last is not None else ZERO


@transaction.atomic
def stocktake_approve(*, stocktake: Stocktake, user, note: str = "") -> Stocktake:
    """由财务部审核: the audited sheet is approved; the surplus and deficit slips are made."""

    def check(obj: Stocktake) -> None:
        if not obj.audit_finished:
            raise TransitionConflict(_("Finish the sample audit first."), state=obj.state)
        back = list(obj.areas.filter(state=StocktakeArea.State.FULL_RECOUNT).values_list("name", flat=True))
        if back:
            raise TransitionConflict(
                _("Areas being fully recounted: %(areas)s.") % {"areas": ", ".join(back)}, state=obj.state
            )
        if obj.lines.filter(needs_correction=True).exists():
            raise TransitionConflict(
                _("The supervisor has not corrected every line the audit found different."), state=obj.state
            )
        if obj.lines.filter(final_quantity__isnull=True).exists():
            raise TransitionConflict(_("Some lines have no counted quantity."), state=obj.state)
        obj.approved_by = user
        obj.approved_at = timezone.now()

    stocktake = transition_run(instance=stocktake, name="approve", user=user, note=note, before_save=check)
    slips: dict[str, StocktakeAdjustment] = {}
    rows = []
    for line in stocktake.lines.select_related("item").order_by("bin__code", "item__code"):
        diff = line.final_quantity - line.expected
        if diff == 0:
            continue
        kind = StocktakeAdjustment.Kind.SURPLUS if diff > 0 else StocktakeAdjustment.Kind.DEFICIT
        if kind not in slips:
            slips[kind] = StocktakeAdjustment.objects.create(stocktake=stocktake, kind=kind)
        cost = current_unit_cost(item_id=line.item_id, warehouse_id=stocktake.warehouse_id)
        rows.append(
            StocktakeAdjustmentLine(
                adjustment=slips[kind], line=line, quantity=diff, unit_cost=cost, value=money(diff * cost)
            )
        )
    StocktakeAdjustmentLine.objects.bulk_create(rows)
    for slip in slips.values():
        slip.total = sum((row.value for row in rows if row.adjustment_id == slip.pk), ZERO)
        slip.number = document_issue(doc_type="AS", target=slip, store=stocktake.store, user=user).number
        slip.save(update_fields=["total", "number"])
    return stocktake


@transaction.atomic
def stocktake_line_explain(*, line: StocktakeLine, user, cause: str, note: str = "", responsible=None) -> StocktakeLine:
    """仓库主管查找盘盈盘亏的原因: the cause of one difference; staff negligence names the person."""
    line = StocktakeLine.objects.select_for_update().select_related("stocktake").get(pk=line.pk)
    stocktake = line.stocktake
    require_role(user=user, store_id=stocktake.store_id, roles=SUPERVISORS)
    if stocktake.state != Stocktake.State.APPROVED or stocktake.adjustment_decision in (
        Decision.PENDING,
        Decision.APPROVED,
    ):
        raise TransitionConflict(_("Causes are recorded after approval and before the adjustment is filed."))
    errors = {}
    if cause not in StocktakeLine.Cause.values:
        errors["cause"] = [_("Choose a cause.")]
    if cause == StocktakeLine.Cause.NEGLIGENCE and responsible is None:
        errors["responsible"] = [_("Staff negligence: name the person responsible.")]
    if errors:
        raise ValidationError(errors)
    line.cause = cause
    line.cause_note = (note or "").strip()[:255]
    line.responsible = responsible if cause == StocktakeLine.Cause.NEGLIGENCE else None
    line.save(update_fields=["cause", "cause_note", "responsible"])
    return line


def _summary(stocktake: Stocktake, slips: list[StocktakeAdjustment], lines: list[StocktakeLine]) -> str:
    head = [
        _("Stocktake summary of %(warehouse)s, %(month)s: %(lines)s lines counted, %(diffs)s differences.")
        % {
            "warehouse": stocktake.warehouse.name,
            "month": stocktake.month.strftime("%Y-%m"),
            "lines": stocktake.lines.count(),
            "diffs": len(lines),
        }
    ]
    head += [f"{slip.get_kind_display()} {slip.number}: {slip.total:,.2f}" for slip in slips]
    head.append(_("Causes:"))
    head += [
        f"{ln.bin.code} {ln.item.code} {ln.difference:+f}: {ln.get_cause_display()}"
        + (f" ({ln.cause_note})" if ln.cause_note else "")
        + (f" — {ln.responsible}" if ln.responsible_id else "")
        for ln in lines
    ]
    return "\n".join(head)


@transaction.atomic
def stocktake_adjustment_submit(*, stocktake: Stocktake, user, note: str = ""):
    """The summary and the cause report go to finance, then the general manager."""
    stocktake = Stocktake.objects.select_for_update().select_related("warehouse", "store").get(pk=stocktake.pk)
    require_role(user=user, store_id=stocktake.store_id, roles=SUPERVISORS)
    if stocktake.state != Stocktake.State.APPROVED or stocktake.adjustment_decision not in (
        Decision.NOT_FILED,
        Decision.REJECTED,
    ):
        raise TransitionConflict(_("The adjustment is filed once, after approval."), state=stocktake.state)
    lines = [
        ln
        for ln in stocktake.lines.select_related("bin", "item", "responsible").order_by("bin__code", "item__code")
        if ln.difference
    ]
    unexplained = [f"{ln.bin.code} {ln.item.code}" for ln in lines if not ln.cause]
    if unexplained:
        raise TransitionConflict(
            _("Record the cause of every difference first: %(lines)s.") % {"lines": ", ".join(unexplained)},
            missing=unexplained,
            state=stocktake.state,
        )
    slips = list(stocktake.adjustments.order_by("kind"))
    request = approval_request_create(
        target=stocktake,
        kind=ADJUSTMENT_KIND,
        store=stocktake.store,
        requester=user,
        reason=_summary(stocktake, slips, lines) + (f"\n{note}" if note else ""),
        value=sum((abs(slip.total) for slip in slips), ZERO),
    )
    stocktake.adjustment_decision = Decision.PENDING
    stocktake.save(update_fields=["adjustment_decision"])
    return request


def stocktake_adjustment_approved(*, request) -> None:
    """Handler of ``warehouse.stock_adjustment`` after the general manager: finance may post."""
    Stocktake.objects.filter(pk=request.object_id, adjustment_decision=Decision.PENDING).update(
        adjustment_decision=Decision.APPROVED
    )


def stocktake_adjustment_rejected(*, request) -> None:
    """Refused: the supervisor looks into the causes again and files anew."""
    Stocktake.objects.filter(pk=request.object_id, adjustment_decision=Decision.PENDING).update(
        adjustment_decision=Decision.REJECTED
    )


@transaction.atomic
def stocktake_post(*, stocktake: Stocktake, user, note: str = "", confirm_moves: bool = False) -> Stocktake:
    """财务部据审批结果审核《盘盈单》和《盘亏单》调整库存帐: one adjustment move per difference. Moves of
    the warehouse since counting started are shown first; posting needs them acknowledged."""
    from warehouse.selectors_stocktake import stocktake_moves_since_count

    def check(obj: Stocktake) -> None:
        if obj.adjustment_decision != Decision.APPROVED:
            raise TransitionConflict(
                _("The adjustment is not approved yet (%(state)s).") % {"state": obj.get_adjustment_decision_display()},
                state=obj.state,
            )
        moves = stocktake_moves_since_count(stocktake=obj)
        if moves and not confirm_moves:
            raise TransitionConflict(
                _("%(n)s stock moves happened since counting started; review them and confirm to post.")
                % {"n": len(moves)},
                missing=[f"{m.created_at:%Y-%m-%d %H:%M} {m.item.code} {m.quantity:+f}" for m in moves],
                state=obj.state,
            )
        obj.posted_by = user
        obj.posted_at = timezone.now()

    stocktake = transition_run(instance=stocktake, name="post", user=user, note=note, before_save=check)
    for slip in stocktake.adjustments.order_by("kind"):
        for row in slip.lines.select_related("line__item", "line__bin").order_by("id"):
            line = row.line
            row.move = stock_move_append(
                item=line.item,
                warehouse=stocktake.warehouse,
                bin=line.bin,
                quantity=row.quantity,
                kind=StockMove.Kind.ADJUSTMENT,
                user=user,
                unit_cost=row.unit_cost if row.quantity > 0 else None,
                source=slip,
                source_label=slip.number,
                reason=line.get_cause_display(),
            )
            row.save(update_fields=["move"])
        slip.posted_at = stocktake.posted_at
        slip.save(update_fields=["posted_at"])
    return stocktake


@transaction.atomic
def stocktake_close(*, stocktake: Stocktake, user, note: str = "") -> Stocktake:
    """The stocktake report SK, printed in two copies for the supervisor and finance to sign."""

    def stamp(obj: Stocktake) -> None:
        obj.closed_at = timezone.now()

    stocktake = transition_run(instance=stocktake, name="close", user=user, note=note, before_save=stamp)
    stocktake.number = document_issue(doc_type="SK", target=stocktake, store=stocktake.store, user=user).number
    stocktake.save(update_fields=["number"])
    return stocktake
