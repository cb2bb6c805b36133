"""Ownership decks: who owns what share of a lease's revenue (revenue deck) and costs (cost deck), from a date.

Sources (docs/domain.md, owner revenue): royalty decimal = (net mineral acres / unit acres) x royalty rate, summed
over tracts; working-interest NRI = WI x (1 - royalty - ORRI - other burdens); decimals carry 8 places and a
revenue deck's decimals sum to exactly 1.00000000. A cost deck's working interests sum to 1.00000000 too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from uuid import UUID

from .money import DECIMAL_PLACES

ONE = Decimal("1.00000000")


class DeckKind(StrEnum):
    REVENUE = "revenue"
    COST = "cost"


class InterestType(StrEnum):
    ROYALTY = "royalty"
    ORRI = "orri"
    WORKING_INTEREST = "working_interest"


REVENUE_INTERESTS = frozenset({InterestType.ROYALTY, InterestType.ORRI, InterestType.WORKING_INTEREST})
COST_INTERESTS = frozenset({InterestType.WORKING_INTEREST})


class DeckRejected(ValueError):
    """The deck breaks a rule; ``field`` names the offending part, ``difference`` the gap to 1.00000000."""

    def __init__(self, message: str, *, field: str = "body.lines", difference: Decimal | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.difference = difference


@dataclass(frozen=True, slots=True)
class DeckLine:
    partner_id: UUID
    interest_type: InterestType
    decimal: Decimal
    cost_free: bool = False  # a cost-free royalty: the lease's deductions are not taken from this share


def decimal8(value: Decimal) -> Decimal:
    return value.quantize(DECIMAL_PLACES, rounding=ROUND_HALF_UP)


def check_deck(kind: DeckKind, lines: Sequence[DeckLine]) -> Decimal:
    """The deck's total (exactly 1.00000000), or DeckRejected saying what is wrong and by how much."""
    if not lines:
        raise DeckRejected("A deck needs at least one owner.")
    allowed = REVENUE_INTERESTS if kind is DeckKind.REVENUE else COST_INTERESTS
    seen: set[tuple[UUID, InterestType]] = set()
    for index, line in enumerate(lines):
        where = f"body.lines[{index}]"
        if line.interest_type not in allowed:
            raise DeckRejected(
                f"A {kind.value} deck holds only {', '.join(sorted(i.value for i in allowed))} interests.",
                field=f"{where}.interest_type",
            )
        if line.decimal <= 0 or line.decimal > 1:
            raise DeckRejected("A decimal is above 0 and at most 1.", field=f"{where}.decimal")
        if line.decimal != decimal8(line.decimal):
            raise DeckRejected("Decimals carry at most 8 places.", field=f"{where}.decimal")
        key = (line.partner_id, line.interest_type)
        if key in seen:
            raise DeckRejected("An owner appears twice with the same interest type.", field=f"{where}.partner_id")
        seen.add(key)
    total = sum((line.decimal for line in lines), Decimal(0))
    if total != ONE:
        difference = ONE - total
        raise DeckRejected(
            f"The decimals sum to {total:.8f}, not 1.00000000: {'add' if difference > 0 else 'remove'} "
            f"{abs(difference):.8f}.",
            difference=difference,
        )
    return total


@dataclass(frozen=True, slots=True)
class Period:
    """From ``start`` (inclusive) to ``end`` (exclusive; None = open-ended)."""

    start: date
    end: date | None = None

    def overlaps(self, other: Period) -> bool:
        return (other.end is None or self.start < other.end) and (self.end is None or other.start < self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def check_period(period: Period, others: Iterable[Period]) -> None:
    if period.end is not None and period.end <= period.start:
        raise DeckRejected("A deck's end comes after its start.", field="body.effective_to")
    for other in others:
        if period.overlaps(other):
            until = other.end.isoformat() if other.end else "open-ended"
            raise DeckRejected(
                f"Overlaps the deck in effect from {other.start.isoformat()} to {until}; end that deck first or "
                "choose dates outside it.",
                field="body.effective_from",
            )


@dataclass(frozen=True, slots=True)
class Tract:
    """A tract an owner holds minerals in, pooled into the unit."""

    net_mineral_acres: Decimal
    unit_acres: Decimal
    royalty_rate: Decimal


def royalty_decimal(tracts: Sequence[Tract]) -> Decimal:
    """(net mineral acres / unit acres) x royalty rate, summed over tracts, to 8 places."""
    if not tracts:
        raise ValueError("at least one tract")
    total = Decimal(0)
    for tract in tracts:
        if tract.unit_acres <= 0:
            raise ValueError("unit acres must be positive")
        if tract.net_mineral_acres < 0 or tract.net_mineral_acres > tract.unit_acres:
            raise ValueError("net mineral acres are between 0 and the unit's acres")
        if not 0 <= tract.royalty_rate < 1:
            raise ValueError("a royalty rate is between 0 and 1")
        total += tract.net_mineral_acres / tract.unit_acres * tract.royalty_rate
    return decimal8(total)


def net_revenue_interest(working_interest: Decimal, royalty: Decimal, orri: Decimal, other_burdens: Decimal) -> Decimal:
    """WI x (1 - royalty - ORRI - other burdens), to 8 places: 100% WI under 3/16 royalty and 1/16 ORRI is 0.75."""
    if not 0 < working_interest <= 1:
        raise ValueError("a working interest is above 0 and at most 1")
    burdens = royalty + orri + other_burdens
    if any(b < 0 for b in (royalty, orri, other_burdens)) or burdens >= 1:
        raise ValueError("burdens are non-negative and together below 1")
    return decimal8(working_interest * (1 - burdens))
