"""Demo data of the leads app: a catalogue of five Buick models with trims, colours and prices (and
the competitor brands a lost lead names), and thirty leads of store "car01" across grades and
states for the demo consultants, with contacts, objections, one lost lead and one lost request
waiting for the showroom manager. Registered as the ``leads`` seeder; idempotent."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from showroom.registry import register_seeder

OWN_BRAND = "别克"
COMPETITORS = ["丰田", "本田", "大众", "比亚迪", "理想"]

# model, segment, consultant's discount limit, trims (name, price), colours (name, code, extra)
CATALOGUE = [
    (
        "GL8",
        "mpv",
        "8000",
        [("陆尊 653T 豪华型", "329900"), ("陆尊 653T 尊贵型", "369900"), ("艾维亚 652T 尊享型", "459900")],
        [("珍珠白", "GAZ", "2000"), ("星辰蓝", "GWX", "0"), ("碳晶黑", "GB0", "0"), ("铂金灰", "GXD", "0")],
    ),
    (
        "君越",
        "sedan_b",
        "6000",
        [("652T 豪华型", "229900"), ("652T 尊贵型", "259900"), ("艾维亚版", "299900")],
        [("珍珠白", "GAZ", "2000"), ("琥珀金", "GGE", "0"), ("碳晶黑", "GB0", "0"), ("星光银", "GAN", "0")],
    ),
    (
        "英朗",
        "sedan_a",
        "3000",
        [("1.5L CVT 精英型", "109900"), ("1.5L CVT 豪华型", "119900"), ("1.5L CVT 旗舰型", "129900")],
        [("雪域白", "GAZ", "0"), ("星空蓝", "GJV", "0"), ("金属红", "G7C", "1000"), ("碳晶黑", "GB0", "0")],
    ),
    (
        "昂科威 Plus",
        "suv",
        "5000",
        [("552T 两驱豪华型", "219900"), ("552T 四驱尊贵型", "259900"), ("552T 四驱艾维亚", "279900")],
        [("珍珠白", "GAZ", "2000"), ("雾都灰", "GXD", "0"), ("碳晶黑", "GB0", "0"), ("星光蓝", "GWX", "0")],
    ),
    (
        "微蓝6",
        "nev",
        "4000",
        [("纯电 领先型", "159800"), ("纯电 互联智享型", "179800")],
        [("云母白", "GAZ", "0"), ("天际蓝", "GJV", "0"), ("晶钻灰", "GXD", "0")],
    ),
]

# Extra demo consultants in car01 beside the core's "consultant" (username, full name).
CONSULTANTS = [("sales_zhang", "张磊"), ("sales_li", "李娜")]

# (state, grade, timeline) for thirty leads.
PLAN = (
    [
        ("new", g, t)
        for g, t in [
            ("H", "week"),
            ("A", "fortnight"),
            ("B", "month"),
            ("C", "quarter"),
            ("B", "month"),
            ("C", "later"),
        ]
    ]
    + [
        ("contacted", g, t)
        for g, t in [
            ("H", "week"),
            ("A", "fortnight"),
            ("A", "fortnight"),
            ("B", "month"),
            ("B", "month"),
            ("C", "quarter"),
            ("C", "later"),
        ]
    ]
    + [
        ("visited", g, t)
        for g, t in [
            ("H", "week"),
            ("A", "fortnight"),
            ("B", "month"),
            ("B", "month"),
            ("C", "quarter"),
            ("A", "fortnight"),
        ]
    ]
    + [("test_driven", g, t) for g, t in [("H", "week"), ("A", "fortnight"), ("B", "month"), ("A", "fortnight")]]
    + [("negotiating", g, t) for g, t in [("H", "week"), ("H", "week"), ("A", "fortnight")]]
    + [("won", "H", "week"), ("won", "A", "fortnight")]
    + [("lost", "B", "month"), ("dormant", "C", "quarter")]
)
EVENTS = {
    "contacted": "contacted",
    "visited": "visited",
    "test_driven": "test_driven",
    "negotiating": "quoted",
    "won": "deposit_paid",
}
NEEDS = [
    {"usage": "家庭出行，周末带老人孩子", "passengers": 7, "body_type": "MPV", "key_criteria": "空间、舒适性、安全"},
    {"usage": "上下班通勤", "passengers": 4, "body_type": "三厢轿车", "key_criteria": "油耗、价格"},
    {"usage": "商务接待", "passengers": 5, "body_type": "中大型轿车", "key_criteria": "品牌、内饰质感"},
    {
        "usage": "自驾游",
        "passengers": 5,
        "body_type": "SUV",
        "key_criteria": "通过性、四驱",
        "models_compared": "丰田 RAV4、本田 CR-V",
    },
    {"usage": "市区代步，家里可装充电桩", "passengers": 4, "body_type": "纯电轿车", "key_criteria": "续航、智能座舱"},
]
OBJECTIONS = [
    ("隔壁店报价更低", "说明我店含三年免费保养和终身道路救援，综合成本更低", True),
    ("担心油耗高", "提供官方工信部油耗数据，并邀请客户试驾体验", True),
    ("交车要等太久", "", False),
]
CONTACT_SUMMARIES = [
    "电话沟通，客户关注优惠政策",
    "微信发送车型配置表",
    "客户到店看车，介绍了内饰和空间",
    "电话邀约周末试驾",
]


def _catalogue():
    from leads.models import Brand, Colour, Trim, TrimColour, VehicleModel

    brand, _created = Brand.objects.get_or_create(name=OWN_BRAND, defaults={"is_own": True})
    for name in COMPETITORS:
        Brand.objects.get_or_create(name=name, defaults={"is_own": False})
    models = []
    for name, segment, limit, trims, colours in CATALOGUE:
        model, _created = VehicleModel.objects.get_or_create(
            brand=brand, name=name, defaults={"segment": segment, "consultant_discount_limit": Decimal(limit)}
        )
        models.append(model)
        colour_rows = []
        for colour_name, code, extra in colours:
            colour, _created = Colour.objects.get_or_create(
                vehicle_model=model, name=colour_name, defaults={"code": code}
            )
            colour_rows.append((colour, Decimal(extra)))
        for trim_name, price in trims:
            trim, _created = Trim.objects.get_or_create(
                vehicle_model=model, name=trim_name, defaults={"list_price": Decimal(price)}
            )
            for colour, extra in colour_rows:
                TrimColour.objects.get_or_create(
                    trim=trim, colour=colour, defaults={"list_price": trim.list_price + extra}
                )
    return models


def _consultants(store):
    """The store's consultants; two demo consultants are added when it has fewer than three (the
    front desk's demo roster may already have brought its own)."""
    from showroom.demo import DEMO_PASSWORD
    from showroom.models import Membership, Role

    User = get_user_model()

    def current():
        return User.objects.filter(
            memberships__store=store, memberships__role__code="consultant", memberships__is_active=True, is_active=True
        ).distinct()

    if current().count() < 3:
        role = Role.objects.get(code="consultant")
        for username, full_name in CONSULTANTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": full_name, "email": f"{username}@example.com"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(user=user, store=store, role=role)
    return sorted(current(), key=lambda u: (u.username != "consultant", u.username))


