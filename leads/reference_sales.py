"""Reference data of car sales: the vehicle purchase-tax rule table (车辆购置税). A change of law
is a new row in the admin, never a code change; this step only creates the rows that are missing
(by their start date) and never overwrites an edited one.

- 10 % of the price excluding VAT (13 %).
- New-energy vehicles: exempt from 2014-09-01 to 2023-12-31; exempt up to 30,000 CNY a car for
  purchases in 2024–2025; halved, the reduction capped at 15,000 CNY a car, for 2026–2027
  (财政部 税务总局 工业和信息化部公告 2023年第10号). The rule in force on the invoice date applies.
"""

import datetime as dt
from decimal import Decimal

from showroom.reference import reference_step

# (valid from, valid to, rate %, NEV relief % of the tax, relief cap a car, basis)
PURCHASE_TAX_RULES = [
    (dt.date(2014, 9, 1), dt.date(2023, 12, 31), "10", "100", None, "新能源汽车免征车辆购置税"),
    (dt.date(2024, 1, 1), dt.date(2025, 12, 31), "10", "100", "30000", "2024–2025 免征，每辆车免税额不超过3万元"),
    (dt.date(2026, 1, 1), dt.date(2027, 12, 31), "10", "50", "15000", "2026–2027 减半征收，每辆车减税额不超过1.5万元"),
    (dt.date(2028, 1, 1), None, "10", "0", None, "车辆购置税 10%"),
]


@reference_step("purchase_tax_rules")
def ensure_purchase_tax_rules() -> None:
    from leads.models import PurchaseTaxRule

    existing = set(PurchaseTaxRule.objects.values_list("valid_from", flat=True))
    PurchaseTaxRule.objects.bulk_create(
        [
            PurchaseTaxRule(
                valid_from=start,
                valid_to=end,
                rate_percent=Decimal(rate),
                nev_relief_percent=Decimal(relief),
                nev_relief_cap=Decimal(cap) if cap else None,
                note=note,
            )
            for start, end, rate, relief, cap, note in PURCHASE_TAX_RULES
            if start not in existing
        ]
    )
