# ruff: noqa: F401, F811  (pytest fixtures imported from the conftest and quotes_fixtures)
"""The vehicle delivery: opened by the order's signal, scheduled with the day-before and on-the-day
follow-ups, prepared and handed over only with complete checklists (409 naming the missing items),
the VIN out of stock in the same transaction, the safe-arrival call, completion and owner care."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from delivery.models import Delivery
from delivery.services import (
    delivery_cancel,
    delivery_complete,
    delivery_hand_over,
    delivery_prepare,
    delivery_reschedule,
    delivery_schedule,
)
from delivery.services.care import CARE_STEPS
from showroom.models import Document, FollowUp
from showroom.services.transitions import TransitionConflict
from tests.delivery.conftest import answer_all, soon
from tests.leads.quotes_fixtures import VIN1, shop
from warehouse.models import Reservation, Serial, StockMove
from warehouse.selectors import stock_on_hand

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _followups(delivery, **filters):
    ct = ContentType.objects.get_for_model(Delivery)
    return FollowUp.objects.filter(content_type=ct, object_id=delivery.pk, **filters).order_by("due_at", "sequence")


def test_the_ready_order_opens_one_delivery_with_a_call_to_agree_the_time(personas, delivery, ready_order):
    assert (delivery.state, delivery.vin, delivery.consultant) == ("to_schedule", VIN1, personas.consultant)
    assert delivery.customer_id == ready_order.lead.customer_id
    assert list(_followups(delivery).values_list("plan", flat=True)) == ["delivery.agree_time"]


def test_scheduling_creates_the_day_before_and_on_the_day_follow_ups(personas, delivery):
    # Given today is 2026-03-02 09:00 in Shanghai, when the handover is agreed for 5 March 15:00
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False):
        at = dt.datetime(2026, 3, 5, 15, 0, tzinfo=SHANGHAI)
        delivery = delivery_schedule(delivery=delivery, user=personas.consultant, at=at, bay="交车区 1")
    # then the call and the connected-services task are due the day before at 10:00, the
    # arrival-time call on the day at the store's opening (09:00), the agree-time call is closed
    assert (delivery.state, delivery.bay) == ("scheduled", "交车区 1")
    open_ = _followups(delivery, state="open")
    rows = [(f.plan, f.kind, timezone.localtime(f.due_at).strftime("%m-%d %H:%M")) for f in open_]
    assert rows == [
        ("delivery.day_before", "call", "03-04 10:00"),
        ("delivery.day_before", "task", "03-04 10:00"),
        ("delivery.on_the_day", "call", "03-05 09:00"),
    ]
    assert _followups(delivery, plan="delivery.agree_time").get().state == "cancelled"
    # when the customer asks for another day, the old follow-ups are cancelled and new ones made
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False):
        delivery = delivery_reschedule(delivery=delivery, user=personas.consultant, note="客户出差")
        delivery = delivery_schedule(
            delivery=delivery, user=personas.consultant, at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=SHANGHAI)
        )
    days = [timezone.localtime(f.due_at).strftime("%m-%d %H:%M") for f in _followups(delivery, state="open")]
    assert days == ["03-08 10:00", "03-08 10:00", "03-09 09:00"]


def test_schedule_input_and_permission(personas, delivery):
    with pytest.raises(ValidationError) as err:
        delivery_schedule(delivery=delivery, user=personas.consultant, at=timezone.now() - dt.timedelta(hours=1))
    assert "at" in err.value.message_dict
    for outsider in (personas.receptionist, personas.b_manager, personas.warehouse_keeper):
        with pytest.raises(PermissionDenied):
            delivery_schedule(delivery=delivery, user=outsider, at=soon())
    # a manager of the store may schedule
    assert delivery_schedule(delivery=delivery, user=personas.showroom_manager, at=soon()).state == "scheduled"
    # a wrong state is a 409 whatever the input
    with pytest.raises(TransitionConflict):
        delivery_schedule(delivery=delivery, user=personas.consultant, at=None)


def test_preparation_needs_the_complete_pre_delivery_checklist(personas, delivery):
    delivery_schedule(delivery=delivery, user=personas.consultant, at=soon(), bay="交车区 1")
    answer_all(delivery, personas.consultant, "delivery.pre_delivery", skip=(1, 6))
    with pytest.raises(TransitionConflict) as err:
        delivery_prepare(delivery=delivery, user=personas.consultant)
    assert len(err.value.missing) == 2
    assert any("engine bay" in label for label in err.value.missing)
    assert any("congratulation sign" in label for label in err.value.missing)
    delivery.refresh_from_db()
    assert delivery.state == "scheduled"


def test_handover_refused_while_any_required_item_is_missing(personas, arrived, shop):
    # Given the handover checklist with the before phase done and the signature (7.18) missing
    answer_all(arrived, personas.consultant, "delivery.handover", phases=("before", "at"), skip=(18 - 6,))
    # when the consultant hands over, then 409 names the missing item and nothing changes
    with pytest.raises(TransitionConflict) as err:
        delivery_hand_over(delivery=arrived, user=personas.consultant, signed_name="王先生", arrival_minutes=40)
    assert len(err.value.missing) == 1 and "delivery inspection form" in err.value.missing[0]
    arrived.refresh_from_db()
    assert arrived.state == "arrived" and arrived.stock_move_id is None
    assert Serial.objects.get(number=VIN1).state == "in_stock"
    assert not Document.objects.filter(doc_type="HF").exists()


def test_handover_when_complete_takes_the_vin_out_of_stock_in_the_same_transaction(personas, arrived, shop):
    answer_all(arrived, personas.consultant, "delivery.handover", phases=("before", "at"))
    before = stock_on_hand(item=shop.car_item)
    delivery = delivery_hand_over(
        delivery=arrived,
        user=personas.consultant,
        signed_name="王先生",
        arrival_minutes=45,
        destination="浦东新区 家",
        satisfaction=5,
    )
    assert delivery.state == "handed_over"
    move = StockMove.objects.get(pk=delivery.stock_move_id)
    assert (move.kind, move.quantity, move.serial.number) == ("issue", -1, VIN1)
    assert Serial.objects.get(number=VIN1).state == "out"
    assert Reservation.objects.get(pk=arrived.order.reservation_id).state == "consumed"
    assert stock_on_hand(item=shop.car_item) == before - 1
    assert Document.objects.get(doc_type="HF", object_id=delivery.pk).number.startswith("HF-")
    # the safe-arrival call is due at the predicted arrival time
    call = _followups(delivery, plan="delivery.safe_arrival").get()
    assert call.due_at == delivery.handed_over_at + dt.timedelta(minutes=45)
    assert call.kind == "call" and "浦东新区" in call.title


def test_a_failing_stock_move_rolls_the_handover_back(personas, arrived, monkeypatch):
    answer_all(arrived, personas.consultant, "delivery.handover", phases=("before", "at"))
    from delivery.services import deliveries

    def boom(*args, **kwargs):
        raise TransitionConflict("stock frozen")

    monkeypatch.setattr(deliveries, "stock_move_append", boom)
    with pytest.raises(TransitionConflict):
        delivery_hand_over(delivery=arrived, user=personas.consultant, signed_name="王先生", arrival_minutes=45)
    arrived.refresh_from_db()
    assert arrived.state == "arrived" and arrived.handed_over_at is None
    assert not _followups(arrived, plan="delivery.safe_arrival").exists()


def test_completion_starts_the_care_plan_and_the_thank_you_letter(personas, arrived):
    answer_all(arrived, personas.consultant, "delivery.handover", phases=("before", "at"))
    with time_machine.travel(dt.datetime(2026, 3, 5, 15, 0, tzinfo=SHANGHAI), tick=False):
        delivery = delivery_hand_over(
            delivery=arrived,
            user=personas.consultant,
            signed_name="王先生",
            arrival_minutes=30,
            first_service_date=dt.date(2026, 9, 5),
            first_service_km=5000,
            km_per_day=50,
        )
        delivery = delivery_complete(delivery=delivery, user=personas.consultant)
    care = _followups(delivery, plan="delivery.care")
    dates = {f.sequence: timezone.localtime(f.due_at).strftime("%Y-%m-%d %H:%M") for f in care}
    # day 3, 7, 14 (club), 30, 60 (referral) at 10:00; the first service by mileage: 5000 / 50 =
    # 100 days (13 June, before 5 September) → the reminder a week before, 6 June
    assert dates == {
        1: "2026-03-08 10:00",
        2: "2026-03-12 10:00",
        3: "2026-03-19 10:00",
        4: "2026-04-04 10:00",
        5: "2026-06-06 10:00",
        6: "2026-05-04 10:00",
    }
    assert len(CARE_STEPS) + 1 == care.count()
    letter = Document.objects.get(doc_type="TL", object_id=delivery.pk)
    mail = _followups(delivery, plan="delivery.thank_you_letter").get()
    assert letter.number in mail.title and mail.assignee == personas.receptionist


def test_cancel_needs_a_reason_and_closes_the_open_follow_ups(personas, delivery):
    delivery_schedule(delivery=delivery, user=personas.consultant, at=soon())
    with pytest.raises(ValidationError):
        delivery_cancel(delivery=delivery, user=personas.consultant, reason=" ")
    delivery = delivery_cancel(delivery=delivery, user=personas.consultant, reason="客户退订")
    assert delivery.state == "cancelled"
    assert not _followups(delivery, state="open").exists()


def test_the_handover_form_pdf_has_the_customer_vin_and_checked_items(personas, arrived):
    from pypdf import PdfReader

    from showroom.services.documents import document_render

    answer_all(arrived, personas.consultant, "delivery.handover", phases=("before", "at"))
    delivery = delivery_hand_over(delivery=arrived, user=personas.consultant, signed_name="王先生", arrival_minutes=30)
    document = Document.objects.get(doc_type="HF", object_id=delivery.pk)
    document = document_render(document_id=document.pk)
    assert document.state == "ready"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document.file.read())).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "王先生" in compact
    assert VIN1 in compact
    assert "发动机舱是否干净" in compact  # 7.1, pre-delivery
    assert "是否陪同客户试开所购买的新车" in compact  # 7.24, handover
    assert "✓" in text


def test_preparation_needs_a_handover_bay_booked(personas, delivery):
    # given a delivery scheduled without a bay and its pre-delivery checklist complete
    delivery_schedule(delivery=delivery, user=personas.consultant, at=soon())
    answer_all(delivery, personas.consultant, "delivery.pre_delivery")
    # then preparing is a conflict that says what to do
    with pytest.raises(TransitionConflict) as err:
        delivery_prepare(delivery=delivery, user=personas.consultant)
    assert "bay" in str(err.value)
    delivery.refresh_from_db()
    assert delivery.state == "scheduled"


def test_preparation_checks_the_fuel_is_at_least_a_quarter(personas, delivery):
    from showroom.models import ChecklistItem

    fuel = ChecklistItem.objects.get(template__code="delivery.pre_delivery", kind="number")
    assert fuel.min_value == Decimal("0.25") and "1/4" in fuel.text
