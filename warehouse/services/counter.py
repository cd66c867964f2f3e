"""Counter sales of the electronics counter shop (article 9, 柜台销售及售后人员工作标准流程).

- ``counter_receipt_create`` (四、开单 10–11: 根据产品型号和所卖价格,给客户填写销售收据 … 若客户允许,
  应在客户栏登记本上做好客户资料登记): a numbered receipt CR, paid; its goods are reserved for it.
- ``counter_receipt_pick`` (五、备货 12: 一定要凭单备货,货要和收据上的项目一致): the goods picked must
  be the receipt's, line by line (item, serial, quantity); a wrong pick is refused whole (409).
  Each line leaves by one ledger issue carrying the serial, which is what the repair desk's
  warranty check finds later.
- ``counter_question_record`` / ``counter_question_answer`` (三、客户接待 7: 要留下客户联系方式并做好
  产品需求的详细记录 … 及时打电话给客户告之详情): a callback follow-up for who took the question.
- ``counter_replenishment_confirm`` → ``counter_replenishment_process`` → ``counter_replenishment_order``
  (六、补货 14–16): the closing list goes to the warehouse supervisor; what the warehouse lacks
  becomes a purchase request (reason *counter replenishment*); purchasing orders it with the
  expected date, and the counter is told.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from showroom import roles as r
from showroom.models import FollowUp, Store
from showroom.money import money
from showroom.selectors.customers import customer_find_by_mobile
from showroom.services.documents import document_issue
from showroom.services.followups import followup_complete, followup_plan_schedule, notification_send
from showroom.services.transitions import TransitionConflict, transition_run
from warehouse.models import (
    Bin,
    CounterQuestion,
    CounterReceipt,
    CounterReceiptLine,
    CounterReplenishment,
    CounterReplenishmentLine,
    Item,
    PaymentMethod,
    PurchaseOrder,
    PurchaseRequest,
    Serial,
    StockLevel,
    StockMove,
    Supplier,
    Warehouse,
)
from warehouse.models.counter import COUNTER_STAFF, REPLENISHERS, WAREHOUSE_HEADS
from warehouse.services._common import decimal_of, require_role
from warehouse.services.ledger import stock_move_append, stock_release, stock_reserve
from warehouse.services.purchasing import purchase_request_confirm, purchase_request_create

ZERO = Decimal("0")
CALLBACK_PLAN = "warehouse.counter_callback"


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _users_with_role(*, store_id: int, roles) -> list:
    return list(
        get_user_model()
        .objects.filter(
            memberships__store_id=store_id,
            memberships__role__code__in=list(roles),
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


# --- the receipt ----------------------------------------------------------------------------------


def _clean_receipt_lines(*, lines: list[dict], warehouse: Warehouse) -> list[dict]:
    if not lines:
        raise ValidationError({"lines": [_("A receipt needs at least one line.")]})
    cleaned, errors, serials = [], [], set()
    for n, line in enumerate(lines, start=1):
        item = line.get("item")
        if not isinstance(item, Item) or not item.is_stocked or not item.is_active:
            errors.append(_("Line %(n)s: choose an item that is kept in stock.") % {"n": n})
            continue
        quantity = decimal_of(line.get("quantity") or "1", field="quantity")
        given = line.get("unit_price")
        price = decimal_of(item.list_price if given in (None, "") else given, field="unit_price")
        serial = _text(line.get("serial"), 40).upper()
        if quantity <= 0 or quantity != quantity.quantize(Decimal("0.001")):
            errors.append(_("Line %(n)s: the quantity is above zero.") % {"n": n})
        if price < 0 or price != money(price):
            errors.append(_("Line %(n)s: the price is an amount to the cent, not below zero.") % {"n": n})
        if item.is_serial:
            if not serial:
                errors.append(
                    _("Line %(n)s: %(item)s is tracked by serial; write its serial number.") % _named(n, item)
                )
            elif serial in serials:
                errors.append(
                    _("Line %(n)s: serial %(serial)s is already on this receipt.") % {"n": n, "serial": serial}
                )
            elif not Serial.objects.filter(
                number=serial, item=item, warehouse=warehouse, state=Serial.State.IN_STOCK
            ).exists():
                errors.append(
                    _("Line %(n)s: serial %(serial)s of %(item)s is not in stock at this counter.")
                    % {"n": n, "serial": serial, "item": item}
                )
            if quantity != 1:
                errors.append(_("Line %(n)s: one serial is one piece.") % {"n": n})
            serials.add(serial)
        elif serial:
            errors.append(_("Line %(n)s: %(item)s is not tracked by serial number.") % _named(n, item))
        cleaned.append(
            {
                "item": item,
                "model": _text(line.get("model"), 120) or item.specification[:120],
                "serial": serial,
                "quantity": quantity,
                "unit_price": price,
                "amount": money(quantity * price),
            }
        )
    if errors:
        raise ValidationError({"lines": errors})
    return cleaned


def _named(n: int, item) -> dict:
    return {"n": n, "item": item}


@transaction.atomic
def counter_receipt_create(
    *,
    user,
    warehouse: Warehouse,
    lines: list[dict],
    payment_method: str = PaymentMethod.CASH,
    received=None,
    customer_mobile: str = "",
    customer_name: str = "",
    customer_company: str = "",
    customer_address: str = "",
    customer_contact: str = "",
) -> CounterReceipt:
    """开单: the sales receipt of one sale — item, model, serial for serial-tracked goods, price,
    the customer's details when the customer allows it — numbered CR and paid. The goods are
    reserved for the receipt, so a serial is sold once and the counter never sells what is gone."""
    require_role(user=user, store_id=warehouse.store_id, roles=COUNTER_STAFF)
    cleaned = _clean_receipt_lines(lines=lines, warehouse=warehouse)
    total = sum((line["amount"] for line in cleaned), ZERO)
    errors = {}
    if payment_method not in PaymentMethod.values:
        errors["payment_method"] = [_("Choose cash, card or bank transfer.")]
    paid = total if received in (None, "") else decimal_of(received, field="received")
    if paid != money(paid) or paid < total:
        errors["received"] = [
            _("The customer pays at least the receipt's amount, %(total)s, to the cent.") % {"total": f"{total:,.2f}"}
        ]
    customer = None
    if (customer_mobile or "").strip():
        customer = customer_find_by_mobile(store=warehouse.store_id, mobile=customer_mobile)
        if customer is None and not (customer_name or "").strip():
            errors["customer_mobile"] = [_("No customer with this mobile; write the customer's name instead.")]
    if errors:
        raise ValidationError(errors)
    contact = _text(customer_contact, 60) or (customer.mobile if customer else _text(customer_mobile, 60))
    receipt = CounterReceipt.objects.create(
        store_id=warehouse.store_id,
        warehouse=warehouse,
        customer=customer,
        customer_name=_text(customer_name, 80) or (customer.name if customer else ""),
        customer_company=_text(customer_company, 120),
        customer_address=_text(customer_address, 200),
        customer_contact=contact,
        payment_method=payment_method,
        total=total,
        received=paid,
        created_by=user,
    )
    receipt.number = document_issue(doc_type="CR", target=receipt, store=warehouse.store, user=user).number
    receipt.save(update_fields=["number"])
    rows = []
    for line in cleaned:
        reservation = stock_reserve(
            item=line["item"],
            warehouse=warehouse,
            user=user,
            quantity=None if line["item"].is_serial else line["quantity"],
            serial=line["serial"] or None,
            document=receipt,
            document_label=receipt.number,
        )
        rows.append(CounterReceiptLine(receipt=receipt, reservation=reservation, **line))
    CounterReceiptLine.objects.bulk_create(rows)
    return receipt


def _pick_errors(*, receipt: CounterReceipt, lines: list[CounterReceiptLine], picks: list[dict]) -> tuple[list, list]:
    """What is wrong with the picks: (mismatches with the receipt → 409, bad input → 400)."""
    wrong, bad = [], []
    by_line = {}
    for n, pick in enumerate(picks, start=1):
        line = pick.get("line")
        line_id = getattr(line, "pk", line)
        if line_id not in {ln.pk for ln in lines}:
            bad.append(_("Pick %(n)s is not for a line of receipt %(number)s.") % {"n": n, "number": receipt.number})
            continue
        if line_id in by_line:
            bad.append(_("Pick %(n)s: that line is picked twice.") % {"n": n})
            continue
        by_line[line_id] = pick
    for n, line in enumerate(lines, start=1):
        pick = by_line.get(line.pk)
        if pick is None:
            bad.append(_("Line %(n)s (%(item)s) is not picked; pick every line of the receipt.") % _named(n, line.item))
            continue
        item = pick.get("item")
        item_id = getattr(item, "pk", item)
        if item_id != line.item_id:
            wrong.append(
                _("Line %(n)s: the receipt says %(want)s, the goods picked are %(got)s.")
                % {"n": n, "want": line.item, "got": item if isinstance(item, Item) else (item_id or "—")}
            )
            continue
        serial = _text(pick.get("serial"), 40).upper()
        if serial != line.serial:
            wrong.append(
                _("Line %(n)s: the receipt says serial %(want)s, the piece picked is %(got)s.")
                % {"n": n, "want": line.serial or "—", "got": serial or "—"}
            )
        quantity = pick.get("quantity")
        if quantity not in (None, "") and decimal_of(quantity, field="quantity") != line.quantity:
            wrong.append(
                _("Line %(n)s: the receipt says %(want)s, %(got)s were picked.")
                % {"n": n, "want": f"{line.quantity.normalize():f}", "got": quantity}
            )
        bin = pick.get("bin")
        if not isinstance(bin, Bin) or bin.warehouse_id != receipt.warehouse_id:
            bad.append(_("Line %(n)s: choose a bin of this counter's stock.") % {"n": n})
    return wrong, bad


@transaction.atomic
def counter_receipt_pick(*, receipt: CounterReceipt, user, picks: list[dict], note: str = "") -> CounterReceipt:
    """凭单备货: ``picks`` names per receipt line the goods taken — ``line``, ``item``, ``serial``
    (serial-tracked goods), ``bin`` and optionally ``quantity``. Goods that differ from the receipt
    are refused (409) and nothing moves; every line leaves by one issue through the ledger."""

    def stamp(obj: CounterReceipt) -> None:
        obj.picked_by = user
        obj.picked_at = timezone.now()

    receipt = transition_run(instance=receipt, name="pick", user=user, note=note, before_save=stamp)
    lines = list(receipt.lines.select_related("item", "reservation").order_by("id"))
    wrong, bad = _pick_errors(receipt=receipt, lines=lines, picks=picks)
    if wrong:
        raise TransitionConflict(
            _("Wrong goods for receipt %(number)s: %(errors)s Pick as written on the receipt.")
            % {"number": receipt.number, "errors": " ".join(wrong)},
            state=CounterReceipt.State.ISSUED,
        )
    if bad:
        raise ValidationError({"picks": bad})
    by_line = {getattr(p["line"], "pk", p["line"]): p for p in picks}
    for line in lines:
        bin = by_line[line.pk]["bin"]
        line.bin = bin
        line.move = stock_move_append(
            item=line.item,
            warehouse=receipt.warehouse,
            bin=bin,
            quantity=-line.quantity,
            kind=StockMove.Kind.ISSUE,
            user=user,
            serial=line.serial or None,
            source=receipt,
            source_label=receipt.number,
            reservation=line.reservation,
        )
    CounterReceiptLine.objects.bulk_update(lines, ["bin", "move"])
    return receipt


@transaction.atomic
def counter_receipt_cancel(*, receipt: CounterReceipt, user, note: str = "") -> CounterReceipt:
    """Undo a sale before its goods are picked: the receipt's reservations are released."""
    receipt = transition_run(instance=receipt, name="cancel", user=user, note=note)
    for line in receipt.lines.select_related("reservation").filter(reservation__state="active"):
        stock_release(reservation=line.reservation, user=None)
    return receipt


