"""The sample audit (抽盘) by finance.

财务部组织公司人员组成抽盘小组,以2人为1组进行抽盘工作。抽盘人员从实物中抽取20%复核初盘资料,从初盘资料中抽取
30%对实物进行抽盘。抽盘量要求占总库存的50%。发现差异由仓库主管重新盘点更正初盘资料。差错率高于1%,仓库主管对该
区域货品进行重新全盘。

- From the shelves: 20 % of the bin locations; the auditors count everything there and compare
  it with the count sheet (this finds what the sheet missed: an item found there adds a line).
- From the count sheet: 30 % of the lines (those not already in a drawn bin); the auditors go to
  the shelf and count (this finds wrong counts).
- Together the drawn lines cover at least 50 % of the total counted quantity: more sheet lines are
  drawn until they do. The draw uses the stocktake's stored seed, so it can be replayed.
- The error rate of an area is the share of its audited lines whose audited quantity differs
  from the sheet; above 1 % the area goes back to a full recount by the supervisor.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.permissions import roles_in
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Bin,
    Item,
    Stocktake,
    StocktakeArea,
    StocktakeAreaBin,
    StocktakeAuditBin,
    StocktakeAuditLine,
    StocktakeCount,
    StocktakeLine,
)
from warehouse.models.stocktake import FINANCE, SUPERVISORS
from warehouse.services._common import require_role
from warehouse.services.stocktake.counting import _quantity

SHELF_SHARE = 20  # % of bin locations drawn from the shelves
SHEET_SHARE = 30  # % of count-sheet lines drawn from the sheet
COVER_SHARE = 50  # % of the counted quantity the drawn lines cover at least
ERROR_LIMIT = Decimal("0.01")  # 差错率高于1%


def share_of(n: int, percent: int) -> int:
    """``percent`` % of ``n``, rounded up (integers only: a fraction of a line is a line)."""
    return (n * percent + 99) // 100


@dataclass(frozen=True)
class SampleDraw:
    shelf_bins: tuple[int, ...]
    shelf_lines: tuple[int, ...]
    sheet_lines: tuple[int, ...]

    @property
    def lines(self) -> tuple[int, ...]:
        return self.shelf_lines + self.sheet_lines


def sample_draw(*, bins: Mapping[int, Sequence[tuple[int, Decimal]]], seed: int) -> SampleDraw:
    """Draw the audit sample from ``bins`` ({bin id: [(line id, counted quantity), …]}, empty bins
    included): 20 % of the bins, 30 % of the lines outside them, then more lines until the drawn
    lines hold at least 50 % of the counted quantity. Deterministic for a seed."""
    rng = random.Random(seed)
    bin_ids = sorted(bins)
    shelf_bins = sorted(rng.sample(bin_ids, share_of(len(bin_ids), SHELF_SHARE)))
    shelf_lines = sorted(line_id for b in shelf_bins for line_id, _q in bins[b])
    quantity = {line_id: q for b in bin_ids for line_id, q in bins[b]}
    taken = set(shelf_lines)
    rest = sorted(line_id for line_id in quantity if line_id not in taken)
    rng.shuffle(rest)
    want = share_of(len(quantity), SHEET_SHARE)
    sheet_lines = rest[:want]
    total = sum(quantity.values(), Decimal("0"))
    covered = sum((quantity[i] for i in shelf_lines + sheet_lines), Decimal("0"))
    for line_id in rest[want:]:
        if covered * 100 >= total * COVER_SHARE:
            break
        sheet_lines.append(line_id)
        covered += quantity[line_id]
    return SampleDraw(tuple(shelf_bins), tuple(shelf_lines), tuple(sheet_lines))


def needs_full_recount(*, wrong: int, audited: int) -> bool:
    """差错率高于1%: strictly above 1 % of the audited lines."""
    return audited > 0 and Decimal(wrong) / Decimal(audited) > ERROR_LIMIT


def error_rate(*, wrong: int, audited: int) -> Decimal | None:
    return None if audited == 0 else (Decimal(wrong) / Decimal(audited)).quantize(Decimal("0.0001"))


@transaction.atomic
def stocktake_audit_start(*, stocktake: Stocktake, user, note: str = "") -> Stocktake:
    """The recounted sheet goes to finance; the sample is drawn with the stocktake's seed. Every
    line must be recounted and every difference between the counts resolved."""

    def check(obj: Stocktake) -> None:
        lines = obj.lines.all()
        if lines.filter(Q(recount_quantity__isnull=True) & ~Q(added_in=StocktakeCount.Round.FULL)).exists():
            raise TransitionConflict(_("Some lines are not recounted yet."), state=obj.state)
        if lines.filter(Q(disputed=True) | Q(final_quantity__isnull=True)).exists():
            raise TransitionConflict(
                _("Some lines have two counts that differ: the supervisor resolves them first."), state=obj.state
            )
        bins: dict[int, list[tuple[int, Decimal]]] = {
            b: [] for b in StocktakeAreaBin.objects.filter(stocktake=obj).values_list("bin_id", flat=True)
        }
        for line_id, bin_id, quantity in lines.values_list("pk", "bin_id", "final_quantity"):
            bins.setdefault(bin_id, []).append((line_id, quantity))
        draw = sample_draw(bins=bins, seed=obj.seed)
        finals = dict(lines.values_list("pk", "final_quantity"))
        StocktakeAuditBin.objects.bulk_create([StocktakeAuditBin(stocktake=obj, bin_id=b) for b in draw.shelf_bins])
        StocktakeAuditLine.objects.bulk_create(
            [
                StocktakeAuditLine(stocktake=obj, line_id=i, source=source, sheet_quantity=finals[i])
                for ids, source in (
                    (draw.shelf_lines, StocktakeAuditLine.Source.SHELF),
                    (draw.sheet_lines, StocktakeAuditLine.Source.SHEET),
                )
                for i in ids
            ]
        )
        obj.audit_drawn = True

    return transition_run(instance=stocktake, name="start_audit", user=user, note=note, before_save=check)


@transaction.atomic
def stocktake_audit_record(
    *, stocktake: Stocktake, user, partner, bin: Bin, item: Item, quantity
) -> StocktakeAuditLine:
    """Finance's team of two enters what the shelf holds for a drawn line. In a bin drawn from
    the shelves, an item the sheet missed is entered too: it adds a line the sheet had at zero."""
    stocktake = Stocktake.objects.get(pk=stocktake.pk)
    require_role(user=user, store_id=stocktake.store_id, roles=FINANCE)
    if stocktake.state != Stocktake.State.SAMPLE_AUDIT or stocktake.audit_finished:
        raise TransitionConflict(_("The sample audit is not open."), state=stocktake.state)
    if partner is None or partner.pk == user.pk or not roles_in(partner, stocktake.store_id):
        raise ValidationError({"partner": [_("Audits are done in teams of two: name the second auditor.")]})
    quantity = _quantity(quantity)
    audit = (
        StocktakeAuditLine.objects.select_for_update()
        .select_related("line")
        .filter(stocktake=stocktake, line__bin=bin, line__item=item)
        .first()
    )
    if audit is None:
        if not StocktakeAuditBin.objects.filter(stocktake=stocktake, bin=bin).exists():
            raise TransitionConflict(
                _("%(item)s in %(bin)s was not drawn for the audit.") % {"item": item, "bin": bin.code},
                state=stocktake.state,
            )
        if StocktakeLine.objects.filter(stocktake=stocktake, bin=bin, item=item).exists():  # pragma: no cover
            raise TransitionConflict(_("This line is not in the sample."), state=stocktake.state)
        placed = StocktakeAreaBin.objects.get(stocktake=stocktake, bin=bin)
        line = StocktakeLine.objects.create(
            stocktake=stocktake, area_id=placed.area_id, bin=bin, item=item, final_quantity=0, added_in="audit"
        )
        audit = StocktakeAuditLine.objects.create(
            stocktake=stocktake, line=line, source=StocktakeAuditLine.Source.SHELF, sheet_quantity=0
        )
    if audit.audited_quantity is not None:
        raise TransitionConflict(
            _("%(item)s in %(bin)s is already audited; no double counting.") % {"item": item, "bin": bin.code},
            state=stocktake.state,
        )
    audit.audited_quantity = quantity
    audit.wrong = quantity != audit.sheet_quantity
    audit.audited_by = user
    audit.partner = partner
    audit.audited_at = timezone.now()
    audit.save(update_fields=["audited_quantity", "wrong", "audited_by", "partner", "audited_at"])
    if audit.wrong:
        StocktakeLine.objects.filter(pk=audit.line_id).update(needs_correction=True)
    return audit


@transaction.atomic
def stocktake_audit_finish(*, stocktake: Stocktake, user) -> Stocktake:
    """Finance closes the audit: every drawn line audited; each area's error rate is computed and
    an area above 1 % goes back to a full recount by the supervisor."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    require_role(user=user, store_id=stocktake.store_id, roles=FINANCE)
    if stocktake.state != Stocktake.State.SAMPLE_AUDIT or stocktake.audit_finished:
        raise TransitionConflict(_("The sample audit is not open."), state=stocktake.state)
    open_lines = stocktake.audit_lines.filter(audited_quantity__isnull=True).count()
    if open_lines:
        raise TransitionConflict(_("%(n)s drawn lines are not audited yet.") % {"n": open_lines}, state=stocktake.state)
    figures = {
        row["line__area"]: row
        for row in stocktake.audit_lines.values("line__area").annotate(
            audited=Count("id"), wrong=Count("id", filter=Q(wrong=True))
        )
    }
    for area in stocktake.areas.select_for_update():
        row = figures.get(area.pk, {"audited": 0, "wrong": 0})
        area.audited_lines, area.wrong_lines = row["audited"], row["wrong"]
        area.error_rate = error_rate(wrong=row["wrong"], audited=row["audited"])
        if needs_full_recount(wrong=row["wrong"], audited=row["audited"]):
            area.state = StocktakeArea.State.FULL_RECOUNT
            area.recount_pass += 1
        else:
            area.state = StocktakeArea.State.AUDITED
        area.save(update_fields=["audited_lines", "wrong_lines", "error_rate", "state", "recount_pass"])
    stocktake.audit_finished = True
    stocktake.save(update_fields=["audit_finished"])
    return stocktake


