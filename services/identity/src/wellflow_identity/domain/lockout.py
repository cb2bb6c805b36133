"""Slowing down password guessing on one account.

The first ``free_attempts`` failures cost nothing but the 401. After that, each further attempt must wait
``base_delay * 2**(n - free_attempts)`` seconds after the last failure (1, 2, 4, 8 s ...), and from
``lock_after`` failures the account is locked for ``lock_seconds``. Failures older than ``lock_seconds``
are forgotten, and a successful sign-in resets the count. An attempt made while waiting is refused
without checking the password, so it neither burns CPU nor counts as a failure.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    free_attempts: int = 5
    lock_after: int = 10
    lock_seconds: int = 15 * 60
    base_delay: float = 1.0

    def effective_failures(self, failures: int, last_failed_at: datetime | None, now: datetime) -> int:
        """Failures that still count: none once the last one is older than the lock period."""
        if failures <= 0 or last_failed_at is None:
            return 0
        if now - last_failed_at >= timedelta(seconds=self.lock_seconds):
            return 0
        return failures

    def delay_after(self, failures: int) -> float:
        """How long after the last failure the next attempt is allowed."""
        if failures >= self.lock_after:
            return float(self.lock_seconds)
        if failures < self.free_attempts:
            return 0.0
        return float(self.base_delay * 2 ** (failures - self.free_attempts))

    def retry_after(self, failures: int, last_failed_at: datetime | None, now: datetime) -> int:
        """Whole seconds to wait before the next attempt is accepted; 0 when it may go ahead now."""
        counted = self.effective_failures(failures, last_failed_at, now)
        if counted == 0 or last_failed_at is None:
            return 0
        allowed_at = last_failed_at + timedelta(seconds=self.delay_after(counted))
        remaining = (allowed_at - now).total_seconds()
        return max(0, math.ceil(remaining))

    def is_locked(self, failures: int) -> bool:
        return failures >= self.lock_after


@dataclass(frozen=True)
class SignInLimits:
    """The three counters every password check is charged to, the same whether the email exists or not.

    - ``pair``: one address guessing one account, the strict schedule above (an attacker locks only
      themselves out of that account, not its owner signing in from elsewhere);
    - ``account``: one account from every address, loose enough that locking someone out takes many
      addresses (each address adds at most ``pair.lock_after`` failures per lock period);
    - ``address``: one address across all accounts (password spraying).

    Counters are keyed by hashes (``keys``), never by whether a person exists, so a refusal reveals nothing.
    """

    pair: LockoutPolicy = LockoutPolicy()
    account: LockoutPolicy = LockoutPolicy(free_attempts=30, lock_after=100)
    address: LockoutPolicy = LockoutPolicy(free_attempts=50, lock_after=300)

    def policies(self) -> dict[str, LockoutPolicy]:
        return {"pair": self.pair, "account": self.account, "address": self.address}

    @staticmethod
    def keys(email: str, address: str) -> dict[str, str]:
        """Counter key per kind: an email appears only hashed (it may be a typo of a real one, or a guess)."""

        def digest(text: str) -> str:
            return hashlib.sha256(text.encode()).hexdigest()

        return {
            "pair": "pair:" + digest(f"{email}\n{address}"),
            "account": "account:" + digest(email),
            "address": "address:" + digest(address),
        }

    def wait(self, counters: dict[str, tuple[int, datetime | None]], now: datetime) -> int:
        """Seconds before the next attempt is accepted, the longest any counter asks; 0 when it may go ahead."""
        policies = self.policies()
        return max(
            (policies[kind].retry_after(failures, last, now) for kind, (failures, last) in counters.items()),
            default=0,
        )

    def charged(self, kind: str, failures: int, last_failed_at: datetime | None, now: datetime) -> int:
        """The counter after charging one more attempt (failures past the lock period are forgotten first)."""
        return self.policies()[kind].effective_failures(failures, last_failed_at, now) + 1


@dataclass(frozen=True)
class ResetLimits:
    """How often a link to choose a new password may be asked for, counted like sign-ins (the same table, keys of
    their own, so asking for links never locks anyone out of signing in):

    - ``account``: one email from every address: 3 links, then waits of 30 s, 60 s, and from the 5th request in
      15 minutes none for 15 minutes (nobody's mailbox is flooded);
    - ``address``: one address across all emails (20 free, locked from 50: trying list of addresses).

    Every request is charged, whether or not the email has an account, so the answers are the same for both.
    """

    account: LockoutPolicy = LockoutPolicy(free_attempts=3, lock_after=5, base_delay=30.0)
    address: LockoutPolicy = LockoutPolicy(free_attempts=20, lock_after=50)

    def policies(self) -> dict[str, LockoutPolicy]:
        return {"account": self.account, "address": self.address}

    @staticmethod
    def keys(email: str, address: str) -> dict[str, str]:
        def digest(text: str) -> str:
            return hashlib.sha256(text.encode()).hexdigest()

        return {"account": "reset-account:" + digest(email), "address": "reset-address:" + digest(address)}

    def wait(self, counters: dict[str, tuple[int, datetime | None]], now: datetime) -> int:
        policies = self.policies()
        return max(
            (policies[kind].retry_after(failures, last, now) for kind, (failures, last) in counters.items()),
            default=0,
        )

    def charged(self, kind: str, failures: int, last: datetime | None, now: datetime) -> int:
        return self.policies()[kind].effective_failures(failures, last, now) + 1