# --- questions the counter cannot answer -----------------------------------------------------------


def _time(value) -> dt.time:
    # A store made in this process and not reloaded still holds the field's default as text.
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def callback_due(*, store: Store, now: dt.datetime | None = None) -> dt.datetime:
    """When to call back: before today's closing when at least an hour of it is left, else an hour
    after tomorrow's opening (等后面有空的时候落实清楚后及时打电话给客户)."""
    now = timezone.localtime(now or timezone.now())
    tz = now.tzinfo
    closing = dt.datetime.combine(now.date(), _time(store.closing_time), tzinfo=tz)
    if closing - now >= dt.timedelta(hours=1):
        return closing - dt.timedelta(minutes=30)
    opening = dt.datetime.combine(now.date() + dt.timedelta(days=1), _time(store.opening_time), tzinfo=tz)
    return opening + dt.timedelta(hours=1)


@transaction.atomic
def counter_question_record(
    *,
    user,
    store: Store,
    question: str,
    customer_contact: str,
    customer_name: str = "",
    product: str = "",
    due_at: dt.datetime | None = None,
) -> CounterQuestion:
    """A question the counter cannot answer now: the need and the customer's contact, with a
    callback follow-up for the staff member who took it."""
    require_role(user=user, store_id=store.pk, roles=COUNTER_STAFF)
    errors = {}
    if not (question or "").strip():
        errors["question"] = [_("Write down what the customer wants to know.")]
    if not (customer_contact or "").strip():
        errors["customer_contact"] = [_("Leave the customer's contact, so the counter can call back.")]
    if due_at is not None and (timezone.is_naive(due_at) or due_at <= timezone.now()):
        errors["due_at"] = [_("Call back at a time still to come.")]
    if errors:
        raise ValidationError(errors)
    customer = customer_find_by_mobile(store=store, mobile=customer_contact)
    row = CounterQuestion.objects.create(
        store=store,
        customer=customer,
        customer_name=_text(customer_name, 80) or (customer.name if customer else ""),
        customer_contact=_text(customer_contact, 60),
        product=_text(product, 120),
        question=question.strip(),
        asked_by=user,
    )
    who = row.customer_name or row.customer_contact
    row.followup = followup_plan_schedule(
        plan_code=CALLBACK_PLAN,
        target=row,
        store=store,
        assignee=user,
        due_at=due_at or callback_due(store=store),
        kind=FollowUp.Kind.CALL,
        title=_("Call back %(who)s (%(contact)s): %(question)s")
        % {"who": who, "contact": row.customer_contact, "question": row.question[:80]},
        created_by=user,
    )
    row.save(update_fields=["followup"])
    return row


