"""Nat. Res. Code 91.402 / 91.403 against examples worked by hand from the statute (arithmetic in the comments)."""

from datetime import date
from decimal import Decimal

import pytest

from wellflow_texas.payment_law import (
    PaymentDecision,
    RatePeriod,
    late_interest,
    minimum_payment_decision,
    payment_due,
    rate_on,
)

# New York Fed primary credit rate: 5.50% from July 27, 2023; 5.00% from September 19, 2024.
FED = [RatePeriod(date(2023, 7, 27), Decimal("0.0550")), RatePeriod(date(2024, 9, 19), Decimal("0.0500"))]


# --- 91.402(a) -----------------------------------------------------------------------------------------------


def test_first_sale_month_is_due_120_days_after_its_end():
    # January 2024 ends Jan 31; +29 (Feb, leap year) = Feb 29; +31 = Mar 31; +30 = Apr 30; +30 = May 30: 120.
    assert payment_due(date(2024, 1, 1), "oil", date(2024, 1, 1)) == date(2024, 5, 30)
    assert payment_due(date(2024, 1, 1), "gas", date(2024, 1, 1)) == date(2024, 5, 30)


def test_later_oil_is_due_60_days_after_the_month_of_sale():
    # February 2024 ends Feb 29; +31 = Mar 31; +29 = Apr 29: 60 days.
    assert payment_due(date(2024, 2, 1), "oil", date(2024, 1, 1)) == date(2024, 4, 29)
    # February 2025 ends Feb 28; +31 = Mar 31; +29 = Apr 29.
    assert payment_due(date(2025, 2, 1), "oil", date(2024, 1, 1)) == date(2025, 4, 29)


def test_later_gas_is_due_90_days_after_the_month_of_sale():
    # February 2024 ends Feb 29; +31 = Mar 31; +30 = Apr 30; +29 = May 29: 90 days.
    assert payment_due(date(2024, 2, 1), "gas", date(2024, 1, 1)) == date(2024, 5, 29)
    # November 2025 ends Nov 30; +31 = Dec 31; +31 = Jan 31; +28 = Feb 28, 2026: 90 days.
    assert payment_due(date(2025, 11, 1), "gas", date(2020, 6, 1)) == date(2026, 2, 28)


def test_due_date_is_not_moved_off_a_weekend():
    # March 2026 ends Tue Mar 31; +30 = Apr 30; +30 = May 30, 2026, a Saturday: the statute moves nothing.
    assert payment_due(date(2026, 3, 1), "oil", date(2025, 1, 1)) == date(2026, 5, 30)


def test_payment_due_rejects_bad_months():
    with pytest.raises(ValueError, match="first day"):
        payment_due(date(2024, 2, 15), "oil", date(2024, 1, 1))
    with pytest.raises(ValueError, match="before the month of first sale"):
        payment_due(date(2023, 12, 1), "oil", date(2024, 1, 1))
    with pytest.raises(ValueError, match="product"):
        payment_due(date(2024, 2, 1), "condensate", date(2024, 1, 1))  # type: ignore[arg-type]


# --- 91.402(f) -----------------------------------------------------------------------------------------------


def decide(balance: str, *, monthly: bool = False, months: int = 1, event: str | None = None) -> PaymentDecision:
    return minimum_payment_decision(
        Decimal(balance), owner_asked_monthly=monthly, months_since_last_payment=months, release_event=event
    )


@pytest.mark.parametrize(
    ("balance", "monthly", "months", "event", "pay"),
    [
        ("100.00", False, 1, None, True),  # reached $100
        ("99.99", False, 1, None, False),  # one cent short: accumulates
        ("99.99", False, 11, None, False),  # 11 months is not yet a year
        ("10.01", False, 12, None, True),  # more than $10 held 12 months: the yearly payment
        ("10.00", False, 12, None, False),  # exactly $10 is not more than $10
        ("10.00", False, 30, "owner-request", True),  # small amounts on the owner's request
        ("0.37", False, 2, "property-sold", True),
        ("0.37", False, 2, "well-plugged", True),
        ("0.37", False, 40, None, False),  # under $10 never becomes due by time alone
        ("25.00", True, 1, None, True),  # monthly from $25 when the owner asked
        ("24.99", True, 1, None, False),
        ("25.00", False, 1, None, False),  # $25 without the request: accumulates
        ("0.00", False, 24, "owner-request", False),  # nothing owed
    ],
)
def test_minimum_payment_thresholds(balance, monthly, months, event, pay):
    assert decide(balance, monthly=monthly, months=months, event=event).pay is pay


