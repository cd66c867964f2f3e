"""Demo data of the steel desk (seeder ``warehouse_spot``, after ``warehouse_sales``): three steel
specifications in tonnes with stock in store wh01's main warehouse, the price list and the
discount-rate table, a customer class per account, and sheets at several steps — one still being
negotiated, one waiting to be weighed, one paid and waiting for finance's check, one released.
Everything goes through the services. Idempotent."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from showroom.models import Store
from showroom.registry import register_seeder
from warehouse.models import CustomerAccount, Item, ItemCategory, SpotPrice, StockMove, Warehouse

# code, name, specification, list price per tonne, purchase cost per tonne, tonnes in stock
STEEL = [
    ("HRB400-12", "螺纹钢", "HRB400 Φ12", "4000.00", "3600", "60"),
    ("L50X5", "角钢", "50×50×5", "3900.00", "3500", "40"),
    ("Q235-10", "中板", "Q235 10mm", "4200.00", "3800", "30"),
]
RATES = {"standard": "0.98", "regular": "0.97", "wholesale": "0.95"}


@transaction.atomic
def seed(*, stdout) -> None:
    from warehouse import services as sv

    store = Store.objects.filter(code="wh01").first()
    main = Warehouse.objects.filter(store=store, code="main").first() if store else None
    if main is None or SpotPrice.objects.filter(store=store).exists():
        stdout.write("  warehouse_spot: already seeded (or no warehouse)")
        return
    names = ["sales_manager", "keeper", "finance"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
    accounts = list(CustomerAccount.objects.filter(store=store).order_by("id")[:3])
    if len(users) < 3 or len(accounts) < 3:
        stdout.write("  warehouse_spot: demo users or accounts missing")
        return
    manager, keeper, finance = users["sales_manager"], users["keeper"], users["finance"]
    category, _created = ItemCategory.objects.get_or_create(code="steel", defaults={"name": "钢材"})
    bin = main.bins.order_by("code").first()
    items = []
    for code, name, spec, price, cost, tonnes in STEEL:
        item, _created = Item.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "specification": spec,
                "category": category,
                "unit": Item.Unit.TONNE,
                "tracking": Item.Tracking.WEIGHT,
                "list_price": Decimal(price),
            },
        )
        sv.stock_move_append(
            item=item,
            warehouse=main,
            bin=bin,
            quantity=Decimal(tonnes),
            kind=StockMove.Kind.OTHER_IN,
            user=keeper,
            unit_cost=cost,
            source_label="期初",
        )
        sv.spot_price_set(user=manager, store=store, item=item, unit_price=price)
        for customer_class, rate in RATES.items():
            sv.spot_rate_set(user=manager, store=store, item=item, customer_class=customer_class, rate=rate)
        items.append(item)
    for account, customer_class in zip(accounts, ["standard", "regular", "wholesale"], strict=True):
        sv.spot_customer_class_set(user=manager, account=account, customer_class=customer_class)

    def sheet(account, lines, requirements):
        return sv.spot_sheet_create(
            user=manager,
            warehouse=main,
            account=account,
            freight="collect",
            freight_cost="300.00",
            requirements=requirements,
            lines=[{"item": item, "quantity": q} for item, q in lines],
        )

    def weigh(s):
        return sv.spot_sheet_weigh(
            sheet=s,
            user=keeper,
            weights=[
                {"line": ln, "bin": bin, "gross": ln.quantity + Decimal("15.250"), "tare": "15.000"}
                for ln in s.lines.order_by("id")
            ],
        )

    def paid(s):
        s = sv.spot_notice_send(sheet=s, user=manager, company_account="工行苏州分行 1102 0200 0900 8888")
        return sv.spot_payment_record(sheet=s, user=finance, amount=str(s.total), reference="电汇")

    sheet(accounts[0], [(items[0], "5")], "定尺 9 米, 要求无锈")
    waiting = sheet(accounts[1], [(items[1], "3"), (items[2], "2")], "送货到工地")
    sv.spot_sheet_approve(sheet=sv.spot_sheet_issue(sheet=waiting, user=manager), user=manager)
    to_check = sheet(accounts[2], [(items[0], "8")], "分两车提货")
    to_check = paid(weigh(sv.spot_sheet_approve(sheet=sv.spot_sheet_issue(sheet=to_check, user=manager), user=manager)))
    done = sheet(accounts[0], [(items[2], "4")], "")
    done = paid(weigh(sv.spot_sheet_approve(sheet=sv.spot_sheet_issue(sheet=done, user=manager), user=manager)))
    done = sv.spot_sheet_verify(sheet=done, user=finance, checked_total=str(done.total))
    sv.spot_sheet_release(sheet=sv.spot_sheet_sign(sheet=done, user=manager), user=keeper)
    stdout.write("  warehouse_spot: steel price list, 4 spot sheets (negotiating, approved, paid, released)")


register_seeder("warehouse_spot", seed, depends_on=["warehouse_sales"])
