"""The jewellery counter's day (article 4, 展厅工作流程): counters and trays, the opening count
(四、8.45开始搬货: 保险柜是否遗留产品, 保险柜门是否关好; the count equal to last night's), opening
at nine, sales off the trays (称货→包货→出货, 完成每一次销售,必须数一下 … 如不对应及时上报给柜组长,
再有组长上报给经理), the lunch rotation (千足金到岛不能少于2人,万足至少一个人留岗) and the count after
lunch, and closing (17:30收货, 抽盘 by category).

A difference at opening or closing blocks that step (409) until the duty manager records its
cause; the cause makes the counted figures the trays' book figures. Sales decrement the trays'
book figures; they are not stock-ledger moves (trays are not warehouse bins, see docs).
Staff, grooming and trade customers are in ``warehouse.services.jewellery_staff``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom.models import ChecklistItem, Store
from showroom.money import money
from showroom.permissions import has_role
from showroom.services.checklists import checklist_answer, checklist_run_start
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Counter,
    CounterDay,
    CounterSale,
    LunchRotation,
    RosterEntry,
    Station,
    TradeCustomerRegistration,
    Tray,
    TrayCount,
)
from warehouse.models.jewellery import COUNTER_LEADERS, COUNTER_STAFF, DUTY_MANAGERS
from warehouse.selectors_jewellery import phase_state
from warehouse.services._common import require_role
from warehouse.services.jewellery_counts import (
    _differences_text,
    _grams,
    _last_closing,
    _notify_leaders,
    _parse_counts,
    _pieces,
    _record,
)

ZERO = Decimal("0")
OPENING_CHECKLIST = "counter.opening"
SELLING = (CounterDay.State.OPENED, CounterDay.State.LUNCH, CounterDay.State.AFTERNOON)


# --- counters and trays (counter leader, duty manager) --------------------------------------------


def _minimums(value) -> dict[str, int]:
    value = value or {}
    if not isinstance(value, dict) or any(k not in Station.values for k in value):
        raise ValidationError({"lunch_minimums": [_("Give a number of people per station.")]})
    try:
        cleaned = {k: int(v) for k, v in value.items()}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"lunch_minimums": [_("Give a number of people per station.")]}) from exc
    if any(v < 0 for v in cleaned.values()):
        raise ValidationError({"lunch_minimums": [_("Give a number of people per station.")]})
    return cleaned


@transaction.atomic
def counter_create(*, user, store: Store, name: str, lunch_minimums: dict | None = None) -> Counter:
    require_role(user=user, store_id=store.pk, roles=COUNTER_LEADERS)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Name the counter.")]})
    if Counter.objects.filter(store=store, name=name).exists():
        raise ValidationError({"name": [_("This store already has a counter with this name.")]})
    counter = Counter(store=store, name=name)
    if lunch_minimums is not None:
        counter.lunch_minimums = _minimums(lunch_minimums)
    counter.save()
    return counter


@transaction.atomic
def tray_create(*, user, counter: Counter, code: str, category: str, station: str, pieces=0, weight="0") -> Tray:
    require_role(user=user, store_id=counter.store_id, roles=COUNTER_LEADERS)
    errors = {}
    code, category = (code or "").strip(), (category or "").strip()
    if not code:
        errors["code"] = [_("Give the tray a code.")]
    elif Tray.objects.filter(counter=counter, code=code).exists():
        errors["code"] = [_("This counter already has a tray with this code.")]
    if not category:
        errors["category"] = [_("Name the category.")]
    if station not in Station.values:
        errors["station"] = [_("Choose a station.")]
    if errors:
        raise ValidationError(errors)
    return Tray.objects.create(
        counter=counter,
        code=code,
        category=category,
        station=station,
        pieces=_pieces(pieces, field="pieces"),
        weight=_grams(weight, field="weight"),
    )


# --- the day ----------------------------------------------------------------------------------------


@transaction.atomic
def counter_day_start(*, user, counter: Counter, date: dt.date | None = None) -> CounterDay:
    """The counter's day (planned), or the existing one for that date."""
    require_role(user=user, store_id=counter.store_id, roles=COUNTER_STAFF)
    day, _created = CounterDay.objects.get_or_create(
        counter=counter, date=date or timezone.localdate(), defaults={"store_id": counter.store_id, "created_by": user}
    )
    return day


