"""Money and rates: Decimal everywhere, rounded half-up to the cent where stored or shown."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def to_decimal(value) -> Decimal:
    """Parse ``1,234.50``, ``1234.5``, ints and Decimals; never floats (they are refused)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("Money is never a float; pass a string or a Decimal.")
    if isinstance(value, int):
        return Decimal(value)
    text = str(value).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


def money(value) -> Decimal:
    """Round to the cent, half-up (the bank's and the tax office's rule)."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_cny(value) -> str:
    amount = money(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


class Percent:
    """A rate given in percent (``Percent("1.5")`` is 1.5 %), kept exact as a Decimal."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = to_decimal(value)

    @classmethod
    def from_fraction(cls, fraction) -> "Percent":
        return cls(to_decimal(fraction) * HUNDRED)

    @property
    def fraction(self) -> Decimal:
        return self.value / HUNDRED

    def of(self, amount) -> Decimal:
        return money(to_decimal(amount) * self.fraction)

    def __eq__(self, other) -> bool:
        return isinstance(other, Percent) and self.value == other.value

    def __lt__(self, other: "Percent") -> bool:
        return self.value < other.value

    def __le__(self, other: "Percent") -> bool:
        return self.value <= other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Percent({self.value})"

    def __str__(self) -> str:
        return f"{self.value.normalize():f}%"
