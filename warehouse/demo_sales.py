"""Demo data of selling from stock (seeder ``warehouse_sales``, after ``warehouse``): customer
accounts of store wh01, sales orders in every state (one with a short line and its purchase
request), slips waiting for credit (a customer short of balance), an outbound slip waiting for
signatures, a shipped one, a drop-ship sale. Everything goes through the services, so the
journal is what the flows post. Idempotent."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from showroom.models import Customer, Store
from showroom.registry import register_seeder
from warehouse.models import CustomerAccount, Item, PickLine, StockLevel, Supplier, Warehouse

CUSTOMERS = [
    ("+8613912340001", "张建国", "苏州恒通汽配有限公司"),
    ("+8613912340002", "李海燕", "无锡顺达贸易有限公司"),
    ("+8613912340003", "王志强", "常州远航物流有限公司"),
]


def _users() -> dict:
    names = ["sales_manager", "director", "keeper", "wh_supervisor", "finance", "qc"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


@transaction.atomic
def seed(*, stdout) -> None:
    from warehouse import services as sv

    store = Store.objects.filter(code="wh01").first()
    main = Warehouse.objects.filter(store=store, code="main").first() if store else None
    if main is None or CustomerAccount.objects.filter(store=store).exists():
        stdout.write("  warehouse_sales: already seeded (or no warehouse)")
        return
    u = _users()
    if len(u) < 6:
        stdout.write("  warehouse_sales: demo users missing")
        return
    seller, director, keeper, supervisor, finance = (
        u["sales_manager"],
        u["director"],
        u["keeper"],
        u["wh_supervisor"],
        u["finance"],
    )
    # The store's demo customers (the core seeds them) become the warehouse's company customers.
    existing = list(Customer.objects.filter(store=store).order_by("id")[: len(CUSTOMERS)])
    accounts = []
    for n, (mobile, name, company) in enumerate(CUSTOMERS):
        customer = existing[n] if n < len(existing) else None
        if customer is None:
            customer, _created = Customer.objects.get_or_create(
                store=store,
                mobile=mobile,
                defaults={"name": name, "consent_given": True, "consent_at": timezone.now(), "created_by": seller},
            )
        accounts.append(sv.account_open(user=seller, customer=customer, company=company))
    levels = list(
        StockLevel.objects.filter(warehouse=main, item__tracking=Item.Tracking.QUANTITY, quantity__gte=20)
        .select_related("item")
        .order_by("item__code")[:6]
    )
    if len(levels) < 4:
        stdout.write("  warehouse_sales: not enough stock to sell")
        return
    items = [lv.item for lv in levels]

    def order(account, lines, requirements=""):
        return sv.sales_order_create(
            user=seller,
            warehouse=main,
            account=account,
            channel="fax",
            freight="delivered",
            requirements=requirements,
            lines=[{"item": item, "quantity": q, "unit_price": None} for item, q in lines],
        )

    def to_slip(o):
        for line in o.lines.all():
            bins = main.bin_balances.filter(item=line.item, quantity__gt=0).order_by("-quantity")
            left = line.reserved_quantity
            for bb in bins:
                if left <= 0:
                    break
                take = min(left, bb.quantity)
                sv.pick_record(order=o, user=keeper, picks=[{"line": line, "bin": bb.bin, "quantity": take}])
                left -= take
        picks = PickLine.objects.filter(line__order=o)
        sv.box_pack(order=o, user=keeper, contents=[{"pick": p, "quantity": p.quantity} for p in picks])
        return sv.packing_close(order=o, user=supervisor)

    # waiting for the director
    order(accounts[0], [(items[0], 5), (items[1], 2)], "木箱包装，周五前送达")
    # approved with a short line: the rest reserved, the shortfall requested
    short = levels[2]
    sv.sales_order_approve(order=order(accounts[1], [(items[2], short.available + 10)]), user=director)
    # cancelled
    sv.sales_order_cancel(
        order=sv.sales_order_approve(order=order(accounts[2], [(items[3], 1)]), user=director), user=director
    )
    # shipped: paid in, approved, signed by all three
    shipped = to_slip(sv.sales_order_approve(order=order(accounts[0], [(items[0], 3)]), user=director))
    sv.payment_record(user=finance, account=accounts[0], amount=shipped.total + Decimal("500.00"), method="transfer")
    outbound = sv.slip_approve(slip=shipped, user=director).outbound
    sv.outbound_sign(outbound=outbound, user=keeper, role="keeper")
    sv.outbound_sign(outbound=outbound, user=supervisor, role="supervisor")
    sv.outbound_sign(outbound=outbound, user=keeper, role="customer", name="张建国")
    # approved, outbound slip waiting for the supervisor and the customer
    open_slip = to_slip(sv.sales_order_approve(order=order(accounts[2], [(items[1], 2)]), user=director))
    sv.payment_record(user=finance, account=accounts[2], amount=open_slip.total, method="cash")
    sv.outbound_sign(outbound=sv.slip_approve(slip=open_slip, user=director).outbound, user=keeper, role="keeper")
    # a customer short of balance: the slip waits for credit
    waiting = to_slip(sv.sales_order_approve(order=order(accounts[1], [(items[3], 4)]), user=director))
    sv.payment_record(
        user=finance, account=accounts[1], amount=(waiting.total / 2).quantize(Decimal("0.01")), method="card"
    )
    # a drop-ship sale with its order, invoiced both ways
    supplier = Supplier.objects.order_by("id").first()
    if supplier is not None:
        sale = sv.dropship_create(
            user=seller,
            account=accounts[2],
            supplier=supplier,
            lines=[
                {
                    "item": items[4],
                    "quantity": Decimal("10"),
                    "unit_price": Decimal("113.00"),
                    "unit_cost": Decimal("79.10"),
                }
            ],
        )
        sv.dropship_approve(sale=sale, user=director)
        sv.dropship_invoice(sale=sale, user=finance)
        sv.dropship_purchase_invoice(sale=sale, user=finance, supplier_number="FP-2024-0088")
    stdout.write("  warehouse_sales: accounts, orders, slips, outbound, drop-ship")


def seed_warehouse_sales(*, stdout) -> None:
    seed(stdout=stdout)


register_seeder("warehouse_sales", seed_warehouse_sales, depends_on=["warehouse"])
