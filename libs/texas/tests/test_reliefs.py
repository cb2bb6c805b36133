from datetime import date
from decimal import Decimal as D

import pytest

from wellflow_texas.reliefs import ReliefGrant, relief_rate, validate_grant


@pytest.mark.parametrize(
    ("price", "rate"),
    [
        (D("31.00"), D("0.046")),
        (D("30.00"), D("0.0345")),  # 25% credit
        (D("24.00"), D("0.023")),  # 50%
        (D("22.00"), D("0")),  # 100%
    ],
)
def test_low_producing_oil_credit_by_certified_price(price, rate):
    grant = ReliefGrant("low_producing_oil", date(2026, 1, 1), inputs={"certified_price": price})
    assert relief_rate(grant, "oil") == rate


def test_high_cost_gas_rate_and_floor():
    half = ReliefGrant(
        "high_cost_gas", date(2026, 1, 1), inputs={"well_cost": D("1000000"), "median_cost": D("1000000")}
    )
    assert relief_rate(half, "gas") == D("0.037500")
    costly = ReliefGrant(
        "high_cost_gas", date(2026, 1, 1), inputs={"well_cost": D("3000000"), "median_cost": D("1000000")}
    )
    assert relief_rate(costly, "gas") == D("0")
    assert relief_rate(half, "oil") is None


def test_enhanced_recovery_and_inactive_well():
    assert relief_rate(ReliefGrant("enhanced_recovery", date(2026, 1, 1)), "oil") == D("0.023")
    assert relief_rate(ReliefGrant("inactive_well", date(2026, 1, 1)), "gas") == D("0")


def test_a_grant_covers_its_months_only_and_is_validated():
    grant = ReliefGrant("enhanced_recovery", date(2026, 3, 1), date(2026, 5, 1))
    assert [grant.covers(date(2026, m, 1)) for m in (2, 3, 5, 6)] == [False, True, True, False]
    assert validate_grant(ReliefGrant("low_producing_gas", date(2026, 1, 1))) == [
        "Low-producing gas well credit needs certified_price"
    ]
    assert "unknown relief" in validate_grant(ReliefGrant("nope", date(2026, 1, 1)))[0]
