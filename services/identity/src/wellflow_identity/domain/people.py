"""Email addresses and passwords of people signing up or in."""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # argon2 would take anything; a cap keeps a megabyte password from being a DoS


def normalize_email(email: str) -> str:
    """One account per mailbox: addresses are compared trimmed and case-folded."""
    return email.strip().lower()


def password_problem(password: str, email: str) -> str | None:
    """Why ``password`` is not acceptable, or None. Length rules follow NIST SP 800-63B."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"must be at most {MAX_PASSWORD_LENGTH} characters"
    if password.strip().lower() == normalize_email(email):
        return "must not be your email address"
    return None
