"""The ledger: balances follow the moves, nothing goes negative, serials live in one place,
reservations hold stock, reversals correct, refusals change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from warehouse.demo import vin_check_digit, vin_is_valid
from warehouse.models import BinBalance, Reservation, Serial, StockLevel, StockMove
from warehouse.selectors import stock_available, stock_on_hand
from warehouse.services import (
    StockConflict,
    register_move_guard,
    stock_move_reverse,
    stock_release,
    stock_reserve,
    unregister_move_guard,
)

pytestmark = pytest.mark.django_db
VIN = "1M8GDM9AXKP042788"


def test_vin_check_digit_matches_the_textbook_example():
    assert vin_check_digit(VIN) == "X"
    assert vin_is_valid(VIN)
    assert not vin_is_valid("1M8GDM9A1KP042788")


def test_in_and_out_keep_level_and_bin_balances(wh, put_in, take_out):
    # given 10 bolts in bin A and 5 in bin B
    put_in(wh.bolt, wh.w1, wh.a, 10)
    put_in(wh.bolt, wh.w1, wh.b, 5)
    # when 4 leave bin A
    take_out(wh.bolt, wh.w1, wh.a, 4)
    # then the warehouse holds 11 and each bin its own
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == Decimal("11")
    assert BinBalance.objects.get(item=wh.bolt, bin=wh.a).quantity == Decimal("6")
    assert BinBalance.objects.get(item=wh.bolt, bin=wh.b).quantity == Decimal("5")


def test_an_issue_above_the_bin_is_refused_and_changes_nothing(wh, put_in, take_out):
    put_in(wh.bolt, wh.w1, wh.a, 3)
    put_in(wh.bolt, wh.w1, wh.b, 3)
    moves = StockMove.objects.count()
    with pytest.raises(StockConflict):
        take_out(wh.bolt, wh.w1, wh.a, 4)  # the warehouse has 6, the bin only 3
    assert StockMove.objects.count() == moves
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == Decimal("6")


def test_weight_goods_move_in_grams(wh, put_in, take_out):
    put_in(wh.gold, wh.w1, wh.a, "125.5", unit_cost="450")
    take_out(wh.gold, wh.w1, wh.a, "20.25")
    assert stock_on_hand(item=wh.gold) == Decimal("105.25")


def test_a_service_is_never_stocked(wh, put_in):
    with pytest.raises(ValidationError) as err:
        put_in(wh.fee, wh.w1, wh.a, 1)
    assert "item" in err.value.message_dict
    assert not StockMove.objects.exists()


def test_a_serial_is_in_one_place_and_leaves_once(wh, put_in, take_out):
    put_in(wh.car, wh.w1, wh.a, 1, unit_cost="250000", serial=VIN)
    # a second in-move of the same VIN is refused while it is in stock
    with pytest.raises(StockConflict):
        put_in(wh.car, wh.w2, wh.c, 1, unit_cost="250000", serial=VIN)
    take_out(wh.car, wh.w1, wh.a, 1, serial=VIN)
    with pytest.raises(StockConflict):
        take_out(wh.car, wh.w1, wh.a, 1, serial=VIN)
    # after it left, an ordinary receipt cannot bring it back; a customer return can
    with pytest.raises(StockConflict):
        put_in(wh.car, wh.w1, wh.a, 1, unit_cost="250000", serial=VIN, kind=StockMove.Kind.RECEIPT)
    put_in(wh.car, wh.w1, wh.a, 1, unit_cost="250000", serial=VIN, kind=StockMove.Kind.RETURN)
    serial = Serial.objects.get(number=VIN)
    assert (serial.state, serial.warehouse_id, serial.bin_id) == (Serial.State.IN_STOCK, wh.w1.pk, wh.a.pk)
    assert stock_on_hand(item=wh.car) == 1


def test_a_serial_item_needs_its_serial_and_one_unit(wh, put_in):
    with pytest.raises(ValidationError):
        put_in(wh.car, wh.w1, wh.a, 1, unit_cost="1")
    with pytest.raises(ValidationError):
        put_in(wh.car, wh.w1, wh.a, 2, unit_cost="1", serial=VIN)


def test_reservation_holds_stock_from_others(wh, personas, put_in, take_out):
    put_in(wh.bolt, wh.w1, wh.a, 5)
    reservation = stock_reserve(
        item=wh.bolt, warehouse=wh.w1, quantity=3, user=personas.consultant, document_label="SO-1"
    )
    assert stock_available(item=wh.bolt, warehouse=wh.w1) == Decimal("2")
    # someone else cannot take the reserved units
    with pytest.raises(StockConflict):
        take_out(wh.bolt, wh.w1, wh.a, 3)
    with pytest.raises(StockConflict):
        stock_reserve(item=wh.bolt, warehouse=wh.w1, quantity=3, user=personas.consultant)
    # the reservation's own issue consumes it
    take_out(wh.bolt, wh.w1, wh.a, 3, reservation=reservation)
    reservation.refresh_from_db()
    assert reservation.state == Reservation.State.CONSUMED
    level = StockLevel.objects.get(item=wh.bolt, warehouse=wh.w1)
    assert (level.quantity, level.reserved) == (Decimal("2"), Decimal("0"))


def test_release_gives_the_stock_back_and_only_once(wh, personas, put_in):
    put_in(wh.bolt, wh.w1, wh.a, 5)
    reservation = stock_reserve(item=wh.bolt, warehouse=wh.w1, quantity=5, user=personas.consultant)
    with pytest.raises(PermissionDenied):  # another consultant's reservation
        stock_release(reservation=reservation, user=personas.sales_assistant)
    stock_release(reservation=reservation, user=personas.consultant)
    assert stock_available(item=wh.bolt, warehouse=wh.w1) == Decimal("5")
    with pytest.raises(StockConflict):
        stock_release(reservation=reservation, user=personas.consultant)


def test_two_reservations_of_one_vin_conflict(wh, personas, put_in, take_out):
    put_in(wh.car, wh.w1, wh.a, 1, unit_cost="250000", serial=VIN)
    stock_reserve(item=wh.car, warehouse=wh.w1, serial=VIN, user=personas.consultant, document_label="订单 1")
    with pytest.raises(StockConflict):
        stock_reserve(item=wh.car, warehouse=wh.w1, serial=VIN, user=personas.consultant)
    with pytest.raises(StockConflict):
        take_out(wh.car, wh.w1, wh.a, 1, serial=VIN)  # reserved for another document
    assert Reservation.objects.filter(state="active").count() == 1


def test_reversal_corrects_a_move_once_with_a_reason(wh, personas, put_in, take_out):
    move = put_in(wh.bolt, wh.w1, wh.a, 5, unit_cost="12")
    with pytest.raises(ValidationError):
        stock_move_reverse(move=move, user=personas.warehouse_keeper, reason=" ")
    reversal = stock_move_reverse(move=move, user=personas.warehouse_keeper, reason="录错数量")
    assert (reversal.quantity, reversal.value, reversal.kind) == (Decimal("-5"), Decimal("-60.00"), "reversal")
    assert stock_on_hand(item=wh.bolt) == 0
    with pytest.raises(StockConflict):
        stock_move_reverse(move=move, user=personas.warehouse_keeper, reason="again")
    with pytest.raises(StockConflict):
        stock_move_reverse(move=reversal, user=personas.warehouse_keeper, reason="again")
    # the original move is untouched
    move.refresh_from_db()
    assert (move.quantity, move.value) == (Decimal("5"), Decimal("60.00"))


def test_reversing_a_sold_car_brings_it_back(wh, personas, put_in, take_out):
    put_in(wh.car, wh.w1, wh.a, 1, unit_cost="250000", serial=VIN)
    out = take_out(wh.car, wh.w1, wh.a, 1, serial=VIN)
    stock_move_reverse(move=out, user=personas.warehouse_keeper, reason="开错出库单")
    assert Serial.objects.get(number=VIN).state == Serial.State.IN_STOCK


def test_a_reversal_that_would_go_negative_is_refused(wh, personas, put_in, take_out):
    move = put_in(wh.bolt, wh.w1, wh.a, 5)
    take_out(wh.bolt, wh.w1, wh.a, 4)
    with pytest.raises(StockConflict):
        stock_move_reverse(move=move, user=personas.warehouse_keeper, reason="错")
    assert stock_on_hand(item=wh.bolt) == 1


def test_a_registered_move_guard_refuses_every_flow(wh, put_in):
    def frozen(*, item, warehouse, bin, quantity, kind):
        if warehouse.pk == wh.w1.pk:
            raise StockConflict("盘点冻结中")

    register_move_guard(frozen)
    try:
        with pytest.raises(StockConflict, match="盘点冻结"):
            put_in(wh.bolt, wh.w1, wh.a, 1)
        put_in(wh.bolt, wh.w2, wh.c, 1)
    finally:
        unregister_move_guard(frozen)
    assert stock_on_hand(item=wh.bolt, warehouse=wh.w1) == 0


def test_moves_are_linked_to_their_source_document(wh, personas, put_in):
    from warehouse.services import stock_move_append

    move = stock_move_append(
        item=wh.bolt,
        warehouse=wh.w1,
        bin=wh.a,
        quantity=2,
        kind=StockMove.Kind.OTHER_IN,
        user=personas.warehouse_keeper,
        unit_cost="1",
        source=wh.supplier,
        source_label="X-1",
    )
    assert move.source == wh.supplier
    assert move.created_by == personas.warehouse_keeper
