"""The warehouse demo (see ``warehouse.demo``): store wh01's central warehouse (moving average)
and a second one (monthly average), 100 items — 8 car items (trim × colour) with 20 cars and
valid VINs, 12 other serial-tracked items, 60 by quantity, 12 by weight, 8 services — and orders,
receipts, transfers and other receipts in every state, all made through the services."""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from showroom.models import ApprovalRequest, Store
from warehouse.demo import vin_check_digit
from warehouse.models import Area, Bin, GoodsReceipt, Item, ItemCategory, Supplier, Warehouse
from warehouse.services import (
    goods_receipt_approve,
    goods_receipt_cancel,
    goods_receipt_create,
    goods_receipt_open_slip,
    other_receipt_approve,
    other_receipt_create,
    purchase_order_approve,
    purchase_order_cancel,
    purchase_order_create,
    purchase_request_create,
    receipt_line_inspect,
    stock_move_append,
    stock_reserve,
    transfer_create,
    transfer_dispatch,
    transfer_receive,
)

CARS = [  # (code, trim, colour, colour code, cost)
    ("GL8-LZ-HH-GAZ", "GL8 陆尊 653T 豪华型", "珍珠白", "GAZ", "298000"),
    ("GL8-LZ-HH-GB0", "GL8 陆尊 653T 豪华型", "碳晶黑", "GB0", "296000"),
    ("GL8-LZ-ZG-GWX", "GL8 陆尊 653T 尊贵型", "星辰蓝", "GWX", "334000"),
    ("GL8-AVY-GXD", "GL8 艾维亚 652T 尊享型", "铂金灰", "GXD", "415000"),
    ("JY-652T-HH-GAZ", "君越 652T 豪华型", "珍珠白", "GAZ", "208000"),
    ("JY-652T-ZG-GGE", "君越 652T 尊贵型", "琥珀金", "GGE", "235000"),
    ("YL-15-JY-GAZ", "英朗 1.5L CVT 精英型", "雪域白", "GAZ", "99000"),
    ("YL-15-HH-G7C", "英朗 1.5L CVT 豪华型", "金属红", "G7C", "108000"),
]
OTHER_SERIAL = [
    ("NAV-{n:02d}", "原厂导航主机 第{n}代", "piece", "3800"),
    ("DVR-{n:02d}", "行车记录仪 {n} 型", "piece", "980"),
    ("BAT-{n:02d}", "新能源动力电池模组 {n} 号", "set", "26000"),
]
PARTS = [
    "机油滤清器",
    "空气滤清器",
    "空调滤芯",
    "火花塞",
    "刹车片",
    "刹车盘",
    "雨刮片",
    "轮胎 225/55R17",
    "蓄电池",
    "大灯总成",
]
SPECS = ["GL8 适用", "君越适用", "英朗适用", "通用", "原厂", "高配"]
WEIGHT = [
    ("足金手镯", "g", "520"),
    ("足金吊坠", "g", "530"),
    ("玫瑰金项链", "g", "410"),
    ("机油 5W-30 散装", "kg", "38"),
]
SERVICES = ["上牌服务", "交强险代办", "商业险代办", "延保服务", "贴膜施工", "精品安装工时", "金融服务费", "临牌办理"]


def _vin(rng: random.Random) -> str:
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    body = "LSG" + "".join(rng.choice(alphabet) for _ in range(5)) + "0" + "N" + "E" + f"{rng.randint(0, 999999):06d}"
    return body[:8] + vin_check_digit(body) + body[9:]


