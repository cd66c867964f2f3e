"""Demo data of the warehouse: store car01's warehouse with a hundred items across the four
tracking kinds (twenty cars with valid VINs among them), orders and receipts in every state, a
transfer, a trade-in, and stock moves. Registered as the ``warehouse`` seeder; idempotent."""

from showroom.registry import register_seeder

_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit(vin: str) -> str:
    """The 9th character of a 17-character VIN (ISO 3779, North American check digit): the
    weighted sum of the transliterated characters modulo 11, 10 written as X."""
    vin = vin.upper()
    if len(vin) != 17 or any(ch not in _VIN_VALUES for ch in vin):
        raise ValueError(f"Not a VIN body: {vin!r}")
    total = sum(_VIN_VALUES[ch] * w for ch, w in zip(vin, _VIN_WEIGHTS, strict=True))
    rest = total % 11
    return "X" if rest == 10 else str(rest)


def vin_is_valid(vin: str) -> bool:
    try:
        return vin_check_digit(vin) == vin.upper()[8]
    except ValueError:
        return False


def seed_warehouse(*, stdout) -> None:
    from warehouse.demo_data import seed

    seed(stdout=stdout)


register_seeder("warehouse", seed_warehouse, depends_on=["core"])
