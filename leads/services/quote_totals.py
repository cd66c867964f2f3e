"""The one computation of a quote's money: the vehicle purchase tax from the dated rule table and
the totals. Pure functions of their arguments (plus the rule table), every figure a Decimal rounded
half-up to the cent at each printed step, so a hand computation on paper gives the same numbers.

    vehicle net      = vehicle price − discount
    tax base         = vehicle net / (1 + VAT %)                       (rounded)
    purchase tax     = tax base × rate %                               (rounded)
    new-energy relief = min(purchase tax × relief %, cap)              (rounded; 0 for other cars)
    tax due          = purchase tax − relief
    total            = vehicle net + accessories + insurance/warranty/services + fees
                       + tax due − trade-in credit
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from leads.models import PurchaseTaxRule, QuoteLine
from showroom.money import money

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class PurchaseTax:
    base: Decimal
    gross: Decimal
    relief: Decimal
    due: Decimal
    rule: PurchaseTaxRule


@dataclass(frozen=True)
class QuoteTotals:
    vehicle_price: Decimal
    discount: Decimal
    vehicle_net: Decimal
    accessories: Decimal
    services: Decimal
    fees: Decimal
    purchase_tax: PurchaseTax
    trade_in_credit: Decimal
    total: Decimal


def purchase_tax_rule_for(*, on: dt.date) -> PurchaseTaxRule:
    """The rule in force on ``on`` (the invoice date); 400 when the table has none."""
    rule = PurchaseTaxRule.objects.filter(valid_from__lte=on).exclude(valid_to__lt=on).order_by("-valid_from").first()
    if rule is None:
        raise ValidationError({"invoice_date": [_("No purchase-tax rule is in force on %(day)s.") % {"day": on}]})
    return rule


def purchase_tax_compute(
    *, price: Decimal, is_nev: bool, on: dt.date, rule: PurchaseTaxRule | None = None
) -> PurchaseTax:
    """车辆购置税 of a car invoiced at ``price`` (VAT included) on ``on``."""
    rule = rule or purchase_tax_rule_for(on=on)
    base = money(Decimal(price) / (1 + rule.vat_percent / HUNDRED))
    gross = money(base * rule.rate_percent / HUNDRED)
    relief = ZERO
    if is_nev and rule.nev_relief_percent:
        relief = money(gross * rule.nev_relief_percent / HUNDRED)
        if rule.nev_relief_cap is not None:
            relief = min(relief, rule.nev_relief_cap)
    return PurchaseTax(base=base, gross=gross, relief=relief, due=gross - relief, rule=rule)


def line_amount(*, quantity: Decimal, unit_price: Decimal) -> Decimal:
    return money(Decimal(quantity) * Decimal(unit_price))


def quote_totals_compute(
    *,
    vehicle_price: Decimal,
    discount: Decimal,
    lines: Iterable[tuple[str, Decimal]],
    is_nev: bool,
    invoice_date: dt.date,
    trade_in_credit: Decimal = ZERO,
) -> QuoteTotals:
    """``lines`` are (kind, amount) pairs of the quote's lines."""
    vehicle_price, discount = money(vehicle_price), money(discount)
    vehicle_net = vehicle_price - discount
    sums = {"accessory": ZERO, "services": ZERO, "fee": ZERO}
    for kind, amount in lines:
        if kind == QuoteLine.Kind.ACCESSORY:
            sums["accessory"] += money(amount)
        elif kind == QuoteLine.Kind.FEE:
            sums["fee"] += money(amount)
        else:
            sums["services"] += money(amount)
    tax = purchase_tax_compute(price=vehicle_net, is_nev=is_nev, on=invoice_date)
    credit = money(trade_in_credit)
    total = vehicle_net + sums["accessory"] + sums["services"] + sums["fee"] + tax.due - credit
    return QuoteTotals(
        vehicle_price=vehicle_price,
        discount=discount,
        vehicle_net=vehicle_net,
        accessories=sums["accessory"],
        services=sums["services"],
        fees=sums["fee"],
        purchase_tax=tax,
        trade_in_credit=credit,
        total=total,
    )
