"""Races on PostgreSQL with real transactions: two issues for the last unit, two reservations of
one VIN, two reversals of one move — one wins, the other gets the 409 conflict."""

import pytest

from showroom.api.errors import exception_handler
from tests.races import race
from tests.warehouse.factories import BinFactory, ItemFactory, WarehouseFactory
from warehouse.models import Item, Reservation, StockLevel, StockMove
from warehouse.services import StockConflict, stock_move_append, stock_move_reverse, stock_reserve

pytestmark = pytest.mark.django_db(transaction=True)
VIN = "LSGUA84W0NE123456"


@pytest.fixture
def place(personas):
    warehouse = WarehouseFactory(store=personas.store_a)
    return warehouse, BinFactory(warehouse=warehouse)


def _is_409(exc) -> bool:
    response = exception_handler(exc, {})
    return response is not None and response.status_code == 409 and response.data["code"] == "conflict"


def test_two_issues_racing_for_the_last_unit(personas, place):
    # given one bolt left
    warehouse, bin = place
    bolt = ItemFactory(tracking=Item.Tracking.QUANTITY)
    stock_move_append(item=bolt, warehouse=warehouse, bin=bin, quantity=1, kind="other_in", unit_cost="5")

    def issue():
        return stock_move_append(
            item=bolt, warehouse=warehouse, bin=bin, quantity=-1, kind="issue", user=personas.warehouse_keeper
        )

    # when two slips take it at the same moment
    results, errors = race(issue, issue)
    # then one wins, the other gets 409, and the balance is 0, not −1
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], StockConflict) and _is_409(errors[0])
    assert StockLevel.objects.get(item=bolt, warehouse=warehouse).quantity == 0
    assert StockMove.objects.filter(item=bolt, kind="issue").count() == 1


def test_two_reservations_racing_for_one_vin(personas, place):
    warehouse, bin = place
    car = ItemFactory(tracking=Item.Tracking.SERIAL)
    stock_move_append(item=car, warehouse=warehouse, bin=bin, quantity=1, kind="other_in", unit_cost="1", serial=VIN)

    def reserve(label):
        return lambda: stock_reserve(
            item=car, warehouse=warehouse, serial=VIN, user=personas.consultant, document_label=label
        )

    results, errors = race(reserve("订单 A"), reserve("订单 B"))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], StockConflict) and _is_409(errors[0])
    assert Reservation.objects.filter(serial__number=VIN, state="active").count() == 1
    assert StockLevel.objects.get(item=car, warehouse=warehouse).reserved == 1


def test_two_reversals_of_one_move(personas, place):
    warehouse, bin = place
    bolt = ItemFactory()
    move = stock_move_append(item=bolt, warehouse=warehouse, bin=bin, quantity=3, kind="other_in", unit_cost="5")

    def reverse():
        return stock_move_reverse(move=move, user=personas.warehouse_keeper, reason="重复录入")

    results, errors = race(reverse, reverse)
    assert len(results) == 1 and len(errors) == 1 and _is_409(errors[0])
    assert StockLevel.objects.get(item=bolt, warehouse=warehouse).quantity == 0
