"""Factories of the real-estate tests: an open project with its five permits, buildings, units and
an approved price list in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from realestate.models import Building, Permit, PriceList, PriceListBuilding, Project, Unit
from showroom.models import Store

CAP = Decimal("30000")


def property_store(store: Store) -> Store:
    Store.objects.filter(pk=store.pk).update(kind=Store.Kind.PROPERTY_SITE)
    store.refresh_from_db()
    return store


def project_make(*, store, permits=tuple(k for k, _l in Permit.Kind.choices), state=Project.State.OPEN, **kwargs):
    project = Project.objects.create(
        store=store,
        code=kwargs.pop("code", f"p{Project.objects.count() + 1}"),
        name=kwargs.pop("name", "兰亭雅苑"),
        fund_bank="中国建设银行天津河西支行",
        fund_account_name="兰亭置业资金监管专户",
        fund_account_no="1205016600008888",
        state=state,
        **kwargs,
    )
    return project


def permits_make(*, project, kinds=None, buildings=(), cap=CAP):
    kinds = kinds if kinds is not None else [k for k, _l in Permit.Kind.choices]
    for kind in kinds:
        permit = Permit.objects.create(
            project=project,
            kind=kind,
            number=f"{kind}-001",
            issued_on=dt.date(2026, 1, 5),
            scan=ContentFile(b"%PDF-1.4 scan", name=f"{kind}.pdf"),
            max_price_per_m2=cap if kind == Permit.Kind.PRESALE else None,
        )
        if kind == Permit.Kind.PRESALE:
            permit.buildings.set(buildings)


def units_make(*, project, building, floors=3, per_floor=2, area=Decimal("100.00")):
    return Unit.objects.bulk_create(
        [
            Unit(
                store_id=project.store_id,
                project=project,
                building=building,
                floor=floor,
                number=f"{floor}{i + 1:02d}",
                layout="三室两厅",
                orientation=Unit.Orientation.SOUTH,
                built_area=area,
                inner_area=area * Decimal("0.8"),
            )
            for floor in range(1, floors + 1)
            for i in range(per_floor)
        ]
    )


def price_list_make(
    *,
    project,
    user,
    base=Decimal("20000"),
    version=None,
    effective_from=None,
    approved_at=None,
    floor_step=Decimal("100"),
    discounts=None,
):
    version = version or (project.price_lists.count() + 1)
    price_list = PriceList.objects.create(
        project=project,
        version=version,
        state=PriceList.State.APPROVED,
        effective_from=effective_from or (timezone.localdate() - dt.timedelta(days=1)),
        approved_at=approved_at or (timezone.now() - dt.timedelta(days=1)),
        floor_step=floor_step,
        orientation_adjustments={"south": "500"},
        method_discounts=discounts if discounts is not None else {"full": "3", "commercial": "1"},
        created_by=user,
    )
    PriceListBuilding.objects.bulk_create(
        [PriceListBuilding(price_list=price_list, building=b, base_price_per_m2=base) for b in project.buildings.all()]
    )
    return price_list


def site_make(personas, *, floors=3, per_floor=2, permits=None):
    """Store A as a property site with an open project, one building covered by the pre-sale
    permit (cap 30,000/m²), units, and price list v1 in force (base 20,000; +100 a floor; +500
    south; full payment −3 %)."""
    store = property_store(personas.store_a)
    project = project_make(store=store)
    building = Building.objects.create(project=project, name="1号楼", order=1)
    permits_make(project=project, kinds=permits, buildings=[building])
    units = units_make(project=project, building=building, floors=floors, per_floor=per_floor)
    price_list = price_list_make(project=project, user=personas.sales_manager)
    return project, building, units, price_list
