"""Counting: areas and teams, the first count, the recount and the supervisor's resolution.

仓库主管组织仓库人员初盘存货,对存货区域各指派1人担任组长,2人配合。以盘点表记录初盘结果。仓库主管连同另外4名
员工组成复盘小组,对初盘结果进行复盘,出现差异仓库自查原因。

Counters never see the book quantity (blind count). Each line takes one entry per round
(``StocktakeCount`` is unique per line, round and pass: 绝对不允许重盘), and an area finishes only
when every bin of it is counted (漏盘: a bin with a line that has no entry is uncounted).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.permissions import has_role, roles_in
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Bin,
    BinBalance,
    Item,
    Stocktake,
    StocktakeArea,
    StocktakeAreaBin,
    StocktakeCount,
    StocktakeLine,
)
from warehouse.models.stocktake import SUPERVISORS
from warehouse.services._common import decimal_of, require_role

QUANTITY = Decimal("0.001")
Round = StocktakeCount.Round
RECOUNT_TEAM_SIZE = 4
HELPERS_PER_AREA = 2


def _conflict(message: str, stocktake: Stocktake) -> TransitionConflict:
    return TransitionConflict(message, state=stocktake.state)


def _staff(*, users, store_id: int, field: str) -> None:
    for user in users:
        if not roles_in(user, store_id):
            raise ValidationError({field: [_("%(user)s holds no role in this store.") % {"user": user}]})


def _quantity(value) -> Decimal:
    quantity = decimal_of(value, field="quantity")
    if quantity < 0 or quantity != quantity.quantize(QUANTITY):
        raise ValidationError({"quantity": [_("Enter the quantity counted: zero or more, up to three decimals.")]})
    return quantity


@transaction.atomic
def stocktake_area_set(
    *, stocktake: Stocktake, user, name: str, bins: list[Bin], leader, helpers: list
) -> StocktakeArea:
    """The supervisor splits the warehouse into areas: each area has its bins, one team leader
    and two helpers. Only while the warehouse is frozen, before counting starts."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    require_role(user=user, store_id=stocktake.store_id, roles=SUPERVISORS)
    if stocktake.state != Stocktake.State.FROZEN:
        raise _conflict(_("Areas are set after the freeze and before counting starts."), stocktake)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name the area.")]
    helpers = list(helpers)
    if len(helpers) != HELPERS_PER_AREA or len({h.pk for h in helpers} | {leader.pk}) != HELPERS_PER_AREA + 1:
        errors["helpers"] = [_("Each area has one team leader and two other helpers.")]
    if not bins:
        errors["bins"] = [_("Give the area its bins.")]
    wrong = [b.code for b in bins if b.warehouse_id != stocktake.warehouse_id]
    if wrong:
        errors["bins"] = [_("Not bins of this warehouse: %(bins)s.") % {"bins": ", ".join(wrong)}]
    taken = list(StocktakeAreaBin.objects.filter(stocktake=stocktake, bin__in=bins).values_list("bin__code", flat=True))
    if taken:
        errors["bins"] = [_("Already in another area: %(bins)s.") % {"bins": ", ".join(sorted(taken))}]
    if errors:
        raise ValidationError(errors)
    _staff(users=[leader, *helpers], store_id=stocktake.store_id, field="helpers")
    try:
        with transaction.atomic():
            area = StocktakeArea.objects.create(stocktake=stocktake, name=name, leader=leader)
    except IntegrityError as exc:
        raise ValidationError({"name": [_("An area of this stocktake already has that name.")]}) from exc
    area.helpers.set(helpers)
    StocktakeAreaBin.objects.bulk_create([StocktakeAreaBin(stocktake=stocktake, area=area, bin=b) for b in bins])
    return area


