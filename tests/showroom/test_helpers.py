"""Money, amortisation and validators."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from showroom.amortisation import LoanPart, Method, equal_instalment_payment, schedule
from showroom.money import Percent, format_cny, money, to_decimal
from showroom.validators import (
    mask_mobile,
    normalize_mobile,
    validate_licence_plate,
    validate_resident_id,
    validate_vin,
)


class TestMoney:
    def test_half_up_to_the_cent(self):
        assert money("2.675") == Decimal("2.68")
        assert money("-2.675") == Decimal("-2.68")
        assert money("1,234.5") == Decimal("1234.50")

    def test_floats_are_refused(self):
        with pytest.raises(TypeError):
            to_decimal(0.1)

    def test_format_and_percent(self):
        assert format_cny(Decimal("1234567.891")) == "¥1,234,567.89"
        assert Percent("1.5").of("200000") == Decimal("3000.00")
        assert Percent.from_fraction("0.015") == Percent("1.5")
        assert str(Percent("3")) == "3%"


class TestAmortisation:
    def test_reproduces_the_bank_figure(self):
        assert equal_instalment_payment(Decimal("1000000"), Decimal("4.9"), 360) == Decimal("5307.27")
        plan = schedule(LoanPart(Decimal("1000000"), Decimal("4.9"), 360))
        assert plan.rows[0].payment == Decimal("5307.27")
        assert plan.rows[-1].balance == Decimal("0.00")
        assert plan.total_principal == Decimal("1000000.00")

    def test_equal_principal_totals_match_an_independent_computation(self):
        principal, rate, months = Decimal("600000"), Decimal("4.2"), 240
        plan = schedule(LoanPart(principal, rate, months), Method.EQUAL_PRINCIPAL)
        r = rate / 100 / 12
        base = (principal / months).quantize(Decimal("0.01"), ROUND_HALF_UP)
        # Independent: interest on the opening balance of each month, summed.
        balances = [principal - base * k for k in range(months)]
        expected_interest = sum((b * r).quantize(Decimal("0.01"), ROUND_HALF_UP) for b in balances)
        assert plan.total_interest == expected_interest
        assert plan.total_principal == principal
        assert plan.total_payment == principal + expected_interest
        # Closed form (unrounded): P·r·(n+1)/2, within a cent per month of rounding.
        closed = principal * r * (months + 1) / 2
        assert abs(plan.total_interest - closed) < Decimal("0.01") * months
        assert plan.rows[0].payment > plan.rows[-1].payment
        assert plan.rows[0].principal == base

    def test_a_loan_in_two_parts_adds_month_by_month(self):
        commercial = LoanPart(Decimal("700000"), Decimal("4.9"), 360, "commercial")
        fund = LoanPart(Decimal("300000"), Decimal("3.25"), 240, "provident fund")
        plan = schedule([commercial, fund])
        a, b = schedule(commercial), schedule(fund)
        assert len(plan.rows) == 360
        assert plan.rows[0].payment == a.rows[0].payment + b.rows[0].payment
        assert plan.rows[300].payment == a.rows[300].payment
        assert plan.total_principal == Decimal("1000000.00")

    @settings(max_examples=40, deadline=None)
    # found by a clean-clone run: the rounded-up payment overpaid the balance before the last month
    @example(principal=1090, rate=Decimal("10.90"), months=339, method=Method.EQUAL_INSTALMENT)
    @given(
        principal=st.integers(min_value=1000, max_value=5_000_000),
        rate=st.decimals(min_value=0, max_value=12, places=2),
        months=st.integers(min_value=1, max_value=360),
        method=st.sampled_from(list(Method)),
    )
    def test_any_schedule_repays_exactly_the_principal(self, principal, rate, months, method):
        plan = schedule(LoanPart(Decimal(principal), rate, months), method)
        assert plan.total_principal == Decimal(principal)
        assert plan.rows[-1].balance == 0
        assert all(row.interest >= 0 for row in plan.rows)


class TestValidators:
    def test_mobile(self):
        assert normalize_mobile("+86 138-1234-5678") == "+8613812345678"
        for bad in ["12345678901", "021 64581234", "1381234567", "abc"]:
            with pytest.raises(ValidationError):
                normalize_mobile(bad)
        assert mask_mobile("13812345678") == mask_mobile("+8613812345678") == "138****5678"

    def test_resident_id(self):
        validate_resident_id("11010519491231002X")
        with pytest.raises(ValidationError, match="check digit"):
            validate_resident_id("110105194912310021")

    def test_vin(self):
        validate_vin("1M8GDM9AXKP042788")
        with pytest.raises(ValidationError, match="check digit"):
            validate_vin("1M8GDM9A1KP042788")
        with pytest.raises(ValidationError):
            validate_vin("1M8GDM9AXKP04278O")

    @pytest.mark.parametrize("plate", ["沪A12345", "京B·D12345", "粤B12345D", "苏E1234学"])
    def test_plate_ok(self, plate):
        validate_licence_plate(plate)

    @pytest.mark.parametrize("plate", ["A12345", "沪I12345", "沪A1234", "XX12345"])
    def test_plate_bad(self, plate):
        with pytest.raises(ValidationError):
            validate_licence_plate(plate)
