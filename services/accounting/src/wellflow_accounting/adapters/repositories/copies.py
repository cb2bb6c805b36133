"""Accounting's copies of other services' data, written by the event consumers: leases, wells (with their
status history), lease-month volumes, run tickets and severance taxes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import exists, func, select
from sqlalchemy.dialects.postgresql import insert

from wellflow_servicekit.repository import Row, driver_in_transaction

from ..tables import (
    lease_months,
    leases,
    run_ticket_refusals,
    run_tickets,
    severance_taxes,
    well_status_history,
    wells,
)
from .base import AccountingRepository


def touched_sql(lease: str, month: str) -> str:
    """The lease-month's key when it has statement lines or reconciliation items (``touched`` of one pair), as
    asyncpg SQL with the lease and month in the parameters named (``$1``...)."""
    return (
        f"SELECT lease_id, month FROM statement_lines WHERE lease_id = {lease} AND month = {month} "
        f"UNION SELECT lease_id, month FROM reconciliation_items WHERE lease_id = {lease} AND month = {month}"
    )


_MONTH_COLUMNS = tuple(column.name for column in lease_months.columns)
_MONTH_KEY = ("organization_id", "lease_id", "month")
_LEASE, _MONTH = _MONTH_COLUMNS.index("lease_id") + 1, _MONTH_COLUMNS.index("month") + 1
# the upsert, and the lease-month's key when it has statement lines or reconciliation items (``touched``)
_UPSERT_MONTH = (
    f"WITH kept AS (INSERT INTO lease_months ({', '.join(_MONTH_COLUMNS)}) "
    f"VALUES ({', '.join(f'${n}' for n in range(1, len(_MONTH_COLUMNS) + 1))}) "
    f"ON CONFLICT ({', '.join(_MONTH_KEY)}) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _MONTH_COLUMNS if c not in _MONTH_KEY)
    + " WHERE lease_months.revision < excluded.revision) "  # keep the highest revision
    + touched_sql(f"${_LEASE}", f"${_MONTH}")
)


class SqlLeases(AccountingRepository):
    async def upsert(self, values: dict[str, Any]) -> None:
        statement = insert(leases).values(values)
        changes = {k: statement.excluded[k] for k in values if k not in ("organization_id", "id")}
        # Events of one lease arrive in order; the guard keeps a replayed older event from undoing a newer one.
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "id"],
                set_=changes,
                where=leases.c.updated_at <= statement.excluded.updated_at,
            )
        )

    async def get(self, lease_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(leases).where(leases.c.id == lease_id)
        if lock:
            query = query.with_for_update()
        return await self.first(query)

    async def exists(self, lease_id: UUID) -> bool:
        return bool(await self.scalar(select(leases.c.id).where(leases.c.id == lease_id)))

    async def many(self, lease_ids: set[UUID]) -> dict[UUID, Row]:
        return {r["id"]: r for r in await self.rows(select(leases).where(leases.c.id.in_(lease_ids)))}

    async def names(self) -> dict[UUID, str]:
        return {r.id: r.name for r in await self.execute(select(leases.c.id, leases.c.name))}

    async def lease_types(self) -> dict[UUID, str]:
        return {r.id: r.lease_type for r in await self.execute(select(leases.c.id, leases.c.lease_type))}

    async def identifiers(self) -> list[Row]:
        """Every lease's id, name and RRC lease number (what a CSV may name a lease by)."""
        return await self.rows(select(leases.c.id, leases.c.name, leases.c.rrc_lease_number))


