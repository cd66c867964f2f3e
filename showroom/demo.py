"""The core's demo data: five stores, one user per role, and customers with fake Chinese names
and phone numbers. Registered as the ``core`` seeder; workflow apps' seeders depend on it."""

import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from showroom import roles as r
from showroom.models import Customer, Membership, Role, Store
from showroom.registry import register_seeder

DEMO_PASSWORD = "showroom-demo"

STORES = [
    (
        "car01",
        "星河汽车展厅",
        Store.Kind.CAR_SHOWROOM,
        "上海市闵行区虹梅路 1888 号",
        "021-6458 1234",
        "09:00",
        "18:30",
    ),
    (
        "prop01",
        "锦绣江南售楼处",
        Store.Kind.PROPERTY_SITE,
        "杭州市滨江区江南大道 666 号",
        "0571-8765 4321",
        "09:00",
        "18:00",
    ),
    (
        "wh01",
        "华东中心仓",
        Store.Kind.WAREHOUSE,
        "苏州市工业园区星湖街 88 号",
        "0512-6288 1000",
        "08:00",
        "17:30",
    ),
    (
        "jw01",
        "金禧珠宝专柜",
        Store.Kind.JEWELLERY_COUNTER,
        "南京市秦淮区中山南路 1 号新百商场一楼",
        "025-8472 0001",
        "10:00",
        "22:00",
    ),
    (
        "ct01",
        "数码之家门店",
        Store.Kind.COUNTER_SHOP,
        "广州市天河区天河路 299 号",
        "020-3888 5678",
        "10:00",
        "21:00",
    ),
]

# username, full name, role, stores
USERS = [
    ("consultant", "王晓明", r.CONSULTANT, ["car01", "prop01", "wh01", "jw01", "ct01"]),
    ("assistant", "李婷", r.SALES_ASSISTANT, ["car01", "prop01"]),
    ("reception", "陈静", r.RECEPTIONIST, ["car01", "prop01"]),
    ("cashier", "赵敏", r.CASHIER, ["car01", "prop01", "jw01", "ct01"]),
    ("showroom_manager", "刘强", r.SHOWROOM_MANAGER, ["car01", "jw01", "ct01"]),
    ("finance", "孙丽", r.FINANCE, ["car01", "prop01", "wh01", "jw01", "ct01"]),
    ("supervisor", "周杰", r.SALES_SUPERVISOR, ["car01", "prop01"]),
    ("sales_manager", "吴刚", r.SALES_MANAGER, ["car01", "prop01", "wh01"]),
    ("director", "郑华", r.MARKETING_DIRECTOR, ["car01", "prop01", "wh01"]),
    ("gm", "钱伟", r.GENERAL_MANAGER, ["car01", "prop01", "wh01", "jw01", "ct01"]),
    ("appraiser", "冯涛", r.APPRAISER, ["car01"]),
    ("after_sales", "何磊", r.AFTER_SALES, ["car01", "ct01"]),
    ("after_sales_manager", "许峰", r.AFTER_SALES_MANAGER, ["car01", "ct01"]),
    ("keeper", "马超", r.WAREHOUSE_KEEPER, ["wh01", "jw01"]),
    ("wh_supervisor", "朱红", r.WAREHOUSE_SUPERVISOR, ["wh01"]),
    ("qc", "胡斌", r.QC_INSPECTOR, ["wh01"]),
    ("purchasing", "郭琳", r.PURCHASING, ["wh01"]),
    ("counter_leader", "林芳", r.COUNTER_LEADER, ["jw01", "ct01"]),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "子涵",
    "浩然",
    "欣怡",
    "宇轩",
    "梓萱",
    "俊杰",
]
PREFIXES = [
    "138",
    "139",
    "137",
    "136",
    "135",
    "150",
    "151",
    "152",
    "158",
    "159",
    "186",
    "187",
    "188",
    "189",
    "177",
]


def fake_mobile(rng: random.Random) -> str:
    """A mobile number as customers are stored: E.164."""
    return "+86" + rng.choice(PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))


def fake_mobiles(rng: random.Random, count: int) -> list[str]:
    """``count`` different numbers: a store holds one customer per number, so bulk data needs them."""
    numbers: dict[str, None] = {}
    while len(numbers) < count:
        numbers[fake_mobile(rng)] = None
    return list(numbers)


def fake_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@transaction.atomic
def seed_core(*, stdout) -> None:
    stores = {}
    for code, name, kind, address, phone, opening, closing in STORES:
        stores[code], _ = Store.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "address": address,
                "phone": phone,
                "opening_time": opening,
                "closing_time": closing,
            },
        )
    User = get_user_model()
    role_rows = {role.code: role for role in Role.objects.all()}
    users = {}
    for username, full_name, role_code, store_codes in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            # Chinese names read family name first; Django's get_full_name() puts first_name
            # first, so the whole name goes there.
            defaults={"first_name": full_name, "last_name": "", "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
        for store_code in store_codes:
            Membership.objects.get_or_create(user=user, store=stores[store_code], role=role_rows[role_code])
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.com"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])

    rng = random.Random(20261127)
    for store_code, count in (("car01", 40), ("prop01", 20), ("jw01", 10), ("ct01", 10)):
        store = stores[store_code]
        if Customer.objects.filter(store=store).exists():
            continue
        now = timezone.now()
        Customer.objects.bulk_create(
            Customer(
                store=store,
                name=fake_name(rng),
                mobile=fake_mobile(rng),
                gender=rng.choice("FM"),
                source=rng.choice(Customer.Source.values),
                consent_given=True,
                consent_at=now,
                created_by=users["reception"] if store_code in ("car01", "prop01") else users["consultant"],
            )
            for _ in range(count)
        )
    stdout.write(f"  core: {len(stores)} stores, {len(users) + 1} users, customers in 4 stores")


register_seeder("core", seed_core)


def demo_logins() -> list[tuple[str, str, str]]:
    """Every demo login as the database has it after seeding (apps' seeders add their own
    users, e.g. the front desk's second shift): username, password, roles by store."""
    from django.contrib.auth import get_user_model

    from showroom.roles import ROLE_LABELS

    rows = [("admin", DEMO_PASSWORD, "superuser")]
    users = (
        get_user_model()
        .objects.filter(memberships__isnull=False, is_active=True)
        .distinct()
        .prefetch_related("memberships__store", "memberships__role")
        .order_by("date_joined", "pk")
    )
    for user in users:
        by_role: dict[str, list[str]] = {}
        for membership in user.memberships.all():
            if membership.is_active:
                by_role.setdefault(membership.role.code, []).append(membership.store.code)
        text = "; ".join(
            f"{ROLE_LABELS.get(role, role)} ({', '.join(sorted(stores))})" for role, stores in sorted(by_role.items())
        )
        rows.append((user.get_username(), DEMO_PASSWORD, f"{user.get_full_name()} — {text}"))
    return rows
