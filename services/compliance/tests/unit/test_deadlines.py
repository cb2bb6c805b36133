"""Which deadline reminder is due on a day, each at most once."""

from datetime import date

import pytest

from wellflow_compliance.domain.calendar import go_live_default, in_scope, is_missed, reminder_due

DUE = date(2026, 8, 31)


@pytest.mark.parametrize(
    ("today", "sent", "expected"),
    [
        (date(2026, 7, 31), set(), None),  # 31 days before
        (date(2026, 8, 1), set(), 30),
        (date(2026, 8, 10), set(), 30),  # late start: the 30-day reminder still goes out
        (date(2026, 8, 10), {30}, None),
        (date(2026, 8, 24), {30}, 7),
        (date(2026, 8, 27), set(), 7),  # never a 30-day reminder 4 days before
        (date(2026, 8, 30), {30, 7}, 1),
        (date(2026, 8, 30), {30, 7, 1}, None),
        (date(2026, 8, 31), set(), None),  # the due date itself: no reminder, not yet missed
    ],
)
def test_reminder_due(today, sent, expected):
    assert reminder_due(DUE, today, sent) == expected


def test_missed_the_day_after_unless_done():
    assert not is_missed(DUE, DUE, "open")
    assert is_missed(DUE, date(2026, 9, 1), "open")
    assert not is_missed(DUE, date(2026, 9, 1), "accepted")
    assert not is_missed(DUE, date(2026, 9, 1), "paid")


def test_obligations_due_before_the_go_live_month_are_never_missed() -> None:
    go_live = date(2026, 9, 1)
    assert not in_scope(DUE, go_live) and in_scope(date(2026, 9, 1), go_live) and in_scope(DUE, None)
    assert not is_missed(DUE, date(2026, 10, 1), "open", go_live)
    assert is_missed(DUE, date(2026, 10, 1), "open", None)
    assert not is_missed(DUE, date(2026, 10, 1), "filed_outside", None)  # filed outside WellFlow is done
    assert go_live_default(date(2026, 12, 7)) == date(2026, 12, 1) and go_live_default(None) is None
