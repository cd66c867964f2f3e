"""Demo data of car sales (seeder ``quotes``, after ``leads`` and ``warehouse``): the warehouse's
twenty cars linked to the catalogue (trim × colour ↔ item by ``external_ref``), four accessory
packages (装潢) in stock beside the warehouse's service items, and in store car01 quotes in every
state (one discount waiting for the sales manager) and orders in every state — all made through
the services, so numbers, documents, reservations and the timeline are real."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from showroom.registry import register_seeder

ACCESSORIES = [  # code, name, price
    ("ACC-01", "装潢套餐 A：全包围脚垫 + 后备箱垫", "1688"),
    ("ACC-02", "装潢套餐 B：隔热膜（前挡 + 侧后挡）", "3980"),
    ("ACC-03", "装潢套餐 C：行车记录仪 + 安装", "1280"),
    ("ACC-04", "装潢套餐 D：底盘装甲 + 镀晶", "2580"),
]


def _link_cars(stdout) -> int:
    """Each trim × colour gets its warehouse item (``trim:<model> <trim>|colour:<paint code>``)."""
    from leads.models import TrimColour
    from warehouse.models import Item

    linked = 0
    for item in Item.objects.filter(external_ref__startswith="trim:"):
        trim_text, _sep, colour = item.external_ref.partition("|colour:")
        trim_text = trim_text.removeprefix("trim:")
        for tc in TrimColour.objects.select_related("trim__vehicle_model", "colour").filter(colour__code=colour):
            if f"{tc.trim.vehicle_model.name} {tc.trim.name}" == trim_text and tc.warehouse_item_id != item.pk:
                tc.warehouse_item_id = item.pk
                tc.save(update_fields=["warehouse_item_id"])
                linked += 1
    stdout.write(f"  quotes: {linked} trim × colour linked to warehouse items")
    return linked


def _accessories(keeper) -> None:
    from warehouse.models import Bin, Item, ItemCategory, Warehouse
    from warehouse.services import stock_move_append

    main = Warehouse.objects.filter(code="main").first()
    bin_ = Bin.objects.filter(warehouse=main).order_by("code").first() if main else None
    category, _created = ItemCategory.objects.get_or_create(code="accessory", defaults={"name": "装潢精品"})
    for code, name, price in ACCESSORIES:
        item, created = Item.objects.get_or_create(
            code=code,
            defaults={"name": name, "category": category, "tracking": "quantity", "list_price": Decimal(price)},
        )
        if created and main is not None:
            stock_move_append(
                item=item,
                warehouse=main,
                bin=bin_,
                quantity=20,
                kind="other_in",
                user=keeper,
                unit_cost=Decimal(price) * Decimal("0.6"),
            )


@transaction.atomic
def seed_quotes(*, stdout) -> None:
    from leads.models import Lead, Quote, TrimColour
    from leads.services import lead_create
    from leads.services.orders import (
        order_allocate,
        order_cancel,
        order_deposit_take,
        order_invoice,
        order_make_ready,
        order_pay,
    )
    from leads.services.quotes import (
        car_serials_in_stock,
        quote_accept,
        quote_create,
        quote_line_add,
        quote_reject,
        quote_revise,
        quote_send,
        quotes_expire,
    )
    from showroom.models import Store
    from showroom.services.customers import customer_create
    from warehouse.models import Item

    store = Store.objects.filter(code="car01").first()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["consultant", "keeper", "cashier", "finance", "sales_manager"]
        )
    }
    if store is None or "consultant" not in users:
        stdout.write("  quotes: no store car01 or consultant")
        return
    if Quote.objects.filter(store=store).exists():
        stdout.write("  quotes: already seeded")
        return
    _link_cars(stdout)
    _accessories(users.get("keeper"))
    consultant = users["consultant"]
    cars = list(
        TrimColour.objects.filter(warehouse_item_id__isnull=False).select_related("trim__vehicle_model").order_by("pk")
    )
    if not cars:
        stdout.write("  quotes: no car linked to the warehouse (seed the warehouse first)")
        return
    accessories = list(Item.objects.filter(code__in=[c for c, *_ in ACCESSORIES]))
    services = list(Item.objects.filter(tracking="service").order_by("code")[:4])
    rng = random.Random(10)
    names = [
        "陈志强",
        "刘芳",
        "黄海",
        "周杰",
        "吴静",
        "徐磊",
        "孙悦",
        "马超",
        "朱丽",
        "胡斌",
        "郭涛",
        "林娜",
        "何平",
        "高洁",
        "罗兰",
        "梁军",
        "宋雨",
        "谢飞",
        "韩梅",
        "唐宁",
        "冯雪",
    ]

    def new_lead(i: int) -> Lead:
        from showroom.demo import fake_mobile

        customer = customer_create(
            user=consultant, store=store, name=names[i], mobile=fake_mobile(rng), consent_given=True
        )
        car = cars[i % len(cars)]
        return lead_create(
            user=consultant, store=store, customer=customer, vehicle_model=car.trim.vehicle_model, trim=car.trim
        )

    def build(i: int, *, discount="0", send=True, vin=True, valid_until=None, car=None):
        lead = new_lead(i)
        car = car or cars[i % len(cars)]
        serials = car_serials_in_stock(trim_colour=car) if vin else []
        quote = quote_create(
            lead=lead,
            user=consultant,
            trim_colour=car,
            vin=serials[0].number if serials else "",
            discount=discount,
            valid_until=valid_until,
        )
        for item in accessories[: 1 + i % 2]:
            quote_line_add(quote=quote, user=consultant, kind="accessory", item=item)
        for kind, item in zip(("insurance", "warranty", "fee"), services, strict=False):
            quote_line_add(quote=quote, user=consultant, kind=kind, item=item)
        if send:
            quote = quote_send(quote=quote, user=consultant)
        return quote

    today = timezone.localdate()
    build(0, send=False)  # draft
    # the lowest consultant limit + 1,500 stays within the sales manager's default 5,000
    cheap = min(cars, key=lambda tc: tc.trim.vehicle_model.consultant_discount_limit)
    waiting = build(1, discount=str(cheap.trim.vehicle_model.consultant_discount_limit + 1500), car=cheap)
    stdout.write(f"  quotes: the discount of quote #{waiting.pk} waits for the sales manager")
    approved = build(12, discount=str(cheap.trim.vehicle_model.consultant_discount_limit + 800), car=cheap)
    from showroom.models import ApprovalRequest
    from showroom.services.approvals import approval_approve

    manager = users.get("sales_manager")
    request = ApprovalRequest.objects.filter(
        kind="leads.quote_discount", object_id=approved.pk, state="pending"
    ).first()
    if manager is not None and request is not None:
        approval_approve(request=request, user=manager, note="本月冲量，同意")  # approved, not sent yet
    build(2)  # sent
    quote_reject(quote=build(3), user=consultant, note="客户觉得价格偏高")
    build(4, valid_until=today)  # sent, expires with the next tick
    quotes_expire(store=store, today=today + dt.timedelta(days=1))
    revised = build(5)
    quote_revise(quote=revised, user=consultant)  # v1 replaced, v2 draft
    # orders in every state
    states = ["awaiting_deposit", "deposit_paid", "allocated", "invoiced", "paid", "ready", "cancelled"]
    for n, state in enumerate(states, start=13):
        quote = build(n, vin=False)
        order = quote_accept(quote=quote, user=consultant)
        if state == "awaiting_deposit":
            continue
        order_deposit_take(order=order, user=consultant, method=rng.choice(["cash", "card", "transfer"]))
        if state == "cancelled":
            order_cancel(order=order, user=consultant, reason="客户家庭原因放弃购车")
            continue
        if state == "deposit_paid":
            continue
        serials = car_serials_in_stock(trim_colour=quote.trim_colour)
        if not serials:
            continue
        order = order_allocate(order=order, user=consultant, vin=serials[0].number)
        if state == "allocated":
            continue
        order = order_invoice(
            order=order, user=users.get("finance") or consultant, invoice_number=f"FP{rng.randint(10**7, 10**8)}"
        )
        if state == "invoiced":
            continue
        order = order_pay(order=order, user=users.get("cashier") or consultant, method="transfer", amount=order.balance)
        if state == "paid":
            continue
        order_make_ready(order=order, user=consultant)
    stdout.write(f"  quotes: {Quote.objects.filter(store=store).count()} quotes and {len(states)} orders")


register_seeder("quotes", seed_quotes, depends_on=["leads", "warehouse"])
