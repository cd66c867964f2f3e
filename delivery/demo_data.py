"""Demo data of the delivery app: in store car01 deliveries in every state (new ready orders built
through the leads services, the signal opening each delivery), owners whose care calls are due
today; in store ct01 repair tickets in every state, one sitting past the 7-day rule.

Calls due "today" and the ticket past seven days are dated back by a direct update after the
services created them (demo data only: the services never write the past).
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

DELIVERY_STATES = [
    "scheduled",
    "prepared",
    "arrived",
    "handed_over",
    "completed",
    "completed",
    "rescheduled",
    "cancelled",
]
NAMES = ["赵明", "钱丽", "孙强", "李娜", "周涛", "吴敏", "郑伟", "王芳"]


def _answer_all(delivery, user, code, phases=None):
    from showroom.models import ChecklistItem
    from showroom.services.checklists import checklist_answer, checklist_run_start

    run = checklist_run_start(template_code=code, target=delivery, user=user)
    for item in ChecklistItem.objects.filter(template__code=code).order_by("order"):
        if phases is not None and item.phase not in phases:
            continue
        if item.kind == "tick":
            checklist_answer(run=run, item=item, user=user, ticked=True)
        elif item.kind == "number":
            checklist_answer(run=run, item=item, user=user, number="0.5")
        elif item.kind == "choice":
            checklist_answer(run=run, item=item, user=user, choice=item.choices[0]["value"])
        # the signature photo is left to the demo user: the handover of the "arrived" car waits for it


def _ready_orders(store, users, count, stdout) -> list:
    from leads.models import TrimColour
    from leads.services import lead_create
    from leads.services.orders import order_allocate, order_deposit_take, order_invoice, order_make_ready, order_pay
    from leads.services.quotes import car_serials_in_stock, quote_accept, quote_create, quote_send
    from showroom.demo import fake_mobile
    from showroom.services.customers import customer_create

    consultant = users["consultant"]
    rng = random.Random(11)
    orders = []
    cars = list(TrimColour.objects.filter(warehouse_item_id__isnull=False).order_by("pk"))
    for i in range(count):
        car = next((c for c in cars[i % len(cars) :] + cars if car_serials_in_stock(trim_colour=c)), None)
        if car is None:
            stdout.write("  delivery: no more cars in stock")
            break
        customer = customer_create(
            user=consultant, store=store, name=NAMES[i % len(NAMES)], mobile=fake_mobile(rng), consent_given=True
        )
        lead = lead_create(user=consultant, store=store, customer=customer, vehicle_model=car.trim.vehicle_model)
        quote = quote_send(quote=quote_create(lead=lead, user=consultant, trim_colour=car), user=consultant)
        order = quote_accept(quote=quote, user=consultant)
        order_deposit_take(order=order, user=consultant, method="transfer")
        order = order_allocate(order=order, user=consultant, vin=car_serials_in_stock(trim_colour=car)[0].number)
        order = order_invoice(order=order, user=users.get("finance") or consultant, invoice_number=f"FP9{i:07d}")
        order = order_pay(order=order, user=users.get("cashier") or consultant, method="transfer", amount=order.balance)
        orders.append(order_make_ready(order=order, user=consultant))
    return orders


def _deliveries(store, users, stdout) -> None:
    from delivery.models import Delivery
    from delivery.services import (
        delivery_arrive,
        delivery_cancel,
        delivery_complete,
        delivery_hand_over,
        delivery_prepare,
        delivery_reschedule,
        delivery_schedule,
    )
    from showroom.models import FollowUp

    consultant = users["consultant"]
    now = timezone.now()
    for n, (order, state) in enumerate(
        zip(_ready_orders(store, users, len(DELIVERY_STATES), stdout), DELIVERY_STATES, strict=False)
    ):
        delivery = Delivery.objects.get(order=order)
        at = (now + dt.timedelta(days=1 + n % 4)).replace(hour=10 + n % 6, minute=0, second=0, microsecond=0)
        delivery = delivery_schedule(delivery=delivery, user=consultant, at=at, bay=f"交车区 {1 + n % 2}")
        if state == "rescheduled":
            delivery_reschedule(delivery=delivery, user=consultant, note="客户临时出差，改期再约")
            continue
        if state == "cancelled":
            delivery_cancel(delivery=delivery, user=consultant, reason="客户贷款未批，暂缓提车")
            continue
        if state == "scheduled":
            continue
        _answer_all(delivery, consultant, "delivery.pre_delivery")
        delivery = delivery_prepare(delivery=delivery, user=consultant)
        if state == "prepared":
            continue
        delivery = delivery_arrive(delivery=delivery, user=consultant)
        if state == "arrived":
            _answer_all(delivery, consultant, "delivery.handover", phases=("before",))
            continue
        from delivery.demo_signature import signature_upload
        from showroom.models import ChecklistItem
        from showroom.services.checklists import checklist_answer, checklist_run_start

        _answer_all(delivery, consultant, "delivery.handover", phases=("before", "at"))
        run = checklist_run_start(template_code="delivery.handover", target=delivery, user=consultant)
        for item in ChecklistItem.objects.filter(template__code="delivery.handover", kind="signature"):
            checklist_answer(run=run, item=item, user=consultant, file=signature_upload())
        delivery = delivery_hand_over(
            delivery=delivery,
            user=consultant,
            signed_name=delivery.customer.name,
            arrival_minutes=45,
            destination="家",
            satisfaction=5,
            survey_note="交车仪式很满意",
        )
        if state == "completed":
            delivery = delivery_complete(delivery=delivery, user=consultant)
            # demo only: the owner's first care call is due today
            ct = ContentType.objects.get_for_model(Delivery)
            first = (
                FollowUp.objects.filter(content_type=ct, object_id=delivery.pk, plan="delivery.care")
                .order_by("due_at")
                .first()
            )
            FollowUp.objects.filter(pk=first.pk).update(due_at=now.replace(hour=10, minute=0, second=0, microsecond=0))
    stdout.write(f"  delivery: {Delivery.objects.filter(store=store).count()} deliveries")


def _repairs(store, users, stdout) -> None:
    from delivery.models import RepairTicket
    from delivery.services import (
        repair_collect,
        repair_consent,
        repair_intake,
        repair_make_ready,
        repair_quote_record,
        repair_receive_back,
        repair_send_to_vendor,
        repair_start_warranty,
    )
    from showroom.demo import fake_mobile

    staff = users.get("after_sales")
    if staff is None:
        return
    rng = random.Random(12)
    today = timezone.localdate()
    rows = [
        ("received", "蓝牙耳机", "BT-200", "充电盒", "左耳无声"),
        ("received", "手机", "X1 Pro", "充电器,数据线", "无法开机"),  # the one past 7 days
        ("at_vendor", "平板电脑", "T10", "保护套", "屏幕闪烁"),
        ("quoted", "智能手表", "W3", "表带", "进水"),
        ("repairing", "手机", "X1", "", "摄像头模糊"),
        ("back", "音箱", "S5", "电源线", "有杂音"),
        ("ready", "手机", "X1", "充电器", "电池鼓包"),
        ("collected", "耳机", "BT-100", "", "充电失灵"),
    ]
    for n, (state, product, model, accessories, fault) in enumerate(rows):
        ticket = repair_intake(
            store=store,
            user=staff,
            customer_mobile=fake_mobile(rng),
            customer_name=f"顾客{n + 1}",
            consent_given=True,
            product=product,
            model=model,
            serial=f"SN{rng.randint(10**6, 10**7)}",
            accessories=accessories,
            fault=fault,
            defects="外壳轻微划痕" if n % 2 else "",
            declared_sale_date=today - dt.timedelta(days=90 if n % 3 else 500),
            declared_warranty_months=12,
        )
        if state == "received":
            if n == 1:
                RepairTicket.objects.filter(pk=ticket.pk).update(state_since=timezone.now() - dt.timedelta(days=8))
            continue
        ticket = repair_send_to_vendor(
            ticket=ticket, user=staff, vendor="华南售后服务中心", promised_date=today + dt.timedelta(days=7)
        )
        if state == "at_vendor":
            continue
        if ticket.in_warranty:
            ticket = repair_start_warranty(ticket=ticket, user=staff)
        else:
            ticket = repair_quote_record(ticket=ticket, user=staff, diagnosis="主板受潮", price="380")
            if state == "quoted":
                continue
            ticket = repair_consent(ticket=ticket, user=staff, agreed=True)
        if state == "repairing":
            continue
        ticket = repair_receive_back(ticket=ticket, user=staff, accessories_ok=True, serial_ok=True)
        if state == "back":
            continue
        ticket = repair_make_ready(ticket=ticket, user=staff, warranty_after_days=90)
        if state == "ready":
            continue
        repair_collect(ticket=ticket, user=staff)
    from delivery.services import repairs_escalate

    stdout.write(f"  delivery: {len(rows)} repair tickets, {repairs_escalate()} past the 7-day rule escalated")


def seed(*, stdout) -> None:
    from delivery.models import Delivery, RepairTicket
    from showroom.models import Store

    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["consultant", "finance", "cashier", "after_sales", "after_sales_manager"]
        )
    }
    car = Store.objects.filter(code="car01").first()
    counter = Store.objects.filter(code="ct01").first()
    if (
        car is not None
        and "consultant" in users
        and not Delivery.objects.filter(store=car).exclude(state="to_schedule").exists()
    ):
        _deliveries(car, users, stdout)
    if counter is not None and not RepairTicket.objects.filter(store=counter).exists():
        _repairs(counter, users, stdout)
