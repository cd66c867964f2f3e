"""Demo data of the monthly stocktake (seeder ``warehouse_stocktake``, after ``warehouse_sales``):
store wh01's count warehouse (盘点演示仓, its own place so the freeze blocks no other demo flow)
with two areas, a stocktake frozen and in its first count, area A half counted. Idempotent."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from showroom.models import Store
from showroom.registry import register_seeder
from warehouse.models import Area, Bin, Item, StockMove, Warehouse


@transaction.atomic
def seed(*, stdout) -> None:
    from warehouse.services import stock_move_append
    from warehouse.services import stocktake as svc

    store = Store.objects.filter(code="wh01").first()
    if store is None or Warehouse.objects.filter(store=store, code="count").exists():
        stdout.write("  warehouse_stocktake: already seeded (or no store wh01)")
        return
    names = ["keeper", "wh_supervisor", "qc", "purchasing", "consultant"]
    u = {x.username: x for x in get_user_model().objects.filter(username__in=names)}
    items = list(Item.objects.filter(tracking=Item.Tracking.QUANTITY, is_active=True).order_by("code")[:6])
    if len(u) < len(names) or len(items) < 6:
        stdout.write("  warehouse_stocktake: demo users or items missing")
        return
    warehouse = Warehouse.objects.create(store=store, code="count", name="盘点演示仓")
    bins = []
    for code in ("A", "B"):
        area = Area.objects.create(warehouse=warehouse, code=code.lower(), name=f"{code} 区")
        bins += [Bin.objects.create(warehouse=warehouse, area=area, code=f"{code}-{n:02d}") for n in (1, 2, 3)]
    for n, item in enumerate(items):
        stock_move_append(
            item=item,
            warehouse=warehouse,
            bin=bins[n],
            quantity=Decimal(20 + 7 * n),
            kind=StockMove.Kind.OTHER_IN,
            user=u["keeper"],
            unit_cost=Decimal("12.50") + n,
            reason="期初库存",
        )
    today = timezone.localdate()
    s = svc.stocktake_plan(warehouse=warehouse, user=u["wh_supervisor"], month=today.replace(day=1), seed=20261230)
    s = svc.stocktake_freeze(stocktake=s, user=u["wh_supervisor"])
    svc.stocktake_area_set(
        stocktake=s,
        user=u["wh_supervisor"],
        name="A 区",
        bins=bins[:3],
        leader=u["keeper"],
        helpers=[u["qc"], u["purchasing"]],
    )
    svc.stocktake_area_set(
        stocktake=s,
        user=u["wh_supervisor"],
        name="B 区",
        bins=bins[3:],
        leader=u["qc"],
        helpers=[u["keeper"], u["purchasing"]],
    )
    svc.stocktake_recount_team_set(
        stocktake=s, user=u["wh_supervisor"], members=[u["keeper"], u["qc"], u["purchasing"], u["consultant"]]
    )
    s = svc.stocktake_count_start(stocktake=s, user=u["wh_supervisor"])
    for n, item in enumerate(items[:2]):
        svc.stocktake_count_record(
            stocktake=s, user=u["keeper"], bin=bins[n], item=item, quantity=Decimal(20 + 7 * n) - n
        )
    stdout.write(f"  warehouse_stocktake: {warehouse.name} in its first count ({s.month:%Y-%m})")


register_seeder("warehouse_stocktake", seed, depends_on=["warehouse_sales"])
