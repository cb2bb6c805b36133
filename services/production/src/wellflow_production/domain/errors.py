"""Domain errors of the production computations: plain ``ValueError`` subclasses the HTTP edge turns into 4xx.

Each carries an optional ``field`` naming the input it concerns, so a problem response can point at it.
"""

from __future__ import annotations


class ProductionDomainError(ValueError):
    """A rule about the input was broken; ``field`` names the input it concerns, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class AllocationError(ProductionDomainError):
    """Battery volumes cannot be allocated to the wells given (no producing weight, negative or non-Decimal input)."""


class DeclineFitError(ProductionDomainError):
    """A decline curve cannot be fitted to the history given (too few producing days, or the optimizer failed)."""


class GaugeError(ProductionDomainError):
    """A tank gauge, strapping table or run-ticket measurement outside what can be measured or corrected."""


class ReadingError(ProductionDomainError):
    """A raw value that is not a usable number (not a decimal, NaN, too many decimals)."""
