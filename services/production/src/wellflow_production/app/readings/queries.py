"""Reading queries: one reading, the newest-first list with its cursor, and a reading's history."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ..common import Production
from .shared import load, represent

HISTORY_FIELDS = ("kind", "version", "previous", "current", "reason", "changed_by", "changed_at")


async def get_reading(production: Production, actor: Actor, reading_id: UUID) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = await load(uow, reading_id)
    return represent(row)


def encode_cursor(day: date, reading_id: UUID) -> str:
    return base64.urlsafe_b64encode(f"{day.isoformat()}|{reading_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, UUID]:
    try:
        day, reading_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
        return date.fromisoformat(day), UUID(reading_id)
    except (ValueError, UnicodeDecodeError):
        raise invalid("query.cursor", "not a cursor this list handed out") from None


async def list_readings(
    production: Production,
    actor: Actor,
    *,
    well_id: UUID | None,
    lease_id: UUID | None,
    date_from: date | None,
    date_to: date | None,
    source: str | None,
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """Newest day first; ``next_cursor`` continues after the last item (stable under concurrent inserts)."""
    after = decode_cursor(cursor) if cursor else None
    async with production.uow(actor) as uow:
        rows = await uow.readings.newest_first(
            well_id=well_id,
            lease_id=lease_id,
            date_from=date_from,
            date_to=date_to,
            source=source,
            after=after,
            limit=limit,
        )
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1]["production_date"], rows[-1]["id"]) if more else None
    items = [represent(row, as_json=False) for row in rows]  # the route's ReadingPage converts them once
    return {"items": items, "next_cursor": next_cursor, "limit": limit}


async def history(production: Production, actor: Actor, reading_id: UUID) -> dict[str, Any]:
    """Every change to a reading, oldest first, with the values before and after, who and why."""
    async with production.uow(actor) as uow:
        rows = await uow.readings.history(reading_id)
        current = await uow.readings.get(reading_id)
    if current is None and not rows:
        raise NotFound(f"No reading {reading_id}.")
    return {
        "reading_id": str(reading_id),
        "current": represent(current) if current is not None else None,
        "changes": [jsonable({k: row[k] for k in HISTORY_FIELDS}) for row in rows],
    }