def _users() -> dict:
    User = get_user_model()
    names = ["keeper", "wh_supervisor", "qc", "purchasing", "director", "consultant", "finance"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


@transaction.atomic
def seed(*, stdout) -> None:
    store = Store.objects.filter(code="wh01").first()
    if store is None or Warehouse.objects.filter(store=store, code="main").exists():
        stdout.write("  warehouse: already seeded (or no store wh01)")
        return
    users = _users()
    keeper, supervisor, qc, buyer = users["keeper"], users["wh_supervisor"], users["qc"], users["purchasing"]
    rng = random.Random(7)
    main = Warehouse.objects.create(store=store, code="main", name="华东中心仓", valuation=Warehouse.Valuation.MOVING)
    side = Warehouse.objects.create(store=store, code="side", name="周转仓", valuation=Warehouse.Valuation.MONTHLY)
    bins = {}
    for warehouse, areas in ((main, ("A", "B", "C")), (side, ("D",))):
        for code in areas:
            area = Area.objects.create(warehouse=warehouse, code=code.lower(), name=f"{code} 区")
            for n in range(1, 4):
                bins[f"{code}-{n:02d}"] = Bin.objects.create(warehouse=warehouse, area=area, code=f"{code}-{n:02d}")
    cats = {
        code: ItemCategory.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in (
            ("car", "整车"),
            ("device", "电子设备"),
            ("part", "配件"),
            ("metal", "贵金属与散装"),
            ("service", "服务"),
        )
    }
    items = []
    for code, trim, colour, colour_code, cost in CARS:
        items.append(
            Item(
                code=code,
                name=f"{trim} {colour}",
                specification=trim,
                category=cats["car"],
                unit="piece",
                tracking="serial",
                list_price=Decimal(cost) * Decimal("1.1"),
                warranty_months=36,
                external_ref=f"trim:{trim}|colour:{colour_code}",
            )
        )
    for pattern, name, unit, cost in OTHER_SERIAL:
        for n in range(1, 5):
            items.append(
                Item(
                    code=pattern.format(n=n),
                    name=name.format(n=n),
                    category=cats["device"],
                    unit=unit,
                    tracking="serial",
                    list_price=Decimal(cost) * Decimal("1.3"),
                    warranty_months=12,
                    fragile=True,
                )
            )
    for n in range(60):
        part = PARTS[n % len(PARTS)]
        items.append(
            Item(
                code=f"P{n + 1:04d}",
                name=part,
                specification=SPECS[n // len(PARTS)],
                category=cats["part"],
                unit="set" if part == "刹车片" else "piece",
                list_price=Decimal(rng.randint(30, 2000)),
                reorder_point=Decimal(rng.choice([5, 10, 20])),
                fragile=part in ("大灯总成",),
            )
        )
    for n in range(12):
        name, unit, price = WEIGHT[n % len(WEIGHT)]
        items.append(
            Item(
                code=f"W{n + 1:03d}",
                name=name,
                specification=f"批次 {n // len(WEIGHT) + 1}",
                category=cats["metal"],
                unit=unit,
                tracking="weight",
                list_price=Decimal(price),
            )
        )
    for n, name in enumerate(SERVICES):
        items.append(
            Item(
                code=f"S{n + 1:03d}",
                name=name,
                category=cats["service"],
                tracking="service",
                list_price=Decimal(rng.randint(200, 3000)),
            )
        )
    Item.objects.bulk_create(items)
    items = {i.code: i for i in Item.objects.filter(code__in=[i.code for i in items])}
    sgm, parts_co, gold_co = (
        Supplier.objects.get_or_create(code=c, defaults={"name": n})[0]
        for c, n in (
            ("sgm", "上汽通用汽车销售有限公司"),
            ("acdelco", "上海安吉配件有限公司"),
            ("goldco", "深圳金辉黄金珠宝有限公司"),
        )
    )

    def order(supplier, lines, *, approve=True):
        po = purchase_order_create(user=buyer, warehouse=main, supplier=supplier, lines=lines)
        return purchase_order_approve(order=po, user=supervisor) if approve else po

    def receive(po, lines, supplier, *, stage="posted", deliver_to=None, failures=None):
        receipt = goods_receipt_create(
            user=keeper,
            warehouse=main,
            bin=bins["A-01"],
            supplier=supplier,
            note_number=f"SH{rng.randint(100000, 999999)}",
            certificate=f"ZB-{rng.randint(1000, 9999)}",
            signed_by="送货员 张师傅",
            stamped=True,
            deliver_to=deliver_to,
            lines=[line | {"order_number": po.number} for line in lines],
        )
        if stage == "inspection":
            return receipt
        if stage == "cancelled":
            return goods_receipt_cancel(receipt=receipt, user=supervisor, note="送货单与实物不符，退回")
        for line in receipt.lines.select_related("item"):
            fail = (failures or {}).get(line.item.code)
            receipt_line_inspect(
                line=line,
                user=qc,
                packaging_damaged=bool(fail),
                sample_size=min(line.quantity, Decimal(3)),
                failed_quantity=fail if fail and not line.item.is_serial else 0,
                failed_serials=[line.serials[0]] if fail and line.item.is_serial else [],
                defects="外包装破损，开包逐件验收发现划伤" if fail else "",
            )
        if stage == "inspected":
            return receipt
        goods_receipt_open_slip(receipt=receipt, user=keeper)
        if stage == "slip_open":
            return receipt
        return goods_receipt_approve(receipt=receipt, user=supervisor)

    # Cars: one order of 20 (and 1 spare VIN that fails inspection), received and posted.
    vins = [_vin(rng) for _ in range(21)]
    car_lines = []
    per_item = [3, 3, 3, 2, 3, 2, 2, 2]
    cursor = 0
    for (code, trim, _colour, _cc, cost), count in zip(CARS, per_item, strict=True):
        car_lines.append({"item": items[code], "specification": trim, "quantity": count, "unit_cost": cost})
    cars_po = order(sgm, car_lines)
    note_lines = []
    for line in car_lines:
        count = line["quantity"] + (1 if line["item"].code == CARS[0][0] else 0)
        note_lines.append(
            {
                "item": line["item"],
                "specification": line["specification"],
                "quantity": count,
                "serials": vins[cursor : cursor + count],
            }
        )
        cursor += count
    # The first car line brings one more than ordered: an over-receipt waits for the director,
    # and the extra car failed inspection anyway (scratched).
    receive(cars_po, note_lines, sgm, failures={CARS[0][0]: 1})
    # Parts: approved and posted, with one line partly failed; another order only approved.
    part_codes = [f"P{n:04d}" for n in range(1, 61)]
    parts_po = order(
        parts_co,
        [
            {
                "item": items[c],
                "specification": items[c].specification,
                "quantity": rng.randint(10, 60),
                "unit_cost": items[c].list_price * Decimal("0.6"),
            }
            for c in part_codes[:40]
        ],
    )
    receive(
        parts_po,
        [{"item": ln.item, "specification": ln.specification, "quantity": ln.quantity} for ln in parts_po.lines.all()],
        parts_co,
        failures={"P0010": 2},
    )
    open_po = order(
        parts_co,
        [
            {"item": items[c], "specification": items[c].specification, "quantity": 20, "unit_cost": "25"}
            for c in part_codes[40:]
        ],
    )
    # Receipts of the open order in each waiting state, and one cancelled.
    for stage, codes in (
        ("inspection", part_codes[40:43]),
        ("inspected", part_codes[43:46]),
        ("slip_open", part_codes[46:49]),
        ("cancelled", part_codes[49:51]),
    ):
        receive(
            open_po,
            [{"item": items[c], "specification": items[c].specification, "quantity": 5} for c in codes],
            parts_co,
            stage=stage,
        )
    # Devices and gold by weight, posted; a draft and a cancelled order.
    device_po = order(
        parts_co,
        [
            {"item": items[c], "specification": "", "quantity": 2, "unit_cost": items[c].list_price / Decimal("1.3")}
            for c in ("NAV-01", "DVR-01", "DVR-02")
        ],
    )
    receive(
        device_po,
        [
            {"item": items[c], "specification": "", "quantity": 2, "serials": [f"SN{c}-{k:04d}" for k in (1, 2)]}
            for c in ("NAV-01", "DVR-01", "DVR-02")
        ],
        parts_co,
    )
    gold_po = order(
        gold_co,
        [
            {
                "item": items[f"W{n:03d}"],
                "specification": items[f"W{n:03d}"].specification,
                "quantity": "250.5",
                "unit_cost": "455",
            }
            for n in range(1, 4)
        ],
    )
    receive(
        gold_po,
        [
            {"item": items[f"W{n:03d}"], "specification": items[f"W{n:03d}"].specification, "quantity": "250.5"}
            for n in range(1, 4)
        ],
        gold_co,
    )
    order(gold_co, [{"item": items["W004"], "quantity": "100", "unit_cost": "36"}], approve=False)
    purchase_order_cancel(
        order=order(gold_co, [{"item": items["W005"], "quantity": "50", "unit_cost": "450"}], approve=False),
        user=buyer,
        note="供应商报价过高",
    )
    purchase_request_create(user=keeper, warehouse=main, item=items["P0005"], quantity=30, reason="shortfall")
    # Issues (moving average cost at each), a VIN reserved for a car order.
    for code in part_codes[:10]:
        stock_move_append(
            item=items[code],
            warehouse=main,
            bin=bins["A-01"],
            quantity=-3,
            kind="issue",
            user=keeper,
            source_label="销售出库 DEMO",
        )
    stock_reserve(
        item=items[CARS[1][0]],
        warehouse=main,
        serial=vins[4],
        user=users.get("consultant"),
        document_label="整车订单 DEMO-001",
    )
    # Transfers to the second warehouse: one received and numbered, one waiting to be signed.
    for n, sign in ((11, True), (12, False)):
        transfer = transfer_create(
            user=keeper,
            from_warehouse=main,
            to_warehouse=side,
            to_bin=bins["D-01"],
            lines=[{"item": items[f"P{n:04d}"], "from_bin": bins["A-01"], "quantity": 4}],
        )
        transfer_dispatch(transfer=transfer, user=keeper, confirmed=[4])
        if sign:
            transfer_receive(transfer=transfer, user=keeper, confirmed=[4])
    # Other receipts: a trade-in car waiting for the supervisor, a customer return approved.
    other_receipt_create(
        user=keeper,
        warehouse=main,
        bin=bins["C-01"],
        kind="trade_in",
        source_label="二手车评估单 PG-2026-0042",
        lines=[{"item": items[CARS[6][0]], "quantity": 1, "unit_cost": "52000", "serial_number": _vin(rng)}],
    )
    returned = other_receipt_create(
        user=keeper,
        warehouse=main,
        bin=bins["B-01"],
        kind="return",
        source_label="销售单退货 SS-DEMO-7",
        lines=[{"item": items["P0002"], "quantity": 1, "unit_cost": "40"}],
    )
    other_receipt_approve(receipt=returned, user=supervisor)
    waiting = ApprovalRequest.objects.filter(kind="warehouse.over_receipt", state="pending").count()
    stdout.write(
        f"  warehouse: {Item.objects.count()} items, 20 cars with VINs, "
        f"{GoodsReceipt.objects.filter(store=store).count()} receipts, {waiting} over-receipt waiting"
    )
