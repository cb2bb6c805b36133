"""RRC districts and tank strapping conversions (Decimal, linear between rows)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wellflow_wells.domain.errors import InvalidGauge
from wellflow_wells.domain.rules import RRC_DISTRICTS, normalize_district
from wellflow_wells.domain.strapping import Gauge, StrappingTable


def test_the_fourteen_rrc_districts():
    assert len(RRC_DISTRICTS) == 14
    assert {"6E", "7B", "7C", "8A", "8B"} <= set(RRC_DISTRICTS)


@pytest.mark.parametrize(
    ("given", "expected"), [("08", "08"), ("8", "08"), ("8a", "8A"), (" 7c ", "7C"), ("10", "10"), ("6e", "6E")]
)
def test_districts_normalise(given, expected):
    assert normalize_district(given) == expected


@pytest.mark.parametrize("given", ["11", "00", "7A", "8C", "", "6W"])
def test_unknown_districts_are_refused(given):
    with pytest.raises(ValueError, match="unknown RRC district"):
        normalize_district(given)


# A 15 ft tank with a narrower bottom foot and a straight section above 2 ft.
TABLE = StrappingTable.of([(0, "0"), (12, "18.00"), (24, "38.04"), (180, "298.56")])


@pytest.mark.parametrize(
    ("gauge", "barrels"),
    [
        (Gauge(0, 0, 0), Decimal("0.00")),
        (Gauge(1, 0, 0), Decimal("18.00")),  # exactly on a row
        (Gauge(0, 6, 0), Decimal("9.00")),  # halfway up the first row
        (Gauge(0, 0, 1), Decimal("0.38")),  # a quarter inch: 18 * 0.25 / 12 = 0.375, half up
        (Gauge(1, 6, 2), Decimal("28.86")),  # 18.5 in: 18.00 + 20.04 * 6.5 / 12 = 28.855
        (Gauge(10, 3, 3), Decimal("204.62")),  # 123.75 in: 38.04 + 260.52 * 99.75 / 156 = 204.6225
        (Gauge(15, 0, 0), Decimal("298.56")),  # the top row
    ],
)
def test_gauges_convert_by_linear_interpolation(gauge, barrels):
    assert TABLE.barrels(gauge) == barrels


def test_a_gauge_above_the_table_is_refused():
    with pytest.raises(InvalidGauge, match="above the top"):
        TABLE.barrels(Gauge(15, 0, 1))


@pytest.mark.parametrize(
    ("args", "field"), [((-1, 0, 0), "feet"), ((1, 12, 0), "inches"), ((1, 0, 4), "quarters"), ((1, -1, 0), "inches")]
)
def test_malformed_gauges_name_the_part(args, field):
    with pytest.raises(InvalidGauge) as caught:
        Gauge(*args)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(0, 0)], "at least two rows"),
        ([(1, 0), (12, 18)], "starts at level 0"),
        ([(0, 0), (12, 18), (12, 20)], "levels must increase"),
        ([(0, 0), (12, 18), (24, 17)], "must not decrease"),
    ],
)
def test_bad_strapping_tables_are_refused(rows, message):
    with pytest.raises(InvalidGauge, match=message):
        StrappingTable.of(rows)
