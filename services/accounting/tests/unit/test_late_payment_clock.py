"""The late-payment clock's rules (domain/late_payments.py), with figures worked by hand from Nat. Res. Code
91.402(a) and 91.403 (the arithmetic is in the comments)."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from wellflow_accounting.domain.late_payments import ItemKey, Payment, clock_line, fold
from wellflow_texas.payment_law import RatePeriod

D = Decimal
OWNER = UUID("01938a10-0000-7000-8000-0000000000a1")
LEASE = UUID("01938a10-0000-7000-8000-0000000000b1")
JAN, FEB = date(2024, 1, 1), date(2024, 2, 1)
FED = [RatePeriod(date(2023, 7, 27), D("0.055")), RatePeriod(date(2024, 9, 19), D("0.05"))]


def one(lines, payments=(), *, as_of, first=JAN):
    items = fold(lines, payments)
    [item] = items.values()
    return clock_line(item, first, as_of, FED)


def test_first_month_paid_sixty_days_late_owes_interest_on_the_payment():
    # January 2024 is the month of first sale: due 120 days after Jan 31 = May 30, 2024. Paid July 29: 60 days.
    # 1000.00 x (5.50% + 2%) x 60 / 365 = 4500 / 365 = 12.33
    key = ItemKey(OWNER, LEASE, JAN, "oil")
    line = one(
        [(OWNER, LEASE, JAN, "oil", "payable", D("1000.00"))],
        [(key, Payment(D("1000.00"), date(2024, 7, 29)))],
        as_of=date(2024, 8, 1),
    )
    assert line.due_date == date(2024, 5, 30)
    assert (line.status, line.days_late, line.interest, line.unpaid) == ("paid_late", 60, D("12.33"), D("0.00"))


def test_unpaid_gas_accrues_to_the_day_asked_about():
    # February 2024 gas after the first sale month: due 90 days after Feb 29 = May 29. On June 28: 30 days late.
    # 500.00 x 7.5% x 30 / 365 = 1125 / 365 = 3.08
    line = one([(OWNER, LEASE, FEB, "gas", "payable", D("500.00"))], as_of=date(2024, 6, 28))
    assert (line.due_date, line.status, line.days_late, line.interest) == (date(2024, 5, 29), "late", 30, D("3.08"))
    early = one([(OWNER, LEASE, FEB, "gas", "payable", D("500.00"))], as_of=date(2024, 5, 29))
    assert (early.status, early.days_late, early.interest) == ("pending", 0, D("0.00"))


def test_condensate_is_paid_on_oils_terms():
    # February 2024 condensate: 60 days after Feb 29 = April 29.
    line = one([(OWNER, LEASE, FEB, "condensate", "payable", D("80.00"))], as_of=date(2024, 4, 1))
    assert line.key.product == "oil" and line.due_date == date(2024, 4, 29)


def test_partial_payment_interest_on_each_part():
    # Due May 29 (Feb gas). 300.00 paid June 8 (10 days): 300 x 0.075 x 10 / 365 = 225/365 = 0.6164 -> 0.62.
    # 200.00 unpaid to June 28 (30 days): 200 x 0.075 x 30 / 365 = 450/365 = 1.2329 -> 1.23. Total 1.85.
    key = ItemKey(OWNER, LEASE, FEB, "gas")
    line = one(
        [(OWNER, LEASE, FEB, "gas", "payable", D("500.00"))],
        [(key, Payment(D("300.00"), date(2024, 6, 8)))],
        as_of=date(2024, 6, 28),
    )
    assert (line.paid, line.unpaid, line.interest, line.days_late) == (D("300.00"), D("200.00"), D("1.85"), 30)


def test_title_holds_and_minimum_payment_suspense_are_never_late():
    withheld = one([(OWNER, LEASE, FEB, "oil", "withheld", D("75.00"))], as_of=date(2025, 1, 1))
    assert (withheld.status, withheld.days_late, withheld.interest) == ("withheld", 0, D("0.00"))
    small = one([(OWNER, LEASE, FEB, "oil", "accumulating", D("7.00"))], as_of=date(2025, 1, 1))
    assert (small.status, small.days_late, small.unpaid) == ("accumulating", 0, D("0.00"))


def test_a_correction_that_takes_back_the_amount_leaves_nothing_owed():
    line = one(
        [(OWNER, LEASE, FEB, "oil", "payable", D("40.00")), (OWNER, LEASE, FEB, "oil", "payable", D("-40.00"))],
        as_of=date(2025, 1, 1),
    )
    assert (line.status, line.unpaid) == ("settled", D("0.00"))


def test_no_rate_for_a_late_day_gives_no_interest_figure_rather_than_zero():
    line = clock_line(
        next(iter(fold([(OWNER, LEASE, FEB, "gas", "payable", D("500.00"))], []).values())),
        JAN,
        date(2024, 6, 28),
        [],
    )
    assert line.status == "late" and line.interest is None