class SqlWells(AccountingRepository):
    async def upsert(self, values: dict[str, Any]) -> None:
        statement = insert(wells).values(values)
        changes = {k: statement.excluded[k] for k in values if k not in ("organization_id", "id")}
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "id"],
                set_=changes,
                where=wells.c.updated_at <= statement.excluded.updated_at,
            )
        )

    async def set_status(self, well_id: UUID, status: str, at: datetime) -> None:
        await self.execute(
            wells.update().where(wells.c.id == well_id, wells.c.updated_at <= at).values(status=status, updated_at=at)
        )

    async def add_status(self, tenant: UUID, well_id: UUID, effective_date: date, status: str) -> None:
        seq = await self.scalar(
            select(func.count()).where(
                well_status_history.c.well_id == well_id, well_status_history.c.effective_date == effective_date
            )
        )
        await self.execute(
            insert(well_status_history).values(
                organization_id=tenant, well_id=well_id, effective_date=effective_date, seq=seq, status=status
            )
        )

    async def lease_of(self, well_id: UUID) -> UUID | None:
        return await self.scalar(select(wells.c.lease_id).where(wells.c.id == well_id))  # type: ignore[no-any-return]

    async def identifiers(self) -> list[Row]:
        """Every well's id and API number (what a CSV may name a well by)."""
        return await self.rows(select(wells.c.id, wells.c.api_number))

    async def on_lease(self, lease_id: UUID) -> list[Row]:
        return await self.rows(
            select(wells.c.id, wells.c.name, wells.c.county).where(wells.c.lease_id == lease_id).order_by(wells.c.name)
        )

    async def status_history(self, well_id: UUID) -> list[tuple[date, str]]:
        return [
            (r.effective_date, r.status)
            for r in await self.execute(
                select(well_status_history.c.effective_date, well_status_history.c.status)
                .where(well_status_history.c.well_id == well_id)
                .order_by(well_status_history.c.effective_date, well_status_history.c.seq)
            )
        ]


class SqlVolumes(AccountingRepository):
    """Sold volumes (production's lease-months, run tickets) and compliance's severance tax per lease-month."""

    async def upsert_month(self, values: dict[str, Any]) -> list[tuple[UUID, date]]:
        """Keep the lease-month's highest revision, and say whether it has anything to reconcile: on every
        reading's event, so one statement prepared on asyncpg."""
        driver = await driver_in_transaction(self.connection)
        rows = await driver.fetch(_UPSERT_MONTH, *(values[column] for column in _MONTH_COLUMNS))
        return sorted({(row[0], row[1]) for row in rows})

    async def add_run_ticket(self, values: dict[str, Any]) -> None:
        await self.execute(insert(run_tickets).values(values).on_conflict_do_nothing())

    async def refuse_ticket(self, values: dict[str, Any]) -> None:
        """The purchaser refused the load; the first refusal stands (a replay changes nothing). A row written by
        a settlement heard first gets the refusal's facts."""
        statement = insert(run_ticket_refusals).values(values)
        refusal = ("production_month", "reason", "rejected_at")
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "ticket_id"],
                set_={k: statement.excluded[k] for k in refusal},
                where=run_ticket_refusals.c.rejected_at.is_(None),
            )
        )

    async def settle_refusal(self, values: dict[str, Any]) -> None:
        """The dispute over a refused load was settled; the first settlement stands. Heard before the refusal,
        it writes the row (the ticket is refused either way) and the refusal fills in its facts."""
        statement = insert(run_ticket_refusals).values(values)
        settlement = ("resolution", "resolved_by", "resolved_at")
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "ticket_id"],
                set_={k: statement.excluded[k] for k in settlement},
                where=run_ticket_refusals.c.resolved_at.is_(None),
            )
        )

    async def upsert_severance_tax(self, values: dict[str, Any], now: datetime) -> None:
        statement = insert(severance_taxes).values(values)
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "lease_id", "month"],
                set_={
                    "revision": statement.excluded.revision,
                    "lines": statement.excluded.lines,
                    "detail": statement.excluded.detail,
                    "updated_at": now,
                },
                where=severance_taxes.c.revision < statement.excluded.revision,
            )
        )

    async def months(self, month: date, lease_ids: set[UUID] | None = None) -> dict[UUID, Row]:
        query = select(lease_months).where(lease_months.c.month == month)
        if lease_ids is not None:
            query = query.where(lease_months.c.lease_id.in_(lease_ids))
        return {row["lease_id"]: row for row in await self.rows(query)}

    async def ticket_barrels(self, month: date, lease_ids: set[UUID] | None = None) -> dict[UUID, Decimal]:
        query = (
            select(run_tickets.c.lease_id, func.sum(run_tickets.c.net_bbl).label("bbl"))
            .where(run_tickets.c.production_month == month, not_refused())
            .group_by(run_tickets.c.lease_id)
        )
        if lease_ids is not None:
            query = query.where(run_tickets.c.lease_id.in_(lease_ids))
        return {row.lease_id: row.bbl for row in await self.execute(query)}

    async def severance_taxes(self, month: date) -> list[Row]:
        return await self.rows(select(severance_taxes).where(severance_taxes.c.month == month))


def not_refused() -> Any:
    """The run ticket was not refused by its purchaser (a refused load was never sold)."""
    return ~exists().where(run_ticket_refusals.c.ticket_id == run_tickets.c.id)
