from datetime import date

import pytest

from wellflow_texas.calendar import (
    form_pr_due,
    gas_tax_due,
    is_working_day,
    last_working_day,
    oil_tax_due,
    texas_holidays,
)


@pytest.mark.parametrize(
    ("production_month", "due"),
    [
        (date(2026, 9, 1), date(2026, 10, 30)),  # Oct 31, 2026 is a Saturday: Friday the 30th
        (date(2026, 1, 1), date(2026, 2, 27)),  # Feb 28, 2026 is a Saturday
        (date(2027, 4, 1), date(2027, 5, 28)),  # May 31, 2027 is Memorial Day (Monday): back to Friday
        (date(2026, 7, 1), date(2026, 8, 31)),  # a plain Monday
        (date(2026, 11, 1), date(2026, 12, 31)),  # Dec 31 is a Thursday, not a holiday
    ],
)
def test_form_pr_is_due_the_last_working_day_of_the_following_month(production_month, due):
    assert form_pr_due(production_month) == due


def test_form_pr_rule_can_be_a_fixed_day():
    # The 15th of November 2026 is a Sunday: the next working day.
    assert form_pr_due(date(2026, 10, 1), rule="15") == date(2026, 11, 16)
    with pytest.raises(ValueError, match="last_working_day"):
        form_pr_due(date(2026, 10, 1), rule="31")


def test_oil_tax_on_a_texas_holiday_moves_to_the_next_working_day():
    assert oil_tax_due(date(2026, 4, 1)) == date(2026, 5, 26)  # May 25, 2026 is Memorial Day
    assert oil_tax_due(date(2026, 6, 1)) == date(2026, 7, 27)  # July 25, 2026 is a Saturday
    assert oil_tax_due(date(2026, 3, 1)) == date(2026, 4, 27)  # April 25, 2026 is a Saturday


def test_gas_tax_is_due_the_20th_of_the_second_month():
    assert gas_tax_due(date(2026, 3, 1)) == date(2026, 5, 20)
    assert gas_tax_due(date(2026, 10, 1)) == date(2026, 12, 21)  # Dec 20, 2026 is a Sunday


def test_day_after_christmas_closes_offices_and_state_only_holidays_depend_on_the_set():
    assert not is_working_day(date(2025, 12, 26))
    assert is_working_day(date(2026, 4, 21))  # San Jacinto Day: offices stay open
    assert not is_working_day(date(2026, 4, 21), "all")
    assert date(2026, 3, 2) in texas_holidays(2026, "all") and date(2026, 3, 2) not in texas_holidays(2026)


def test_weekend_holidays_are_not_moved_to_a_weekday():
    # July 4, 2026 is a Saturday: Friday July 3 stays a working day.
    assert is_working_day(date(2026, 7, 3))
    assert last_working_day(2026, 7) == date(2026, 7, 31)
