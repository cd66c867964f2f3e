"""The loan calculator on a quote (the core's amortisation helper does the arithmetic) and the
documents the customer signs, each with the explanation shown to the customer."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from showroom.amortisation import LoanPart, Method, schedule
from showroom.money import money, to_decimal

HUNDRED = Decimal("100")

# (code, title, explanation) — what the quote page lists under "Documents you will sign".
SIGNING_DOCUMENTS = [
    (
        "order_contract",
        gettext_lazy("Vehicle purchase contract (order)"),
        gettext_lazy(
            "States the car (trim, colour and, once allocated, the VIN), the price after discount, the "
            "deposit and the balance, the expected pickup date and what happens to the deposit if either "
            "side cancels."
        ),
    ),
    (
        "deposit_receipt",
        gettext_lazy("Deposit receipt"),
        gettext_lazy("Numbered receipt of the deposit you pay; keep it — the deposit is deducted from the balance."),
    ),
    (
        "loan_application",
        gettext_lazy("Loan application and contract (with finance only)"),
        gettext_lazy(
            "The lender's contract: amount borrowed, term, annual rate, the repayment method (equal "
            "instalments or equal principal) and the monthly schedule. The lender decides on approval."
        ),
    ),
    (
        "mortgage",
        gettext_lazy("Vehicle mortgage registration (with finance only)"),
        gettext_lazy("The car is registered as security for the loan until it is repaid."),
    ),
    (
        "insurance",
        gettext_lazy("Insurance policies"),
        gettext_lazy(
            "Compulsory traffic insurance (交强险) and the commercial cover you chose; the insurer, the "
            "cover and the premium are printed on each policy."
        ),
    ),
    (
        "trade_in",
        gettext_lazy("Used-car transfer agreement (with a trade-in only)"),
        gettext_lazy("Transfers your used car at the appraised offer, which is credited on this quote."),
    ),
    (
        "handover",
        gettext_lazy("Vehicle handover form"),
        gettext_lazy("Signed at delivery after checking the car, its documents and the keys."),
    ),
]


def loan_calculate(
    *,
    price,
    months,
    annual_rate,
    down_payment=None,
    down_share=None,
    method: str = Method.EQUAL_INSTALMENT,
) -> dict:
    """The loan on ``price`` after a down payment (an amount, or a share in percent): monthly
    payment (the first for equal principal), total interest and the full schedule."""
    errors: dict[str, list[str]] = {}

    def parse(value, field):
        try:
            return to_decimal(value)
        except (ValueError, TypeError, InvalidOperation):
            errors[field] = [_("Enter a number.")]
            return None

    price = parse(price, "price")
    rate = parse(annual_rate, "annual_rate")
    try:
        months = int(months)
        if not 1 <= months <= 600:
            errors["months"] = [_("Choose between 1 and 600 months.")]
    except (TypeError, ValueError):
        errors["months"] = [_("Enter the number of months.")]
    if method not in [m.value for m in Method]:
        errors["method"] = [_("Choose equal instalments or equal principal.")]
    down = Decimal("0")
    if down_payment not in (None, ""):
        down = parse(down_payment, "down_payment")
    elif down_share not in (None, ""):
        share = parse(down_share, "down_share")
        if share is not None and not 0 <= share <= 100:
            errors["down_share"] = [_("A share is between 0 and 100 %.")]
        elif share is not None and price is not None:
            down = money(price * share / HUNDRED)
    if price is not None and price <= 0:
        errors["price"] = [_("Enter a price above zero.")]
    if rate is not None and not 0 <= rate <= 36:
        errors["annual_rate"] = [_("Enter an annual rate between 0 and 36 %.")]
    if down is not None and price is not None and not 0 <= down < price:
        errors["down_payment"] = [_("The down payment is at least zero and below the price.")]
    if errors:
        raise ValidationError(errors)
    principal = money(price - down)
    plan = schedule(LoanPart(principal=principal, annual_rate_percent=rate, months=months), Method(method))
    return {
        "price": money(price),
        "down_payment": money(down),
        "principal": principal,
        "months": months,
        "annual_rate": rate,
        "method": Method(method).value,
        "monthly_payment": plan.first_payment,
        "total_interest": plan.total_interest,
        "total_payment": plan.total_payment,
        "rows": plan.rows,
    }
