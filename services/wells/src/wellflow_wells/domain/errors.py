"""Domain errors: plain Python, translated to problem responses at the HTTP edge."""

from __future__ import annotations


class DomainError(Exception):
    """A rule about the input or the state was broken; ``field`` names the input it concerns, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidApiNumber(DomainError):
    """An API well number that is structurally wrong; the message names the part."""


class IllegalTransition(DomainError):
    """A well status change the lifecycle does not allow."""

    def __init__(self, current: str, requested: str, allowed: list[str]) -> None:
        listed = ", ".join(allowed) if allowed else "none: the status is final"
        super().__init__(
            f"A well cannot go from {current} to {requested}; allowed next states: {listed}.", field="status"
        )
        self.current = current
        self.requested = requested
        self.allowed = allowed


class InvalidGauge(DomainError):
    """A tank gauge reading outside what the strapping table covers, or malformed."""
