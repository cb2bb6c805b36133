"""Property Code 74/75 dates and thresholds, worked from the sections' text."""

from datetime import date
from decimal import Decimal

from wellflow_texas.escheat import notice_due, notice_required, presumed_abandoned_on, report_due, report_year


def test_three_years_unclaimed_means_the_day_after_the_third_anniversary():
    # Held since March 15, 2023: three years end March 15, 2026; "longer than three years" from March 16.
    assert presumed_abandoned_on(date(2023, 3, 15)) == date(2026, 3, 16)
    assert presumed_abandoned_on(date(2024, 2, 29)) == date(2027, 3, 1)  # no Feb 29 in 2027: the 28th, +1 day


def test_the_march_1_holding_decides_the_report_year():
    assert report_year(date(2026, 3, 1)) == 2026  # held on March 1, 2026: reported by July 1, 2026
    assert report_year(date(2026, 3, 16)) == 2027  # not yet abandoned on March 1, 2026: next year's report
    assert (notice_due(2027), report_due(2027)) == (date(2027, 5, 1), date(2027, 7, 1))


def test_notice_above_250_dollars_with_an_address():
    assert notice_required(Decimal("250.01"), True)
    assert not notice_required(Decimal("250.00"), True)  # "more than $250"
    assert not notice_required(Decimal("9000.00"), False)  # no address on record (74.1011(b)(2))
