"""A tank's daily balance: what the tank should hold at each day's end against what the pumper gauged, and the
two alarms a manager acts on (a gap past the threshold; a producing tank whose gauge has not moved).

The balance is anchored on the pumper's own gauges (``source`` 'gauge'). Between two of them the tank should
gain the oil its battery's wells read for the production days after the earlier gauge's day, and lose the gross
barrels of the run tickets taken after the earlier gauge (a rejected load never left: it is not subtracted). The
haulers' opening and closing gauges are not anchors: they are what the hauler watch judges against this balance
(``domain.hauler_watch``), so a short load shows as a gap at the pumper's next gauge instead of being absorbed
by the hauler's own closing figure. Each pumper gauge starts the next stretch (a loss alarms once, at the first
gauge that shows it).

A battery with several oil tanks is expected in a range (``domain.tank_balance.expected_balance``): the wells'
oil went into one of them and nothing says which.

Threshold (``gap_threshold``): the larger of the organization's floor in barrels (default 5 bbl) and its percent
of the tank's capacity (default 1 %), and 10 % of the production since the anchor gauge (the wells' daily
figures are estimates that the tanks true up). Defaults and their sources are in docs/production.md, "Tank
balance"; they are ``domain.tank_balance``'s numbers, which the pumper's phone already uses.

"Gauge not moving": a tank whose gauged level has not changed for ``stale_days`` days (not gauged, or the same
figure written again) while its battery's wells read oil on those days.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate

from . import tank_balance

BARRELS = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Gauge:
    """A pumper's gauge: when it was taken, the production day it closes, its gross barrels."""

    gauged_at: datetime
    day: date
    barrels: Decimal


@dataclass(frozen=True)
class Ticket:
    """A run ticket's load as the balance sees it: gross barrels out unless the purchaser refused it."""

    taken_at: datetime
    day: date
    gross_bbl: Decimal
    rejected: bool = False


@dataclass(frozen=True)
class Threshold:
    """The organization's gap threshold and staleness window."""

    floor_bbl: Decimal = tank_balance.FLOOR_BBL
    capacity_percent: Decimal = tank_balance.CAPACITY_PERCENT
    stale_days: int = 3


@dataclass(frozen=True)
class DayBalance:
    """One tank-day. ``expected_*`` is the day-end level the anchor predicts (low = high for a battery's only oil
    tank); ``gauged_bbl`` the day's last pumper gauge (None when not gauged); ``gap_bbl`` gauged - expected (beyond
    the range for a shared tank; 0 within it); ``alarm`` when |gap| exceeds ``threshold_bbl``; ``stale`` when the
    gauge has not moved for the window while the wells produced."""

    day: date
    production_bbl: Decimal
    tickets_bbl: Decimal
    rejected_bbl: Decimal
    expected_low_bbl: Decimal | None
    expected_high_bbl: Decimal | None
    gauged_bbl: Decimal | None
    gap_bbl: Decimal | None
    threshold_bbl: Decimal | None
    alarm: bool
    stale: bool
    unchanged_days: int | None


def gap_threshold(capacity_bbl: Decimal, production_bbl: Decimal, threshold: Threshold) -> Decimal:
    """How far a gauge may be from its expected balance before it alarms, in barrels."""
    return max(
        threshold.floor_bbl,
        capacity_bbl * threshold.capacity_percent / 100,
        max(production_bbl, ZERO) * tank_balance.PRODUCTION_PERCENT / 100,
    ).quantize(BARRELS, rounding=ROUND_HALF_UP)


