"""The per-well plausibility question and the rules as served: a slipped digit is asked about, a small well's
ordinary wobble is not, and the schema's bounds are the rules' own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from wellflow_production.domain.reading_rules import FIELDS, RecentDays, describe, well_jumps
from wellflow_production.entrypoints.schemas import ReadingCreate

LATELY = RecentDays(days=20, oil_bbl=D("2.5"), gas_mcf=D(40), water_bbl=D(6))


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        pytest.param({"oil_bbl": D("12.5")}, ["oil_bbl"], id="typed_12.5_for_2.5"),
        pytest.param({"oil_bbl": D("7.4")}, [], id="three_times_but_less_than_5_bbl_more"),
        pytest.param({"oil_bbl": D("3")}, [], id="an_ordinary_day"),
        pytest.param({"gas_mcf": D(400), "water_bbl": D(60)}, ["gas_mcf", "water_bbl"], id="gas_and_water"),
        pytest.param({"gas_mcf": D(100)}, [], id="gas_above_but_under_3x"),
    ],
)
def test_a_jump_far_above_the_wells_recent_days_is_asked_about(values, fields) -> None:
    assert [field for field, _ in well_jumps(values, LATELY)] == fields


def test_the_question_says_how_many_times_the_average() -> None:
    [(_, message)] = well_jumps({"oil_bbl": D("12.5")}, LATELY)
    assert message == "oil_bbl 12.5 is 5 times the well's recent average of 2.5"


def test_a_well_with_few_recent_days_is_not_compared() -> None:
    assert well_jumps({"oil_bbl": D(500)}, RecentDays(days=4, oil_bbl=D(1))) == []
    assert well_jumps({"oil_bbl": D(500)}, None) == []


def test_a_dry_well_making_water_suddenly_is_asked_about() -> None:
    [(field, message)] = well_jumps({"water_bbl": D(30)}, RecentDays(days=10, water_bbl=D(0)))
    assert field == "water_bbl" and "far above" in message


def test_the_schema_takes_its_bounds_from_the_rules() -> None:
    schema = ReadingCreate.model_json_schema()["properties"]
    hours = schema["hours_on"]["anyOf"][0] if "anyOf" in schema["hours_on"] else schema["hours_on"]
    assert D(str(hours["maximum"])) == FIELDS["hours_on"].maximum
    served = describe({"oil_bbl": D(1000)}, 30, date(2026, 12, 7))
    assert served["fields"]["hours_on"]["max"] == D(24)
    assert served["production_date"] == {
        "latest": date(2026, 12, 7),
        "earliest_on_phone": date(2026, 11, 30),
        "future": False,
    }