@transaction.atomic
def counter_question_answer(*, question: CounterQuestion, user, answer: str) -> CounterQuestion:
    """The customer has been called back with the answer: the follow-up is done (its plan hook
    marks the question answered)."""
    question = CounterQuestion.objects.select_for_update().get(pk=question.pk)
    require_role(user=user, store_id=question.store_id, roles=COUNTER_STAFF)
    if question.state != CounterQuestion.State.OPEN:
        raise TransitionConflict(_("This question has already been answered."), state=question.state)
    if not (answer or "").strip():
        raise ValidationError({"answer": [_("Write what the customer was told.")]})
    followup_complete(followup=question.followup, user=user, outcome=answer.strip())
    question.refresh_from_db()
    return question


def counter_callback_hook(*, followup: FollowUp, event: str) -> None:
    """The callback's follow-up is done (here or from the follow-ups page): the question is answered."""
    if event != "done":
        return
    CounterQuestion.objects.filter(followup=followup, state=CounterQuestion.State.OPEN).update(
        state=CounterQuestion.State.ANSWERED, answer=followup.outcome, answered_at=timezone.now()
    )


# --- replenishment at closing ----------------------------------------------------------------------


def replenishment_suggestion(*, available: Decimal, reorder_point: Decimal) -> Decimal:
    """Bring the counter up to twice its reorder point (one piece at least)."""
    target = max(reorder_point * 2, Decimal("1"))
    return max(target - available, Decimal("1"))


