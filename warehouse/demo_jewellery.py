"""Demo data of the jewellery counter day (seeder ``jewellery``, after ``core``): store jw01's
counter with five trays (four on the 千足金 island, one at the 万足金 counter), yesterday closed,
today opened after a matching count, a sale with its tray confirmed, the roster, clock-ins and
grooming scores. Everything goes through the services. Idempotent."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from showroom.models import ChecklistItem, Store
from warehouse.models import Counter, Station

TRAYS = [
    ("Q-01", "戒指", Station.QIANZU_ISLAND, 40, "152.380"),
    ("Q-02", "项链", Station.QIANZU_ISLAND, 25, "486.150"),
    ("Q-03", "手镯", Station.QIANZU_ISLAND, 12, "398.600"),
    ("Q-04", "吊坠", Station.QIANZU_ISLAND, 30, "96.450"),
    ("W-01", "金条", Station.WANZU_COUNTER, 10, "1000.000"),
]


def _counts(trays) -> list[dict]:
    return [{"tray": t, "pieces": t.pieces, "weight": t.weight} for t in trays]


@transaction.atomic
def seed(*, stdout) -> None:
    from warehouse.services import jewellery as jw
    from warehouse.services import jewellery_staff as staff

    store = Store.objects.filter(code="jw01").first()
    if store is None or Counter.objects.filter(store=store).exists():
        stdout.write("  jewellery: already seeded (or no jewellery store)")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["consultant", "counter_leader", "showroom_manager"])
    }
    if len(users) < 3:
        stdout.write("  jewellery: demo users missing")
        return
    seller, leader, manager = users["consultant"], users["counter_leader"], users["showroom_manager"]
    counter = jw.counter_create(user=leader, store=store, name="一号柜")
    trays = [
        jw.tray_create(user=leader, counter=counter, code=c, category=cat, station=st, pieces=n, weight=w)
        for c, cat, st, n, w in TRAYS
    ]
    checklist = list(ChecklistItem.objects.filter(template__code=jw.OPENING_CHECKLIST).values_list("pk", flat=True))
    today = timezone.localdate()
    yesterday = jw.counter_day_start(user=seller, counter=counter, date=today - dt.timedelta(days=1))
    jw.counter_opening_record(
        day=yesterday, user=seller, counts=_counts(trays), safe_empty=True, safe_closed=True, checklist=checklist
    )
    jw.counter_day_open(day=yesterday, user=seller)
    jw.counter_closing_record(day=yesterday, user=seller, counts=_counts(trays))
    jw.counter_day_close(day=yesterday, user=seller)
    day = jw.counter_day_start(user=seller, counter=counter, date=today)
    jw.counter_opening_record(
        day=day, user=seller, counts=_counts(trays), safe_empty=True, safe_closed=True, checklist=checklist
    )
    jw.counter_day_open(day=day, user=seller)
    jw.counter_roster_set(
        day=day,
        user=leader,
        entries=[
            {"user": seller, "station": Station.QIANZU_ISLAND},
            {"user": leader, "station": Station.QIANZU_ISLAND},
            {"user": manager, "station": Station.WANZU_COUNTER},
        ],
    )
    customer = staff.trade_customer_register(
        user=seller,
        store=store,
        company="金陵福珠宝行",
        contact="周文",
        mobile="13951230001",
        id_number="11010519491231002X",
        address="南京市秦淮区太平南路 18 号",
        licence_number="91320104MA1MXXXX01",
    )
    ring = trays[0]
    sale = jw.counter_sale_record(
        day=day,
        user=seller,
        tray=ring,
        pieces=2,
        weight=Decimal("7.620"),
        price="4980.00",
        special_requests="内圈刻字「永结同心」",
        customer=customer,
    )
    jw.counter_sale_confirm(sale=sale, user=seller, pieces=38, weight="144.760")
    for person in (seller, leader):
        staff.attendance_clock_in(user=person, store=store)
    items = list(ChecklistItem.objects.filter(template__code=staff.GROOMING_CHECKLIST).values_list("pk", flat=True))
    for offset, passed in ((1, items), (0, items[:6])):
        staff.grooming_score_record(
            user=manager, store=store, person=seller, passed_items=passed, date=today - dt.timedelta(days=offset)
        )
    stdout.write("  jewellery: counter 一号柜 with 5 trays, yesterday closed, today open with a sale")
