"""Daily reading checks: what refuses a reading, what needs confirmation, and how raw numbers are read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wellflow_production.domain.errors import ReadingError
from wellflow_production.domain.readings import PlausibilityLimits, check_reading, parse_decimal

D = Decimal
LIMITS = PlausibilityLimits()
FULL_DAY = {"oil_bbl": D("42.10"), "gas_mcf": D("95.000"), "water_bbl": D("120.5"), "hours_on": D(24)}


def codes(issues: list) -> list[tuple[str, str]]:
    return [(issue.field, issue.code) for issue in issues]


@pytest.mark.parametrize(
    ("changes", "errors", "warnings"),
    [
        pytest.param({}, [], [], id="ordinary_day"),
        pytest.param({"oil_bbl": D("-1")}, [("oil_bbl", "negative")], [], id="negative_oil"),
        pytest.param({"tubing_pressure_psi": D("-5")}, [("tubing_pressure_psi", "negative")], [], id="neg_pressure"),
        pytest.param({"hours_on": D("24.5")}, [("hours_on", "hours_over_24")], [], id="hours_over_24"),
        pytest.param(
            {"hours_on": D("-1")}, [("hours_on", "negative")], [], id="negative_hours_not_also_other_hour_checks"
        ),
        pytest.param(
            {"hours_on": D(0)},
            [("hours_on", "volume_without_hours"), ("downtime_reason", "downtime_reason_missing")],
            [],
            id="volumes_on_zero_hours",
        ),
        pytest.param(
            {"hours_on": D(0), "oil_bbl": D(0), "gas_mcf": D(0), "water_bbl": D(0), "downtime_reason": "pump_failure"},
            [],
            [],
            id="down_all_day_with_reason",
        ),
        pytest.param(
            {"hours_on": D(18)}, [("downtime_reason", "downtime_reason_missing")], [], id="part_day_without_reason"
        ),
        pytest.param({"hours_on": D(18), "downtime_reason": "power"}, [], [], id="part_day_with_reason"),
        pytest.param(
            {"hours_on": D(18), "downtime_reason": "  "}, [("downtime_reason", "downtime_reason_missing")], []
        ),
        pytest.param({"oil_bbl": D("5000.01")}, [], [("oil_bbl", "above_plausibility_limit")], id="oil_over_limit"),
        pytest.param({"oil_bbl": D("5000")}, [], [], id="oil_at_limit"),
        pytest.param({"water_bbl": D("20001")}, [], [("water_bbl", "above_plausibility_limit")], id="water_over"),
        pytest.param({"choke_64ths": D(128)}, [], [], id="choke_at_two_inches"),
        pytest.param({"choke_64ths": D(129)}, [("choke_64ths", "choke_out_of_range")], [], id="choke_too_big"),
        pytest.param({"choke_64ths": D(-1)}, [("choke_64ths", "negative")], [], id="choke_negative"),
        pytest.param({"gas_mcf": None, "hours_on": None}, [], [], id="missing_fields_unchecked"),
        pytest.param({"oil_bbl": 4.5}, [("oil_bbl", "not_a_number")], [], id="float_refused"),
        pytest.param({"oil_bbl": D("Infinity")}, [("oil_bbl", "not_a_number")], [], id="infinity_refused"),
    ],
)
def test_check_reading(changes: dict, errors: list, warnings: list) -> None:
    found_errors, found_warnings = check_reading({**FULL_DAY, **changes}, LIMITS)
    assert codes(found_errors) == errors
    assert codes(found_warnings) == warnings


def test_limits_are_per_organization() -> None:
    small = PlausibilityLimits(oil_bbl=D(50), gas_mcf=D(100), water_bbl=D(100))
    _, warnings = check_reading(FULL_DAY, small)
    assert codes(warnings) == [("water_bbl", "above_plausibility_limit")]
    assert "limit of 100" in warnings[0].message


def test_messages_say_what_is_wrong() -> None:
    errors, _ = check_reading({**FULL_DAY, "hours_on": D(25)}, LIMITS)
    assert errors[0].message == "hours on cannot exceed 24 (got 25)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", "42"), (" 42.10 ", "42.10"), ("0.125", "0.125"), (".5", "0.5"), ("7.", "7"), ("-3", "-3"), ("+1", "1")],
)
def test_parse_decimal(raw: str, expected: str) -> None:
    assert parse_decimal(raw, "oil_bbl") == D(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "oil_bbl is empty"),
        ("   ", "oil_bbl is empty"),
        ("NaN", "is not a decimal number"),
        ("inf", "is not a decimal number"),
        ("Infinity", "is not a decimal number"),
        ("1e3", "is not a decimal number"),
        ("1,234.5", "thousands separators"),
        ("12.3456", "more than 3 decimal places"),
        ("1234567890123", "too large"),
        ("12 bbl", "is not a decimal number"),
        ("--1", "is not a decimal number"),
    ],
)
def test_parse_decimal_refuses(raw: str, message: str) -> None:
    with pytest.raises(ReadingError, match=message) as caught:
        parse_decimal(raw, "oil_bbl")
    assert caught.value.field == "oil_bbl"


@settings(max_examples=200)
@given(st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=3, allow_nan=False, allow_infinity=False))
def test_parse_decimal_reads_back_what_is_written(value: Decimal) -> None:
    assert parse_decimal(f"{value:f}", "gas_mcf") == value


@settings(max_examples=200)
@given(
    volume=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    hours=st.decimals(min_value=0, max_value=30, places=1, allow_nan=False, allow_infinity=False),
)
def test_hours_rules_hold_for_any_day(volume: Decimal, hours: Decimal) -> None:
    errors, warnings = check_reading({"oil_bbl": volume, "hours_on": hours, "downtime_reason": None}, LIMITS)
    codes_found = {issue.code for issue in errors}
    assert ("hours_over_24" in codes_found) is (hours > 24)
    assert ("volume_without_hours" in codes_found) is (hours == 0 and volume > 0)
    assert ("downtime_reason_missing" in codes_found) is (hours < 24)
    assert any(w.code == "above_plausibility_limit" for w in warnings) is (volume > LIMITS.oil_bbl)
