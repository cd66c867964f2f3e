"""Stores, staff, customers, leads, their follow-ups and test drives, set-based."""

import datetime as dt
import random
from contextlib import nullcontext

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from showroom import roles as r
from showroom.demo import fake_mobiles, fake_name
from showroom.models import Customer, FollowUp, Membership, Role, Store

from .sizes import Size
from .sql import app_models, copy_rows, indexes_rebuilt, insert_select

PASSWORD = "showroom-scale"
STORES = [
    ("scale-car1", "星河汽车一店", Store.Kind.CAR_SHOWROOM),
    ("scale-car2", "星河汽车二店", Store.Kind.CAR_SHOWROOM),
    ("scale-jw1", "金禧珠宝专柜", Store.Kind.JEWELLERY_COUNTER),
    ("scale-prop1", "锦绣江南售楼处", Store.Kind.PROPERTY_SITE),
    ("scale-wh1", "华东中心仓", Store.Kind.WAREHOUSE),
]
LEAD_STORES = ("scale-car1", "scale-car2", "scale-jw1")
# The users the benchmarks log in as: username, role, store code.
NAMED = [
    ("scale_manager", r.SHOWROOM_MANAGER, "scale-car1"),
    ("scale_consultant", r.CONSULTANT, "scale-car1"),
    ("scale_desk", r.RECEPTIONIST, "scale-car1"),
    ("scale_property", r.CONSULTANT, "scale-prop1"),
    ("scale_property_manager", r.SALES_MANAGER, "scale-prop1"),
    ("scale_keeper", r.WAREHOUSE_KEEPER, "scale-wh1"),
]
# Lead states with their share in percent: the open ones first (one open lead per customer).
LEAD_STATES = [
    ("new", 10),
    ("contacted", 15),
    ("visited", 10),
    ("test_driven", 8),
    ("negotiating", 7),
    ("won", 15),
    ("lost", 20),
    ("dormant", 15),
]
THREE_YEARS_MINUTES = 3 * 365 * 24 * 60


def _ids(values) -> str:
    """An inline ``bigint[]`` literal of ids (integers only: nothing from outside reaches SQL)."""
    return "ARRAY[" + ",".join(str(int(v)) for v in values) + "]::bigint[]"


def _texts(values) -> str:
    for v in values:
        assert v.replace("_", "").isalnum(), v
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def _case_by_share(expr: str, shares: list[tuple[str, int]]) -> str:
    parts, edge = [], 0
    for value, share in shares[:-1]:
        edge += share
        parts.append(f"WHEN {expr} < {edge} THEN '{value}'")
    return f"CASE {' '.join(parts)} ELSE '{shares[-1][0]}' END"


def stores_seed() -> dict[str, Store]:
    stores = {}
    for code, name, kind in STORES:
        stores[code], _ = Store.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    return stores


def staff_seed(*, size: Size, stores: dict[str, Store]) -> dict:
    """The named users plus ``size.staff`` in all: consultants spread over the selling stores, every
    tenth a receptionist. Returns {"named": {username: user}, "consultants": {store_code: [ids]}}."""
    User = get_user_model()
    roles = {role.code: role for role in Role.objects.all()}
    password = make_password(PASSWORD)
    rng = random.Random(16)
    selling = [*LEAD_STORES, "scale-prop1"]
    plan = [(u, role, code) for u, role, code in NAMED]
    for i in range(max(0, size.staff - len(NAMED))):
        plan.append((f"staff{i:04d}", r.RECEPTIONIST if i % 10 == 9 else r.CONSULTANT, selling[i % len(selling)]))
    User.objects.bulk_create(
        [User(username=u, first_name=fake_name(rng), password=password) for u, _, _ in plan],
        batch_size=1000,
        ignore_conflicts=True,
    )
    users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in plan])}
    Membership.objects.bulk_create(
        [Membership(user=users[u], store=stores[code], role=roles[role]) for u, role, code in plan],
        batch_size=1000,
        ignore_conflicts=True,
    )
    consultants: dict[str, list[int]] = {code: [] for code in selling}
    for u, role, code in plan:
        if role == r.CONSULTANT:
            consultants[code].append(users[u].pk)
    return {"named": {u: users[u] for u, _, _ in NAMED}, "consultants": consultants, "count": len(plan)}