def test_decision_says_why():
    assert "$100" in decide("150.00").reason
    assert "yearly" in decide("12.00", months=12).reason
    assert "well-plugged" in decide("3.00", event="well-plugged").reason


def test_unknown_release_event_is_refused():
    with pytest.raises(ValueError, match="release_event"):
        decide("5.00", event="owner-died")


# --- 91.403 --------------------------------------------------------------------------------------------------


def test_no_interest_when_paid_on_or_before_the_due_date():
    assert late_interest(Decimal("1000.00"), date(2024, 5, 30), date(2024, 5, 30), FED) == Decimal("0.00")
    assert late_interest(Decimal("1000.00"), date(2024, 5, 30), date(2024, 5, 1), FED) == Decimal("0.00")


def test_sixty_days_late_at_seven_and_a_half_percent():
    # Due May 30, 2024, paid July 29: May 31 (1) + June (30) + July 1-29 (29) = 60 days.
    # 5.50% + 2 points = 7.50%. 1000.00 x 0.075 x 60 / 365 = 4500 / 365 = 12.3287... -> 12.33
    assert late_interest(Decimal("1000.00"), date(2024, 5, 30), date(2024, 7, 29), FED) == Decimal("12.33")


def test_one_day_late_is_one_day_of_interest():
    # 365.00 x 0.075 x 1 / 365 = 0.075 -> half up to 0.08
    assert late_interest(Decimal("365.00"), date(2024, 5, 30), date(2024, 5, 31), FED) == Decimal("0.08")


def test_rate_change_splits_the_late_period():
    # Due Sept 1, 2024, paid Oct 1: Sept 2-18 = 17 days at 7.50%, Sept 19-Oct 1 = 13 days at 7.00% (30 days).
    # 2500 x 0.075 x 17/365 = 3187.5/365; 2500 x 0.07 x 13/365 = 2275/365; (3187.5 + 2275) / 365 = 14.9657 -> 14.97
    assert late_interest(Decimal("2500.00"), date(2024, 9, 1), date(2024, 10, 1), FED) == Decimal("14.97")


def test_the_change_day_itself_earns_the_new_rate():
    # Due Sept 18, paid Sept 19: the one day (Sept 19) is at 5.00% + 2 = 7.00%. 3650 x 0.07 / 365 = 0.70
    assert late_interest(Decimal("3650.00"), date(2024, 9, 18), date(2024, 9, 19), FED) == Decimal("0.70")


def test_leap_year_day_counts_at_one_365th():
    # Due Feb 1, 2024, paid Mar 1: 29 days (Feb 2-29 = 28, Mar 1 = 1). 3650 x 0.075 x 29 / 365 = 21.75
    assert late_interest(Decimal("3650.00"), date(2024, 2, 1), date(2024, 3, 1), FED) == Decimal("21.75")


def test_new_payor_without_notice_owes_two_points_more():
    # 91.407(d): 60 days at 9.50%: 1000 x 0.095 x 60 / 365 = 5700 / 365 = 15.6164 -> 15.62
    got = late_interest(Decimal("1000.00"), date(2024, 5, 30), date(2024, 7, 29), FED, extra_points=Decimal("0.02"))
    assert got == Decimal("15.62")


def test_unknown_rate_is_an_error_not_zero():
    with pytest.raises(ValueError, match="no New York Fed rate"):
        late_interest(Decimal("100.00"), date(2023, 7, 1), date(2023, 8, 1), FED)


def test_rate_on_picks_the_period_in_effect():
    assert rate_on(date(2024, 9, 18), FED) == FED[0]
    assert rate_on(date(2024, 9, 19), FED) == FED[1]
    assert rate_on(date(2020, 1, 1), FED) is None


def test_published_rates_are_in_order_and_cite_their_source():
    from wellflow_texas.payment_law import published_fed_rates

    rates = published_fed_rates()
    assert [r.effective for r in rates] == sorted(r.effective for r in rates)
    assert all(r.source for r in rates)
    by_day = {r.effective: r for r in rates}
    # The two rows the interest tests above rely on, as the Fed's sources give them.
    assert by_day[date(2023, 7, 27)].annual_rate == Decimal("0.055") and by_day[date(2023, 7, 27)].verified
    assert by_day[date(2024, 9, 19)].annual_rate == Decimal("0.05") and by_day[date(2024, 9, 19)].verified
