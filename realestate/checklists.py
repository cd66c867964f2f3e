"""The real-estate checklists, reference data with the seed's own wording:

- ``realestate.public_notice``: 篇6 "6、案场公示" (what the sales site must display before opening).
- ``realestate.contract_documents``: 篇7 5.3.1 (the buyer's documents the consultant collects
  before the formal contract).
A line of the seed that lists several checks is split into one item per check.
"""

from showroom.reference import reference_step

PUBLIC_NOTICE = "realestate.public_notice"
CONTRACT_DOCUMENTS = "realestate.contract_documents"

TEMPLATES = {
    PUBLIC_NOTICE: (
        "案场公示",
        "Public notices at the sales site",
        "篇6 一、6 案场公示",
        [
            ("天津市商品房销售许可证", "Tianjin commodity-housing sales permit"),
            (
                "天津市商品房买卖合同示范文本及天津市商品房预定协议示范文本",
                "Model sales contract and model reservation agreement of Tianjin",
            ),
            ("城市商品房预售管理办法", "Measures on the pre-sale of urban commodity housing"),
            ("商品房销售管理办法", "Measures on the sale of commodity housing"),
            ("房屋所在区局监管单位投诉电话", "Complaint phone of the district supervising bureau"),
            ("代理机构营业执照", "Business licence of the sales agency"),
            ("房地产经纪机构备案证明", "Filing certificate of the estate agency"),
            ("房地产开发企业委托书", "Power of attorney of the developer"),
            ("销售人员信息照片、姓名", "Sales staff's photos and names"),
            ("销控表", "Sales-control grid"),
        ],
    ),
    CONTRACT_DOCUMENTS: (
        "签约资料",
        "Buyer's documents for the contract",
        "篇7 5.3.1 项目置业顾问",
        [
            ("身份证", "ID card"),
            ("户口本", "Household register"),
            ("婚姻证明", "Marriage certificate"),
            ("收入证明", "Proof of income"),
            ("信用记录(中国人民银行盖章)", "Credit record (stamped by the People's Bank of China)"),
            ("银行三个月流水清单", "Three months' bank statements"),
            ("无房证明", "Certificate of owning no home"),
        ],
    ),
}


@reference_step("realestate_checklists")
def ensure_realestate_checklists() -> None:
    """Create the two templates and their items when missing; never touch what exists."""
    from showroom.models import ChecklistItem, ChecklistTemplate

    existing = dict(ChecklistTemplate.objects.filter(code__in=TEMPLATES).values_list("code", "pk"))
    missing = [
        ChecklistTemplate(code=code, title=title, title_en=title_en, source=source)
        for code, (title, title_en, source, _items) in TEMPLATES.items()
        if code not in existing
    ]
    if missing:
        ChecklistTemplate.objects.bulk_create(missing, ignore_conflicts=True)
        existing = dict(ChecklistTemplate.objects.filter(code__in=TEMPLATES).values_list("code", "pk"))
    have = set(ChecklistItem.objects.filter(template_id__in=existing.values()).values_list("template_id", "order"))
    new = [
        ChecklistItem(template_id=existing[code], order=order, text=text, text_en=text_en, kind="tick", required=True)
        for code, (_t, _te, _s, items) in TEMPLATES.items()
        for order, (text, text_en) in enumerate(items, start=1)
        if (existing[code], order) not in have
    ]
    if new:
        ChecklistItem.objects.bulk_create(new, ignore_conflicts=True)
