"""The back-off and lockout schedule for failed sign-ins on one account."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from wellflow_identity.domain.lockout import LockoutPolicy

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
POLICY = LockoutPolicy()


@pytest.mark.parametrize(
    ("failures", "seconds_since_last", "retry_after"),
    [
        (0, 0, 0),
        (4, 0, 0),  # still free attempts
        (5, 0, 1),  # the sixth attempt waits a second
        (5, 1, 0),
        (6, 0, 2),
        (7, 1, 3),
        (9, 0, 16),
        (10, 0, 900),  # locked for fifteen minutes
        (10, 899.5, 1),
        (10, 900, 0),  # the lock has passed and the failures are forgotten
        (30, 60, 840),
    ],
)
def test_failures_wait_longer_and_longer_then_lock(failures, seconds_since_last, retry_after):
    last = NOW - timedelta(seconds=seconds_since_last)
    assert POLICY.retry_after(failures, last, NOW) == retry_after


def test_old_failures_stop_counting_after_the_lock_period():
    last = NOW - timedelta(minutes=16)
    assert POLICY.effective_failures(7, last, NOW) == 0
    assert POLICY.effective_failures(7, NOW - timedelta(minutes=14), NOW) == 7
    assert POLICY.effective_failures(3, None, NOW) == 0


def test_the_account_is_locked_from_the_tenth_failure():
    assert not POLICY.is_locked(9)
    assert POLICY.is_locked(10)
