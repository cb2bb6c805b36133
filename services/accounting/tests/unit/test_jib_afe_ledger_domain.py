"""JIB overhead and balances, the AFE lifecycle and overrun rule, and balanced journal entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from wellflow_accounting.domain import afe, jib, ledger

D = Decimal


@pytest.mark.parametrize(
    ("history", "month", "expected"),
    [
        # Spudded on the 21st of a 30-day month, drilling to month end: 10 drilling days of 30.
        ([(date(2026, 4, 21), "spudded")], date(2026, 4, 1), ("333.33", 10)),
        # Drilling all of February (28 days), full drilling rate.
        ([(date(2026, 1, 10), "drilling")], date(2026, 2, 1), ("1000.00", 28)),
        # Producing all month: the producing rate.
        ([(date(2025, 1, 1), "producing")], date(2026, 3, 1), ("250.00", 0)),
        # Drilling then completing then producing inside the month: drilling days only (our documented choice).
        (
            [(date(2026, 3, 1), "drilling"), (date(2026, 3, 11), "completing"), (date(2026, 3, 21), "producing")],
            date(2026, 3, 1),
            ("645.16", 20),
        ),
    ],
)
def test_overhead_is_prorated_by_drilling_days(history, month, expected):
    charge = jib.well_overhead(D("1000.00"), D("250.00"), history, month)
    assert (str(charge.amount), charge.drilling_days) == expected


def test_no_overhead_for_a_shut_in_or_future_well():
    assert jib.well_overhead(D("1000"), D("250"), [(date(2025, 1, 1), "shut_in")], date(2026, 3, 1)) is None
    assert jib.well_overhead(D("1000"), D("250"), [(date(2026, 5, 1), "drilling")], date(2026, 3, 1)) is None


def test_april_first_adjustments_compound_after_the_rates_were_set():
    adjustments = {2025: D("3.0"), 2026: D("-1.5")}
    set_on = date(2024, 7, 1)
    assert jib.adjusted_rate(D("1000.00"), set_on, adjustments, date(2025, 3, 1)) == D("1000.00")
    assert jib.adjusted_rate(D("1000.00"), set_on, adjustments, date(2025, 4, 1)) == D("1030.00")
    assert jib.adjusted_rate(D("1000.00"), set_on, adjustments, date(2026, 4, 1)) == D("1014.55")
    # Rates agreed after an April 1 are not adjusted by it.
    assert jib.adjusted_rate(D("1000.00"), date(2025, 6, 1), adjustments, date(2025, 12, 1)) == D("1000.00")


def test_balance_due_is_prior_plus_billed_less_payments():
    b = jib.balance(D("5000.00"), D("4000.00"), D("2500.00"), D("1000.00"))
    assert (b.prior_balance, b.balance_due) == (D("1000.00"), D("2500.00"))


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        (["pending_approval", "approved", "in_progress", "completed", "closed"], True),
        (["pending_approval", "rejected", "draft", "pending_approval", "approved"], True),
        (["approved"], False),
        (["pending_approval", "approved", "completed"], False),
        (["pending_approval", "approved", "in_progress", "completed", "closed", "draft"], False),
    ],
)
def test_afe_lifecycle(path, ok):
    status = "draft"
    try:
        for step in path:
            status = afe.check_transition(status, step).value
    except afe.IllegalAfeTransition as exc:
        assert not ok
        assert exc.allowed == [s.value for s in afe.TRANSITIONS[afe.AfeStatus(status)]]
        return
    assert ok


def test_overrun_is_past_the_percentage_not_at_it():
    assert not afe.is_overrun(D("100000"), D("110000"), D("10"))
    assert afe.is_overrun(D("100000"), D("110000.01"), D("10"))
    assert afe.overrun_percent(D("100000"), D("112500")) == D("12.50")


def test_journal_entries_balance():
    lines = ledger.revenue_entry(
        date(2026, 3, 1),
        date(2026, 3, 31),
        gross=D("70000.00"),
        tax=D("3220.00"),
        deductions=D("100.00"),
        owners_paid=[("Ada", D("800.00")), ("Op", D("65000.00"))],
        suspense_change=D("880.00"),
    )
    lines += ledger.jib_entry(
        date(2026, 3, 1),
        date(2026, 3, 31),
        partners=[("Op", D("750.00")), ("Partner", D("250.00"))],
        categories=[("lease_operating", D("900.00")), ("overhead", D("100.00"))],
    )
    assert ledger.balanced(lines)
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines) == D("71000.00")
    # A release of suspense larger than what was held is a debit to suspense.
    released = ledger.revenue_entry(
        date(2026, 4, 1),
        date(2026, 4, 30),
        gross=D("10.00"),
        tax=D("0.46"),
        deductions=D("0"),
        owners_paid=[("Ada", D("109.54"))],
        suspense_change=D("-100.00"),
    )
    assert ledger.balanced(released)
    assert next(line for line in released if line.account == ledger.SUSPENSE_PAYABLE).debit == D("100.00")
