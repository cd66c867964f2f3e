"""Checklist templates seeded from the process documents (``../shared/seed/``, nine articles).

The wording is the seed's own (Chinese), with an English label for each item. Article 1 ("展厅销售流程及
管理 篇1") is a showroom audit in eight sections; ``ARTICLE_1`` keeps its items once, keyed by
(section, item), and the test-drive and delivery lists take theirs from it. A sentence that lists
several checks is split into one item per check (the readiness list, the grooming list).

``ensure_checklist_templates()`` is a reference step: it creates the templates and items that are
missing (items are keyed by their order in the template) and never touches or duplicates what
exists, so an administrator's edits survive ``migrate`` and ``seed_demo``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from showroom.checklist_templates.article_1 import ARTICLE_1, ARTICLE_1_SECTIONS
from showroom.reference import reference_step

TICK, NUMBER, CHOICE, PHOTO, SIGNATURE = "tick", "number", "choice", "photo", "signature"
BEFORE, AT, AFTER = "before", "at", "after"


@dataclass(frozen=True)
class ItemSpec:
    text: str
    text_en: str
    kind: str = TICK
    required: bool = True
    phase: str = ""
    section: str = ""
    section_en: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: tuple[dict, ...] = ()
    points: int = 0


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    title: str
    title_en: str
    source: str
    items: tuple[ItemSpec, ...]
    scored: bool = False
    # Templates whose natural record is the store itself (started from the templates page).
    store_level: bool = False


def _a1(section: int, item: int, **kwargs) -> ItemSpec:
    text, text_en = ARTICLE_1[(section, item)]
    title, title_en = ARTICLE_1_SECTIONS[section]
    return ItemSpec(text=text, text_en=text_en, section=title, section_en=title_en, **kwargs)


def _ticks(section: str, section_en: str, pairs: list[tuple[str, str]]) -> tuple[ItemSpec, ...]:
    return tuple(ItemSpec(text=t, text_en=e, section=section, section_en=section_en) for t, e in pairs)


_TEST_DRIVE = ARTICLE_1_SECTIONS[4]

TESTDRIVE_READINESS = TemplateSpec(
    code="testdrive.readiness",
    title="试乘试驾车辆准备",
    title_en="Test-drive car readiness",
    source="篇1 四、试乘试驾 5–6",
    items=(
        _a1(4, 5),
        # 4.6 lists four checks in one sentence: one item each; the fuel is a number (fraction of a tank).
        ItemSpec(
            text="试乘试驾前,是否将干净的试乘试驾车按标准准备好",
            text_en="Before the test drive, is the clean test-drive car prepared to standard?",
            section=_TEST_DRIVE[0],
            section_en=_TEST_DRIVE[1],
        ),
        ItemSpec(
            text="试驾车油量至少在二分之一",
            text_en="Fuel in the test-drive car, as a fraction of a tank (at least 1/2)",
            kind=NUMBER,
            min_value=Decimal("0.5"),
            max_value=Decimal("1"),
            section=_TEST_DRIVE[0],
            section_en=_TEST_DRIVE[1],
        ),
        ItemSpec(
            text="放置原厂脚垫",
            text_en="Original floor mats in place",
            section=_TEST_DRIVE[0],
            section_en=_TEST_DRIVE[1],
        ),
        ItemSpec(
            text="安吉星电源灯显示为绿色完备工作状态",
            text_en="OnStar power light shows green (ready to work)",
            section=_TEST_DRIVE[0],
            section_en=_TEST_DRIVE[1],
        ),
    ),
)

TESTDRIVE_BRIEFING = TemplateSpec(
    code="testdrive.briefing",
    title="试乘试驾讲解",
    title_en="Test-drive briefing",
    source="篇1 四、试乘试驾 8–12",
    items=tuple(_a1(4, n) for n in range(8, 13)),
)

DELIVERY_PRE_DELIVERY = TemplateSpec(
    code="delivery.pre_delivery",
    title="交车前准备",
    title_en="Pre-delivery preparation",
    source="篇1 七、交车过程 1–6",
    items=(
        _a1(7, 1),
        _a1(7, 2),
        _a1(7, 3),
        _a1(7, 4),
        # The customer's answer is recorded: remove the protective film or keep it.
        _a1(
            7,
            5,
            kind=CHOICE,
            choices=(
                {"value": "remove", "label": "撕掉保护膜", "label_en": "Remove the film"},
                {"value": "keep", "label": "保留保护膜", "label_en": "Keep the film"},
            ),
        ),
        _a1(7, 6),
        # The issue's preparation also asks the fuel (article 1's 7.27, checked again at handover).
        _a1(7, 27, kind=NUMBER, min_value=Decimal("0.25"), max_value=Decimal("1")),
    ),
)

# 7.7–7.30 by phase of the handover. Before: the day's preparation until the customer is seated and
# told the process (7–10). At: explaining, signing, stickers, ceremony, first drive, after-sales
# introduction and the fuel (11–25, 27). After: the owner questionnaire "在交车完毕后", seeing
# the customer out, the first navigation and the safe-arrival call (26, 28–30).
_HANDOVER_PHASES = (
    {n: BEFORE for n in range(7, 11)} | {n: AT for n in (*range(11, 26), 27)} | {n: AFTER for n in (26, 28, 29, 30)}
)


def _handover_item(n: int) -> ItemSpec:
    phase = _HANDOVER_PHASES[n]
    if n == 18:  # signing the delivery contract and the acceptance forms: the customer's signature
        return _a1(7, n, phase=phase, kind=SIGNATURE)
    if n == 27:  # fuel: a fraction of a tank, at least 1/4
        return _a1(7, n, phase=phase, kind=NUMBER, min_value=Decimal("0.25"), max_value=Decimal("1"))
    if n in (21, 22):  # "是否经客户同意": only with the customer's consent, so not required
        return _a1(7, n, phase=phase, required=False)
    return _a1(7, n, phase=phase)


DELIVERY_HANDOVER = TemplateSpec(
    code="delivery.handover",
    title="交车过程",
    title_en="Vehicle handover",
    source="篇1 七、交车过程 7–30",
    items=tuple(_handover_item(n) for n in range(7, 31)),
)

AUDIT_SHOWROOM = TemplateSpec(
    code="audit.showroom",
    title="展厅销售流程检查",
    title_en="Showroom sales process audit",
    source="篇1 一至八",
    scored=True,
    store_level=True,
    items=tuple(_a1(s, n, points=1) for (s, n) in ARTICLE_1),
)

COUNTER_OPENING = TemplateSpec(
    code="counter.opening",
    title="开店流程",
    title_en="Counter opening routine",
    source="篇4 四至七",
    store_level=True,
    items=(
        *_ticks(
            "四、8.45开始搬货",
            "4. 8:45 move the goods out",
            [
                ("检查货品是否掉落", "Check that no goods have dropped"),
                ("保险柜是否遗留产品", "Check that no product is left in the safe"),
                ("保险柜门是否关好", "Check that the safe door is closed"),
            ],
        ),
        *_ticks(
            "五、摆货",
            "5. Display the goods",
            [
                ("注意货品保养", "Take care of the goods"),
                ("轻拿轻放", "Handle them gently"),
            ],
        ),
        *_ticks(
            "六、打扫卫生",
            "6. Cleaning",
            [
                ("抹柜台", "Wipe the counters"),
                ("地面清洁", "Clean the floor"),
            ],
        ),
        *_ticks(
            "七、9点开门正式营业",
            "7. 9:00 open for business",
            [
                ("货盘铭世珠宝字样和标签是否向外", "Trays: the brand lettering and labels face outwards"),
                (
                    "货品未摆放妥当.未能保证安全时.不能让顾客挑货",
                    "No customer chooses goods before they are displayed properly and safely",
                ),
                ("数目核对", "Count checked"),
            ],
        ),
    ),
)

STAFF_GROOMING = TemplateSpec(
    code="staff.grooming",
    title="自检",
    title_en="Grooming self-check",
    source="篇4 三、自检时间",
    items=_ticks(
        "三、自检时间",
        "3. Self-check",
        [
            ("面容", "Face"),
            ("口腔", "Mouth"),
            ("头发", "Hair"),
            ("工服", "Uniform"),
            ("工牌", "Badge"),
            ("指甲", "Nails"),
            ("鞋", "Shoes"),
        ],
    ),
)

REALESTATE_PUBLIC_NOTICE = TemplateSpec(
    code="realestate.public_notice",
    title="案场公示",
    title_en="Sales-site public notices",
    source="篇6 一、6 案场公示",
    items=_ticks(
        "6、案场公示",
        "1.6 Public notices on the sales site",
        [
            ("天津市商品房销售许可证", "Tianjin commercial housing sales permit"),
            (
                "天津市商品房买卖合同示范文本及天津市商品房预定协议示范文本",
                "Tianjin model sales contract and model reservation agreement",
            ),
            ("城市商品房预售管理办法", "Measures on the pre-sale of urban commercial housing"),
            ("商品房销售管理办法", "Measures on the sale of commercial housing"),
            ("房屋所在区局监管单位投诉电话", "Complaint phone number of the district supervising authority"),
            ("代理机构营业执照", "Business licence of the sales agency"),
            ("房地产经纪机构备案证明", "Filing certificate of the real-estate brokerage"),
            ("房地产开发企业委托书", "Developer's letter of authorisation"),
            ("销售人员信息照片、姓名", "Sales staff photos and names"),
            ("销控表", "Sales-control chart"),
        ],
    ),
)

REALESTATE_CONTRACT_DOCUMENTS = TemplateSpec(
    code="realestate.contract_documents",
    title="签约客户资料",
    title_en="Documents for contract signing",
    source="篇7 5.3.1",
    items=_ticks(
        "5.3.1项目置业顾问:负责接待客户,收集客户相关资料",
        "5.3.1 Property consultant: collect the customer's documents",
        [
            ("身份证", "Resident ID card"),
            ("户口本", "Household register"),
            ("婚姻证明", "Proof of marital status"),
            ("收入证明", "Proof of income"),
            ("信用记录(中国人民银行盖章)", "Credit report (stamped by the People's Bank of China)"),
            ("银行三个月流水清单", "Bank statements for three months"),
            ("无房证明", "Certificate of owning no other home"),
        ],
    ),
)

TEMPLATES: tuple[TemplateSpec, ...] = (
    TESTDRIVE_READINESS,
    TESTDRIVE_BRIEFING,
    DELIVERY_PRE_DELIVERY,
    DELIVERY_HANDOVER,
    AUDIT_SHOWROOM,
    COUNTER_OPENING,
    STAFF_GROOMING,
    REALESTATE_PUBLIC_NOTICE,
    REALESTATE_CONTRACT_DOCUMENTS,
)
TEMPLATE_CODES = tuple(t.code for t in TEMPLATES)
STORE_LEVEL_CODES = frozenset(t.code for t in TEMPLATES if t.store_level)


@reference_step("checklist_templates")
def ensure_checklist_templates() -> None:
    """Create the seeded templates and items that do not exist yet (two queries when all do)."""
    from showroom.models import ChecklistItem, ChecklistTemplate

    existing = dict(ChecklistTemplate.objects.filter(code__in=TEMPLATE_CODES).values_list("code", "pk"))
    missing_templates = [
        ChecklistTemplate(code=t.code, title=t.title, title_en=t.title_en, source=t.source, scored=t.scored)
        for t in TEMPLATES
        if t.code not in existing
    ]
    if missing_templates:
        ChecklistTemplate.objects.bulk_create(missing_templates, ignore_conflicts=True)
        existing = dict(ChecklistTemplate.objects.filter(code__in=TEMPLATE_CODES).values_list("code", "pk"))
    have = set(ChecklistItem.objects.filter(template_id__in=existing.values()).values_list("template_id", "order"))
    new_items = [
        ChecklistItem(
            template_id=existing[t.code],
            order=order,
            section=spec.section,
            section_en=spec.section_en,
            text=spec.text,
            text_en=spec.text_en,
            kind=spec.kind,
            required=spec.required,
            phase=spec.phase,
            min_value=spec.min_value,
            max_value=spec.max_value,
            choices=list(spec.choices),
            points=spec.points,
        )
        for t in TEMPLATES
        for order, spec in enumerate(t.items, start=1)
        if (existing[t.code], order) not in have
    ]
    if new_items:
        ChecklistItem.objects.bulk_create(new_items, ignore_conflicts=True)
