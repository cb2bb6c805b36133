"""Loads the purchaser refused (``run_ticket_rejections``): one per run ticket, with its dispute."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository, Row

from ..tables import run_ticket_rejections, run_tickets

_COLUMNS = (
    run_ticket_rejections,
    run_tickets.c.ticket_number,
    run_tickets.c.purchaser,
    run_tickets.c.hauler,
    run_tickets.c.lease_id,
    run_tickets.c.tank_id,
    run_tickets.c.taken_at,
    run_tickets.c.gross_bbl,
)


def _joined() -> Any:
    return run_ticket_rejections.join(run_tickets, run_tickets.c.id == run_ticket_rejections.c.run_ticket_id)


class SqlRejections(Repository):
    async def add(self, row: Row) -> bool:
        """False when the ticket was refused already."""
        result = await self.execute(
            pg_insert(run_ticket_rejections)
            .values(row)
            .on_conflict_do_nothing()
            .returning(run_ticket_rejections.c.run_ticket_id)
        )
        return result.first() is not None

    async def get(self, ticket_id: UUID) -> Row | None:
        return await self.optional(
            select(*_COLUMNS).select_from(_joined()).where(run_ticket_rejections.c.run_ticket_id == ticket_id)
        )

    async def resolve(self, ticket_id: UUID, at: datetime, by: str, resolution: str) -> bool:
        """False when there is no open dispute for the ticket."""
        result = await self.execute(
            update(run_ticket_rejections)
            .where(
                run_ticket_rejections.c.run_ticket_id == ticket_id,
                run_ticket_rejections.c.dispute_state == "open",
            )
            .values(dispute_state="resolved", resolved_at=at, resolved_by=by, resolution=resolution)
            .returning(run_ticket_rejections.c.run_ticket_id)
        )
        return result.first() is not None

    async def latest_first(
        self, *, state: str | None, lease_id: UUID | None, purchaser: str | None, offset: int, limit: int
    ) -> list[Row]:
        query = (
            select(*_COLUMNS)
            .select_from(_joined())
            .order_by(run_ticket_rejections.c.rejected_at.desc(), run_ticket_rejections.c.run_ticket_id.desc())
            .offset(offset)
            .limit(limit + 1)
        )
        if state is not None:
            query = query.where(run_ticket_rejections.c.dispute_state == state)
        if lease_id is not None:
            query = query.where(run_tickets.c.lease_id == lease_id)
        if purchaser is not None:
            query = query.where(run_tickets.c.purchaser == purchaser)
        return await self.all(query)
