"""Retention, legal hold and expiry reminders: when a document may go, and when someone is told it expires."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


def deletion_refusal(*, legal_hold: bool, retain_until: date | None, today: date) -> str | None:
    """Why a document may not be deleted today, or None when it may."""
    if legal_hold:
        return "The document is under legal hold; release the hold first."
    if retain_until is not None and today <= retain_until:
        return f"The document is kept until {retain_until.isoformat()} (retention); it may be deleted after that."
    return None


@dataclass(frozen=True)
class Reminder:
    days_before: int  # the threshold this reminder answers
    covers: tuple[int, ...]  # every threshold it settles (a late document passes several at once)


def due_reminder(expires_on: date, today: date, thresholds: Iterable[int], already: Sequence[int]) -> Reminder | None:
    """The reminder to send today for a document expiring on ``expires_on``, or None.

    A threshold of ``n`` days is due from ``expires_on - n`` on, and is sent once (``already`` holds the
    thresholds sent for this version and expiry date). When several are due at once (the document was added
    late, or the job was down), one reminder is sent, for the nearest threshold, and it settles the others,
    so nobody gets three mails on one morning. Nothing is sent once the date has passed.
    """
    if today > expires_on:
        return None
    days_left = (expires_on - today).days
    due = sorted({n for n in thresholds if n >= days_left and n not in already})
    if not due:
        return None
    return Reminder(days_before=due[0], covers=tuple(due))
