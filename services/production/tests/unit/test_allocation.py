"""Allocation of battery volumes to wells: exact sums, shut-in wells at zero, deterministic remainders."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wellflow_production.domain.allocation import AllocationWell, allocate
from wellflow_production.domain.errors import AllocationError

A = UUID("00000000-0000-0000-0000-00000000000a")
B = UUID("00000000-0000-0000-0000-00000000000b")
C = UUID("00000000-0000-0000-0000-00000000000c")


def well(well_id: UUID, rate: str, hours: str = "24", producing: bool = True) -> AllocationWell:
    return AllocationWell(well_id, Decimal(rate), Decimal(hours), producing)


@pytest.mark.parametrize(
    ("measured", "wells", "expected"),
    [
        pytest.param("300", [well(A, "100"), well(B, "200")], {A: "100.00", B: "200.00"}, id="proportional_to_test"),
        pytest.param(
            "300", [well(A, "100", "12"), well(B, "100", "24")], {A: "100.00", B: "200.00"}, id="hours_on_scale"
        ),
        pytest.param(
            "150", [well(A, "100"), well(B, "200", producing=False)], {A: "150.00", B: "0.00"}, id="shut_in_gets_zero"
        ),
        pytest.param("150", [well(A, "100"), well(B, "200", "0")], {A: "150.00", B: "0.00"}, id="zero_hours_zero"),
        pytest.param("150", [well(A, "100"), well(B, "0")], {A: "150.00", B: "0.00"}, id="zero_test_rate_zero"),
        pytest.param(
            "100", [well(A, "1"), well(B, "1"), well(C, "1")], {A: "33.34", B: "33.33", C: "33.33"}, id="tie_by_id"
        ),
        pytest.param(
            "100", [well(C, "1"), well(B, "1"), well(A, "1")], {A: "33.34", B: "33.33", C: "33.33"}, id="order_free"
        ),
        pytest.param(
            "0.05", [well(A, "1"), well(B, "2"), well(C, "2")], {A: "0.01", B: "0.02", C: "0.02"}, id="tiny_volume"
        ),
        pytest.param("0", [well(A, "0"), well(B, "0")], {A: "0.00", B: "0.00"}, id="nothing_measured"),
        pytest.param("10.005", [well(A, "1")], {A: "10.01"}, id="measured_rounded_half_up"),
        pytest.param(
            "200", [well(A, "3"), well(B, "3"), well(C, "1")], {A: "85.72", B: "85.71", C: "28.57"}, id="remainder_rule"
        ),
    ],
)
def test_allocation_table(measured: str, wells: list[AllocationWell], expected: dict[UUID, str]) -> None:
    result = allocate(Decimal(measured), wells)
    assert result == {k: Decimal(v) for k, v in expected.items()}
    assert sum(result.values()) == Decimal(measured).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_whole_barrels_with_places_zero() -> None:
    assert allocate(Decimal("10"), [well(A, "1"), well(B, "1"), well(C, "1")], places=0) == {
        A: Decimal(4),
        B: Decimal(3),
        C: Decimal(3),
    }


@pytest.mark.parametrize(
    ("measured", "wells", "message"),
    [
        pytest.param(Decimal("-1"), [well(A, "1")], "negative", id="negative_measured"),
        pytest.param(Decimal("5"), [well(A, "1", producing=False)], "no well", id="all_shut_in"),
        pytest.param(Decimal("5"), [], "no well", id="no_wells"),
        pytest.param(5, [well(A, "1")], "Decimal", id="int_measured"),
        pytest.param(Decimal("5"), [AllocationWell(A, 1.5, Decimal(24), True)], "Decimal", id="float_rate"),  # type: ignore[arg-type]
        pytest.param(Decimal("NaN"), [well(A, "1")], "finite", id="nan"),
        pytest.param(Decimal("5"), [well(A, "1", "25")], "between 0 and 24", id="hours_over_24"),
        pytest.param(Decimal("5"), [well(A, "-1")], "negative", id="negative_rate"),
        pytest.param(Decimal("5"), [well(A, "1"), well(A, "2")], "twice", id="duplicate_well"),
    ],
)
def test_allocation_refuses(measured: object, wells: list[AllocationWell], message: str) -> None:
    with pytest.raises(AllocationError, match=message):
        allocate(measured, wells)  # type: ignore[arg-type]


volumes = st.decimals(min_value=0, max_value=100_000, places=3, allow_nan=False, allow_infinity=False)
battery = st.lists(
    st.tuples(
        st.uuids(),
        st.decimals(min_value=0, max_value=2_000, places=2, allow_nan=False, allow_infinity=False),
        st.decimals(min_value=0, max_value=24, places=2, allow_nan=False, allow_infinity=False),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda t: t[0],
).map(lambda rows: [AllocationWell(*row) for row in rows])


@settings(max_examples=300, deadline=None)
@given(measured=volumes, wells=battery, places=st.integers(min_value=0, max_value=3))
def test_allocation_properties(measured: Decimal, wells: list[AllocationWell], places: int) -> None:
    weights = {w.well_id: (w.test_rate * w.hours_on / 24 if w.producing else Decimal(0)) for w in wells}
    target = measured.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
    if target > 0 and sum(weights.values()) == 0:
        with pytest.raises(AllocationError):
            allocate(measured, wells, places=places)
        return
    result = allocate(measured, wells, places=places)
    assert set(result) == {w.well_id for w in wells}
    assert sum(result.values()) == target  # exact
    total = sum(Fraction(v) for v in weights.values())
    for well_id, share in result.items():
        if weights[well_id] == 0:
            assert share == 0  # shut in, off all day or untested: nothing
        else:
            exact = Fraction(target) * Fraction(weights[well_id]) / total
            assert abs(Fraction(share) - exact) < Fraction(1, 10**places)
    assert allocate(measured, list(reversed(wells)), places=places) == result  # deterministic