def customers_copy(
    *, stores: list[Store], count: int, seed: int, created_by: int | None = None, bulk: bool = True
) -> int:
    """``count`` customers spread round-robin over ``stores``, unique E.164 mobiles, consented, created
    at times spread over three years. ``bulk`` builds the table's plain indexes again after the rows
    (for many rows; a few hundred into a big table are cheaper kept up to date)."""
    rng = random.Random(seed)
    now = timezone.now()
    fields = [
        "store_id",
        "name",
        "mobile",
        "gender",
        "source",
        "consent_given",
        "consent_at",
        "created_by_id",
        "last_contact_at",
        "created_at",
        "updated_at",
    ]
    sources = [s for s, _ in Customer.Source.choices]

    def rows():
        for i, mobile in enumerate(fake_mobiles(rng, count)):
            created = (now - dt.timedelta(minutes=rng.randrange(THREE_YEARS_MINUTES))).isoformat()
            yield (
                stores[i % len(stores)].pk,
                fake_name(rng),
                mobile,
                "FM"[i % 2],
                sources[i % len(sources)],
                "t",
                created,
                created_by,
                created,
                created,
                created,
            )

    # three trigram GIN indexes among them: built once after the rows, not row by row
    with indexes_rebuilt(Customer._meta.db_table) if bulk else nullcontext():
        return copy_rows(Customer, fields, rows())


def leads_insert(*, size: Size, stores: dict[str, Store], consultants: dict[str, list[int]], models: list[int]) -> int:
    """``size.leads`` leads over the selling stores' customers: the first lead of each customer in
    any state, a customer's later leads closed (won, lost or dormant), so one open lead per customer."""
    Lead, LeadSettings = app_models("leads", "Lead", "LeadSettings")

    with indexes_rebuilt(Lead._meta.db_table):  # fifteen of them: once after the three stores' inserts
        return sum(
            _leads_store_insert(Lead, LeadSettings, n, code, size, stores, consultants, models)
            for n, code in enumerate(LEAD_STORES)
        )


def _leads_store_insert(Lead, LeadSettings, n: int, code: str, size: Size, stores, consultants, models) -> int:
    """One selling store's share of the leads (the first store takes the remainder)."""
    per_store = size.leads // len(LEAD_STORES)
    store = stores[code]
    count = per_store + (size.leads - per_store * len(LEAD_STORES) if n == 0 else 0)
    customers = Customer.objects.filter(store=store).count()
    staff = consultants[code]
    is_car = store.kind == Store.Kind.CAR_SHOWROOM
    share = "mod(g * 7919 + 13, 100)"
    state = (
        f"CASE WHEN g >= {customers} THEN (ARRAY['won','lost','dormant'])[1 + mod(g, 3)] "
        f"ELSE {_case_by_share(share, LEAD_STATES)} END"
    )
    created = f"(now() - mod(g * 7919, {THREE_YEARS_MINUTES}) * interval '1 minute')"
    contacted = f"least(now(), {created} + interval '2 days')"
    if is_car:
        # As the daily tick (leads_dormant_tick, car showrooms) would have left them: an open lead
        # without contact for the store's dormancy days is dormant. Without it a store held
        # every open lead of three years (83,000 at large) and the dashboard counted them all.
        days = int(LeadSettings.DEFAULT_DORMANT_AFTER_DAYS)
        state = (
            f"CASE WHEN ({state}) = ANY({_texts(Lead.OPEN_STATES)}) "
            f"AND {contacted} < now() - interval '{days} days' THEN 'dormant' ELSE ({state}) END"
        )
    return insert_select(
        Lead,
        {
            "store_id": str(store.pk),
            "customer_id": "c.id",
            "consultant_id": f"({_ids(staff)})[1 + mod(g, {len(staff)})]",
            "created_by_id": f"({_ids(staff)})[1 + mod(g, {len(staff)})]",
            "source": f"({_texts(Customer.Source.values)})[1 + mod(g / 3, {len(Customer.Source.values)})]",
            "vehicle_model_id": f"({_ids(models)})[1 + mod(g, {len(models)})]" if is_car and models else "NULL",
            "purchase_timeline": f"({_texts(Lead.Timeline.values)})[1 + mod(g / 7, {len(Lead.Timeline.values)})]",
            "grade": "(ARRAY['H','A','B','C'])[1 + mod(g / 5, 4)]",
            "state": state,
            "test_drive": (
                f"CASE WHEN ({state}) IN ('test_driven','negotiating','won') THEN 'accepted' ELSE '' END"
                if is_car
                else "''"
            ),
            "last_contact_at": contacted,
            "created_at": created,
            "updated_at": contacted,
        },
        # bigint: g * 7919 passes int4 at a third of a million leads a store
        "FROM generate_series(0::bigint, %s) g JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn "
        "FROM showroom_customer WHERE store_id = %s) c ON c.rn = mod(g, %s)",
        [count - 1, store.pk, customers],
    )


