"""Texas unclaimed mineral proceeds (Property Code title 6), text read at texas.public.law (copies of
statutes.capitol.texas.gov, 2020-2024):

- 75.101(a): mineral proceeds held or owing that have remained unclaimed by the owner for longer than three years
  after they became payable or distributable, and the owner's underlying right to receive them, are presumed
  abandoned; (b): then every later proceeds of that right are presumed abandoned too.
- 75.001(a)(2): "mineral proceeds" include royalties, overriding royalties, net revenue interests, production
  payments and joint operating agreement obligations; (c): a holder follows chapter 74's procedures.
- 74.101(a): a holder who on March 1 holds property presumed abandoned files a report on or before the following
  July 1; the Comptroller may require a computer-readable format (it takes the NAUPA standard file).
- 74.1011(a): a holder who on March 1 holds property valued at more than $250 mails, on or before the following
  May 1, a written notice to the owner's last known address saying that the holder is holding the property and
  may have to deliver it to the Comptroller on or before July 1 if it is not claimed; (b) no notice is needed
  without an address on record.

WellFlow's reading, where the sections leave a choice: the three years run from the owner's last activity, the
later of the day the oldest balance was first held and the owner's last payment (a paid owner is not missing).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

DORMANCY_YEARS = 3  # Property Code 75.101(a): "longer than three years"
NOTICE_ABOVE = Decimal("250.00")  # 74.1011(a): notice for property valued at more than $250
CUTOFF = (3, 1)  # 74.101(a) and 74.1011(a): what the holder holds on March 1
NOTICE_BY = (5, 1)  # 74.1011(a): notice mailed on or before May 1
REPORT_BY = (7, 1)  # 74.101(a): report filed on or before July 1


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29 in a year that has none
        return day.replace(year=day.year + years, day=28)


def presumed_abandoned_on(last_activity: date) -> date:
    """The first day the proceeds have been unclaimed for LONGER than three years."""
    return _add_years(last_activity, DORMANCY_YEARS) + timedelta(days=1)


def report_year(presumed_on: date) -> int:
    """The year whose July 1 report includes property presumed abandoned on ``presumed_on``: held on that
    year's March 1 if presumed abandoned by then, else the next year's."""
    cutoff = date(presumed_on.year, *CUTOFF)
    return presumed_on.year if presumed_on <= cutoff else presumed_on.year + 1


def cutoff_day(year: int) -> date:
    return date(year, *CUTOFF)


def notice_due(year: int) -> date:
    return date(year, *NOTICE_BY)


def report_due(year: int) -> date:
    return date(year, *REPORT_BY)


def notice_required(amount: Decimal, has_address: bool) -> bool:
    """74.1011: more than $250, and an address on record to mail it to."""
    return amount > NOTICE_ABOVE and has_address