@transaction.atomic
def stocktake_recount_team_set(*, stocktake: Stocktake, user, members: list) -> Stocktake:
    """仓库主管连同另外4名员工组成复盘小组: the supervisor names four staff for the recount."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    require_role(user=user, store_id=stocktake.store_id, roles=SUPERVISORS)
    if stocktake.state not in (Stocktake.State.FROZEN, Stocktake.State.FIRST_COUNT):
        raise _conflict(_("The recount team is named before the recount starts."), stocktake)
    ids = {m.pk for m in members}
    if len(ids) != RECOUNT_TEAM_SIZE or len(members) != RECOUNT_TEAM_SIZE or user.pk in ids:
        raise ValidationError({"members": [_("The recount team is the supervisor and four other staff.")]})
    _staff(users=members, store_id=stocktake.store_id, field="members")
    stocktake.recount_team.set(members)
    return stocktake


@transaction.atomic
def stocktake_count_start(*, stocktake: Stocktake, user, note: str = "") -> Stocktake:
    """Counting starts: every bin holding stock must be in an area; the count sheet takes one line
    per bin and item from the book (the book quantity stays hidden from the counters). Serial-
    tracked items (cars, checked by VIN) are not on the sheet."""

    def check(obj: Stocktake) -> None:
        mapping = dict(StocktakeAreaBin.objects.filter(stocktake=obj).values_list("bin_id", "area_id"))
        if not mapping:
            raise _conflict(_("Split the warehouse into areas with their teams first."), obj)
        if obj.recount_team.count() != RECOUNT_TEAM_SIZE:
            raise _conflict(_("Name the recount team (four staff) first."), obj)
        balances = list(
            BinBalance.objects.filter(warehouse_id=obj.warehouse_id, quantity__gt=0)
            .exclude(item__tracking__in=(Item.Tracking.SERIAL, Item.Tracking.SERVICE))
            .select_related("bin")
        )
        missing = sorted({b.bin.code for b in balances if b.bin_id not in mapping})
        if missing:
            raise _conflict(
                _("These bins hold stock but are in no area: %(bins)s.") % {"bins": ", ".join(missing)}, obj
            )
        StocktakeLine.objects.bulk_create(
            [
                StocktakeLine(
                    stocktake=obj, area_id=mapping[b.bin_id], bin_id=b.bin_id, item_id=b.item_id, expected=b.quantity
                )
                for b in balances
            ]
        )
        obj.counted_at = timezone.now()

    return transition_run(instance=stocktake, name="start_count", user=user, note=note, before_save=check)


def _in_team(*, area: StocktakeArea, user) -> bool:
    return area.leader_id == user.pk or area.helpers.filter(pk=user.pk).exists()


def _round_for(*, stocktake: Stocktake, area: StocktakeArea, user) -> tuple[str, int]:
    """Which round an entry belongs to now, and whether this user may count it."""
    supervisor = has_role(user, stocktake.store_id, SUPERVISORS)
    if stocktake.state == Stocktake.State.FIRST_COUNT:
        if not (supervisor or _in_team(area=area, user=user)):
            raise PermissionDenied(_("Only the area's team or the supervisor counts this area."))
        if area.state != StocktakeArea.State.COUNTING:
            raise _conflict(_("Area %(area)s has finished its first count.") % {"area": area.name}, stocktake)
        return Round.FIRST, 0
    recounter = supervisor or stocktake.recount_team.filter(pk=user.pk).exists()
    if stocktake.state == Stocktake.State.RECOUNT:
        if not recounter:
            raise PermissionDenied(_("Only the supervisor's recount team recounts."))
        return Round.RECOUNT, 0
    if stocktake.state == Stocktake.State.SAMPLE_AUDIT and area.state == StocktakeArea.State.FULL_RECOUNT:
        if not recounter:
            raise PermissionDenied(_("Only the supervisor's recount team recounts."))
        return Round.FULL, area.recount_pass
    raise _conflict(_("Nothing is being counted in this area now."), stocktake)


@transaction.atomic
def stocktake_count_record(*, stocktake: Stocktake, user, bin: Bin, item: Item, quantity) -> StocktakeCount:
    """Enter what a bin holds of an item in the current round. A second entry of the same bin
    and item in one round is refused (409). An item found where the book has none adds a line
    (first count and full recount only)."""
    stocktake = Stocktake.objects.get(pk=stocktake.pk)
    quantity = _quantity(quantity)
    if not item.is_stocked or item.is_serial:
        raise ValidationError({"item": [_("Only items counted by quantity or weight are on the count sheet.")]})
    placed = StocktakeAreaBin.objects.filter(stocktake=stocktake, bin=bin).select_related("area").first()
    if placed is None:
        raise ValidationError({"bin": [_("This bin is in no area of the stocktake.")]})
    area = placed.area
    round_, pass_no = _round_for(stocktake=stocktake, area=area, user=user)
    line = StocktakeLine.objects.select_for_update().filter(stocktake=stocktake, bin=bin, item=item).first()
    if line is None:
        if round_ not in (Round.FIRST, Round.FULL):
            raise _conflict(_("%(item)s in %(bin)s is not on the count sheet.") % {"item": item, "bin": bin}, stocktake)
        StocktakeLine.objects.bulk_create(
            [StocktakeLine(stocktake=stocktake, area=area, bin=bin, item=item, added_in=round_)],
            ignore_conflicts=True,
        )
        line = StocktakeLine.objects.select_for_update().get(stocktake=stocktake, bin=bin, item=item)
    done = StocktakeCount.objects.filter(line=line, round=round_, pass_no=pass_no).select_related("counted_by").first()
    if done is not None:
        raise _conflict(
            _("%(item)s in %(bin)s is already counted in this round (by %(user)s); no double counting.")
            % {"item": item, "bin": bin.code, "user": done.counted_by},
            stocktake,
        )
    try:
        with transaction.atomic():
            entry = StocktakeCount.objects.create(
                line=line, round=round_, pass_no=pass_no, quantity=quantity, counted_by=user
            )
    except IntegrityError as exc:
        raise _conflict(_("This bin and item are already counted in this round."), stocktake) from exc
    if round_ == Round.FIRST:
        line.first_quantity = quantity
    elif round_ == Round.RECOUNT:
        line.recount_quantity = quantity
        line.disputed = line.first_quantity != quantity
        line.final_quantity = None if line.disputed else quantity
    else:
        line.final_quantity = quantity
        line.needs_correction = False
    line.save(update_fields=["first_quantity", "recount_quantity", "disputed", "final_quantity", "needs_correction"])
    return entry


def uncounted_bins(*, area: StocktakeArea, round_: str, pass_no: int = 0) -> list[str]:
    """Codes of the area's bins with a line that has no entry in the round (漏盘)."""
    counted = StocktakeCount.objects.filter(line=OuterRef("pk"), round=round_, pass_no=pass_no)
    rows = (
        StocktakeLine.objects.filter(area=area)
        .annotate(counted=Exists(counted))
        .filter(counted=False)
        .values_list("bin__code", flat=True)
    )
    return sorted(set(rows))


