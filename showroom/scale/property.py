"""Property projects: permits, an approved price list, buildings of units in every state, and the
subscriptions of the units that sold (one live subscription per unit at most), set-based."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from showroom.models import Store

from .people import customers_copy
from .sizes import Size
from .sql import app_models, insert_select

PER_FLOOR = 8
UNITS_PER_BUILDING = 200
UNIT_STATES = [
    ("available", 50),
    ("held", 5),
    ("small_deposit", 5),
    ("subscribed", 10),
    ("signed", 15),
    ("filed", 10),
    ("handed_over", 5),
]
SOLD = ("subscribed", "signed", "filed", "handed_over")


def property_seed(*, size: Size, store: Store, consultant_ids: list[int], manager_id: int) -> dict[str, int]:
    Building, Permit, PriceList, PriceListBuilding, Project, Subscription, Unit = app_models(
        "realestate", "Building", "Permit", "PriceList", "PriceListBuilding", "Project", "Subscription", "Unit"
    )

    from .people import _case_by_share, _ids

    units = subscriptions = 0
    consultants = _ids(consultant_ids)
    for p in range(size.projects):
        project, created = Project.objects.get_or_create(
            store=store,
            code=f"scale-{p + 1:02d}",
            defaults={
                "name": f"锦绣江南{p + 1}期",
                "fund_bank": "招商银行杭州分行",
                "fund_account_name": "预售资金监管户",
                "fund_account_no": f"57190{p:04d}0001",
                "state": Project.State.OPEN,
                "opened_at": timezone.now() - dt.timedelta(days=400 - p * 10),
            },
        )
        if not created:
            continue
        n_buildings = max(1, size.units_per_project // UNITS_PER_BUILDING)
        per_building = -(-size.units_per_project // n_buildings)
        buildings = Building.objects.bulk_create(
            [Building(project=project, name=f"{b + 1}号楼", order=b) for b in range(n_buildings)]
        )
        for kind in Permit.Kind.values:
            permit = Permit.objects.create(
                project=project,
                kind=kind,
                number=f"{kind}-{project.code}",
                issued_on=dt.date(2025, 3, 1),
                scan=f"realestate/permits/{kind}.pdf",
                max_price_per_m2=Decimal("40000") if kind == Permit.Kind.PRESALE else None,
            )
            if kind == Permit.Kind.PRESALE:
                permit.buildings.set(buildings)
        price_list = PriceList.objects.create(
            project=project,
            version=1,
            state=PriceList.State.APPROVED,
            effective_from=timezone.localdate() - dt.timedelta(days=400),
            approved_at=timezone.now() - dt.timedelta(days=400),
            floor_step=Decimal("100"),
            orientation_adjustments={"south": "500"},
            method_discounts={"full": "3"},
            created_by_id=manager_id,
        )
        PriceListBuilding.objects.bulk_create(
            [
                PriceListBuilding(price_list=price_list, building=b, base_price_per_m2=Decimal("20000"))
                for b in buildings
            ]
        )
        state = _case_by_share("mod(g * 7919 + 7, 100)", UNIT_STATES)
        floor = f"1 + mod(g, {per_building}) / {PER_FLOOR}"
        holder = f"({consultants})[1 + mod(g, {len(consultant_ids)})]"
        units += insert_select(
            Unit,
            {
                "store_id": str(store.pk),
                "project_id": str(project.pk),
                "building_id": f"({_ids(b.pk for b in buildings)})[1 + g / {per_building}]",
                "floor": floor,
                "number": f"({floor}) || lpad((1 + mod(g, {PER_FLOOR}))::text, 2, '0')",
                "use": "CASE WHEN mod(g, 100) < 4 THEN 'commercial' ELSE 'residential' END",
                "built_area": "(89 + mod(g, 4) * 15)::numeric + 0.5",
                "inner_area": "(72 + mod(g, 4) * 12)::numeric",
                "layout": "(ARRAY['两室两厅','三室两厅','三室两厅','四室两厅'])[1 + mod(g, 4)]",
                "orientation": "(ARRAY['south','south_north','east','west','north'])[1 + mod(g, 5)]",
                "state": state,
                "holder_id": f"CASE WHEN ({state}) <> 'available' THEN {holder} END",
                "changed_at": "now() - mod(g * 31, 365) * interval '1 day'",
            },
            "FROM generate_series(0, %s) g",
            [size.units_per_project - 1],
        )
        sold = Unit.objects.filter(project=project, state__in=SOLD).count()
        customers_copy(stores=[store], count=sold, seed=1000 + p, bulk=False)
        price = "(20000 + (u.floor - 1) * 100 + CASE WHEN u.orientation = 'south' THEN 500 ELSE 0 END)::numeric"
        subscriptions += insert_select(
            Subscription,
            {
                "store_id": str(store.pk),
                "project_id": str(project.pk),
                "unit_id": "u.id",
                "customer_id": "c.id",
                "consultant_id": "u.holder_id",
                "price_list_id": str(price_list.pk),
                "payment_method": "u.method",
                "list_price_per_m2": "u.price",
                "list_total": "round(u.built_area * u.price, 2)",
                "method_discount_pct": "u.discount",
                "total_price": "round(round(u.built_area * u.price, 2) * (100 - u.discount) / 100, 2)",
                "deposit": "50000",
                "state": "CASE WHEN u.state = 'subscribed' THEN 'approved' ELSE 'contracted' END",
                "number": f"'RG{p + 1:02d}-' || lpad(u.rn::text, 5, '0')",
                "approved_at": "u.changed_at",
                "sign_due_on": "(u.changed_at + interval '7 days')::date",
                "created_at": "u.changed_at - interval '1 day'",
            },
            "FROM (SELECT x.*, CASE WHEN x.method = 'full' THEN 3 ELSE 0 END AS discount FROM ("
            f"SELECT u.*, {price} AS price, "
            "(ARRAY['full','commercial','provident','combined'])[1 + mod(u.id, 4)] AS method, "
            "row_number() OVER (ORDER BY u.id) AS rn FROM realestate_unit u "
            "WHERE u.project_id = %s AND u.state = ANY(%s)"
            ") x) u JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM showroom_customer "
            "WHERE store_id = %s AND NOT EXISTS (SELECT 1 FROM realestate_subscription s WHERE s.customer_id = "
            "showroom_customer.id)) c ON c.rn = u.rn",
            [project.pk, list(SOLD), store.pk],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE realestate_unit")
    return {"units": units, "subscriptions": subscriptions}