def _customers_without_leads(store, count: int) -> list:
    """``count`` customers of the store with no lead yet, adding demo customers when the store has
    too few (the front desk's demo walk-ins may have opened leads for some)."""
    from showroom.demo import fake_mobile, fake_name
    from showroom.models import Customer

    rng = random.Random(5150)
    free = list(Customer.objects.filter(store=store, leads__isnull=True).order_by("id")[:count])
    missing = count - len(free)
    if missing > 0:
        now = timezone.now()
        Customer.objects.bulk_create(
            Customer(
                store=store,
                name=fake_name(rng),
                mobile=fake_mobile(rng),
                source=rng.choice(Customer.Source.values),
                consent_given=True,
                consent_at=now,
            )
            for _ in range(missing)
        )
        free = list(Customer.objects.filter(store=store, leads__isnull=True).order_by("id")[:count])
    return free


def seed_leads(*, stdout) -> None:
    from django.contrib.contenttypes.models import ContentType

    from leads.models import Lead, LeadContact
    from leads.services import (
        GRADE_PLAN_PREFIX,
        grade_rules_for,
        lead_contact_record,
        lead_create,
        lead_event,
        lead_lost_request,
        lead_objection_add,
        leads_dormant_tick,
        lost_reasons_for,
    )
    from showroom.models import FollowUp, Store
    from showroom.services.approvals import approval_approve

    models = _catalogue()
    store = Store.objects.filter(code="car01").first()
    User = get_user_model()
    manager = User.objects.filter(username="showroom_manager").first()
    reception = User.objects.filter(username="reception").first()
    if store is None or manager is None:
        stdout.write("  leads: catalogue only (no store car01 or showroom manager)")
        return
    # Leads the front desk's demo walk-ins opened do not count: only this seeder's own (marked by
    # their needs analysis) mean it already ran.
    if Lead.objects.filter(store=store, usage__in=[needs["usage"] for needs in NEEDS]).exists():
        stdout.write("  leads: already seeded")
        return
    consultants = _consultants(store)
    customers = _customers_without_leads(store, len(PLAN))
    if not consultants:
        stdout.write("  leads: no consultants in car01; catalogue only")
        return
    grade_rules_for(store)
    reasons = list(lost_reasons_for(store=store))
    rng = random.Random(20261127)
    now = timezone.now()
    pending_done = False
    with transaction.atomic():
        for index, ((state, grade, timeline), customer) in enumerate(zip(PLAN, customers, strict=True)):
            consultant = consultants[index % len(consultants)]
            # Most leads the consultant opened; some the front desk opened for him; a few he opened
            # for a colleague (the manager's created-vs-assigned check has something to show).
            creator = consultant
            if index % 7 == 3 and reception is not None:
                creator = reception
            elif index % 11 == 5 and len(consultants) > 1:
                creator = consultants[(index + 1) % len(consultants)]
            model = models[index % len(models)]
            trim = model.trims.order_by("list_price").first()
            lead = lead_create(
                user=creator,
                store=store,
                customer=customer,
                consultant=consultant,
                source=customer.source,
                vehicle_model=model,
                trim=trim,
                budget=(trim.list_price + rng.choice([-20000, 0, 10000])).quantize(Decimal("1")),
                purchase_timeline=timeline,
                grade=grade,
                trade_in=index % 4 == 0,
                trade_in_details="2016 年大众朗逸，8 万公里" if index % 4 == 0 else "",
                **NEEDS[index % len(NEEDS)],
            )
            if state != "new":
                lead_contact_record(
                    lead=lead,
                    user=consultant,
                    kind="call",
                    summary=CONTACT_SUMMARIES[index % len(CONTACT_SUMMARIES)],
                    at=now - dt.timedelta(hours=rng.randint(2, 72)),
                )
            event = EVENTS.get(state)
            if event and event != "contacted":
                lead = lead_event(lead=lead, event=event, user=consultant)
            if state in ("visited", "test_driven", "negotiating") and index % 2 == 0:
                text, answer, resolved = OBJECTIONS[index % len(OBJECTIONS)]
                lead_objection_add(lead=lead, user=consultant, objection=text, answer=answer, resolved=resolved)
            if state == "lost":
                request = lead_lost_request(
                    lead=lead,
                    user=consultant,
                    competitor_brand="丰田",
                    competitor_model="赛那",
                    reason_id=reasons[0].pk,
                    note="客户已在丰田店交定金",
                )
                approval_approve(request=request, user=manager, note="核实属实，同意战败")
            if state == "contacted" and not pending_done:
                lead_lost_request(
                    lead=lead,
                    user=consultant,
                    competitor_brand="比亚迪",
                    competitor_model="汉 EV",
                    reason_id=reasons[1].pk,
                    note="客户更看重纯电续航",
                )
                pending_done = True
            # Spread the leads over the last three weeks.
            created = now - dt.timedelta(days=21 - (index * 21) // len(PLAN), hours=rng.randint(0, 8))
            Lead.objects.filter(pk=lead.pk).update(created_at=created)
            if state == "dormant":
                Lead.objects.filter(pk=lead.pk).update(
                    created_at=now - dt.timedelta(days=60), last_contact_at=now - dt.timedelta(days=45)
                )
                LeadContact.objects.filter(lead=lead).update(at=now - dt.timedelta(days=45))
        leads_dormant_tick(store=store, now=now)
        # A few follow-ups overdue by a few hours, so "my leads" shows them first (less than a day:
        # the duty roster skips a consultant only past a day).
        open_ids = list(
            Lead.objects.filter(store=store, state__in=Lead.OPEN_STATES, usage__in=[n["usage"] for n in NEEDS])
            .order_by("id")
            .values_list("pk", flat=True)
        )
        FollowUp.objects.filter(
            content_type=ContentType.objects.get_for_model(Lead),
            object_id__in=open_ids[::5],
            state=FollowUp.State.OPEN,
            plan__startswith=GRADE_PLAN_PREFIX,
        ).update(due_at=now - dt.timedelta(hours=5))
    stdout.write(f"  leads: {len(models)} models, {len(PLAN)} leads in car01, one lost request waiting")


register_seeder("leads", seed_leads, depends_on=["core", "followups"])