def followups_insert(*, size: Size, stores: dict[str, Store]) -> int:
    """``size.followups / size.leads`` follow-ups per lead, three days apart from its creation: done
    or missed when due in the past, open when due ahead."""
    Lead = app_models("leads", "Lead")[0]

    per_lead = max(1, size.followups // max(1, size.leads))
    lead_type = ContentType.objects.get_for_model(Lead).pk
    due = "(l.created_at + k * interval '3 days')"
    state = f"CASE WHEN {due} > now() THEN 'open' WHEN mod(l.id + k, 10) = 0 THEN 'missed' ELSE 'done' END"
    return insert_select(
        FollowUp,
        {
            "store_id": "l.store_id",
            "content_type_id": str(lead_type),
            "object_id": "l.id",
            "target_label": "c.name",
            "kind": f"({_texts(FollowUp.Kind.values)})[1 + mod(k, {len(FollowUp.Kind.values)})]",
            "title": "'第' || k || '次回访'",
            "due_at": due,
            "assignee_id": "l.consultant_id",
            "state": state,
            "done_at": f"CASE WHEN ({state}) = 'done' THEN {due} END",
            "sequence": "k",
            "created_by_id": "l.consultant_id",
            "created_at": "l.created_at",
        },
        "FROM leads_lead l JOIN showroom_customer c ON c.id = l.customer_id CROSS JOIN generate_series(1, %s) k "
        "WHERE l.store_id = ANY(%s)",
        [per_lead, [stores[c].pk for c in LEAD_STORES]],
        bulk=True,
    )


def catalogue_seed() -> list[int]:
    """A brand with three models, two trims and two colours each: the car stores' leads want them."""
    from decimal import Decimal

    Brand, Colour, Trim, VehicleModel = app_models("leads", "Brand", "Colour", "Trim", "VehicleModel")

    brand, _ = Brand.objects.get_or_create(name="星河", defaults={"is_own": True})
    ids = []
    for name, segment, price in (
        ("星河 S5", "sedan_b", 159800),
        ("星河 X7", "suv", 229800),
        ("星河 E3", "nev", 129800),
    ):
        model, _ = VehicleModel.objects.get_or_create(brand=brand, name=name, defaults={"segment": segment})
        for trim, extra in (("舒适版", 0), ("豪华版", 20000)):
            Trim.objects.get_or_create(vehicle_model=model, name=trim, defaults={"list_price": Decimal(price + extra)})
        for colour in ("珍珠白", "曜石黑"):
            Colour.objects.get_or_create(vehicle_model=model, name=colour)
        ids.append(model.pk)
    return ids


def test_drives_insert(*, size: Size, stores: dict[str, Store]) -> int:
    """``size.test_drives`` bookings of leads that got that far, ten demo cars and two routes per car
    store; each car's slots two hours apart so the live ones never overlap, the last twentieth
    ahead (scheduled), the rest completed, no-show or cancelled."""
    from decimal import Decimal

    Colour, Trim, VehicleModel = app_models("leads", "Colour", "Trim", "VehicleModel")
    Booking, DemoVehicle, Route = app_models("testdrive", "Booking", "DemoVehicle", "Route")

    car_stores = [stores[c] for c in LEAD_STORES if stores[c].kind == Store.Kind.CAR_SHOWROOM]
    per_store = size.test_drives // len(car_stores)
    models = list(VehicleModel.objects.filter(brand__name="星河").order_by("pk"))
    total = 0
    for n, store in enumerate(car_stores):
        vehicles = []
        for v in range(10):
            model = models[v % len(models)]
            vehicle, _ = DemoVehicle.objects.get_or_create(
                store=store,
                plate=f"沪A{n}D{v:03d}",
                defaults={
                    "vin": f"LSVSC{n}A{v:02d}N{n:02d}{v:05d}"[:17],
                    "vehicle_model": model,
                    "trim": Trim.objects.filter(vehicle_model=model).first(),
                    "colour": Colour.objects.filter(vehicle_model=model).first(),
                },
            )
            vehicles.append(vehicle.pk)
        routes = [
            Route.objects.get_or_create(
                store=store, name=name, defaults={"distance_km": Decimal(km), "expected_minutes": minutes}
            )[0].pk
            for name, km, minutes in (("城市环线", "8.5", 25), ("高架快线", "15.0", 35))
        ]
        slots = max(1, per_store // len(vehicles))
        ahead = max(1, slots // 20)  # the last twentieth of each car's slots is still to come
        slot = f"(date_trunc('hour', now()) - ({slots - ahead} - l.rn / {len(vehicles)}) * interval '2 hours')"
        state = (
            f"CASE WHEN {slot} > now() THEN 'scheduled' WHEN mod(l.rn, 10) = 0 THEN 'no_show' "
            f"WHEN mod(l.rn, 10) = 1 THEN 'cancelled' ELSE 'completed' END"
        )
        done = f"({state}) = 'completed'"
        total += insert_select(
            Booking,
            {
                "store_id": str(store.pk),
                "lead_id": "l.id",
                "customer_id": "l.customer_id",
                "consultant_id": "l.consultant_id",
                "wanted_model_id": "l.vehicle_model_id",
                "vehicle_id": f"({_ids(vehicles)})[1 + mod(l.rn, {len(vehicles)})]",
                "route_id": f"({_ids(routes)})[1 + mod(l.rn, {len(routes)})]",
                "slot_start": slot,
                "slot_end": f"{slot} + interval '1 hour'",
                "state": state,
                "licence_number": f"CASE WHEN {done} THEN '3101' || lpad(l.rn::text, 14, '0') ELSE '' END",
                "licence_class": f"CASE WHEN {done} THEN 'C1' ELSE '' END",
                "signed_name": f"CASE WHEN {done} THEN 'x' ELSE '' END",
                "signed_at": f"CASE WHEN {done} THEN {slot} END",
                "checked_in_at": f"CASE WHEN {done} THEN {slot} END",
                "started_at": f"CASE WHEN {done} THEN {slot} + interval '5 minutes' END",
                "ended_at": f"CASE WHEN {done} THEN {slot} + interval '35 minutes' END",
                "cancel_reason": f"CASE WHEN ({state}) = 'cancelled' THEN '客户改期' ELSE '' END",
                "created_by_id": "l.consultant_id",
                "created_at": f"{slot} - interval '2 days'",
                "updated_at": f"least(now(), {slot} + interval '1 hour')",
            },
            "FROM (SELECT x.*, row_number() OVER (ORDER BY x.id) - 1 AS rn FROM ("
            "SELECT id, customer_id, consultant_id, vehicle_model_id FROM leads_lead WHERE store_id = %s "
            # the leads that got that far first; a tiny data set may not have enough of them
            "ORDER BY state IN ('test_driven', 'negotiating', 'won') DESC, id LIMIT %s) x) l",
            [store.pk, per_store],
        )
    with connection.cursor() as cursor:
        # a lead's test drive is as old as the lead or younger
        cursor.execute(
            "UPDATE leads_lead l SET created_at = least(l.created_at, b.created_at) FROM testdrive_booking b "
            "WHERE b.lead_id = l.id AND b.store_id = ANY(%s)",
            [[s.pk for s in car_stores]],
        )
    return total
