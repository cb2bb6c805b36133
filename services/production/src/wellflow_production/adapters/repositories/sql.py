"""SQL expressions several repositories share: a well's effective-dated status and battery links in a period."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select

from ..tables import battery_wells, well_status_history, wells


def status_on(day: date) -> Any:
    """A scalar subquery: the well's status on ``day`` from its effective-dated history (else its current one)."""
    latest = (
        select(well_status_history.c.to_status)
        .where(well_status_history.c.well_id == wells.c.id, well_status_history.c.effective_date <= day)
        .order_by(well_status_history.c.effective_date.desc(), well_status_history.c.occurred_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, wells.c.status)


def connected_during(first: date, end: date) -> Any:
    """Battery links that overlap ``[first, end)``."""
    return and_(
        battery_wells.c.effective_from < end,
        or_(battery_wells.c.effective_to.is_(None), battery_wells.c.effective_to > first),
    )
