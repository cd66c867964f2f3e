"""Loan schedules for car finance and property mortgages.

Two methods: equal instalments (等额本息: the same payment each month) and equal principal
(等额本金: the same principal each month, interest on the remaining balance). A loan may have
several parts with their own rate and term (a commercial loan plus a provident-fund loan); the
combined schedule adds the parts month by month. Every figure is a Decimal rounded half-up to the
cent; the last instalment absorbs the rounding so the balance ends at exactly zero.
"""

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from showroom.money import money, to_decimal

TWELVE = Decimal(12)
HUNDRED = Decimal(100)


class Method(StrEnum):
    EQUAL_INSTALMENT = "equal_instalment"
    EQUAL_PRINCIPAL = "equal_principal"


@dataclass(frozen=True)
class LoanPart:
    principal: Decimal
    annual_rate_percent: Decimal  # 4.9 means 4.9 % a year
    months: int
    label: str = ""

    def __post_init__(self) -> None:
        if self.months <= 0:
            raise ValueError("A loan runs for at least one month.")
        if to_decimal(self.principal) < 0 or to_decimal(self.annual_rate_percent) < 0:
            raise ValueError("Principal and rate cannot be negative.")


@dataclass(frozen=True)
class Instalment:
    month: int
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Schedule:
    rows: list[Instalment]

    @property
    def total_payment(self) -> Decimal:
        return sum((r.payment for r in self.rows), Decimal("0.00"))

    @property
    def total_interest(self) -> Decimal:
        return sum((r.interest for r in self.rows), Decimal("0.00"))

    @property
    def total_principal(self) -> Decimal:
        return sum((r.principal for r in self.rows), Decimal("0.00"))

    @property
    def first_payment(self) -> Decimal:
        return self.rows[0].payment if self.rows else Decimal("0.00")


def monthly_rate(annual_rate_percent) -> Decimal:
    return to_decimal(annual_rate_percent) / HUNDRED / TWELVE


def equal_instalment_payment(principal, annual_rate_percent, months: int) -> Decimal:
    """P·r·(1+r)^n / ((1+r)^n − 1), rounded to the cent (the figure banks quote)."""
    principal = to_decimal(principal)
    with localcontext() as ctx:
        ctx.prec = 40
        r = monthly_rate(annual_rate_percent)
        if r == 0:
            return money(principal / months)
        growth = (1 + r) ** months
        return money(principal * r * growth / (growth - 1))


def _schedule_part(part: LoanPart, method: Method) -> list[Instalment]:
    principal = money(part.principal)
    r = monthly_rate(part.annual_rate_percent)
    rows: list[Instalment] = []
    balance = principal
    if method is Method.EQUAL_INSTALMENT:
        payment = equal_instalment_payment(principal, part.annual_rate_percent, part.months)
        for month in range(1, part.months + 1):
            interest = money(balance * r)
            if month == part.months:
                principal_paid = balance
                pay = principal_paid + interest
            else:
                # A payment rounded up to the fen repays a little more than due each month; on a
                # small loan over many years that drift can exceed what is left before the last
                # month (1,090 yuan at 10.90 % over 339 months): never repay more than the balance.
                principal_paid = min(payment - interest, balance)
                pay = principal_paid + interest
            balance = balance - principal_paid
            rows.append(Instalment(month, money(pay), money(principal_paid), interest, money(balance)))
    else:
        base = money(principal / part.months)
        for month in range(1, part.months + 1):
            interest = money(balance * r)
            principal_paid = balance if month == part.months else base
            balance = balance - principal_paid
            rows.append(
                Instalment(month, money(principal_paid + interest), money(principal_paid), interest, money(balance))
            )
    return rows


def schedule(parts: list[LoanPart] | LoanPart, method: Method | str = Method.EQUAL_INSTALMENT) -> Schedule:
    """The monthly schedule of one loan or of several parts added month by month."""
    parts = [parts] if isinstance(parts, LoanPart) else list(parts)
    method = Method(method)
    per_part = [_schedule_part(p, method) for p in parts]
    months = max((len(rows) for rows in per_part), default=0)
    combined = []
    for i in range(months):
        present = [rows[i] for rows in per_part if i < len(rows)]
        balance = sum((rows[i].balance if i < len(rows) else Decimal("0.00")) for rows in per_part)
        combined.append(
            Instalment(
                month=i + 1,
                payment=sum((r.payment for r in present), Decimal("0.00")),
                principal=sum((r.principal for r in present), Decimal("0.00")),
                interest=sum((r.interest for r in present), Decimal("0.00")),
                balance=money(balance),
            )
        )
    return Schedule(rows=combined)