@transaction.atomic
def counter_replenishment_confirm(
    *, user, warehouse: Warehouse, quantities: dict | None = None, day: dt.date | None = None
) -> CounterReplenishment:
    """At closing the counter leader confirms the list (items sold out or under their reorder
    point, each with the quantity wanted) and it goes to the warehouse supervisor."""
    from warehouse.selectors_counter import replenishment_rows

    require_role(user=user, store_id=warehouse.store_id, roles=REPLENISHERS)
    Warehouse.objects.select_for_update().get(pk=warehouse.pk)
    if CounterReplenishment.objects.filter(warehouse=warehouse, state=CounterReplenishment.State.SENT).exists():
        raise TransitionConflict(_("The last replenishment list is still waiting for the warehouse supervisor."))
    rows = list(replenishment_rows(warehouse=warehouse))
    if not rows:
        raise ValidationError({"lines": [_("Nothing is sold out or under its reorder point.")]})
    quantities = {int(k): v for k, v in (quantities or {}).items()}
    listed = {row.item_id for row in rows}
    errors = [
        _("Item %(id)s is not on the replenishment list.") % {"id": item_id}
        for item_id in quantities
        if item_id not in listed
    ]
    lines = []
    for row in rows:
        wanted = quantities.get(row.item_id)
        quantity = (
            replenishment_suggestion(available=row.available, reorder_point=row.item.reorder_point)
            if wanted in (None, "")
            else decimal_of(wanted, field="quantity")
        )
        if quantity <= 0:
            errors.append(_("%(item)s: the quantity wanted is above zero.") % {"item": row.item})
        lines.append(
            CounterReplenishmentLine(
                item=row.item, on_hand=row.available, reorder_point=row.item.reorder_point, quantity=quantity
            )
        )
    if errors:
        raise ValidationError({"lines": errors})
    replenishment = CounterReplenishment.objects.create(
        store_id=warehouse.store_id, warehouse=warehouse, day=day or timezone.localdate(), created_by=user
    )
    for line in lines:
        line.replenishment = replenishment
    CounterReplenishmentLine.objects.bulk_create(lines)
    url = reverse("warehouse:counter_replenishment")
    for head in _users_with_role(store_id=warehouse.store_id, roles=WAREHOUSE_HEADS):
        notification_send(
            user=head,
            key=f"warehouse.counter_replenishment:{replenishment.pk}:{head.pk}",
            title=_("Replenishment for %(counter)s: %(n)s items") % {"counter": warehouse.name, "n": len(lines)},
            body="\n".join(f"{ln.item.code} {ln.item.name} × {ln.quantity.normalize():f}" for ln in lines),
            url=url,
        )
    return replenishment


