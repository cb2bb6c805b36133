"""Deferred volumes and dollars, computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from wellflow_production.domain.deferred import (
    DECLINE,
    NONE,
    TRAILING_AVERAGE,
    WELL_TEST,
    deferred_value,
    deferred_volume,
    expected_rate,
    month_price,
    trailing_rate,
)


def test_a_well_down_six_hours_defers_a_quarter_of_its_rate():
    assert deferred_volume(Decimal(48), Decimal(18)) == Decimal("12.00")


def test_a_well_down_all_day_defers_its_whole_rate_and_a_full_day_defers_nothing():
    assert deferred_volume(Decimal("30.5"), Decimal(0)) == Decimal("30.50")
    assert deferred_volume(Decimal("30.5"), Decimal(24)) == Decimal("0.00")


def test_hours_outside_a_day_are_refused():
    with pytest.raises(ValueError, match="hours on"):
        deferred_volume(Decimal(10), Decimal(25))


def test_dollars_are_the_volumes_at_the_months_prices_times_the_net_revenue_interest():
    # (12 bbl x $70.25 + 30 mcf x $2.80) x 0.75 = (843.00 + 84.00) x 0.75 = 695.25
    assert deferred_value(Decimal(12), Decimal(30), Decimal("70.25"), Decimal("2.80"), Decimal("0.75")) == Decimal(
        "695.25"
    )


def test_without_a_net_revenue_interest_dollars_are_at_eight_eighths_and_a_missing_price_counts_nothing():
    assert deferred_value(Decimal(12), Decimal(30), Decimal("70.25"), None, None) == Decimal("843.00")
    # 7.33 x 61.117 = 447.98761; x 0.8125 = 363.989933...: rounded half up once, at the end
    assert deferred_value(Decimal("7.33"), Decimal(0), Decimal("61.117"), None, Decimal("0.8125")) == Decimal("363.99")


def test_the_trailing_rate_normalizes_part_days_and_skips_down_days():
    history = [
        (date(2026, 3, 1), Decimal(10), Decimal(12)),  # 20 a day on 12 hours
        (date(2026, 3, 2), Decimal(0), Decimal(0)),  # down: left out
        (date(2026, 3, 3), Decimal(30), Decimal(24)),
    ]
    assert trailing_rate(history) == Decimal("25.00")
    assert trailing_rate(history, days=1) == Decimal("30.00")
    assert trailing_rate([(date(2026, 3, 2), Decimal(0), Decimal(0))]) is None


def test_the_expected_rate_prefers_the_decline_then_the_well_test_then_the_trailing_average():
    test = (Decimal(40), Decimal(80))
    both = expected_rate(
        decline_oil=Decimal(50), decline_gas=Decimal(90), well_test=test, trailing_oil=None, trailing_gas=None
    )
    assert (both.oil_bbl_per_day, both.gas_mcf_per_day, both.basis) == (Decimal(50), Decimal(90), DECLINE)
    oil_only = expected_rate(
        decline_oil=Decimal(50), decline_gas=None, well_test=test, trailing_oil=Decimal(1), trailing_gas=Decimal(2)
    )
    assert (oil_only.oil_bbl_per_day, oil_only.gas_mcf_per_day) == (Decimal(50), Decimal(80))
    tested = expected_rate(decline_oil=None, decline_gas=None, well_test=test, trailing_oil=None, trailing_gas=None)
    assert tested.basis == WELL_TEST
    trailing = expected_rate(
        decline_oil=None, decline_gas=None, well_test=None, trailing_oil=Decimal(7), trailing_gas=None
    )
    assert (trailing.oil_bbl_per_day, trailing.gas_mcf_per_day, trailing.basis) == (
        Decimal(7),
        Decimal(0),
        TRAILING_AVERAGE,
    )
    nothing = expected_rate(decline_oil=None, decline_gas=None, well_test=None, trailing_oil=None, trailing_gas=None)
    assert (nothing.oil_bbl_per_day, nothing.basis) == (Decimal(0), NONE)


def test_the_months_price_is_the_leases_own_then_the_organizations_then_the_latest_earlier_one():
    lease = "01938a10-0000-7000-8000-0000000000aa"
    prices = {
        ("*", "oil"): [(date(2026, 1, 1), Decimal(60)), (date(2026, 3, 1), Decimal(65))],
        (lease, "oil"): [(date(2026, 3, 1), Decimal(66))],
    }
    lease_id = UUID(lease)
    assert month_price(prices, lease_id, date(2026, 3, 1), "oil") == Decimal(66)
    assert month_price(prices, None, date(2026, 3, 1), "oil") == Decimal(65)
    assert month_price(prices, lease_id, date(2026, 1, 1), "oil") == Decimal(60)
    assert month_price(prices, lease_id, date(2026, 4, 1), "oil") == Decimal(66)  # the lease's latest earlier
    assert month_price(prices, None, date(2026, 2, 1), "oil") == Decimal(60)
    assert month_price(prices, lease_id, date(2025, 12, 1), "oil") is None
    assert month_price(prices, lease_id, date(2026, 3, 1), "gas") is None