def _lock(day: CounterDay) -> CounterDay:
    return CounterDay.objects.select_for_update().select_related("counter").get(pk=day.pk)


def _require_state(day: CounterDay, states, message: str) -> None:
    if day.state not in states:
        raise TransitionConflict(message, state=day.state)


def _trays(day: CounterDay) -> list[Tray]:
    return list(Tray.objects.select_for_update().filter(counter_id=day.counter_id, is_active=True).order_by("code"))


def _checklist_tick(*, day: CounterDay, user, ticked: list[int]) -> None:
    items = list(ChecklistItem.objects.filter(template__code=OPENING_CHECKLIST).order_by("order"))
    known = {item.pk for item in items}
    ticked_ids = {int(pk) for pk in ticked}
    if ticked_ids - known:
        raise ValidationError({"checklist": [_("Choose items of the opening routine.")]})
    run = checklist_run_start(template_code=OPENING_CHECKLIST, target=day, user=user)
    if run.completed_at is not None:
        return
    for item in items:
        checklist_answer(run=run, item=item, user=user, ticked=item.pk in ticked_ids)


@transaction.atomic
def counter_opening_record(
    *,
    day: CounterDay,
    user,
    counts: list[dict],
    safe_empty: bool,
    safe_closed: bool,
    checklist: list[int] | None = None,
) -> list[TrayCount]:
    """8.45开始搬货: the goods are out of the safe (nothing left inside, the door closed) and each
    tray is counted (pieces and grams). The count is compared with the tray's last closing count
    (or its book figures when it has none). The counter may count again before opening; the last
    count of each tray is the one that opens. ``checklist``: the ticked items of the core's
    ``counter.opening`` routine (its guard keeps the counter closed until all are ticked)."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    day = _lock(day)
    _require_state(day, (CounterDay.State.PLANNED,), _("The counter is already open; the opening count is done."))
    errors = {}
    if not safe_empty:
        errors["safe_empty"] = [_("保险柜是否遗留产品: take every product out of the safe first.")]
    if not safe_closed:
        errors["safe_closed"] = [_("保险柜门是否关好: close the safe door first.")]
    if errors:
        raise ValidationError(errors)
    trays = _trays(day)
    rows = _parse_counts(trays=trays, counts=counts)
    closing = _last_closing(trays)
    expected = {
        tray.pk: (
            (closing[tray.pk].pieces, closing[tray.pk].weight) if tray.pk in closing else (tray.pieces, tray.weight)
        )
        for tray in trays
    }
    recorded = _record(day=day, user=user, kind=TrayCount.Kind.OPENING, rows=rows, expected=expected)
    day.safe_empty, day.safe_closed = True, True
    day.opening_cause = ""  # a new count needs its own cause if it differs again
    day.save(update_fields=["safe_empty", "safe_closed", "opening_cause"])
    if checklist is not None:
        _checklist_tick(day=day, user=user, ticked=checklist)
    if any(not count.matches for count in recorded):
        _notify_leaders(
            day=day,
            key=f"warehouse.jewellery.opening.{day.pk}",
            title=_("Opening count differs from last closing: %(day)s") % {"day": day},
            body=_differences_text(recorded),
            roles=DUTY_MANAGERS,
        )
    return recorded


@transaction.atomic
def counter_difference_explain(*, day: CounterDay, user, cause: str, phase: str = "opening") -> CounterDay:
    """The duty manager records why the opening (or closing) count differs. The counted figures
    become the trays' book figures; the step may then go ahead."""
    require_role(user=user, store_id=day.store_id, roles=DUTY_MANAGERS)
    day = _lock(day)
    cause = (cause or "").strip()
    if phase not in ("opening", "closing"):
        raise ValidationError({"phase": [_("Choose opening or closing.")]})
    if not cause:
        raise ValidationError({"cause": [_("Record the cause of the difference.")]})
    state = CounterDay.State.PLANNED if phase == "opening" else (CounterDay.State.OPENED, CounterDay.State.AFTERNOON)
    _require_state(day, state if isinstance(state, tuple) else (state,), _("There is nothing to explain now."))
    kind = TrayCount.Kind.OPENING if phase == "opening" else TrayCount.Kind.CLOSING
    _missing, differing, _latest_rows = phase_state(day, kind)
    if not differing:
        raise TransitionConflict(_("The count has no difference to explain."), state=day.state)
    for count in differing:
        Tray.objects.filter(pk=count.tray_id).update(pieces=count.pieces, weight=count.weight)
    setattr(day, f"{phase}_cause", cause)
    day.cause_by = user
    day.save(update_fields=[f"{phase}_cause", "cause_by"])
    return day


