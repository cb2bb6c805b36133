"""The life of an invitation: made, mailed or passed on, sent again with a new token, accepted or withdrawn."""

from __future__ import annotations

from datetime import datetime


def invitation_state(
    *, accepted_at: datetime | None, revoked_at: datetime | None, expires_at: datetime, now: datetime
) -> str:
    """pending, accepted, expired or revoked: what the Members page shows and what may still be done with it."""
    if accepted_at is not None:
        return "accepted"
    if revoked_at is not None:
        return "revoked"
    return "expired" if expires_at <= now else "pending"
