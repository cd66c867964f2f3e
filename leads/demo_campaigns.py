"""Demo data of the base-customer campaigns: a dozen owners of store "car01" imported from a CSV of
service data (through the import itself), and one campaign for those whose replacement falls due
in the coming months, launched (its leads distributed by the store's rule, invitations scheduled).
Registered as the ``campaigns`` seeder after the leads and the front desk; idempotent."""

import csv
import datetime as dt
import io
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from showroom.registry import register_seeder

CAMPAIGN_NAME = "老客户置换关怀季"
TALKING_POINTS = (
    "1. 感谢多年信任，告知爱车已到置换周期；\n"
    "2. 置换补贴最高 8000 元，旧车免费评估；\n"
    "3. 邀请到店试驾新款车型，到店即送保养券。"
)
# (model, months since purchase, mileage): most fall due within the next months with the default
# cycles (compact sedan and NEV 60, mid-size, SUV 72, MPV 84 months), a few later.
OWNERS = [
    ("英朗", 58, 86000),
    ("英朗", 59, 91000),
    ("君越", 70, 112000),
    ("君越", 71, 98000),
    ("昂科威 Plus", 70, 75000),
    ("昂科威 Plus", 71, 88000),
    ("GL8", 82, 156000),
    ("GL8", 83, 143000),
    ("微蓝6", 57, 64000),
    ("凯美瑞", 66, 99000),
    ("英朗", 30, 42000),
    ("GL8", 40, 61000),
]


def _months_ago(today: dt.date, months: int, day: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day, 28))


def _people(store, rng: random.Random) -> list[tuple[str, str]]:
    """Names and mobiles of the owners: the store's customers without an open lead first (the
    service department's list names people the showroom already knows, and the import links them
    by mobile), demo people for the rest."""
    from leads.models import Lead
    from showroom.demo import fake_mobile, fake_name
    from showroom.models import Customer

    known = list(
        Customer.objects.filter(store=store)
        .exclude(leads__state__in=Lead.OPEN_STATES)
        .order_by("id")
        .values_list("name", "mobile")[: len(OWNERS)]
    )
    return known + [(fake_name(rng), fake_mobile(rng)) for _ in range(len(OWNERS) - len(known))]


def _csv(today: dt.date, people: list[tuple[str, str]], rng: random.Random, sellers: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "手机", "车型", "购车日期", "最近保养日期", "里程", "销售顾问"])
    for index, ((model, months, mileage), (name, mobile)) in enumerate(zip(OWNERS, people, strict=True)):
        bought = _months_ago(today, months, 1 + index * 2)
        serviced = _months_ago(today, rng.randint(1, 5), 10 + index)
        seller = sellers[index % len(sellers)] if sellers and index % 3 != 2 else ""
        writer.writerow([name, mobile, model, f"{bought:%Y/%m/%d}", f"{serviced:%Y-%m-%d}", mileage, seller])
    return out.getvalue().encode("utf-8-sig")


def seed_campaigns(*, stdout) -> None:
    from leads.models import Campaign, Owner
    from leads.services import campaign_create, campaign_launch, owners_import
    from showroom.models import Membership, Store

    store = Store.objects.filter(code="car01").first()
    User = get_user_model()
    manager = (
        User.objects.filter(username="sales_manager").first()
        or User.objects.filter(username="showroom_manager").first()
    )
    if store is None or manager is None:
        stdout.write("  campaigns: skipped (no store car01 or sales manager)")
        return
    if Campaign.objects.filter(store=store, name=CAMPAIGN_NAME).exists():
        stdout.write("  campaigns: already seeded")
        return
    today = timezone.localdate()
    rng = random.Random(4242)
    sellers = sorted(
        Membership.objects.filter(store=store, role__code="consultant", is_active=True).values_list(
            "user__username", flat=True
        )
    )
    if not Owner.objects.filter(store=store).exists():
        report = owners_import(
            store=store,
            user=manager,
            file=_csv(today, _people(store, rng), rng, sellers[:2]),
            filename="service-owners.csv",
        )
        if not report.ok:
            stdout.write(f"  campaigns: the demo import failed: {report.errors[:3]}")
            return
    campaign = campaign_create(
        store=store,
        user=manager,
        name=CAMPAIGN_NAME,
        talking_points=TALKING_POINTS,
        due_from=today - dt.timedelta(days=30),
        due_to=today + dt.timedelta(days=180),
        visit_on=today + dt.timedelta(days=7),
    )
    result = campaign_launch(campaign=campaign, user=manager)
    stdout.write(
        f"  campaigns: {Owner.objects.filter(store=store).count()} owners in car01, "
        f"campaign launched with {len(result.created)} leads"
    )


register_seeder("campaigns", seed_campaigns, depends_on=["leads", "frontdesk"])
