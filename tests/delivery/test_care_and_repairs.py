# ruff: noqa: F401  (pytest fixtures imported from the conftest and quotes_fixtures)
"""Owner care (calls recorded, questions passed on, three missed in a row escalated, referrals) and
repair tickets (warranty from our sale, the quote and consent, the 7-day escalation once)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from delivery.models import CareCall, Delivery, RepairBreach, RepairFinding, RepairTicket
from delivery.selectors import repair_month_report
from delivery.services import (
    care_call_record,
    delivery_complete,
    delivery_hand_over,
    referral_record,
    repair_collect,
    repair_consent,
    repair_finding_record,
    repair_intake,
    repair_make_ready,
    repair_quote_record,
    repair_receive_back,
    repair_send_to_vendor,
    repair_start_warranty,
    repairs_escalate,
)
from showroom.models import Document, FollowUp, Notification
from showroom.services.transitions import TransitionConflict
from tests.delivery.conftest import answer_all
from tests.factories import CustomerFactory
from tests.leads.quotes_fixtures import shop
from tests.warehouse.factories import BinFactory, ItemFactory, WarehouseFactory
from warehouse.models import Item
from warehouse.services import stock_move_append

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def completed(personas, arrived):
    answer_all(arrived, personas.consultant, "delivery.handover", phases=("before", "at"))
    delivery = delivery_hand_over(delivery=arrived, user=personas.consultant, signed_name="王先生", arrival_minutes=30)
    return delivery_complete(delivery=delivery, user=personas.consultant)


def _care(delivery):
    ct = ContentType.objects.get_for_model(Delivery)
    return list(
        FollowUp.objects.filter(content_type=ct, object_id=delivery.pk, plan="delivery.care").order_by("due_at")
    )


def test_a_care_call_records_what_the_owner_said_and_passes_an_unanswered_question_on(personas, completed):
    first = _care(completed)[0]
    call = care_call_record(
        followup=first,
        user=personas.consultant,
        reached=True,
        usage="每天通勤 40 公里",
        connected_services="安吉星导航常用",
        questions="胎压灯亮了怎么办",
        unanswered="延保能否转让",
        unanswered_to=personas.after_sales_manager,
        suggestions="希望有上门保养",
    )
    first.refresh_from_db()
    assert (first.state, call.step, call.reached) == ("done", "day3", True)
    assert "每天通勤" in first.outcome
    task = FollowUp.objects.get(plan="delivery.care_question")
    assert (task.assignee, task.kind) == (personas.after_sales_manager, "task") and "延保" in task.title
    with pytest.raises(ValidationError):
        care_call_record(followup=_care(completed)[1], user=personas.consultant, reached=True)


def test_three_missed_care_calls_in_a_row_escalate_to_the_showroom_manager(personas, completed):
    calls = _care(completed)
    care_call_record(followup=calls[0], user=personas.consultant, reached=False)
    care_call_record(followup=calls[1], user=personas.consultant, reached=False)
    assert not FollowUp.objects.filter(plan="delivery.care_escalated").exists()
    care_call_record(followup=calls[2], user=personas.consultant, reached=False)
    escalated = FollowUp.objects.get(plan="delivery.care_escalated")
    assert escalated.assignee == personas.showroom_manager
    assert Notification.objects.filter(user=personas.showroom_manager, key__startswith="delivery:").count() == 1
    # a reached call breaks the row: the next miss does not escalate again
    care_call_record(followup=calls[3], user=personas.consultant, reached=True, usage="正常")
    care_call_record(followup=calls[4], user=personas.consultant, reached=False)
    assert FollowUp.objects.filter(plan="delivery.care_escalated").count() == 1


def test_a_referral_links_the_new_customer_and_thanks_the_owner(personas, completed):
    friend = CustomerFactory(store=personas.store_a, name="李女士")
    referral = referral_record(delivery=completed, referred=friend, user=personas.consultant)
    assert referral.delivery == completed and friend.referral == referral
    thanks = FollowUp.objects.get(plan="delivery.referral_thanks")
    assert "李女士" in thanks.title and thanks.assignee == personas.consultant
    with pytest.raises(ValidationError):
        referral_record(delivery=completed, referred=friend, user=personas.consultant)
    with pytest.raises(PermissionDenied):
        referral_record(delivery=completed, referred=CustomerFactory(store=personas.store_a), user=personas.b_manager)


# --- repairs ------------------------------------------------------------------------------------


@pytest.fixture
def sold_phone(personas):
    """A phone with a 12-month warranty sold by store A (a ledger issue of its serial)."""
    item = ItemFactory(code="PH-1", name="手机 X1", tracking=Item.Tracking.SERIAL, warranty_months=12)
    warehouse = WarehouseFactory(store=personas.store_a, code="shop", name="门店库")
    bin_ = BinFactory(warehouse=warehouse, code="S-01")
    stock_move_append(
        item=item, warehouse=warehouse, bin=bin_, quantity=1, kind="other_in", unit_cost="1000", serial="SN-0001"
    )
    return item, warehouse, bin_


def _sell(sold_phone, when):
    item, warehouse, bin_ = sold_phone
    with time_machine.travel(when, tick=False):
        stock_move_append(item=item, warehouse=warehouse, bin=bin_, quantity=-1, kind="issue", serial="SN-0001")


def _intake(personas, **overrides):
    values = {
        "store": personas.store_a,
        "user": personas.after_sales,
        "customer_mobile": "13812345678",
        "customer_name": "赵先生",
        "consent_given": True,
        "product": "手机",
        "model": "X1",
        "serial": "sn-0001",
        "accessories": "充电器, 数据线",
        "defects": "背壳划痕",
        "fault": "无法开机",
    }
    values.update(overrides)
    return repair_intake(**values)


def test_sold_eleven_months_ago_with_a_twelve_month_warranty_is_in_warranty(personas, sold_phone):
    _sell(sold_phone, dt.datetime(2025, 4, 10, 11, 0, tzinfo=SHANGHAI))
    with time_machine.travel(dt.datetime(2026, 3, 10, 11, 0, tzinfo=SHANGHAI), tick=False):
        ticket = _intake(personas)
        assert (ticket.sale_source, ticket.sale_date, ticket.warranty_months) == ("found", dt.date(2025, 4, 10), 12)
        assert ticket.in_warranty is True
        assert ticket.number.startswith("RT-2026-")
        assert Document.objects.filter(doc_type="RT", object_id=ticket.pk).exists()
        ticket = repair_send_to_vendor(
            ticket=ticket, user=personas.after_sales, vendor="X1 维修中心", promised_date=dt.date(2026, 3, 20)
        )
        # in warranty: no quote, repaired straight away
        with pytest.raises(TransitionConflict):
            repair_quote_record(ticket=ticket, user=personas.after_sales, diagnosis="主板", price="300")
        ticket = repair_start_warranty(ticket=ticket, user=personas.after_sales)
    assert ticket.state == "repairing"
    told = FollowUp.objects.get(plan="delivery.repair_customer")
    assert "2026-03-20" in told.title and timezone.localtime(told.due_at).date() == dt.date(2026, 3, 10)
    progress = FollowUp.objects.get(plan="delivery.repair_vendor")
    assert timezone.localtime(progress.due_at).strftime("%Y-%m-%d %H:%M") == "2026-03-19 10:00"


def test_sold_thirteen_months_ago_needs_a_quote_and_consent(personas, sold_phone):
    _sell(sold_phone, dt.datetime(2025, 2, 10, 11, 0, tzinfo=SHANGHAI))
    with time_machine.travel(dt.datetime(2026, 3, 10, 11, 0, tzinfo=SHANGHAI), tick=False):
        ticket = _intake(personas)
        assert ticket.in_warranty is False
        ticket = repair_send_to_vendor(
            ticket=ticket, user=personas.after_sales, vendor="X1 维修中心", promised_date=dt.date(2026, 3, 20)
        )
        with pytest.raises(TransitionConflict):
            repair_start_warranty(ticket=ticket, user=personas.after_sales)
        ticket = repair_quote_record(ticket=ticket, user=personas.after_sales, diagnosis="主板损坏", price="1,280.50")
        assert (ticket.state, ticket.price) == ("quoted", Decimal("1280.50"))
        # no repair without consent; the vendor cannot return it before the answer
        with pytest.raises(TransitionConflict):
            repair_receive_back(ticket=ticket, user=personas.after_sales, accessories_ok=True, serial_ok=True)
        ticket = repair_consent(ticket=ticket, user=personas.after_sales, agreed=True)
    assert ticket.state == "repairing"


def test_refused_consent_returns_the_product_unrepaired(personas):
    ticket = _intake(personas, serial="", declared_sale_date=None)
    assert (ticket.sale_source, ticket.in_warranty) == ("not_ours", False)
    ticket = repair_send_to_vendor(
        ticket=ticket, user=personas.after_sales, vendor="V", promised_date=timezone.localdate()
    )
    ticket = repair_quote_record(ticket=ticket, user=personas.after_sales, diagnosis="屏幕", price="500")
    ticket = repair_consent(ticket=ticket, user=personas.after_sales, agreed=False)
    assert ticket.state == "quoted"
    with pytest.raises(ValidationError):
        repair_receive_back(ticket=ticket, user=personas.after_sales, accessories_ok=False, serial_ok=True)
    ticket = repair_receive_back(ticket=ticket, user=personas.after_sales, accessories_ok=True, serial_ok=True)
    assert (ticket.state, ticket.repaired) == ("back", False)
    ticket = repair_make_ready(ticket=ticket, user=personas.after_sales)
    assert "unrepaired" in FollowUp.objects.filter(plan="delivery.repair_customer").last().title
    assert repair_collect(ticket=ticket, user=personas.after_sales).state == "collected"


def test_repair_desk_permissions(personas):
    with pytest.raises(PermissionDenied):
        _intake(personas, user=personas.consultant)
    ticket = _intake(personas)
    with pytest.raises(PermissionDenied):
        repair_send_to_vendor(
            ticket=ticket, user=personas.warehouse_keeper, vendor="V", promised_date=timezone.localdate()
        )


def test_a_ticket_untouched_for_seven_days_and_a_minute_is_escalated_once(personas):
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        ticket = _intake(personas)
        fresh = _intake(personas, serial="SN-2", customer_mobile="13900000000", customer_name="钱女士")
    # exactly seven days: not yet
    assert repairs_escalate(now=start + dt.timedelta(days=7)) == 0
    with time_machine.travel(start + dt.timedelta(days=6), tick=False):
        repair_send_to_vendor(ticket=fresh, user=personas.after_sales, vendor="V", promised_date=dt.date(2026, 3, 20))
    later = start + dt.timedelta(days=7, minutes=1)
    assert repairs_escalate(now=later) == 1
    assert repairs_escalate(now=later) == 0  # the task runs twice: escalated once
    assert repairs_escalate(now=later + dt.timedelta(hours=1)) == 0
    breach = RepairBreach.objects.get()
    assert (breach.ticket_id, breach.staff, breach.escalated_to) == (
        ticket.pk,
        personas.after_sales,
        personas.after_sales_manager,
    )
    assert Notification.objects.filter(user=personas.after_sales_manager, key__startswith="repair:").count() == 1
    # the ticket at the vendor is tracked against the vendor's date, never escalated by the 7-day rule
    assert not RepairBreach.objects.filter(ticket=fresh).exists()


def test_the_monthly_service_report_counts_tickets_breaches_fines_and_the_bonus(personas):
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        _intake(personas)
        _intake(
            personas, user=personas.counter_leader, serial="SN-9", customer_mobile="13900000001", customer_name="孙先生"
        )
    with time_machine.travel(start + dt.timedelta(days=8), tick=False):
        repairs_escalate()
        repair_finding_record(
            store=personas.store_a,
            user=personas.after_sales_manager,
            kind="unregistered",
            staff=personas.after_sales,
            note="柜台发现未登记维修机",
        )
        repair_finding_record(
            store=personas.store_a,
            user=personas.after_sales_manager,
            kind="complaint",
            staff=personas.counter_leader,
            note="客户投诉等待太久",
        )
    with pytest.raises(PermissionDenied):
        repair_finding_record(
            store=personas.store_a, user=personas.after_sales, kind="complaint", staff=personas.counter_leader, note="x"
        )
    report = repair_month_report(store_ids=[personas.store_a.pk], month=dt.date(2026, 3, 1))
    rows = {row["user"]: row for row in report["rows"]}
    mine = rows[personas.after_sales]
    assert (mine["handled"], mine["breaches"], mine["unregistered"], mine["fines"], mine["bonus"]) == (
        1,
        1,
        1,
        Decimal("20"),
        Decimal("50"),
    )
    leader = rows[personas.counter_leader]
    assert (leader["handled"], leader["breaches"], leader["fines"], leader["complaints"], leader["bonus"]) == (
        1,
        1,
        Decimal("10"),
        1,
        Decimal("0"),
    )
    assert report["faults"] == [{"product": "手机", "model": "X1", "n": 2}]
