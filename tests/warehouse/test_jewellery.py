# ruff: noqa: F811  (the ``counter`` fixture is imported from jewellery_support)
"""The jewellery counter day (article 4): the opening count against last closing, sales off the
trays and the count after each one, the lunch rotation's minimum staff, closing, clock-in and
the grooming scores."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from showroom.models import ChecklistRun, Notification
from showroom.services.transitions import TransitionConflict
from tests.warehouse.jewellery_support import counter  # noqa: F401
from warehouse.models import Attendance, CounterDay, GroomingCheck, Station, Tray, TrayCount
from warehouse.selectors_jewellery import grooming_monthly_scores
from warehouse.services import jewellery as jw
from warehouse.services import jewellery_staff as staff

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(480)


def close_day(c, overrides=None):
    jw.counter_closing_record(day=c.day, user=c.p.consultant, counts=c.counts(overrides))
    return jw.counter_day_close(day=c.day, user=c.p.consultant)


# --- opening ---------------------------------------------------------------------------------------


def test_an_opening_count_equal_to_the_book_opens_the_counter(counter):
    # given every tray counted as the book says, the safe empty and closed, the routine ticked
    counter.opening()
    # when the counter opens
    day = jw.counter_day_open(day=counter.day, user=counter.p.consultant)
    # then it is open, by whom, and the core's opening routine is complete on the day
    assert day.state == CounterDay.State.OPENED and day.opened_by == counter.p.consultant
    run = ChecklistRun.objects.get(template__code="counter.opening", object_id=day.pk)
    assert run.completed_at is not None


def test_an_opening_count_that_differs_from_last_closing_blocks_opening_until_the_duty_manager_records_the_cause(
    counter,
):
    # given yesterday closed with the book figures
    c, p = counter, counter.p
    yesterday = jw.counter_day_start(user=p.consultant, counter=c.counter, date=dt.date(2026, 6, 1))
    jw.counter_opening_record(
        day=yesterday,
        user=p.consultant,
        counts=c.counts(),
        safe_empty=True,
        safe_closed=True,
        checklist=c.checklist_all(),
    )
    jw.counter_day_open(day=yesterday, user=p.consultant)
    jw.counter_closing_record(day=yesterday, user=p.consultant, counts=c.counts())
    jw.counter_day_close(day=yesterday, user=p.consultant)
    # when this morning tray T1 counts one ring (3.2 g) fewer
    counts = c.opening({"T1": (19, "97.300")})
    # then the count records the difference, the duty manager is told, and the counter cannot open
    t1 = next(x for x in counts if x.tray_id == c.ring.pk)
    assert (t1.expected_pieces, t1.expected_weight, t1.piece_difference) == (20, Decimal("100.500"), -1)
    assert Notification.objects.filter(user=p.showroom_manager, key__contains="opening").exists()
    with pytest.raises(TransitionConflict) as refused:
        jw.counter_day_open(day=c.day, user=p.consultant)
    assert "T1" in refused.value.missing
    c.day.refresh_from_db()
    assert c.day.state == CounterDay.State.PLANNED
    # and the counter leader may not record the cause, the duty manager may
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jw.counter_difference_explain(day=c.day, user=p.counter_leader, cause="昨晚漏记")
    jw.counter_difference_explain(day=c.day, user=p.showroom_manager, cause="昨晚一枚戒指送修未登记")
    day = jw.counter_day_open(day=c.day, user=p.consultant)
    assert day.state == CounterDay.State.OPENED and day.opening_cause == "昨晚一枚戒指送修未登记"
    c.ring.refresh_from_db()
    assert (c.ring.pieces, c.ring.weight) == (19, Decimal("97.300"))


def test_opening_refuses_goods_left_in_the_safe_or_an_open_door(counter):
    with pytest.raises(ValidationError) as refused:
        jw.counter_opening_record(
            day=counter.day, user=counter.p.consultant, counts=counter.counts(), safe_empty=False, safe_closed=False
        )
    assert set(refused.value.message_dict) == {"safe_empty", "safe_closed"}
    assert not TrayCount.objects.exists()


def test_opening_needs_every_tray_and_the_opening_routine(counter):
    c = counter
    with pytest.raises(ValidationError) as refused:
        jw.counter_opening_record(
            day=c.day, user=c.p.consultant, counts=c.counts()[:2], safe_empty=True, safe_closed=True
        )
    assert "T3" in refused.value.message_dict["counts"][0]
    # counted, but the routine not ticked: the core's checklist guard keeps the counter closed
    jw.counter_opening_record(day=c.day, user=c.p.consultant, counts=c.counts(), safe_empty=True, safe_closed=True)
    with pytest.raises(TransitionConflict) as conflict:
        jw.counter_day_open(day=c.day, user=c.p.consultant)
    assert conflict.value.missing


# --- sales -------------------------------------------------------------------------------------------


def test_a_sale_decrements_the_tray_in_pieces_and_grams(counter):
    c = counter
    c.open_day()
    sale = jw.counter_sale_record(
        day=c.day,
        user=c.p.consultant,
        tray=c.ring,
        pieces=2,
        weight="7.125",
        price="4,280.50",
        special_requests="内圈刻字 LOVE",
    )
    c.ring.refresh_from_db()
    assert (c.ring.pieces, c.ring.weight) == (18, Decimal("93.375"))
    assert sale.price == Decimal("4280.50") and sale.special_requests == "内圈刻字 LOVE"
    # a right confirmation tells nobody
    count = jw.counter_sale_confirm(sale=sale, user=c.p.consultant, pieces=18, weight="93.375")
    assert count.matches and count.kind == TrayCount.Kind.AFTER_SALE
    assert not Notification.objects.filter(key__contains="sale").exists()


def test_a_wrong_tray_confirmation_notifies_the_counter_leader_and_the_manager(counter):
    c = counter
    c.open_day()
    sale = jw.counter_sale_record(day=c.day, user=c.p.consultant, tray=c.ring, pieces=1, weight="3.2", price="1500")
    # when the seller counts 18 pieces where the book says 19
    count = jw.counter_sale_confirm(sale=sale, user=c.p.consultant, pieces=18)
    # then the count is kept with its difference and both are told at once
    assert count.piece_difference == -1
    told = set(Notification.objects.filter(key=f"warehouse.jewellery.sale.{sale.pk}").values_list("user", flat=True))
    assert {c.p.counter_leader.pk, c.p.showroom_manager.pk} <= told
    assert c.p.consultant.pk not in told
    with pytest.raises(TransitionConflict):
        jw.counter_sale_confirm(sale=sale, user=c.p.consultant, pieces=19)


def test_a_sale_cannot_take_more_than_the_tray_holds_nor_sell_before_opening(counter):
    c = counter
    with pytest.raises(TransitionConflict):
        jw.counter_sale_record(day=c.day, user=c.p.consultant, tray=c.bar, pieces=1, weight="100", price="1")
    c.open_day()
    with pytest.raises(TransitionConflict):
        jw.counter_sale_record(day=c.day, user=c.p.consultant, tray=c.bar, pieces=6, weight="100", price="1")
    c.bar.refresh_from_db()
    assert c.bar.pieces == 5


# --- lunch -------------------------------------------------------------------------------------------


def _roster(c):
    p = c.p
    jw.counter_roster_set(
        day=c.day,
        user=p.counter_leader,
        entries=[
            {"user": p.consultant, "station": Station.QIANZU_ISLAND},
            {"user": p.sales_assistant, "station": Station.QIANZU_ISLAND},
            {"user": p.counter_leader, "station": Station.QIANZU_ISLAND},
            {"user": p.showroom_manager, "station": Station.WANZU_COUNTER},
        ],
    )


def test_a_lunch_rotation_leaving_one_person_at_the_island_is_refused(counter):
    c = counter
    c.open_day()
    _roster(c)
    # given one of three island staff at lunch from 11:30 (two stay)
    jw.lunch_rotation_add(
        day=c.day, user=c.p.counter_leader, starts_at=dt.time(11, 30), ends_at=dt.time(12, 0), away=[c.p.consultant]
    )
    # when a second turn overlapping it sends another island person away
    with pytest.raises(ValidationError) as refused:
        jw.lunch_rotation_add(
            day=c.day,
            user=c.p.counter_leader,
            starts_at=dt.time(11, 45),
            ends_at=dt.time(12, 15),
            away=[c.p.sales_assistant],
        )
    # then it is refused, naming the island and its minimum of two
    assert "2" in refused.value.message_dict["away"][0]
    assert c.day.rotations.count() == 1
    # a turn after the first one is fine
    jw.lunch_rotation_add(
        day=c.day,
        user=c.p.counter_leader,
        starts_at=dt.time(12, 0),
        ends_at=dt.time(12, 30),
        away=[c.p.sales_assistant],
    )


def test_the_wanzu_counter_keeps_one_and_the_minimum_is_configurable(counter):
    c = counter
    c.open_day()
    _roster(c)
    with pytest.raises(ValidationError):
        jw.lunch_rotation_add(
            day=c.day,
            user=c.p.counter_leader,
            starts_at=dt.time(12, 0),
            ends_at=dt.time(12, 30),
            away=[c.p.showroom_manager],
        )
    c.counter.lunch_minimums = {Station.QIANZU_ISLAND: 2, Station.WANZU_COUNTER: 0}
    c.counter.save()
    jw.lunch_rotation_add(
        day=c.day,
        user=c.p.counter_leader,
        starts_at=dt.time(12, 0),
        ends_at=dt.time(12, 30),
        away=[c.p.showroom_manager],
    )


def test_after_lunch_the_duty_person_counts_again(counter):
    c = counter
    c.open_day()
    jw.counter_lunch_start(day=c.day, user=c.p.consultant)
    counts = jw.counter_after_lunch_record(day=c.day, user=c.p.consultant, counts=c.counts({"T2": (9, "225")}))
    c.day.refresh_from_db()
    assert c.day.state == CounterDay.State.AFTERNOON
    assert [x.piece_difference for x in counts if x.tray_id == c.chain.pk] == [-1]
    assert Notification.objects.filter(user=c.p.counter_leader, key__contains="lunch").exists()


# --- closing -----------------------------------------------------------------------------------------


def test_closing_is_blocked_by_a_difference_and_alerts_the_manager(counter):
    c = counter
    c.open_day()
    sale = jw.counter_sale_record(day=c.day, user=c.p.consultant, tray=c.ring, pieces=1, weight="5", price="2000")
    jw.counter_sale_confirm(sale=sale, user=c.p.consultant, pieces=19, weight="95.5")
    # when the closing count of T1 is one piece short of the book (19 → 18)
    jw.counter_closing_record(day=c.day, user=c.p.consultant, counts=c.counts({"T1": (18, "92.3")}))
    # then the manager is alerted and the day cannot close
    assert Notification.objects.filter(user=c.p.showroom_manager, key__contains="closing").exists()
    with pytest.raises(TransitionConflict):
        jw.counter_day_close(day=c.day, user=c.p.consultant)
    c.day.refresh_from_db()
    assert c.day.state == CounterDay.State.OPENED
    # a recount that matches the book closes it
    day = close_day(c, {"T1": (19, "95.5")})
    assert day.state == CounterDay.State.CLOSED
    c.ring.refresh_from_db()
    assert (c.ring.pieces, c.ring.weight) == (19, Decimal("95.500"))


def test_the_next_opening_compares_with_this_closing(counter):
    c = counter
    c.open_day()
    close_day(c)
    tomorrow = jw.counter_day_start(user=c.p.consultant, counter=c.counter, date=dt.date(2026, 6, 3))
    Tray.objects.filter(pk=c.ring.pk).update(pieces=99)  # the book drifted; the closing count rules
    counts = jw.counter_opening_record(
        day=tomorrow,
        user=c.p.consultant,
        counts=c.counts(),
        safe_empty=True,
        safe_closed=True,
        checklist=c.checklist_all(),
    )
    assert all(x.matches for x in counts)


# --- staff -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("minute", "late"), [(29, False), (30, False), (31, True)])
def test_clock_in_after_08_30_shanghai_time_is_flagged_late(personas, minute, late):
    with time_machine.travel(dt.datetime(2026, 6, 2, 8, minute, 5, tzinfo=TZ), tick=False):
        row = staff.attendance_clock_in(user=personas.consultant, store=personas.store_a)
    assert row.late is late and row.date == dt.date(2026, 6, 2)
    assert timezone.localtime(row.clocked_in_at).strftime("%H:%M") == f"08:{minute}"


def test_clock_in_once_a_day(personas):
    with time_machine.travel(dt.datetime(2026, 6, 2, 8, 20, tzinfo=TZ), tick=False):
        staff.attendance_clock_in(user=personas.consultant, store=personas.store_a)
        with pytest.raises(TransitionConflict):
            staff.attendance_clock_in(user=personas.consultant, store=personas.store_a)
    assert Attendance.objects.count() == 1


def _items():
    from showroom.models import ChecklistItem

    return list(
        ChecklistItem.objects.filter(template__code="staff.grooming").order_by("order").values_list("pk", flat=True)
    )


def test_grooming_scores_are_summed_per_person_per_month(personas):
    p, items = personas, _items()
    assert len(items) == 7  # 面容 口腔 头发 工服 工牌 指甲 鞋
    # given the duty manager scores the consultant on two days of June and one of July
    staff.grooming_score_record(
        user=p.showroom_manager, store=p.store_a, person=p.consultant, passed_items=items, date=dt.date(2026, 6, 1)
    )
    staff.grooming_score_record(
        user=p.showroom_manager, store=p.store_a, person=p.consultant, passed_items=items[:5], date=dt.date(2026, 6, 2)
    )
    staff.grooming_score_record(
        user=p.showroom_manager,
        store=p.store_a,
        person=p.sales_assistant,
        passed_items=items[:6],
        date=dt.date(2026, 6, 2),
    )
    staff.grooming_score_record(
        user=p.showroom_manager, store=p.store_a, person=p.consultant, passed_items=[], date=dt.date(2026, 7, 1)
    )
    # when June is summed
    june = {
        row["person_id"]: row for row in grooming_monthly_scores(store_ids=[p.store_a.pk], month=dt.date(2026, 6, 15))
    }
    # then each person has the sum of their days
    assert (june[p.consultant.pk]["total"], june[p.consultant.pk]["max"], june[p.consultant.pk]["checks"]) == (
        12,
        14,
        2,
    )
    assert june[p.sales_assistant.pk]["total"] == 6
    assert grooming_monthly_scores(store_ids=[p.store_b.pk], month=dt.date(2026, 6, 1)) == []
    # and each check keeps its answers in a core checklist run
    check = GroomingCheck.objects.get(person=p.consultant, date=dt.date(2026, 6, 2))
    assert check.run.answers.filter(ticked=True).count() == 5
    # and the core's monthly performance view shows each person's monthly average beside the audits
    from showroom.selectors.dashboard_audits import audit_monthly

    monthly = audit_monthly(store_ids=[p.store_a.pk], month=dt.date(2026, 7, 1))
    shown = {row.get("person_id"): row["months"] for row in monthly["grooming"]}
    assert shown[p.consultant.pk][dt.date(2026, 6, 1)] == Decimal("6.0")
    assert shown[p.consultant.pk][dt.date(2026, 7, 1)] == 0


def test_only_the_duty_manager_scores_grooming_and_once_a_day(personas):
    from django.core.exceptions import PermissionDenied

    p, items = personas, _items()
    with pytest.raises(PermissionDenied):
        staff.grooming_score_record(user=p.counter_leader, store=p.store_a, person=p.consultant, passed_items=items)
    staff.grooming_score_record(user=p.showroom_manager, store=p.store_a, person=p.consultant, passed_items=items)
    with pytest.raises(TransitionConflict):
        staff.grooming_score_record(user=p.showroom_manager, store=p.store_a, person=p.consultant, passed_items=items)


def test_a_trade_customer_registration_must_be_complete(personas):
    p = personas
    with pytest.raises(ValidationError) as refused:
        staff.trade_customer_register(
            user=p.consultant,
            store=p.store_a,
            company="金利来珠宝行",
            contact="张伟",
            mobile="13812345678",
            id_number="",
            address="",
            licence_number="91320100MA1XXXXX",
        )
    assert set(refused.value.message_dict) == {"id_number", "address"}
    row = staff.trade_customer_register(
        user=p.consultant,
        store=p.store_a,
        company="金利来珠宝行",
        contact="张伟",
        mobile="138 1234 5678",
        id_number="11010519491231002X",
        address="南京市秦淮区中山南路 8 号",
        licence_number="91320100MA1XXXXX",
    )
    assert row.mobile == "+8613812345678"
