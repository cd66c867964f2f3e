"""The mortgage calculator (房贷计算器): the down payment, the loan in one or two parts
(commercial, provident fund, or both, each with its own rate and term) and the monthly schedule,
all from the core's amortisation helper. Pure arithmetic: no queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from showroom.amortisation import LoanPart, Method, Schedule, schedule
from showroom.money import Percent, money, to_decimal

COMMERCIAL = "commercial"
PROVIDENT = "provident"
COMBINED = "combined"
LOAN_TYPES = (COMMERCIAL, PROVIDENT, COMBINED)
MAX_YEARS = 30
# Defaults shown on the form (editable there): a common commercial rate and the provident-fund
# rate above five years; the buyer types his bank's.
DEFAULTS = {
    "down_payment_pct": Decimal("30"),
    "commercial_rate": Decimal("3.50"),
    "provident_rate": Decimal("2.85"),
    "commercial_years": 30,
    "provident_years": 30,
}


@dataclass(frozen=True)
class MortgageResult:
    price: Decimal
    down_payment: Decimal
    loan: Decimal
    parts: list[LoanPart]
    schedule: Schedule

    @property
    def total_interest(self) -> Decimal:
        return self.schedule.total_interest

    @property
    def total_payment(self) -> Decimal:
        return self.schedule.total_payment

    @property
    def first_payment(self) -> Decimal:
        return self.schedule.first_payment

    @property
    def monthly_decrease(self) -> Decimal:
        """Equal principal: how much each month's payment falls (the first two months apart)."""
        rows = self.schedule.rows
        return rows[0].payment - rows[1].payment if len(rows) > 1 else Decimal("0.00")


def _decimal(data: dict, key: str, errors: dict, *, low=Decimal("0"), high=None) -> Decimal:
    raw = data.get(key)
    if raw in (None, ""):
        raw = DEFAULTS.get(key)
    try:
        value = to_decimal(raw)
    except (TypeError, ValueError, InvalidOperation):
        errors[key] = [_("Not a number.")]
        return Decimal("0")
    if value < low or (high is not None and value > high):
        errors[key] = [_("Between %(low)s and %(high)s.") % {"low": low, "high": high if high is not None else "∞"}]
    return value


def _years(data: dict, key: str, errors: dict) -> int:
    raw = data.get(key) or DEFAULTS[key]
    try:
        value = int(raw)
    except (TypeError, ValueError):
        errors[key] = [_("Give a whole number of years.")]
        return 1
    if not 1 <= value <= MAX_YEARS:
        errors[key] = [_("From 1 to %(max)s years.") % {"max": MAX_YEARS}]
    return value


def mortgage_compute(*, data: dict) -> MortgageResult:
    """``data``: price, down_payment_pct, loan_type, method, commercial_rate, commercial_years,
    provident_rate, provident_years, provident_amount (combined: the provident part; the rest is
    commercial). Raises ValidationError with field messages."""
    errors: dict[str, list[str]] = {}
    price = _decimal(data, "price", errors, low=Decimal("0.01"))
    pct = _decimal(data, "down_payment_pct", errors, high=Decimal("100"))
    loan_type = data.get("loan_type") or COMMERCIAL
    if loan_type not in LOAN_TYPES:
        errors["loan_type"] = [_("Choose commercial, provident fund or combined.")]
    method = data.get("method") or Method.EQUAL_INSTALMENT
    if method not in Method._value2member_map_:
        errors["method"] = [_("Choose equal instalments or equal principal.")]
    commercial_rate = _decimal(data, "commercial_rate", errors, high=Decimal("30"))
    provident_rate = _decimal(data, "provident_rate", errors, high=Decimal("30"))
    commercial_years = _years(data, "commercial_years", errors)
    provident_years = _years(data, "provident_years", errors)
    provident_amount = _decimal(data, "provident_amount", errors) if loan_type == COMBINED else Decimal("0")
    if errors:
        raise ValidationError(errors)
    down = Percent(pct).of(price)
    loan = money(price - down)
    parts: list[LoanPart] = []
    if loan_type == COMMERCIAL:
        parts = [LoanPart(loan, commercial_rate, commercial_years * 12, label=COMMERCIAL)]
    elif loan_type == PROVIDENT:
        parts = [LoanPart(loan, provident_rate, provident_years * 12, label=PROVIDENT)]
    else:
        provident_amount = money(provident_amount)
        if provident_amount <= 0 or provident_amount >= loan:
            raise ValidationError(
                {
                    "provident_amount": [
                        _("The provident-fund part is above zero and below the loan %(loan)s.") % {"loan": loan}
                    ]
                }
            )
        parts = [
            LoanPart(provident_amount, provident_rate, provident_years * 12, label=PROVIDENT),
            LoanPart(loan - provident_amount, commercial_rate, commercial_years * 12, label=COMMERCIAL),
        ]
    parts = [p for p in parts if p.principal > 0]
    return MortgageResult(
        price=money(price), down_payment=down, loan=loan, parts=parts, schedule=schedule(parts, method)
    )
