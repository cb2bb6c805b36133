"""Texas working days and the filing due dates WellFlow computes: Form PR, crude oil tax, natural gas tax.

Holidays, Government Code 662.003: (a) national holidays (New Year's Day, Martin Luther King Jr. Day,
Presidents' Day, Memorial Day, Independence Day, Labor Day, Veterans Day, Thanksgiving Day, Christmas Day);
(b) state holidays (Confederate Heroes Day Jan 19, Texas Independence Day Mar 2, San Jacinto Day Apr 21,
Emancipation Day Jun 19, LBJ Day Aug 27, the Friday after Thanksgiving, Dec 24, Dec 26). Gov. Code 662.004:
agencies keep enough staff on duty on a state holiday, except the Friday after Thanksgiving, Dec 24 and 26,
when offices close. A holiday on a Saturday or Sunday is not moved to a weekday (State Auditor's holiday
schedule: "offices will not be closed on another day"). Optional holidays (662.003(c)) are not counted.

Two holiday sets, chosen by the caller (WellFlow's setting ``FORM_PR_HOLIDAYS``):
- ``"closed"`` (default): national holidays plus the three state holidays on which offices close.
- ``"all"``: every national and state holiday of 662.003(a) and (b) (the cautious reading: file earlier).

Due dates:
- Form PR: the last working day of the month after the production month (RRC training material;
  docs/domain.md#form-pr-due-date, open: 16 TAC 3.58 not read, so the rule is a setting: ``last_working_day``
  or a fixed day such as 15).
- Crude oil and condensate tax: the 25th of the month after production (Tax Code 202.201).
- Natural gas tax: the 20th of the second month after production (Tax Code 201.202).
- A tax due date on a Saturday, Sunday or legal holiday moves to the next day that is none of them
  (Code Construction Act, Government Code 311.014; the Comptroller applies the same rule to tax reports).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

HolidaySet = Literal["closed", "all"]

OIL_TAX_DAY = 25  # Tax Code 202.201: 25th of the month after production
GAS_TAX_DAY = 20  # Tax Code 201.202: 20th of the second month after production


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = _month_end(year, month)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def texas_holidays(year: int, holiday_set: HolidaySet = "closed") -> dict[date, str]:
    """The year's holidays (Government Code 662.003) by date, as WellFlow skips them."""
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    days = {
        date(year, 1, 1): "New Year's Day",
        _nth_weekday(year, 1, 0, 3): "Martin Luther King, Jr., Day",
        _nth_weekday(year, 2, 0, 3): "Presidents' Day",
        _last_weekday(year, 5, 0): "Memorial Day",
        date(year, 7, 4): "Independence Day",
        _nth_weekday(year, 9, 0, 1): "Labor Day",
        date(year, 11, 11): "Veterans Day",
        thanksgiving: "Thanksgiving Day",
        date(year, 12, 25): "Christmas Day",
        thanksgiving + timedelta(days=1): "Day after Thanksgiving",
        date(year, 12, 24): "Christmas Eve",
        date(year, 12, 26): "Day after Christmas",
    }
    if holiday_set == "all":
        days.update(
            {
                date(year, 1, 19): "Confederate Heroes Day",
                date(year, 3, 2): "Texas Independence Day",
                date(year, 4, 21): "San Jacinto Day",
                date(year, 6, 19): "Emancipation Day in Texas",
                date(year, 8, 27): "Lyndon Baines Johnson Day",
            }
        )
    elif holiday_set != "closed":
        raise ValueError(f"unknown holiday set {holiday_set!r}: closed or all")
    return days


def is_working_day(day: date, holiday_set: HolidaySet = "closed") -> bool:
    return day.weekday() < 5 and day not in texas_holidays(day.year, holiday_set)


def next_working_day(day: date, holiday_set: HolidaySet = "closed") -> date:
    """``day`` itself when it is a working day, else the next one (Government Code 311.014)."""
    while not is_working_day(day, holiday_set):
        day += timedelta(days=1)
    return day


def last_working_day(year: int, month: int, holiday_set: HolidaySet = "closed") -> date:
    day = _month_end(year, month)
    while not is_working_day(day, holiday_set):
        day -= timedelta(days=1)
    return day


def add_months(month: date, count: int) -> date:
    """First day of the month ``count`` months after ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def form_pr_due(production_month: date, *, rule: str = "last_working_day", holiday_set: HolidaySet = "closed") -> date:
    """Form PR due date. ``rule`` is ``last_working_day`` (default) or a day of the month (``"15"``), which
    then moves to the next working day when it is not one."""
    following = add_months(production_month, 1)
    if rule == "last_working_day":
        return last_working_day(following.year, following.month, holiday_set)
    if rule.isdigit() and 1 <= int(rule) <= 28:
        return next_working_day(following.replace(day=int(rule)), holiday_set)
    raise ValueError(f"unknown Form PR due rule {rule!r}: last_working_day or a day 1-28")


def oil_tax_due(production_month: date, holiday_set: HolidaySet = "closed") -> date:
    return next_working_day(add_months(production_month, 1).replace(day=OIL_TAX_DAY), holiday_set)


def gas_tax_due(production_month: date, holiday_set: HolidaySet = "closed") -> date:
    return next_working_day(add_months(production_month, 2).replace(day=GAS_TAX_DAY), holiday_set)
