"""A property test over random sequences of receipts, issues, transfers, reservations, releases
and reversals: after every step each balance equals the sum of its moves and is never negative,
reserved never exceeds on hand, a serial is never in two places, and a refused operation changes
nothing. Few examples, no deadline, each example rolled back."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warehouse.models import BinBalance, Reservation, Serial, StockLevel, StockMove
from warehouse.services import (
    StockConflict,
    stock_move_append,
    stock_move_reverse,
    stock_release,
    stock_reserve,
    transfer_create,
    transfer_dispatch,
    transfer_receive,
)

pytestmark = pytest.mark.django_db
VINS = ["LSGUA84W0NE100001", "LSGUA84W0NE100002", "LSGUA84W0NE100003"]

item_index = st.sampled_from(["bolt", "gold", "car"])
OPS = st.one_of(
    st.tuples(st.just("in"), item_index, st.sampled_from(["a", "b", "c"]), st.integers(1, 4), st.integers(1, 90)),
    st.tuples(st.just("out"), item_index, st.sampled_from(["a", "b", "c"]), st.integers(1, 4), st.integers(0, 2)),
    st.tuples(st.just("transfer"), item_index, st.sampled_from(["a", "b"]), st.integers(1, 3), st.integers(0, 2)),
    st.tuples(st.just("reserve"), item_index, st.sampled_from(["w1", "w2"]), st.integers(1, 3), st.integers(0, 2)),
    st.tuples(st.just("release"), st.just(""), st.just(""), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("reverse"), st.just(""), st.just(""), st.integers(0, 30), st.just(0)),
)


class Rollback(Exception):
    """Ends an example's transaction so the next one starts from the same state."""


def snapshot():
    return (
        sorted(StockLevel.objects.values_list("item_id", "warehouse_id", "quantity", "reserved", "value")),
        sorted(BinBalance.objects.values_list("bin_id", "item_id", "quantity")),
        sorted(Serial.objects.values_list("number", "state", "warehouse_id", "bin_id")),
        StockMove.objects.count(),
        sorted(Reservation.objects.values_list("id", "state")),
    )


def check_invariants():
    for level in StockLevel.objects.all():
        moves = StockMove.objects.filter(item_id=level.item_id, warehouse_id=level.warehouse_id)
        totals = moves.aggregate(q=Sum("quantity"), v=Sum("value"))
        assert level.quantity == (totals["q"] or 0) >= 0
        assert level.value == (totals["v"] or 0)  # every warehouse here values by moving average
        reserved = Reservation.objects.filter(
            item_id=level.item_id, warehouse_id=level.warehouse_id, state="active"
        ).aggregate(q=Sum("quantity"))["q"] or Decimal(0)
        assert level.reserved == reserved <= level.quantity
    for balance in BinBalance.objects.all():
        moved = StockMove.objects.filter(item_id=balance.item_id, bin_id=balance.bin_id).aggregate(q=Sum("quantity"))
        assert balance.quantity == (moved["q"] or 0) >= 0
    for serial in Serial.objects.all():
        total = StockMove.objects.filter(serial=serial).aggregate(q=Sum("quantity"))["q"] or 0
        in_stock = serial.state == Serial.State.IN_STOCK
        assert total == (1 if in_stock else 0)
        if in_stock:  # the one place it is: its bin holds it
            last = StockMove.objects.filter(serial=serial).order_by("-id").first()
            assert (last.warehouse_id, last.bin_id) == (serial.warehouse_id, serial.bin_id)
    for level in StockLevel.objects.filter(item__tracking="serial"):
        count = Serial.objects.filter(item_id=level.item_id, warehouse_id=level.warehouse_id, state="in_stock").count()
        assert count == level.quantity


def apply(op, wh, personas):
    name, key, where, n, extra = op
    keeper = personas.warehouse_keeper
    bins = {"a": (wh.w1, wh.a), "b": (wh.w1, wh.b), "c": (wh.w2, wh.c)}
    item = getattr(wh, key) if key else None
    serial_item = item is not None and item.is_serial
    quantity = Decimal(1) if serial_item else Decimal(n) / (Decimal(4) if key == "gold" else 1)
    serial = VINS[extra % 3] if serial_item else None
    if name == "in":
        warehouse, bin = bins[where]
        stock_move_append(
            item=item,
            warehouse=warehouse,
            bin=bin,
            quantity=quantity,
            kind="trade_in" if serial_item else "receipt",
            user=keeper,
            unit_cost=Decimal(extra),
            serial=serial if serial_item else None,
        )
    elif name == "out":
        warehouse, bin = bins[where]
        stock_move_append(
            item=item, warehouse=warehouse, bin=bin, quantity=-quantity, kind="issue", user=keeper, serial=serial
        )
    elif name == "transfer":
        with transaction.atomic():
            transfer = transfer_create(
                user=keeper,
                from_warehouse=wh.w1,
                to_warehouse=wh.w2,
                to_bin=wh.c,
                lines=[{"item": item, "from_bin": bins[where][1], "quantity": quantity, "serial": serial}],
            )
            transfer_dispatch(transfer=transfer, user=keeper, confirmed=[quantity])
            transfer_receive(transfer=transfer, user=keeper, confirmed=[quantity])
    elif name == "reserve":
        warehouse = wh.w1 if where == "w1" else wh.w2
        stock_reserve(
            item=item,
            warehouse=warehouse,
            user=personas.consultant,
            quantity=None if serial_item else quantity,
            serial=serial,
        )
    elif name == "release":
        active = list(Reservation.objects.filter(state="active").order_by("id"))
        if active:
            stock_release(reservation=active[n % len(active)], user=personas.consultant)
    elif name == "reverse":
        moves = list(StockMove.objects.order_by("id"))
        if moves:
            stock_move_reverse(move=moves[n % len(moves)], user=keeper, reason="更正")


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=4, max_size=22))
def test_random_sequences_keep_the_ledger_consistent(wh, personas, ops):
    try:
        with transaction.atomic():
            for op in ops:
                before = snapshot()
                try:
                    apply(op, wh, personas)
                except (StockConflict, ValidationError):
                    # then a refused operation changed nothing
                    assert snapshot() == before, op
                check_invariants()
            raise Rollback
    except Rollback:
        pass
    assert not StockMove.objects.exists()