def _phase_check(day: CounterDay, kind: str, cause: str, step: str) -> dict[int, TrayCount]:
    missing, differing, latest = phase_state(day, kind)
    if missing:
        raise TransitionConflict(
            _("Count every tray before %(step)s; missing: %(trays)s.") % {"step": step, "trays": ", ".join(missing)},
            missing=missing,
            state=day.state,
        )
    if differing and not cause:
        raise TransitionConflict(
            _("The count differs from the book (%(diff)s); the duty manager must record the cause first.")
            % {"diff": _differences_text(differing)},
            missing=[count.tray.code for count in differing],
            state=day.state,
        )
    return latest


@transaction.atomic
def counter_day_open(*, day: CounterDay, user, note: str = "") -> CounterDay:
    """九点开门正式营业. Refused (409) while a tray is not counted, while the count differs from
    last closing without the duty manager's cause, or while the opening routine is incomplete."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    day = _lock(day)
    _require_state(day, (CounterDay.State.PLANNED,), _("The counter is already open."))
    latest = _phase_check(day, TrayCount.Kind.OPENING, day.opening_cause, _("opening"))
    for count in latest.values():
        Tray.objects.filter(pk=count.tray_id).update(pieces=count.pieces, weight=count.weight)

    def stamp(obj):
        obj.opened_by, obj.opened_at = user, timezone.now()

    return transition_run(instance=day, name="open", user=user, note=note, before_save=stamp)


# --- sales ---------------------------------------------------------------------------------------------


@transaction.atomic
def counter_sale_record(
    *,
    day: CounterDay,
    user,
    tray: Tray,
    pieces,
    weight,
    price,
    special_requests: str = "",
    customer: TradeCustomerRegistration | None = None,
) -> CounterSale:
    """称货→包货→出货: the pieces and grams leave the tray's book. Special requests (如打印记之类)
    are noted on the sale. The seller then confirms the tray's count (``counter_sale_confirm``)."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    day = _lock(day)
    _require_state(day, SELLING, _("The counter is not open for sales."))
    errors = {}
    if tray.counter_id != day.counter_id:
        errors["tray"] = [_("This tray is not on this counter.")]
    if customer is not None and customer.store_id != day.store_id:
        errors["customer"] = [_("This customer is registered in another store.")]
    if errors:
        raise ValidationError(errors)
    pieces = _pieces(pieces, field="pieces")
    grams = _grams(weight, field="weight")
    if pieces <= 0:
        raise ValidationError({"pieces": [_("A sale takes at least one piece.")]})
    if grams <= 0:
        raise ValidationError({"weight": [_("Weigh the goods: enter their weight in grams.")]})
    try:
        amount = money(price)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"price": [_("Enter the price, e.g. 1,234.50.")]}) from exc
    if amount < 0:
        raise ValidationError({"price": [_("Enter the price, e.g. 1,234.50.")]})
    tray = Tray.objects.select_for_update().get(pk=tray.pk)
    if pieces > tray.pieces or grams > tray.weight:
        raise TransitionConflict(
            _("Tray %(tray)s holds only %(pieces)s pcs / %(weight)s g.")
            % {"tray": tray.code, "pieces": tray.pieces, "weight": tray.weight},
            state=day.state,
        )
    Tray.objects.filter(pk=tray.pk).update(pieces=tray.pieces - pieces, weight=tray.weight - grams)
    return CounterSale.objects.create(
        day=day,
        tray=tray,
        pieces=pieces,
        weight=grams,
        price=amount,
        special_requests=(special_requests or "").strip()[:500],
        customer=customer,
        sold_by=user,
    )


