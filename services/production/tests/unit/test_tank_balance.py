"""The expected balance of a tank and the tolerance a gauge gets before the phone asks (domain.tank_balance)."""

from __future__ import annotations

from decimal import Decimal

from wellflow_production.domain.tank_balance import expected_balance, rule, tolerance


def test_the_tolerance_is_the_largest_of_the_floor_a_share_of_capacity_and_a_share_of_production():
    assert tolerance(Decimal(400), Decimal(0)) == 5  # the floor
    assert tolerance(Decimal(1920), Decimal(20)) == Decimal("19.20")  # 1% of the tank
    assert tolerance(Decimal(400), Decimal(300)) == 30  # 10% of what was produced since
    assert tolerance(Decimal(400), Decimal(-10)) == 5
    assert rule() == {"floor_bbl": "5", "capacity_percent": "1", "production_percent": "10"}


def test_a_single_tank_is_expected_at_a_point_and_a_shared_one_within_a_range():
    single = expected_balance(Decimal("100.20"), Decimal(70), Decimal(0), Decimal(400), shared=False)
    assert (single.low_bbl, single.high_bbl, single.tolerance_bbl) == (Decimal("170.20"), Decimal("170.20"), 7)
    assert single.outside(Decimal("177.20")) == 0
    assert single.outside(Decimal("177.21")) == Decimal("7.01")
    assert single.outside(Decimal("160")) == Decimal("10.20")
    shared = expected_balance(Decimal(200), Decimal(25), Decimal(50), Decimal(400), shared=True)
    assert (shared.low_bbl, shared.high_bbl) == (Decimal(150), Decimal(175))
    assert shared.outside(Decimal(146)) == 0 and shared.outside(Decimal(180)) == 0
    assert shared.outside(Decimal(1605)) == Decimal(1430)
