"""The pumper's route rules: repeated and unknown wells by position, the days a route may be asked for, progress."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from wellflow_production.domain.route import (
    RouteError,
    check_route_day,
    duplicate_positions,
    progress,
    unknown_positions,
)

W1 = UUID("00000000-0000-0000-0000-000000000001")
W2 = UUID("00000000-0000-0000-0000-000000000002")
W3 = UUID("00000000-0000-0000-0000-000000000003")
TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("well_ids", "expected"),
    [
        ([], []),
        ([W1, W2, W3], []),
        ([W1, W2, W1], [2]),
        ([W1, W1, W1, W2, W2], [1, 2, 4]),
    ],
)
def test_a_well_listed_again_is_reported_at_each_repeat_not_its_first_stop(well_ids, expected) -> None:
    assert duplicate_positions(well_ids) == expected


def test_unknown_wells_are_reported_by_position() -> None:
    assert unknown_positions([W1, W2, W3, W2], known=[W1, W3]) == [1, 3]
    assert unknown_positions([W1], known=[W1]) == []


@pytest.mark.parametrize("day", [date(2020, 1, 1), date(2026, 11, 24), TODAY, date(2026, 11, 26)])
def test_a_route_may_be_asked_for_any_past_day_today_or_tomorrow(day) -> None:
    check_route_day(day, TODAY)


@pytest.mark.parametrize("day", [date(2026, 11, 27), date(2027, 1, 1)])
def test_a_route_two_days_ahead_is_refused(day) -> None:
    with pytest.raises(RouteError) as raised:
        check_route_day(day, TODAY)
    assert raised.value.field == "date"
    assert "2026-11-25" in raised.value.message


def test_tomorrow_crosses_the_year_end() -> None:
    check_route_day(date(2027, 1, 1), date(2026, 12, 31))
    with pytest.raises(RouteError):
        check_route_day(date(2027, 1, 2), date(2026, 12, 31))


def test_progress_counts_read_wells_and_gauged_tanks_together() -> None:
    wells = [{"done": True}, {"done": False}, {"done": True}]
    tanks = [{"gauged": False}, {"gauged": True}]
    assert progress(wells, tanks) == (3, 5)
    assert progress([], []) == (0, 0)