def _available_elsewhere(*, replenishment: CounterReplenishment, item_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        StockLevel.objects.filter(
            warehouse__store_id=replenishment.store_id, warehouse__is_active=True, item_id__in=item_ids
        )
        .exclude(warehouse_id=replenishment.warehouse_id)
        .values("item_id")
        .annotate(free=Sum(F("quantity") - F("reserved")))
    )
    return {row["item_id"]: max(row["free"] or ZERO, ZERO) for row in rows}


@transaction.atomic
def counter_replenishment_process(
    *, replenishment: CounterReplenishment, user, from_stock: dict | None = None
) -> CounterReplenishment:
    """The warehouse supervisor answers the list: per line what the store's other warehouses can
    send (by default all they have free, up to the quantity wanted) and, for what the warehouse
    lacks, a purchase request to purchasing (由仓库主管进行申请采购). The counter is told."""
    replenishment = CounterReplenishment.objects.select_for_update().get(pk=replenishment.pk)
    require_role(user=user, store_id=replenishment.store_id, roles=WAREHOUSE_HEADS)
    if replenishment.state != CounterReplenishment.State.SENT:
        raise TransitionConflict(_("This list has already been processed."), state=replenishment.state)
    lines = list(replenishment.lines.select_related("item").order_by("id"))
    free = _available_elsewhere(replenishment=replenishment, item_ids=[ln.item_id for ln in lines])
    chosen = {int(k): v for k, v in (from_stock or {}).items()}
    errors = []
    for line in lines:
        can = min(line.quantity, free.get(line.item_id, ZERO))
        given = chosen.get(line.pk)
        quantity = can if given in (None, "") else decimal_of(given, field="from_stock")
        if quantity < 0 or quantity > can:
            errors.append(
                _("%(item)s: the warehouse can send between 0 and %(can)s.")
                % {"item": line.item, "can": f"{can.normalize():f}"}
            )
            continue
        line.from_stock = quantity
    if errors:
        raise ValidationError({"from_stock": errors})
    purchased = 0
    for line in lines:
        if line.to_purchase > 0:
            line.purchase_request = purchase_request_create(
                user=user,
                warehouse=replenishment.warehouse,
                item=line.item,
                quantity=line.to_purchase,
                reason=PurchaseRequest.Reason.REPLENISHMENT,
            )
            line.supply = CounterReplenishmentLine.Supply.PURCHASING
            purchased += 1
        else:
            line.supply = CounterReplenishmentLine.Supply.FROM_STOCK
    CounterReplenishmentLine.objects.bulk_update(lines, ["from_stock", "supply", "purchase_request"])
    replenishment.state = CounterReplenishment.State.PROCESSED
    replenishment.processed_by = user
    replenishment.processed_at = timezone.now()
    replenishment.save(update_fields=["state", "processed_by", "processed_at"])
    notification_send(
        user=replenishment.created_by,
        key=f"warehouse.counter_replenishment_processed:{replenishment.pk}",
        title=_("Replenishment of %(day)s: %(stock)s lines from the warehouse, %(buy)s to purchasing")
        % {"day": replenishment.day, "stock": len(lines) - purchased, "buy": purchased},
        body="\n".join(
            f"{ln.item.code} {ln.item.name}: {ln.get_supply_display()} ({ln.from_stock.normalize():f}"
            f" / {ln.quantity.normalize():f})"
            for ln in lines
        ),
        url=reverse("warehouse:counter_replenishment"),
    )
    return replenishment


