"""Alert rules: which days and wells call for an alert, and messages a manager can act on."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from wellflow_production.domain.alerts import (
    below_expectation,
    missing_or_zero,
    negative_stock,
    tank_high,
    trailing_average,
)

D = Decimal
DAY = date(2026, 3, 4)
W1 = UUID("00000000-0000-0000-0000-000000000001")
W2 = UUID("00000000-0000-0000-0000-000000000002")
W3 = UUID("00000000-0000-0000-0000-000000000003")
TANK = UUID("00000000-0000-0000-0000-0000000000aa")
LEASE = UUID("00000000-0000-0000-0000-0000000000bb")


def test_missing_and_zero_hours() -> None:
    found = missing_or_zero(DAY, [W1, W2, W3], {W1: D(24), W2: D(0)}, names={W3: "Ranch A 1H"})
    assert [(a.kind, a.well_id) for a in found] == [("zero_hours", W2), ("missing_reading", W3)]
    assert found[1].message == "Ranch A 1H: no reading for 2026-03-04"
    assert found[0].message.startswith(f"well {W2}: producing well was on 0 hours")


def test_wells_not_producing_are_not_alerted() -> None:
    assert missing_or_zero(DAY, [W1], {W1: D("0.5"), W2: D(0)}) == []


def test_below_expectation_message_reads_like_the_field() -> None:
    alert = below_expectation(W1, DAY, D("42.10"), D("61.00"), D(20), name="Ranch A 1H")
    assert alert is not None
    assert alert.message == "Ranch A 1H: 42.10 bbl on 2026-03-04, 31% below its forecast of 61.00"
    assert alert.details["shortfall_percent"] == "31"


@pytest.mark.parametrize(
    ("actual", "expected", "threshold", "alerted"),
    [
        ("42.10", "61.00", "20", True),
        ("48.80", "61.00", "20", False),  # exactly 20 % below: not below the bar
        ("48.79", "61.00", "20", True),
        ("0", "61.00", "50", True),
        ("10", "0", "20", False),  # no expectation, no alert
        ("70", "61.00", "0", False),
        ("60.99", "61.00", "0", True),
    ],
)
def test_below_expectation_threshold(actual: str, expected: str, threshold: str, alerted: bool) -> None:
    assert (below_expectation(W1, DAY, D(actual), D(expected), D(threshold)) is not None) is alerted


def test_below_trailing_average_names_its_basis() -> None:
    alert = below_expectation(W1, DAY, D(50), D(100), D(10), unit="mcf", basis="trailing average")
    assert (
        alert is not None and "50.00 mcf" in alert.message and "below its trailing average of 100.00" in alert.message
    )


def test_threshold_out_of_range() -> None:
    with pytest.raises(ValueError, match="0 to 100"):
        below_expectation(W1, DAY, D(1), D(2), D(101))


@pytest.mark.parametrize(
    ("values", "days", "expected"),
    [
        (["10", "20", "30"], 30, "20.00"),
        (["100", "10", "20", "30"], 3, "20.00"),  # only the last three days count
        (["10", "0", "20", None], 30, "15.00"),  # down days and gaps are left out
        (["0", "0"], 30, None),
        ([], 30, None),
        (["1", "2"], 30, "1.50"),
    ],
)
def test_trailing_average(values: list[str | None], days: int, expected: str | None) -> None:
    result = trailing_average([None if v is None else D(v) for v in values], days=days)
    assert result == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("level", "capacity", "share", "alerted"),
    [
        ("360", "400", "0.90", True),
        ("359.99", "400", "0.90", False),
        ("400", "400", "1", True),
        ("10", "400", "0.9", False),
    ],
)
def test_tank_high(level: str, capacity: str, share: str, alerted: bool) -> None:
    alert = tank_high(TANK, DAY, D(level), D(capacity), D(share), name="Ranch A tank 1")
    assert (alert is not None) is alerted
    if alert:
        assert alert.tank_id == TANK and alert.message.startswith("Ranch A tank 1: ")


def test_tank_high_message() -> None:
    alert = tank_high(TANK, DAY, D("372.4"), D(400), D("0.9"), name="Tank 2")
    assert alert is not None
    assert alert.message == "Tank 2: 372.40 bbl of 400.00 on 2026-03-04 (93% full): call for a haul"


@pytest.mark.parametrize(("share", "capacity"), [("0", "400"), ("1.1", "400"), ("0.9", "0")])
def test_tank_high_refuses_bad_settings(share: str, capacity: str) -> None:
    with pytest.raises(ValueError):
        tank_high(TANK, DAY, D(1), D(capacity), D(share))


@pytest.mark.parametrize(
    ("beginning", "production", "disposed", "alerted"),
    [("100", "50", "150", False), ("100", "50", "150.01", True), ("0", "0", "0", False), ("0", "0", "180", True)],
)
def test_negative_stock(beginning: str, production: str, disposed: str, alerted: bool) -> None:
    alert = negative_stock(LEASE, DAY, D(beginning), D(production), D(disposed), name="Ranch A")
    assert (alert is not None) is alerted
    if alert:
        assert alert.lease_id == LEASE and alert.tank_id is None
        assert "a reading, gauge or run ticket is wrong" in alert.message


def test_negative_stock_of_a_tank() -> None:
    alert = negative_stock(TANK, DAY, D(10), D(0), D(20), subject="tank")
    assert alert is not None and alert.tank_id == TANK and alert.lease_id is None
    assert alert.details["ending_bbl"] == "-10"