@transaction.atomic
def counter_sale_confirm(*, sale: CounterSale, user, pieces, weight=None) -> TrayCount:
    """完成每一次销售,必须数一下: the seller counts the tray. A count that differs from the book is
    reported at once to the counter leader and the manager (如不对应及时上报给柜组长 … 经理)."""
    day = _lock(sale.day)
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    sale = CounterSale.objects.select_for_update().select_related("tray").get(pk=sale.pk)
    if sale.confirmed:
        raise TransitionConflict(_("The tray count of this sale is already confirmed."), state=day.state)
    tray = Tray.objects.select_for_update().get(pk=sale.tray_id)
    rows = _parse_counts(
        trays=[tray], counts=[{"tray": tray, "pieces": pieces, "weight": weight}], weight_required=False
    )
    (count,) = _record(
        day=day,
        user=user,
        kind=TrayCount.Kind.AFTER_SALE,
        rows=rows,
        expected={tray.pk: (tray.pieces, tray.weight)},
        sale=sale,
    )
    CounterSale.objects.filter(pk=sale.pk).update(confirmed=True)
    if not count.matches:
        _notify_leaders(
            day=day,
            key=f"warehouse.jewellery.sale.{sale.pk}",
            title=_("Tray %(tray)s does not match after a sale") % {"tray": tray.code},
            body=_differences_text([count]),
        )
    return count


# --- lunch -------------------------------------------------------------------------------------------


@transaction.atomic
def counter_roster_set(*, day: CounterDay, user, entries: list[dict]) -> list[RosterEntry]:
    """Who works at which station today (replaces the day's roster)."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_LEADERS)
    day = _lock(day)
    _require_state(day, (CounterDay.State.PLANNED, CounterDay.State.OPENED), _("The roster is set before lunch."))
    errors, seen = [], set()
    for entry in entries or []:
        person, station = entry.get("user"), entry.get("station")
        if station not in Station.values:
            errors.append(_("Choose a station for %(name)s.") % {"name": person})
        elif person is None or not has_role(person, day.store_id, COUNTER_STAFF):
            errors.append(_("%(name)s does not work at a counter of this store.") % {"name": person})
        elif person.pk in seen:
            errors.append(_("%(name)s is on the roster twice.") % {"name": person})
        else:
            seen.add(person.pk)
    if errors:
        raise ValidationError({"entries": errors})
    RosterEntry.objects.filter(day=day).delete()
    return RosterEntry.objects.bulk_create(
        [RosterEntry(day=day, user=e["user"], station=e["station"]) for e in entries]
    )


@transaction.atomic
def lunch_rotation_add(*, day: CounterDay, user, starts_at: dt.time, ends_at: dt.time, away: list) -> LunchRotation:
    """轮流吃饭: a turn of people away. Refused (400) when, with the turns overlapping it, a station
    would keep fewer people than the counter's minimum (千足金到岛不能少于2人,万足至少一个人留岗)."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_LEADERS)
    day = _lock(day)
    _require_state(
        day, (CounterDay.State.PLANNED, CounterDay.State.OPENED, CounterDay.State.LUNCH), _("The day is over.")
    )
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("The turn ends after it starts.")]})
    roster = {entry.user_id: entry.station for entry in RosterEntry.objects.filter(day=day)}
    away_ids = {person.pk for person in away or []}
    if not away_ids:
        raise ValidationError({"away": [_("Choose who goes to lunch.")]})
    if away_ids - set(roster):
        raise ValidationError({"away": [_("Only people on today's roster go to lunch in turns.")]})
    overlapping = LunchRotation.objects.filter(day=day, starts_at__lt=ends_at, ends_at__gt=starts_at)
    gone = away_ids | set(overlapping.values_list("away__id", flat=True)) - {None}
    minimums = {**_minimums(day.counter.lunch_minimums)}
    errors = []
    for station, least in minimums.items():
        staying = sum(1 for uid, st in roster.items() if st == station and uid not in gone)
        if staying < least:
            errors.append(
                _("%(station)s would keep %(n)s; at least %(least)s must stay.")
                % {"station": Station(station).label, "n": staying, "least": least}
            )
    if errors:
        raise ValidationError({"away": errors})
    rotation = LunchRotation.objects.create(day=day, starts_at=starts_at, ends_at=ends_at, created_by=user)
    rotation.away.set(away_ids)
    return rotation