@transaction.atomic
def counter_replenishment_order(
    *, line: CounterReplenishmentLine, user, supplier: Supplier, unit_cost, expected_on: dt.date
) -> PurchaseOrder:
    """Purchasing orders what the warehouse lacks (the request becomes a draft order of the
    supplier through ``purchase_request_confirm``) and records when it is expected; the counter
    that asked is told (采购和供应商沟通完后要把详细信息及时转告相关人员)."""
    line = CounterReplenishmentLine.objects.select_for_update().select_related("replenishment", "item").get(pk=line.pk)
    require_role(user=user, store_id=line.replenishment.store_id, roles=(r.PURCHASING,))
    if line.purchase_request_id is None or line.supply != CounterReplenishmentLine.Supply.PURCHASING:
        raise TransitionConflict(_("This line is not waiting for purchasing."), state=line.supply)
    if not isinstance(expected_on, dt.date) or expected_on < timezone.localdate():
        raise ValidationError({"expected_on": [_("Enter the date the goods are expected, today or later.")]})
    if supplier.pk is None:
        raise ValidationError({"supplier": [_("Choose a supplier.")]})
    order = purchase_request_confirm(request=line.purchase_request, user=user, supplier=supplier, unit_cost=unit_cost)
    line.purchase_order = order
    line.expected_on = expected_on
    line.supply = CounterReplenishmentLine.Supply.ORDERED
    line.save(update_fields=["purchase_order", "expected_on", "supply"])
    notification_send(
        user=line.replenishment.created_by,
        key=f"warehouse.counter_replenishment_ordered:{line.pk}",
        title=_("%(item)s ordered from %(supplier)s, expected on %(date)s")
        % {"item": line.item, "supplier": supplier, "date": expected_on.isoformat()},
        body=_("%(quantity)s of %(item)s for %(counter)s.")
        % {"quantity": f"{line.to_purchase.normalize():f}", "item": line.item, "counter": line.replenishment.warehouse},
        url=reverse("warehouse:counter_replenishment"),
    )
    return order


def counter_replenishment_job(*, store: Store, day: dt.date) -> None:
    """At closing (临近下班): tell the counter leaders how many items their list holds."""
    from warehouse.selectors_counter import replenishment_rows

    leaders = _users_with_role(store_id=store.pk, roles=REPLENISHERS)
    for warehouse in Warehouse.objects.filter(store=store, is_active=True).order_by("pk"):
        count = replenishment_rows(warehouse=warehouse).count()
        if not count:
            continue
        for leader in leaders:
            notification_send(
                user=leader,
                key=f"warehouse.counter_replenishment_due:{warehouse.pk}:{day.isoformat()}:{leader.pk}",
                title=_("%(counter)s: %(n)s items sold out or under their reorder point")
                % {"counter": warehouse.name, "n": count},
                body=_("Check the stock and confirm the replenishment list before closing."),
                url=reverse("warehouse:counter_replenishment") + f"?warehouse={warehouse.pk}",
            )