@transaction.atomic
def stocktake_line_correct(*, line: StocktakeLine, user, quantity, note: str) -> StocktakeLine:
    """发现差异由仓库主管重新盘点更正初盘资料: the supervisor recounts a line the audit found
    different and corrects the sheet (once per line)."""
    line = StocktakeLine.objects.select_for_update().select_related("stocktake").get(pk=line.pk)
    stocktake = line.stocktake
    require_role(user=user, store_id=stocktake.store_id, roles=SUPERVISORS)
    if stocktake.state != Stocktake.State.SAMPLE_AUDIT or not line.needs_correction:
        raise TransitionConflict(_("Only a line the audit found different is corrected."), state=stocktake.state)
    quantity = _quantity(quantity)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Record what the recount found.")]})
    if StocktakeCount.objects.filter(line=line, round=StocktakeCount.Round.CORRECTION).exists():
        raise TransitionConflict(_("This line is already corrected."), state=stocktake.state)
    StocktakeCount.objects.create(
        line=line, round=StocktakeCount.Round.CORRECTION, pass_no=0, quantity=quantity, counted_by=user
    )
    line.final_quantity = quantity
    line.needs_correction = False
    line.count_note = note.strip()[:255]
    line.save(update_fields=["final_quantity", "needs_correction", "count_note"])
    return line
