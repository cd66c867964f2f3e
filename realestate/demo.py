"""Demo data of the property site ``prop01``: one open project with its five permits, two
buildings of 12 floors × 4 units, an approved price list, and a few units sold at each stage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from showroom.models import Store
from showroom.registry import register_seeder

PROJECT_CODE = "lanting"


def seed_realestate(*, stdout) -> None:
    from realestate.models import Building, Permit, PriceList, PriceListBuilding, Project, Unit

    store = Store.objects.filter(code="prop01").first()
    if store is None or Project.objects.filter(store=store, code=PROJECT_CODE).exists():
        return
    manager = get_user_model().objects.filter(memberships__store=store).order_by("pk").first()
    project = Project.objects.create(
        store=store,
        code=PROJECT_CODE,
        name="兰亭雅苑",
        address="天津市河西区友谊路 88 号",
        fund_bank="中国建设银行天津河西支行",
        fund_account_name="天津兰亭置业有限公司资金监管专户",
        fund_account_no="1205 0166 0000 0000 8888",
        state=Project.State.OPEN,
        opened_at=timezone.now(),
    )
    buildings = [Building.objects.create(project=project, name=f"{n}号楼", order=n) for n in (1, 2)]
    today = timezone.localdate()
    for kind, _label in Permit.Kind.choices:
        permit = Permit.objects.create(
            project=project,
            kind=kind,
            number=f"津{kind[:3].upper()}-2026-{len(kind):04d}",
            issued_on=today - dt.timedelta(days=90),
            scan=ContentFile(b"%PDF-1.4 demo scan", name=f"{kind}.pdf"),
            max_price_per_m2=Decimal("32000") if kind == Permit.Kind.PRESALE else None,
        )
        if kind == Permit.Kind.PRESALE:
            permit.buildings.set(buildings)
    layouts = [
        ("三室两厅", "south", "128.50", "103.20"),
        ("两室两厅", "south", "96.30", "77.10"),
        ("两室一厅", "north", "88.00", "70.40"),
        ("三室两厅", "south_north", "132.80", "106.60"),
    ]
    Unit.objects.bulk_create(
        [
            Unit(
                store=store,
                project=project,
                building=b,
                floor=floor,
                number=f"{floor}{i + 1:02d}",
                layout=layout,
                orientation=orient,
                built_area=Decimal(area),
                inner_area=Decimal(inner),
            )
            for b in buildings
            for floor in range(1, 13)
            for i, (layout, orient, area, inner) in enumerate(layouts)
        ]
    )
    price_list = PriceList.objects.create(
        project=project,
        version=1,
        state=PriceList.State.APPROVED,
        effective_from=today - dt.timedelta(days=30),
        approved_at=timezone.now() - dt.timedelta(days=30),
        floor_step=Decimal("150"),
        orientation_adjustments={"south": "500", "north": "-300", "south_north": "800"},
        method_discounts={"full": "3", "commercial": "1", "provident": "1", "combined": "1"},
        created_by=manager,
    )
    PriceListBuilding.objects.bulk_create(
        [PriceListBuilding(price_list=price_list, building=b, base_price_per_m2=Decimal("26000")) for b in buildings]
    )
    _seed_texts(project=project, manager=manager, today=today)
    _seed_visitors(store=store, project=project)
    stdout.write(f"realestate: project {project.name} with {Unit.objects.filter(project=project).count()} units\n")


def _seed_texts(*, project, manager, today) -> None:
    """Version 1 of the agreement and contract texts, approved (the demo's documents print them)."""
    from realestate.models import AgreementTemplate

    texts = {
        AgreementTemplate.Kind.SUBSCRIPTION: (
            "商品房认购协议",
            "第一条 买受人认购本协议所列房源，并按约定交付定金。\n\n"
            "第二条 签订认购协议后，买受人应于一周内到售房部签订正式合同。\n\n"
            "第三条 买受人逾期未签订正式合同的，出卖人有权另行出售该房源。",
        ),
        AgreementTemplate.Kind.CONTRACT: (
            "商品房买卖合同",
            "第一条 出卖人按本合同约定的价款与付款方式向买受人出售房屋。\n\n"
            "第二条 买受人的房款全部存入资金监管账户。\n\n"
            "第三条 出卖人按期交付房屋，并提供《住宅质量保证书》和《住宅使用说明书》。",
        ),
    }
    for kind, (title, body) in texts.items():
        AgreementTemplate.objects.create(
            project=project,
            kind=kind,
            version=1,
            title=title,
            body=body,
            effective_from=today - dt.timedelta(days=30),
            state=AgreementTemplate.State.APPROVED,
            approved_at=timezone.now() - dt.timedelta(days=30),
            created_by=manager,
        )


def _seed_visitors(*, store, project) -> None:
    """Intention records (grades A, B, C) and a recorded VIP agreement for the store's first demo
    customers, through the services (no money: nothing to render)."""
    from realestate.services import intention_record, vip_record
    from showroom import roles as r
    from showroom.models import Customer

    consultant = (
        get_user_model()
        .objects.filter(memberships__store=store, memberships__role__code=r.CONSULTANT, memberships__is_active=True)
        .order_by("pk")
        .first()
    )
    customers = list(Customer.objects.filter(store=store).order_by("pk")[:3])
    if consultant is None or len(customers) < 3:
        return
    for customer, grade, layouts in zip(customers, "ABC", ("三室两厅", "两室两厅", "两室一厅"), strict=True):
        intention_record(user=consultant, project=project, customer=customer, grade=grade, layouts=layouts)
    vip_record(user=consultant, project=project, customer=customers[0], amount="20000", agreement_no="RC-0001")


register_seeder("realestate", seed_realestate, depends_on=["core"])
