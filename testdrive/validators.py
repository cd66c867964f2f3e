"""Validators of the test-drive app: the VIN check digit and the driving licence.

The VIN check digit (position 9) follows ISO 3779's North American scheme (49 CFR 565); China's
GB 16735 uses the same transliteration, weights and remainder, with "X" for 10.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_LICENCE_RE = re.compile(r"^[0-9A-Z]{12,18}$")


def vin_check_digit(vin: str) -> str:
    """The check digit ("0"–"9" or "X") of a 17-character VIN (the 9th character is ignored)."""
    total = sum(_TRANSLITERATION[ch] * weight for ch, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_normalise(value: str) -> str:
    return re.sub(r"[\s-]", "", str(value or "")).upper()


def validate_vin(value: str) -> None:
    vin = vin_normalise(value)
    if not _VIN_RE.match(vin):
        raise ValidationError(
            _("A VIN has 17 letters and digits, without I, O or Q."),
            code="vin_format",
        )
    if vin[8] != vin_check_digit(vin):
        raise ValidationError(
            _("The VIN's check digit (9th character) does not match: check the VIN for a typing error."),
            code="vin_check_digit",
        )


def licence_number_normalise(value: str) -> str:
    return re.sub(r"\s", "", str(value or "")).upper()


def licence_problems(*, number: str, licence_class: str, expiry: dt.date | None, today: dt.date) -> dict[str, list]:
    """Field messages for a driving licence that does not allow a test drive today."""
    from testdrive.models import Booking

    errors: dict[str, list] = {}
    if not number:
        errors["licence_number"] = [_("Enter the licence number.")]
    elif not _LICENCE_RE.match(number):
        errors["licence_number"] = [_("A licence number has 12 to 18 letters and digits.")]
    if not licence_class:
        errors["licence_class"] = [_("Choose the licence class.")]
    elif licence_class not in Booking.CAR_CLASSES:
        errors["licence_class"] = [
            _("Licence class %(cls)s does not allow driving a car (needs %(classes)s).")
            % {"cls": licence_class, "classes": ", ".join(Booking.CAR_CLASSES)}
        ]
    if expiry is None:
        errors["licence_expiry"] = [_("Enter the date the licence is valid until.")]
    elif expiry < today:
        errors["licence_expiry"] = [
            _("The licence expired on %(date)s: an expired licence cannot be accepted.") % {"date": expiry.isoformat()}
        ]
    return errors