@transaction.atomic
def stocktake_area_finish(*, area: StocktakeArea, user) -> StocktakeArea:
    """The team leader (or the supervisor) finishes the area's first count; the supervisor finishes
    a full recount. Refused while any bin of the area is uncounted."""
    area = StocktakeArea.objects.select_for_update().select_related("stocktake").get(pk=area.pk)
    stocktake = area.stocktake
    supervisor = has_role(user, stocktake.store_id, SUPERVISORS)
    if stocktake.state == Stocktake.State.FIRST_COUNT and area.state == StocktakeArea.State.COUNTING:
        if not (supervisor or area.leader_id == user.pk):
            raise PermissionDenied(_("The team leader or the supervisor finishes an area."))
        round_, pass_no, target = Round.FIRST, 0, StocktakeArea.State.COUNTED
    elif stocktake.state == Stocktake.State.SAMPLE_AUDIT and area.state == StocktakeArea.State.FULL_RECOUNT:
        if not supervisor:
            raise PermissionDenied(_("The supervisor finishes a full recount."))
        round_, pass_no, target = Round.FULL, area.recount_pass, StocktakeArea.State.RECOUNTED
    else:
        raise _conflict(_("Area %(area)s has nothing to finish now.") % {"area": area.name}, stocktake)
    missing = uncounted_bins(area=area, round_=round_, pass_no=pass_no)
    if missing:
        raise TransitionConflict(
            _("Area %(area)s cannot finish: bins not counted: %(bins)s.")
            % {"area": area.name, "bins": ", ".join(missing)},
            missing=missing,
            state=stocktake.state,
        )
    area.state = target
    area.finished_at = timezone.now()
    area.save(update_fields=["state", "finished_at"])
    return area


@transaction.atomic
def stocktake_recount_start(*, stocktake: Stocktake, user, note: str = "") -> Stocktake:
    """Every area has finished its first count: the supervisor's team recounts."""

    def check(obj: Stocktake) -> None:
        open_areas = list(obj.areas.exclude(state=StocktakeArea.State.COUNTED).values_list("name", flat=True))
        if open_areas:
            raise TransitionConflict(
                _("Areas still counting: %(areas)s.") % {"areas": ", ".join(open_areas)},
                missing=open_areas,
                state=obj.state,
            )

    return transition_run(instance=stocktake, name="start_recount", user=user, note=note, before_save=check)


@transaction.atomic
def stocktake_line_resolve(*, line: StocktakeLine, user, quantity, note: str) -> StocktakeLine:
    """The first count and the recount differ: the supervisor settles the quantity and records
    why they differed (出现差异仓库自查原因)."""
    line = StocktakeLine.objects.select_for_update().select_related("stocktake").get(pk=line.pk)
    stocktake = line.stocktake
    require_role(user=user, store_id=stocktake.store_id, roles=SUPERVISORS)
    if stocktake.state != Stocktake.State.RECOUNT or not line.disputed:
        raise _conflict(_("Only a line whose two counts differ is resolved, during the recount."), stocktake)
    quantity = _quantity(quantity)
    if not (note or "").strip():
        raise ValidationError({"note": [_("Record why the two counts differed.")]})
    line.final_quantity = quantity
    line.disputed = False
    line.count_note = note.strip()[:255]
    line.save(update_fields=["final_quantity", "disputed", "count_note"])
    return line
