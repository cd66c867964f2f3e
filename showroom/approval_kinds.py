"""The approval kinds the process documents define, and their authority rules as seeded.

Kinds are named in English; labels are translated. The limits and quotas come from the seed
documents: article 7 (销售部管理流程方案: 特殊折扣 1% / 2%-3%, 认购客户申请控制在15%/30%以内;
延期签约 7/15/30 and 15/30/60 days, 控制在房源的15%; 更名不得高于30%; 换房; 退房) and article 3
(销售及仓库管理工作流程: 超订单收货由营销部总监批准; 盘点差异 财务 then 总经理). Rules are
editable in the admin; ``ensure_reference_data`` only creates missing ones and never overwrites an
edited limit.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from showroom import roles as r
from showroom.reference import reference_step

# code: (label, unit)
KINDS = {
    "realestate.extra_discount": (_("Extra property discount"), "percent"),
    "realestate.delay_keep_discount": (_("Delayed signing keeping the subscription discount"), "days"),
    "realestate.delay_lose_discount": (_("Delayed signing losing the subscription discount"), "days"),
    "realestate.rename": (_("Rename of a subscription"), "none"),
    "realestate.exchange_larger": (_("Unit exchange to a larger unit"), "none"),
    "realestate.exchange_smaller": (_("Unit exchange to a smaller unit"), "none"),
    "realestate.cancel_before_contract": (_("Cancellation before the formal contract"), "none"),
    "realestate.cancel_after_contract": (_("Cancellation after the formal contract"), "none"),
    "realestate.price_change": (_("Price, discount-scheme or contract-template change"), "none"),
    "warehouse.over_receipt": (_("Over-receipt on a goods receipt"), "quantity"),
    "warehouse.spot_price_exception": (_("Price outside the price list (spot sales)"), "amount"),
    "warehouse.stock_adjustment": (_("Stock surplus/deficit adjustment"), "amount"),
    "leads.quote_discount": (_("Car quotation discount"), "amount"),
    "leads.lost_lead": (_("Lost lead (defeat) confirmation"), "none"),
    "customers.ownership_transfer": (_("Customer ownership transfer"), "none"),
    "customers.ownership_transfer_property": (_("Customer ownership transfer (property)"), "none"),
}

# Quota groups: kinds that share one quota (the two delayed-signing kinds).
QUOTA_GROUPS = {
    "realestate.delay_keep_discount": "realestate.delay",
    "realestate.delay_lose_discount": "realestate.delay",
}

# The sales manager's default limit on a car quotation discount, until a store sets its own rule.
DEFAULT_STORE_QUOTE_DISCOUNT_LIMIT = Decimal("5000")

ALL = "all"
# (kind, step, role, limit or None for no limit, quota % or None, quota counts "level"/"all")
RULES = [
    ("realestate.extra_discount", 1, r.SALES_MANAGER, Decimal("1"), Decimal("15"), "level"),
    ("realestate.extra_discount", 1, r.MARKETING_DIRECTOR, Decimal("3"), Decimal("30"), "level"),
    ("realestate.extra_discount", 1, r.GENERAL_MANAGER, None, None, "level"),
    ("realestate.delay_keep_discount", 1, r.SALES_MANAGER, Decimal("7"), Decimal("15"), ALL),
    ("realestate.delay_keep_discount", 1, r.MARKETING_DIRECTOR, Decimal("15"), Decimal("15"), ALL),
    ("realestate.delay_keep_discount", 1, r.GENERAL_MANAGER, Decimal("30"), Decimal("15"), ALL),
    ("realestate.delay_lose_discount", 1, r.SALES_MANAGER, Decimal("15"), Decimal("15"), ALL),
    ("realestate.delay_lose_discount", 1, r.MARKETING_DIRECTOR, Decimal("30"), Decimal("15"), ALL),
    ("realestate.delay_lose_discount", 1, r.GENERAL_MANAGER, Decimal("60"), Decimal("15"), ALL),
    ("realestate.rename", 1, r.SALES_MANAGER, None, Decimal("30"), "level"),
    ("realestate.exchange_larger", 1, r.SALES_MANAGER, None, None, "level"),
    ("realestate.exchange_smaller", 1, r.MARKETING_DIRECTOR, None, None, "level"),
    ("realestate.cancel_before_contract", 1, r.MARKETING_DIRECTOR, None, None, "level"),
    ("realestate.cancel_after_contract", 1, r.MARKETING_DIRECTOR, None, None, "level"),
    ("realestate.cancel_after_contract", 2, r.GENERAL_MANAGER, None, None, "level"),
    ("realestate.price_change", 1, r.MARKETING_DIRECTOR, None, None, "level"),
    ("realestate.price_change", 2, r.GENERAL_MANAGER, None, None, "level"),
    ("warehouse.over_receipt", 1, r.MARKETING_DIRECTOR, None, None, "level"),
    ("warehouse.spot_price_exception", 1, r.SALES_MANAGER, None, None, "level"),
    ("warehouse.stock_adjustment", 1, r.FINANCE, None, None, "level"),
    ("warehouse.stock_adjustment", 2, r.GENERAL_MANAGER, None, None, "level"),
    ("leads.quote_discount", 1, r.SALES_MANAGER, DEFAULT_STORE_QUOTE_DISCOUNT_LIMIT, None, "level"),
    ("leads.quote_discount", 1, r.GENERAL_MANAGER, None, None, "level"),
    ("leads.lost_lead", 1, r.SHOWROOM_MANAGER, None, None, "level"),
    # The issue of customer identity: the showroom manager settles who owns a customer; a property
    # site has no showroom manager, its sales manager does.
    ("customers.ownership_transfer", 1, r.SHOWROOM_MANAGER, None, None, "level"),
    ("customers.ownership_transfer_property", 1, r.SALES_MANAGER, None, None, "level"),
]


def kind_label(code: str):
    from showroom.registry import approval_kind

    registered = approval_kind(code)
    if registered is not None:
        return registered.label
    return KINDS.get(code, (code, "none"))[0]


def kind_unit(code: str) -> str:
    from showroom.registry import approval_kind

    registered = approval_kind(code)
    if registered is not None:
        return registered.unit
    return KINDS.get(code, (code, "none"))[1]


@reference_step("authority_rules")
def ensure_authority_rules() -> None:
    from showroom.models import AuthorityRule, Role

    roles = {role.code: role for role in Role.objects.all()}
    for kind, step, role_code, limit, quota, counts in RULES:
        AuthorityRule.objects.get_or_create(
            kind=kind,
            step=step,
            role=roles[role_code],
            store=None,
            defaults={"limit": limit, "quota": quota, "quota_counts": counts},
        )


def quota_group(code: str) -> str:
    from showroom.registry import approval_kind

    registered = approval_kind(code)
    if registered is not None and registered.quota_group:
        return registered.quota_group
    return QUOTA_GROUPS.get(code, code)


def kinds_in_quota_group(group: str) -> list[str]:
    from showroom.registry import registry

    codes = set(KINDS) | set(registry.approval_kinds)
    return sorted(code for code in codes if quota_group(code) == group)
