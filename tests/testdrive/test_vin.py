"""The VIN check digit (ISO 3779 / 49 CFR 565, the same in GB 16735)."""

import pytest
from django.core.exceptions import ValidationError

from testdrive.validators import validate_vin, vin_check_digit


@pytest.mark.parametrize(
    "vin",
    [
        "1M8GDM9AXKP042788",  # the textbook example (check digit X)
        "11111111111111111",  # all ones: weights sum to 89 → 1
        "LSGUA84K0PA100231",
    ],
)
def test_a_vin_with_its_check_digit_is_accepted(vin):
    # given a VIN whose 9th character is its check digit
    assert vin[8] == vin_check_digit(vin)
    # then it validates
    validate_vin(vin)


def test_a_typing_error_breaks_the_check_digit():
    # given the textbook VIN with one digit changed
    with pytest.raises(ValidationError) as exc:
        validate_vin("1M8GDM9AXKP042789")
    # then the check digit is named
    assert exc.value.code == "vin_check_digit"


@pytest.mark.parametrize("vin", ["1M8GDM9AXKP04278", "1M8GDM9AXKP0427881", "IM8GDM9AXKP042788", ""])
def test_a_vin_of_the_wrong_shape_is_refused(vin):
    with pytest.raises(ValidationError) as exc:
        validate_vin(vin)
    assert exc.value.code == "vin_format"
