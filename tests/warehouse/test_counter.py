# ruff: noqa: F811  (the ``counter`` fixture is imported from test_counter_support)
"""Counter sales (article 9): the numbered receipt with its money, picking only what the receipt
says (凭单备货, a wrong pick refused and nothing moved), cancelling, the callback question, and the
repair desk finding the sale by its serial."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from showroom.models import Document, FollowUp
from showroom.services.transitions import TransitionConflict
from tests.warehouse.test_counter_support import counter  # noqa: F401
from warehouse.models import CounterQuestion, CounterReceipt, Reservation, Serial, StockMove
from warehouse.selectors import stock_available, stock_on_hand
from warehouse.services import (
    counter_question_answer,
    counter_question_record,
    counter_receipt_cancel,
    counter_receipt_pick,
)

pytestmark = pytest.mark.django_db


def test_a_receipt_is_numbered_priced_to_the_cent_and_holds_its_goods(counter):
    # given a phone by serial and three cables, paid in cash with 6,200.00
    receipt = counter.receipt(
        [(counter.phone, 1, "sn60a001"), (counter.cable, 3, "")],
        received="6200.00",
        customer_name="陈先生",
        customer_company="天河电子",
        customer_address="广州市天河路 1 号",
        customer_contact="13800001111",
    )
    # then it is numbered CR, its amount is a Decimal to the cent and the change is right
    assert receipt.number.startswith("CR-") and receipt.state == CounterReceipt.State.ISSUED
    assert receipt.total == Decimal("6118.70") and isinstance(receipt.total, Decimal)
    assert receipt.received == Decimal("6200.00") and receipt.change == Decimal("81.30")
    lines = list(receipt.lines.order_by("id"))
    assert [(ln.item, ln.serial, ln.amount) for ln in lines] == [
        (counter.phone, "SN60A001", Decimal("5999.00")),
        (counter.cable, "", Decimal("119.70")),
    ]
    assert lines[0].model == "12GB+512GB 雅丹黑"
    assert Document.objects.filter(number=receipt.number).exists()
    # and its goods are held for it: nothing has left yet
    assert stock_available(item=counter.cable, warehouse=counter.wh.w1) == Decimal("9")
    assert stock_on_hand(item=counter.cable, warehouse=counter.wh.w1) == Decimal("12")
    assert Reservation.objects.get(pk=lines[0].reservation_id).serial.number == "SN60A001"
    # and the next receipt takes the next number
    second = counter.receipt([(counter.cable, 1, "")])
    assert int(second.number.rsplit("-", 1)[1]) == int(receipt.number.rsplit("-", 1)[1]) + 1


@pytest.mark.parametrize(
    ("lines", "extra", "field"),
    [
        ("phone-no-serial", {}, "lines"),
        ("phone-unknown-serial", {}, "lines"),
        ("cable-with-serial", {}, "lines"),
        ("cable", {"received": "10.00"}, "received"),
        ("cable", {"payment_method": "credit"}, "payment_method"),
        ("cable", {"customer_mobile": "13900009999"}, "customer_mobile"),
    ],
)
def test_a_bad_receipt_is_refused_whole(counter, lines, extra, field):
    rows = {
        "phone-no-serial": [(counter.phone, 1, "")],
        "phone-unknown-serial": [(counter.phone, 1, "SN-NOT-HERE")],
        "cable-with-serial": [(counter.cable, 1, "X1")],
        "cable": [(counter.cable, 1, "")],
    }[lines]
    with pytest.raises(ValidationError) as refused:
        counter.receipt(rows, **extra)
    assert field in refused.value.message_dict
    assert not CounterReceipt.objects.exists()


def test_a_serial_is_sold_on_one_receipt_only(counter):
    counter.receipt([(counter.phone, 1, "SN60A001")])
    with pytest.raises(TransitionConflict):
        counter.receipt([(counter.phone, 1, "SN60A001")])
    assert CounterReceipt.objects.count() == 1


def test_the_right_pick_issues_every_line_through_the_ledger_with_its_serial(counter):
    receipt = counter.receipt([(counter.phone, 1, "SN60A001"), (counter.cable, 2, "")])
    # when the keeper picks exactly what the receipt says
    receipt = counter_receipt_pick(receipt=receipt, user=counter.p.warehouse_keeper, picks=counter.picks(receipt))
    # then each line left by one issue carrying the receipt's number (and the phone's serial)
    assert receipt.state == CounterReceipt.State.PICKED and receipt.picked_by == counter.p.warehouse_keeper
    moves = StockMove.objects.filter(source_label=receipt.number).order_by("id")
    assert [(m.kind, m.item_id, m.quantity, m.serial.number if m.serial else "") for m in moves] == [
        (StockMove.Kind.ISSUE, counter.phone.pk, Decimal("-1"), "SN60A001"),
        (StockMove.Kind.ISSUE, counter.cable.pk, Decimal("-2"), ""),
    ]
    assert Serial.objects.get(number="SN60A001").state == Serial.State.OUT
    assert stock_on_hand(item=counter.cable, warehouse=counter.wh.w1) == Decimal("10")
    assert stock_available(item=counter.cable, warehouse=counter.wh.w1) == Decimal("10")
    assert set(Reservation.objects.filter(document_label=receipt.number).values_list("state", flat=True)) == {
        "consumed"
    }


@pytest.mark.parametrize(
    "override",
    [
        {0: {"serial": "SN60A002"}},  # the other phone
        {1: {"item": "charger"}},  # a charger instead of the cables
        {1: {"quantity": "3"}},  # three cables instead of two
    ],
)
def test_a_wrong_pick_is_refused_and_nothing_moves(counter, override):
    receipt = counter.receipt([(counter.phone, 1, "SN60A001"), (counter.cable, 2, "")])
    for changes in override.values():
        if changes.get("item") == "charger":
            changes["item"] = counter.charger
    # when the goods picked differ from the receipt
    with pytest.raises(TransitionConflict) as refused:
        counter_receipt_pick(receipt=receipt, user=counter.p.warehouse_keeper, picks=counter.picks(receipt, override))
    # then the pick is refused (409), naming the receipt, and nothing changed
    assert receipt.number in str(refused.value)
    receipt.refresh_from_db()
    assert receipt.state == CounterReceipt.State.ISSUED and receipt.picked_by is None
    assert not StockMove.objects.filter(source_label=receipt.number).exists()
    assert Serial.objects.get(number="SN60A001").state == Serial.State.IN_STOCK
    assert stock_on_hand(item=counter.cable, warehouse=counter.wh.w1) == Decimal("12")


def test_every_line_must_be_picked_and_a_receipt_is_picked_once(counter):
    receipt = counter.receipt([(counter.phone, 1, "SN60A001"), (counter.cable, 2, "")])
    with pytest.raises(ValidationError) as refused:
        counter_receipt_pick(receipt=receipt, user=counter.p.warehouse_keeper, picks=counter.picks(receipt)[:1])
    assert "picks" in refused.value.message_dict
    assert not StockMove.objects.filter(source_label=receipt.number).exists()
    counter_receipt_pick(receipt=receipt, user=counter.p.warehouse_keeper, picks=counter.picks(receipt))
    with pytest.raises(TransitionConflict):
        counter_receipt_pick(receipt=receipt, user=counter.p.warehouse_keeper, picks=counter.picks(receipt))
    assert StockMove.objects.filter(source_label=receipt.number).count() == 2


def test_a_line_of_another_receipt_is_not_a_pick_for_this_one(counter):
    mine = counter.receipt([(counter.cable, 1, "")])
    other = counter.receipt([(counter.cable, 1, "")])
    picks = counter.picks(mine, {0: {"line": other.lines.get()}})
    with pytest.raises(ValidationError):
        counter_receipt_pick(receipt=mine, user=counter.p.warehouse_keeper, picks=picks)
    assert not StockMove.objects.filter(kind=StockMove.Kind.ISSUE).exists()


def test_cancelling_gives_the_goods_back_to_the_counter(counter):
    receipt = counter.receipt([(counter.phone, 1, "SN60A001"), (counter.cable, 5, "")])
    receipt = counter_receipt_cancel(receipt=receipt, user=counter.p.counter_leader, note="顾客改主意")
    assert receipt.state == CounterReceipt.State.CANCELLED
    assert stock_available(item=counter.cable, warehouse=counter.wh.w1) == Decimal("12")
    again = counter.receipt([(counter.phone, 1, "SN60A001")])  # the phone is on sale again
    assert again.lines.get().serial == "SN60A001"
    with pytest.raises(TransitionConflict):
        counter_receipt_pick(receipt=receipt, user=counter.p.warehouse_keeper, picks=counter.picks(receipt))


def test_a_question_becomes_a_callback_for_who_took_it(counter):
    # when the counter cannot answer and records the need with the customer's contact
    question = counter_question_record(
        user=counter.p.sales_assistant,
        store=counter.p.store_a,
        question="Mate 60 是否支持卫星通话?",
        customer_contact="13700002222",
        customer_name="王女士",
        product="华为 Mate 60",
    )
    # then a callback follow-up of the counter plan is due for that staff member
    followup = question.followup
    assert followup.plan == "warehouse.counter_callback" and followup.assignee == counter.p.sales_assistant
    assert followup.kind == FollowUp.Kind.CALL and followup.due_at.tzinfo is not None
    assert "13700002222" in followup.title
    # and calling back with the answer closes both
    question = counter_question_answer(question=question, user=counter.p.sales_assistant, answer="支持,已电话告知")
    followup.refresh_from_db()
    assert question.state == CounterQuestion.State.ANSWERED and question.answer == "支持,已电话告知"
    assert followup.state == FollowUp.State.DONE
    with pytest.raises(TransitionConflict):
        counter_question_answer(question=question, user=counter.p.sales_assistant, answer="again")


def test_a_question_without_the_customers_contact_is_refused(counter):
    with pytest.raises(ValidationError) as refused:
        counter_question_record(
            user=counter.p.sales_assistant, store=counter.p.store_a, question="?", customer_contact=""
        )
    assert "customer_contact" in refused.value.message_dict
    assert not CounterQuestion.objects.exists()