@transaction.atomic
def counter_lunch_start(*, day: CounterDay, user, note: str = "") -> CounterDay:
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    return transition_run(instance=day, name="lunch_start", user=user, note=note)


@transaction.atomic
def counter_after_lunch_record(*, day: CounterDay, user, counts: list[dict]) -> list[TrayCount]:
    """午饭后当天的值日人员必须盘点一下: every tray counted against the book; a difference is
    reported to the counter leader and the manager; the counter goes on selling."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    day = _lock(day)
    _require_state(day, (CounterDay.State.LUNCH,), _("The count after lunch is made when lunch is over."))
    trays = _trays(day)
    rows = _parse_counts(trays=trays, counts=counts)
    expected = {tray.pk: (tray.pieces, tray.weight) for tray in trays}
    recorded = _record(day=day, user=user, kind=TrayCount.Kind.AFTER_LUNCH, rows=rows, expected=expected)
    if any(not count.matches for count in recorded):
        _notify_leaders(
            day=day,
            key=f"warehouse.jewellery.lunch.{day.pk}",
            title=_("Count after lunch differs: %(day)s") % {"day": day},
            body=_differences_text(recorded),
        )
    transition_run(instance=day, name="lunch_end", user=user)
    return recorded


# --- closing -----------------------------------------------------------------------------------------


@transaction.atomic
def counter_closing_record(*, day: CounterDay, user, counts: list[dict]) -> list[TrayCount]:
    """17:30收货: the trays go back to the safe, counted by category (抽盘, 针对分好品类账本). A
    difference is reported to the manager and blocks closing until its cause is recorded."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    day = _lock(day)
    _require_state(
        day, (CounterDay.State.OPENED, CounterDay.State.AFTERNOON), _("The counter is not open; nothing to close.")
    )
    trays = _trays(day)
    rows = _parse_counts(trays=trays, counts=counts)
    expected = {tray.pk: (tray.pieces, tray.weight) for tray in trays}
    recorded = _record(day=day, user=user, kind=TrayCount.Kind.CLOSING, rows=rows, expected=expected)
    day.closing_cause = ""
    day.save(update_fields=["closing_cause"])
    if any(not count.matches for count in recorded):
        _notify_leaders(
            day=day,
            key=f"warehouse.jewellery.closing.{day.pk}",
            title=_("Closing count differs: %(day)s") % {"day": day},
            body=_differences_text(recorded),
        )
    return recorded


@transaction.atomic
def counter_day_close(*, day: CounterDay, user, note: str = "") -> CounterDay:
    """The day closes once every tray's closing count equals the book, or the duty manager has
    recorded the cause of the difference."""
    require_role(user=user, store_id=day.store_id, roles=COUNTER_STAFF)
    day = _lock(day)
    _require_state(day, (CounterDay.State.OPENED, CounterDay.State.AFTERNOON), _("The counter is not open."))
    latest = _phase_check(day, TrayCount.Kind.CLOSING, day.closing_cause, _("closing"))
    for count in latest.values():
        Tray.objects.filter(pk=count.tray_id).update(pieces=count.pieces, weight=count.weight)

    def stamp(obj):
        obj.closed_by, obj.closed_at = user, timezone.now()

    return transition_run(instance=day, name="close", user=user, note=note, before_save=stamp)
