"""The pumper's daily route: which wells a route holds when nobody assigned one, which days a route may be
asked for, and how far along the day's route is.

A manager or owner may give a pumper an ordered list of wells. Without one, the route is every well that
may still produce: plugged and permanently abandoned wells never will (the wells service's lifecycle ends
there), while a shut-in or temporarily abandoned well may be brought back and still gets looked at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from .errors import ProductionDomainError

ENDED_STATUSES = frozenset({"plugged", "permanently_abandoned"})
DAYS_AHEAD = 1  # a pumper plans tomorrow's route the evening before; further ahead is a mistake
MAX_ROUTE_WELLS = 1000


class RouteError(ProductionDomainError):
    """A route assignment or a route request that cannot be acted on."""


def check_route_day(day: date, today: date) -> None:
    """A route is for a day that happened, today, or the next day."""
    if day > today + timedelta(days=DAYS_AHEAD):
        raise RouteError(
            f"A route can be asked for at most {DAYS_AHEAD} day ahead (today is {today.isoformat()}).", field="date"
        )


def duplicate_positions(well_ids: Sequence[UUID]) -> list[int]:
    """The positions (0-based) of wells listed again after their first appearance."""
    seen: set[UUID] = set()
    repeated = []
    for index, well_id in enumerate(well_ids):
        if well_id in seen:
            repeated.append(index)
        seen.add(well_id)
    return repeated


def unknown_positions(well_ids: Sequence[UUID], known: Iterable[UUID]) -> list[int]:
    """The positions (0-based) of wells that are not in ``known``."""
    known = set(known)
    return [index for index, well_id in enumerate(well_ids) if well_id not in known]


def progress(wells: Iterable[dict[str, Any]], tanks: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """(stops done, stops in all): a well is done when read, a tank when gauged."""
    flags = [bool(w["done"]) for w in wells] + [bool(t["gauged"]) for t in tanks]
    return sum(flags), len(flags)


def by_dollars_at_risk(wells: Sequence[dict[str, Any]], at_risk: dict[UUID, Any]) -> list[dict[str, Any]]:
    """The route's wells with the most deferred dollars first (an organization's option); wells with none keep
    their assigned order after them (the sort is stable)."""
    return sorted(wells, key=lambda well: -at_risk.get(well["well_id"], 0))
