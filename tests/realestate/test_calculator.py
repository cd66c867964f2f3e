"""The mortgage calculator: equal principal against figures worked out by hand, equal instalments
against the banks' published figure, a combined loan as the sum of its parts, and the pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from realestate.mortgage import mortgage_compute
from showroom.amortisation import LoanPart, schedule
from tests.realestate.conftest import subscribe_through


def test_equal_principal_first_month_monthly_decrease_and_total_interest():
    # 360,000 over 360 months at 6 % a year (0.5 % a month): principal 1,000 a month; month k pays
    # interest on 360,000 − 1,000(k−1), i.e. 1,800 − 5(k−1). First month 2,800; each month 5 less;
    # total interest 0.005 × 1,000 × (360 + 359 + … + 1) = 5 × 64,980 = 324,900.
    result = mortgage_compute(
        data={
            "price": "360000",
            "down_payment_pct": "0",
            "loan_type": "commercial",
            "commercial_rate": "6",
            "commercial_years": "30",
            "method": "equal_principal",
        }
    )
    rows = result.schedule.rows
    assert result.loan == Decimal("360000.00") and len(rows) == 360
    assert result.first_payment == Decimal("2800.00")
    assert result.monthly_decrease == Decimal("5.00")
    assert all(rows[i].payment - rows[i + 1].payment == Decimal("5.00") for i in range(359))
    assert result.total_interest == Decimal("324900.00")
    assert rows[-1].payment == Decimal("1005.00") and rows[-1].balance == Decimal("0.00")


def test_equal_instalments_match_the_banks_figure_and_the_down_payment_share():
    # 1,000,000 at 4.9 % over 30 years: 5,307.27 a month (the figure every bank table shows).
    result = mortgage_compute(
        data={"price": "1428571.43", "down_payment_pct": "30", "commercial_rate": "4.9", "commercial_years": "30"}
    )
    assert result.down_payment == Decimal("428571.43")  # 30 % of 1,428,571.43 = 428,571.429
    assert result.loan == Decimal("1000000.00")
    assert result.first_payment == Decimal("5307.27")
    assert result.schedule.rows[-1].balance == Decimal("0.00")


def test_a_combined_loan_equals_the_sum_of_its_parts():
    data = {
        "price": "1000000",
        "down_payment_pct": "50",
        "loan_type": "combined",
        "provident_amount": "200000",
        "provident_rate": "3.25",
        "provident_years": "20",
        "commercial_rate": "4.9",
        "commercial_years": "30",
    }
    for method in ("equal_instalment", "equal_principal"):
        result = mortgage_compute(data={**data, "method": method})
        provident = schedule(LoanPart(Decimal("200000"), Decimal("3.25"), 240), method)
        commercial = schedule(LoanPart(Decimal("300000"), Decimal("4.9"), 360), method)
        assert result.total_interest == provident.total_interest + commercial.total_interest
        assert len(result.schedule.rows) == 360
        for i in (0, 100, 239):
            row = result.schedule.rows[i]
            assert row.payment == provident.rows[i].payment + commercial.rows[i].payment
            assert row.balance == provident.rows[i].balance + commercial.rows[i].balance
        assert result.schedule.rows[240].payment == commercial.rows[240].payment


def test_bad_input_is_refused_field_by_field():
    with pytest.raises(ValidationError) as refused:
        mortgage_compute(data={"price": "x", "down_payment_pct": "120", "commercial_years": "31", "loan_type": "car"})
    assert set(refused.value.message_dict) == {"price", "down_payment_pct", "commercial_years", "loan_type"}
    with pytest.raises(ValidationError) as refused:
        mortgage_compute(data={"price": "1000000", "loan_type": "combined", "provident_amount": "900000"})
    assert "provident_amount" in refused.value.message_dict


@pytest.mark.django_db
def test_the_public_page_needs_no_login_and_shows_no_store_data(client, personas, site):
    response = client.get("/realestate/calculator/", {"price": "2000000", "method": "equal_principal"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="schedule"' in html and "¥600,000.00" in html
    assert "A 店" not in html and site["project"].name not in html
    assert "<script>" not in html
    assert client.get("/realestate/calculator/", {"price": "abc"}).status_code == 400
    api = client.get("/api/v1/realestate/calculator/", {"price": "2000000"})
    assert api.status_code == 200 and api.json()["down_payment"] == "600000.00" and len(api.json()["rows"]) == 360


@pytest.mark.django_db
def test_the_calculator_inside_the_subscription_takes_its_price(client, web, api, personas, site, buyer):
    sub = subscribe_through(personas, site["units"][0], buyer)
    assert client.get(f"/realestate/subscriptions/{sub.pk}/calculator/").status_code == 302  # login first
    page = web(personas.consultant).get(f"/realestate/subscriptions/{sub.pk}/calculator/")
    assert page.status_code == 200 and "¥1,988,500.00" in page.content.decode()
    data = api(personas.consultant).get("/api/v1/realestate/calculator/", {"subscription": sub.pk}).json()
    assert data["price"] == "1988500.00" and data["down_payment"] == "596550.00"
    assert api().get("/api/v1/realestate/calculator/", {"subscription": sub.pk}).status_code in (401, 403)
    assert api(personas.b_consultant).get("/api/v1/realestate/calculator/", {"subscription": sub.pk}).status_code == 404
    assert web(personas.b_consultant).get(f"/realestate/subscriptions/{sub.pk}/calculator/").status_code == 404