def signed_gap(gauged: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """gauged - expected: negative when the tank holds less than the balance says (oil went missing)."""
    if gauged < low:
        return gauged - low
    if gauged > high:
        return gauged - high
    return ZERO


def daily_balance(
    first: date,
    last: date,
    *,
    capacity_bbl: Decimal,
    shared: bool,
    anchor: Gauge | None,
    gauges: Sequence[Gauge],
    tickets: Sequence[Ticket],
    production: Mapping[date, Decimal],
    threshold: Threshold,
    last_change: date | None = None,
) -> list[DayBalance]:
    """The tank's balance for each day from ``first`` to ``last``.

    ``anchor``: the last pumper gauge before ``first`` (None: the tank has no gauge yet, nothing is expected until
    its first). ``gauges``/``tickets``: those from ``first`` to ``last`` (tickets taken after the anchor, also
    when earlier than ``first``); ``production``: the battery's oil per production day after the anchor's day.
    ``last_change``: the day the gauged level last changed before ``first`` (for the staleness count).
    """
    if last < first:
        raise ValueError("the last day is before the first")
    by_day: dict[date, list[Gauge]] = {}
    for gauge in sorted(gauges, key=lambda g: g.gauged_at):
        by_day.setdefault(gauge.day, []).append(gauge)
    ordered = sorted(tickets, key=lambda t: t.taken_at)
    produced = _Produced(production)
    by_ticket_day: dict[date, list[Ticket]] = {}
    for ticket in ordered:
        by_ticket_day.setdefault(ticket.day, []).append(ticket)
    changed = last_change if last_change is not None else (anchor.day if anchor else None)
    previous_level = anchor.barrels if anchor else None
    out: list[DayBalance] = []
    day = first
    while day <= last:
        row, anchor, changed, previous_level = _one_day(
            day, anchor, by_day.get(day, []), (ordered, by_ticket_day.get(day, [])), (production, produced),
            capacity_bbl, shared, threshold, changed, previous_level,
        )  # fmt: skip
        out.append(row)
        day += timedelta(days=1)
    return out


class _Produced:
    """The production read after one day up to another, from running totals (each day's sum in O(log n))."""

    def __init__(self, production: Mapping[date, Decimal]) -> None:
        self.days = sorted(production)
        self.totals = list(accumulate((production[d] for d in self.days), initial=ZERO))

    def through(self, day: date) -> Decimal:
        return self.totals[bisect_right(self.days, day)]

    def between(self, after: date, day: date) -> Decimal:
        return self.through(day) - self.through(after) if day > after else ZERO


def _moved(
    anchor: Gauge | None,
    until: datetime | None,
    day: date,
    tickets: Sequence[Ticket],
    produced: _Produced,
) -> tuple[Decimal, Decimal]:
    """Production read and barrels taken after ``anchor`` up to ``until`` (a gauge's time) or the end of ``day``."""
    if anchor is None:
        return ZERO, ZERO
    taken = sum(
        (
            t.gross_bbl
            for t in tickets
            if not t.rejected and t.taken_at > anchor.gauged_at and (t.taken_at <= until if until else t.day <= day)
        ),
        ZERO,
    )
    return produced.between(anchor.day, day), taken


def _one_day(
    day: date,
    anchor: Gauge | None,
    todays: list[Gauge],
    ticket_lists: tuple[Sequence[Ticket], Sequence[Ticket]],
    productions: tuple[Mapping[date, Decimal], _Produced],
    capacity: Decimal,
    shared: bool,
    threshold: Threshold,
    changed: date | None,
    previous_level: Decimal | None,
) -> tuple[DayBalance, Gauge | None, date | None, Decimal | None]:
    tickets, day_tickets = ticket_lists
    production, produced_by = productions
    worst: tuple[Decimal, Decimal, Decimal, Decimal] | None = None  # gap, threshold, low, high of the day's gauges
    gauged = None
    for gauge in todays:
        if anchor is not None:
            produced, taken = _moved(anchor, gauge.gauged_at, day, tickets, produced_by)
            balance = tank_balance.expected_balance(anchor.barrels, produced, taken, capacity, shared=shared)
            gap = signed_gap(gauge.barrels, balance.low_bbl, balance.high_bbl)
            limit = gap_threshold(capacity, produced, threshold)
            if worst is None or abs(gap) - limit > abs(worst[0]) - worst[1]:
                worst = (gap, limit, balance.low_bbl, balance.high_bbl)
        if previous_level is None or gauge.barrels != previous_level:
            changed = day
        previous_level = gauge.barrels
        anchor = gauge
        gauged = gauge.barrels
    produced_today = production.get(day, ZERO)
    taken_today = sum((t.gross_bbl for t in day_tickets if not t.rejected), ZERO)
    rejected_today = sum((t.gross_bbl for t in day_tickets if t.rejected), ZERO)
    if worst is not None:
        gap, limit, low, high = worst
    elif anchor is not None:
        produced, taken = _moved(anchor, None, day, tickets, produced_by)
        balance = tank_balance.expected_balance(anchor.barrels, produced, taken, capacity, shared=shared)
        gap, limit, low, high = None, None, balance.low_bbl, balance.high_bbl  # type: ignore[assignment]
    else:
        gap = limit = low = high = None  # type: ignore[assignment]
    if day_tickets and any(not t.rejected for t in day_tickets):
        changed = day  # a load taken moves the level even when no pumper gauge shows it yet
    unchanged = (day - changed).days if changed is not None else None
    stale = _stale(day, unchanged, production, threshold)
    row = DayBalance(
        day=day,
        production_bbl=produced_today,
        tickets_bbl=taken_today,
        rejected_bbl=rejected_today,
        expected_low_bbl=low,
        expected_high_bbl=high,
        gauged_bbl=gauged,
        gap_bbl=gap,
        threshold_bbl=limit,
        alarm=gap is not None and limit is not None and abs(gap) > limit,
        stale=stale,
        unchanged_days=unchanged,
    )
    return row, anchor, changed, previous_level


def _stale(day: date, unchanged: int | None, production: Mapping[date, Decimal], threshold: Threshold) -> bool:
    if unchanged is None or unchanged < threshold.stale_days:
        return False
    window = [production.get(day - timedelta(days=n), ZERO) for n in range(threshold.stale_days)]
    return all(v > 0 for v in window)
