"""Validators shared by every app: Chinese mobile, resident ID, VIN, licence plate."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric


def normalize_mobile(value: str) -> str:
    """Return a Chinese mobile number in E.164 (``+8613812345678``), or raise ValidationError.
    Customers are identified by this form, so every way of typing a number finds the same one."""
    raw = re.sub(r"[\s\-()]", "", str(value or ""))
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid Chinese mobile number."), code="invalid_mobile") from exc
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(_("Enter a valid Chinese mobile number."), code="invalid_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_cn_mobile(value: str) -> None:
    normalize_mobile(value)


def national_mobile(value: str) -> str:
    """The 11 digits people read and dial (``13812345678``) of a stored E.164 number."""
    value = str(value or "")
    return value[3:] if value.startswith("+86") else value


def normalize_resident_id(value: str) -> str:
    raw = str(value or "").strip().upper()
    try:
        return ric.validate(raw)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(_("The resident ID number's check digit is wrong."), code="invalid_id_checksum") from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(_("Enter a valid 18-digit resident ID number."), code="invalid_id") from exc


def validate_resident_id(value: str) -> None:
    if value:
        normalize_resident_id(value)


_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin_check_digit(vin: str) -> str:
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(value: str) -> None:
    """17 characters without I, O, Q, and the ninth one the ISO 3779 check digit (used in China, GB 16735)."""
    vin = str(value or "").strip().upper()
    if not re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", vin):
        raise ValidationError(_("A VIN has 17 letters and digits, without I, O or Q."), code="invalid_vin")
    if vin[8] != vin_check_digit(vin):
        raise ValidationError(_("The VIN's check digit is wrong."), code="invalid_vin_checksum")


_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_RE = re.compile(
    rf"^[{_PROVINCES}][A-HJ-NP-Z]"  # province and issuing city letter
    r"(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]"  # ordinary blue/yellow plates
    r"|[DF][A-HJ-NP-Z0-9]{5}"  # new-energy small cars: D/F then 5
    r"|[A-HJ-NP-Z0-9]{5}[DF])$"  # new-energy large vehicles: 5 then D/F
)


def validate_licence_plate(value: str) -> None:
    plate = str(value or "").strip().upper().replace(" ", "").replace("·", "")
    if not _PLATE_RE.match(plate):
        raise ValidationError(_("Enter a valid Chinese licence plate, e.g. 沪A12345."), code="invalid_plate")


def mask_mobile(value: str) -> str:
    value = national_mobile(value)
    return f"{value[:3]}****{value[-4:]}" if len(value) >= 8 else "****"


def mask_id_number(value: str) -> str:
    value = str(value or "")
    return f"{value[:6]}********{value[-4:]}" if len(value) >= 10 else ("" if not value else "****")
