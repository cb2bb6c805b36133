"""CSV import lines: each line fully valid or rejected with every problem named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wellflow_production.domain.csv_rows import (
    ParsedRow,
    RowError,
    check_header,
    normalize_api_number,
    parse_row,
)
from wellflow_production.domain.errors import ReadingError
from wellflow_production.domain.readings import PlausibilityLimits

TODAY = date(2026, 3, 10)
LIMITS = PlausibilityLimits()
GOOD = {
    "api_number": "42-501-20130-03-00",
    "date": "2026-03-04",
    "oil_bbl": "42.10",
    "gas_mcf": "95",
    "water_bbl": "120.5",
    "hours_on": "24",
}


def parse(**changes: str) -> ParsedRow | RowError:
    return parse_row(7, {**GOOD, **changes}, LIMITS, today=TODAY)


def test_a_good_line() -> None:
    row = parse(tubing_pressure_psi="150", comments=" rod pump ok ")
    assert row == ParsedRow(
        line=7,
        api_number="42501201300300",
        day=date(2026, 3, 4),
        oil_bbl=Decimal("42.10"),
        gas_mcf=Decimal(95),
        water_bbl=Decimal("120.5"),
        hours_on=Decimal(24),
        tubing_pressure_psi=Decimal(150),
        comments="rod pump ok",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42-501-20130-03-00", "42501201300300"),
        ("42501201300300", "42501201300300"),
        ("4250120130", "42501201300000"),
        ("42-501-20130-03", "42501201300300"),
        (" 35-019-21733 ", "35019217330000"),
        ("50120130", "42501201300000"),  # the RRC's 8 digits: county + unique number, Texas implied
    ],
)
def test_api_number_normalized_to_14_digits(raw: str, expected: str) -> None:
    assert normalize_api_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("42-501-2013O", "only the digits 0-9"),
        ("42 501 20130", "space inside"),
        ("42-501-2013\u00b2", "not one of the digits 0-9"),
        ("425012013", "has 9 digits"),
        ("99501201300300", "unknown state code 99"),
        ("42502201300300", "county code 502 is even"),
        ("42509201300300", "county code 509 is out of range"),
    ],
)
def test_api_number_refused(raw: str, message: str) -> None:
    with pytest.raises(ReadingError, match=message):
        normalize_api_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-04", date(2026, 3, 4)),
        ("03/04/2026", date(2026, 3, 4)),
        ("3/4/2026", date(2026, 3, 4)),
        ("2026-03-10", TODAY),
    ],
)
def test_dates(raw: str, expected: date) -> None:
    row = parse(date=raw)
    assert isinstance(row, ParsedRow) and row.day == expected


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "2026-03-11"}, "date", "date 2026-03-11 is in the future"),
        ({"date": "04.03.2026"}, "date", "write YYYY-MM-DD or MM/DD/YYYY"),
        ({"date": "2026-02-30"}, "date", "is not a calendar day"),
        ({"date": "13/01/2026"}, "date", "is not a calendar day"),
        ({"date": ""}, "date", "write YYYY-MM-DD"),
        ({"api_number": "42-502-20130"}, "api_number", "Texas county"),
        ({"api_number": "42-501-2013\u00b2"}, "api_number", "not one of the digits 0-9"),
        ({"oil_bbl": ""}, "oil_bbl", "oil_bbl is empty: write 0"),
        ({"oil_bbl": "-4"}, "oil_bbl", "must not be negative"),
        ({"gas_mcf": "1e3"}, "gas_mcf", "not a decimal number"),
        ({"hours_on": "25"}, "hours_on", "cannot exceed 24"),
        ({"hours_on": "0"}, "hours_on", "hours on is 0 but oil_bbl, gas_mcf, water_bbl is reported"),
        ({"casing_pressure_psi": "abc"}, "casing_pressure_psi", "not a decimal number"),
        ({"comments": "x" * 2001}, "comments", "longer than 2000"),
    ],
)
def test_bad_lines_are_rejected_whole(changes: dict[str, str], field: str, message: str) -> None:
    row = parse(**changes)
    assert isinstance(row, RowError)
    assert (row.line, row.field) == (7, field)
    assert message in row.message


def test_every_problem_of_a_line_is_named() -> None:
    row = parse(api_number="x", oil_bbl="-1", date="2027-01-01")
    assert isinstance(row, RowError)
    assert row.field == "api_number"
    assert "only the digits 0-9" in row.message and "future" in row.message and "must not be negative" in row.message


def test_warnings_do_not_reject_a_line() -> None:
    row = parse(oil_bbl="6000", hours_on="20", downtime_reason="mechanical")
    assert isinstance(row, ParsedRow)
    assert [w.code for w in row.warnings] == ["above_plausibility_limit"]


def test_a_part_day_without_a_downtime_reason_is_rejected() -> None:
    row = parse(hours_on="20")
    assert isinstance(row, RowError)
    assert row.field == "downtime_reason" and "give a downtime reason" in row.message


def test_header_columns_are_case_insensitive() -> None:
    row = parse_row(
        2,
        {"API_Number ": GOOD["api_number"], **{k: v for k, v in GOOD.items() if k != "api_number"}},
        LIMITS,
        today=TODAY,
    )
    assert isinstance(row, ParsedRow)


@pytest.mark.parametrize(
    ("header", "missing", "unknown", "duplicated"),
    [
        (list(GOOD), (), (), ()),
        (["\ufeffAPI_NUMBER", "Date", "oil_bbl", "gas_mcf", "water_bbl", "hours_on", "comments"], (), (), ()),
        (["api_number", "date", "oil_bbl"], ("gas_mcf", "water_bbl", "hours_on"), (), ()),
        ([*GOOD, "condensate"], (), ("condensate",), ()),
        ([*GOOD, "oil_bbl"], (), (), ("oil_bbl",)),
    ],
)
def test_header(header: list[str], missing: tuple, unknown: tuple, duplicated: tuple) -> None:
    check = check_header(header)
    assert (check.missing, check.unknown, check.duplicated) == (missing, unknown, duplicated)
    assert check.ok is not (missing or unknown or duplicated)


def test_header_message_lists_problems() -> None:
    check = check_header(["api_number", "date", "oil", "oil"])
    assert check.message.startswith("missing columns: oil_bbl, gas_mcf, water_bbl, hours_on; unknown columns: oil")
    assert "columns given twice: oil" in check.message
