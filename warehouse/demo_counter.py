"""Demo data of the counter shop (seeder ``warehouse_counter``, after ``warehouse``): store ct01
(数码之家门店) gets its counter (柜台) and stock room (门店仓库), phones by serial and accessories
in stock, the warehouse staff and a sales assistant as members, a day of receipts (picked, one
waiting to be picked, one cancelled), two questions waiting for a callback and one answered, and
a replenishment list sent and processed (a line with purchasing, one ordered with its date).
Everything goes through the services. Idempotent."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from showroom import roles as r
from showroom.models import Membership, Role, Store
from showroom.registry import register_seeder
from warehouse.models import Area, Bin, CounterReceipt, Item, ItemCategory, StockMove, Supplier, Warehouse

# code, name, specification, tracking, list price, reorder point, warranty months, counter stock
ITEMS = [
    ("HW-MATE60", "华为 Mate 60 Pro", "12GB+512GB 雅丹黑", "serial", "6999.00", "2", 12, 4),
    ("XM-14", "小米 14", "16GB+512GB 白色", "serial", "4599.00", "2", 12, 3),
    ("AP-AIRPODS3", "AirPods 第三代", "MagSafe 充电盒", "serial", "1399.00", "1", 12, 2),
    ("ACC-USBC-1M", "USB-C 数据线", "1 米 编织", "quantity", "39.90", "10", 0, 24),
    ("ACC-CHG-66W", "66W 快充充电器", "国标插头", "quantity", "199.00", "5", 6, 3),
    ("ACC-PB-10K", "充电宝", "10000mAh 22.5W", "quantity", "129.00", "4", 6, 6),
    ("ACC-CASE-M60", "Mate 60 Pro 手机壳", "素皮 黑色", "quantity", "59.00", "3", 0, 1),
    ("ACC-FILM", "钢化膜", "通用 6.7 英寸", "quantity", "29.00", "10", 0, 12),
]
STOCKROOM = {"ACC-CHG-66W": 10, "ACC-CASE-M60": 0, "ACC-FILM": 30}


def _users() -> dict:
    names = ["counter_leader", "cashier", "assistant", "keeper", "wh_supervisor", "purchasing", "gm"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _members(store: Store, users: dict) -> None:
    roles = {role.code: role for role in Role.objects.all()}
    for username, role in (
        ("assistant", r.SALES_ASSISTANT),
        ("keeper", r.WAREHOUSE_KEEPER),
        ("wh_supervisor", r.WAREHOUSE_SUPERVISOR),
        ("purchasing", r.PURCHASING),
    ):
        if username in users:
            Membership.objects.get_or_create(user=users[username], store=store, role=roles[role])


def _place(store: Store, code: str, name: str, bins: list[str]) -> tuple[Warehouse, list[Bin]]:
    warehouse, _created = Warehouse.objects.get_or_create(
        store=store, code=code, defaults={"name": name, "valuation": Warehouse.Valuation.MOVING}
    )
    area, _created = Area.objects.get_or_create(warehouse=warehouse, code="main", defaults={"name": "主区"})
    return warehouse, [Bin.objects.get_or_create(warehouse=warehouse, code=c, defaults={"area": area})[0] for c in bins]


@transaction.atomic
def seed(*, stdout) -> None:
    from warehouse import services as sv

    store = Store.objects.filter(code="ct01").first()
    if store is None:
        stdout.write("  warehouse_counter: no counter shop ct01")
        return
    if CounterReceipt.objects.filter(store=store).exists():
        stdout.write("  warehouse_counter: already seeded")
        return
    u = _users()
    if len(u) < 7:
        stdout.write("  warehouse_counter: demo users missing")
        return
    _members(store, u)
    leader, cashier, assistant, keeper, head, buyer = (
        u["counter_leader"],
        u["cashier"],
        u["assistant"],
        u["keeper"],
        u["wh_supervisor"],
        u["purchasing"],
    )
    counter, (shelf, _showcase) = _place(store, "counter", "柜台", ["G-01", "G-02"])
    stockroom, (room,) = _place(store, "stockroom", "门店仓库", ["R-01"])
    category, _created = ItemCategory.objects.get_or_create(code="digital", defaults={"name": "数码产品"})
    items, serials = {}, {}
    for code, name, spec, tracking, price, reorder, warranty, quantity in ITEMS:
        item = Item.objects.filter(code=code).first() or sv.item_create(
            user=head,
            store=store,
            code=code,
            name=name,
            specification=spec,
            tracking=tracking,
            category=category,
            list_price=price,
            reorder_point=reorder,
            warranty_months=warranty,
        )
        items[code] = item
        cost = (Decimal(price) * Decimal("0.7")).quantize(Decimal("0.01"))
        if tracking == "serial":
            serials[code] = []
            for n in range(1, quantity + 1):
                number = f"{code.split('-')[0]}{store.pk:02d}{n:04d}"
                sv.stock_move_append(
                    item=item,
                    warehouse=counter,
                    bin=shelf,
                    quantity=1,
                    kind=StockMove.Kind.OTHER_IN,
                    user=keeper,
                    serial=number,
                    unit_cost=cost,
                    source_label="期初",
                )
                serials[code].append(number)
        else:
            sv.stock_move_append(
                item=item,
                warehouse=counter,
                bin=shelf,
                quantity=quantity,
                kind=StockMove.Kind.OTHER_IN,
                user=keeper,
                unit_cost=cost,
                source_label="期初",
            )
            if STOCKROOM.get(code):
                sv.stock_move_append(
                    item=item,
                    warehouse=stockroom,
                    bin=room,
                    quantity=STOCKROOM[code],
                    kind=StockMove.Kind.OTHER_IN,
                    user=keeper,
                    unit_cost=cost,
                    source_label="期初",
                )

    def sell(lines, *, by, pick=True, **customer):
        receipt = sv.counter_receipt_create(
            user=by,
            warehouse=counter,
            lines=[{"item": items[code], "quantity": q, "serial": s} for code, q, s in lines],
            **customer,
        )
        if pick:
            sv.counter_receipt_pick(
                receipt=receipt,
                user=by if by != cashier else leader,
                picks=[
                    {"line": ln, "item": ln.item, "serial": ln.serial, "bin": shelf}
                    for ln in receipt.lines.select_related("item")
                ],
            )
        return receipt

    # A day at the counter.
    sell(
        [("HW-MATE60", 1, serials["HW-MATE60"][0]), ("ACC-CASE-M60", 1, ""), ("ACC-FILM", 1, "")],
        by=leader,
        payment_method="card",
        customer_name="陈志远",
        customer_company="天河科技有限公司",
        customer_address="广州市天河区体育西路 100 号",
        customer_contact="13800138001",
    )
    sell([("XM-14", 1, serials["XM-14"][0]), ("ACC-CHG-66W", 1, "")], by=assistant, customer_name="刘女士")
    sell([("ACC-USBC-1M", 3, ""), ("ACC-PB-10K", 1, "")], by=cashier, received="300.00")
    sell([("AP-AIRPODS3", 1, serials["AP-AIRPODS3"][0])], by=assistant, payment_method="transfer")
    sell([("ACC-CHG-66W", 1, "")], by=assistant, pick=False, customer_name="黄先生")
    cancelled = sell([("ACC-FILM", 2, "")], by=leader, pick=False)
    sv.counter_receipt_cancel(receipt=cancelled, user=leader, note="顾客改主意")
    # Questions the counter could not answer.
    for who, contact, product, question in (
        ("赵先生", "13900139001", "小米 14", "是否有 1TB 版本,何时到货?"),
        ("孙女士", "13900139002", "华为 Mate 60 Pro", "能否以旧换新,旧机估价多少?"),
        ("周先生", "13900139003", "充电宝", "能否带上飞机?"),
    ):
        sv.counter_question_record(
            user=assistant, store=store, question=question, customer_contact=contact, customer_name=who, product=product
        )
    from warehouse.models import CounterQuestion

    answered = CounterQuestion.objects.filter(store=store, customer_contact="13900139003").first()
    sv.counter_question_answer(question=answered, user=assistant, answer="20000mAh 以内可以随身携带,已电话告知")
    # Closing: the list goes to the warehouse supervisor, purchasing orders what the stock room lacks.
    rep = sv.counter_replenishment_confirm(user=leader, warehouse=counter)
    rep = sv.counter_replenishment_process(replenishment=rep, user=head)
    supplier, _created = Supplier.objects.get_or_create(code="gz-digital", defaults={"name": "广州数码批发"})
    line = rep.lines.filter(supply="purchasing").select_related("item").first()
    if line is not None:
        sv.counter_replenishment_order(
            line=line,
            user=buyer,
            supplier=supplier,
            unit_cost=(line.item.list_price * Decimal("0.7")).quantize(Decimal("0.01")),
            expected_on=timezone.localdate() + dt.timedelta(days=3),
        )
    stdout.write(f"  warehouse_counter: counter shop {store.code} with receipts, questions and a replenishment")


def seed_warehouse_counter(*, stdout) -> None:
    seed(stdout=stdout)


register_seeder("warehouse_counter", seed_warehouse_counter, depends_on=["warehouse"])
