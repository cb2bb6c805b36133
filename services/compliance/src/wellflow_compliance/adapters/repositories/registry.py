"""Compliance's own copies of other services' facts: the tenants it has heard of, the operator, leases,
wells, lease-month volumes and run tickets. Copies follow the newest event: an older one arriving late
changes nothing (``event_at`` for the registry, ``revision`` for lease months)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import exists, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import Repository, without_tenant

from ...domain.form_pr import LeaseFacts, LeaseMonth, Purchaser, RecordedGas, WellFacts, WellVolumes
from ...domain.severance import TicketSale
from ..tables import lease_months, leases, operators, run_ticket_refusals, run_tickets, tenants, wells

Row = dict[str, Any]


class SqlLocks(Repository):
    async def acquire(self, key: str, *, shared: bool = False) -> None:
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        await self.execute(text(f"SELECT {function}(hashtext(:key)::bigint)"), {"key": key})


class SqlTenants(Repository):
    async def remember(self, tenant_id: UUID, now: datetime) -> None:
        await self.execute(pg_insert(tenants).values(tenant_id=tenant_id, first_seen_at=now).on_conflict_do_nothing())

    async def all_ids(self) -> list[UUID]:
        return list((await self.execute(select(tenants.c.tenant_id))).scalars())


class SqlOperators(Repository):
    async def get(self) -> Row | None:
        row = await self.optional(select(operators))
        return without_tenant(row) if row is not None else None

    async def name_and_number(self) -> tuple[str | None, str | None]:
        row = await self.optional(select(operators.c.name, operators.c.rrc_operator_number))
        return (row["name"], row["rrc_operator_number"]) if row else (None, None)

    async def save(self, values: Row) -> None:
        statement = pg_insert(operators).values(organization_id=self.organization_id, **values)
        await self.execute(statement.on_conflict_do_update(index_elements=["organization_id"], set_=values))

    async def adopt_from_sign_up(self, *, name: str, number: str | None, by: str, now: datetime) -> None:
        """The operator number from sign-up, unless someone already set it by hand (only a missing name follows)."""
        statement = self._from_identity(name=name, number=number, by=by, at=now)
        # A name already held (the profile's legal name, or one typed here) stays: events of different
        # consumers arrive in any order, and the profile may have come first.
        name_held = func.coalesce(operators.c.name, statement.excluded.name)
        await self.execute(
            statement.on_conflict_do_update(index_elements=["organization_id"], set_={"name": name_held})
        )

    async def adopt_profile(self, *, name: str, number: str | None, by: str, at: datetime) -> bool:
        """The organization's profile as identity published it at ``at``, unless what is held is newer (a
        correction by hand after it stays until the profile changes again). A profile without a number keeps
        the one held. True when adopted."""
        statement = self._from_identity(name=name, number=number, by=by, at=at)
        result = await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id"],
                set_={
                    "name": statement.excluded.name,
                    "rrc_operator_number": func.coalesce(
                        statement.excluded.rrc_operator_number, operators.c.rrc_operator_number
                    ),
                    "source": statement.excluded.source,
                    "updated_by": statement.excluded.updated_by,
                    "updated_at": statement.excluded.updated_at,
                },
                where=operators.c.updated_at <= statement.excluded.updated_at,
            ).returning(operators.c.organization_id)
        )
        return result.first() is not None

    def _from_identity(self, *, name: str, number: str | None, by: str, at: datetime) -> Any:
        """The row identity's events set (sign-up, profile): each caller decides what a held row keeps."""
        return pg_insert(operators).values(
            organization_id=self.organization_id,
            name=name,
            rrc_operator_number=number,
            source="identity",
            updated_by=by,
            updated_at=at,
        )


def _well_facts(row: Row) -> WellFacts:
    return WellFacts(row["id"], row["api_number"], row["status"], row["gas_well_id"], row.get("permit_number"))


def _purchaser(item: dict[str, Any]) -> Purchaser:
    return Purchaser(
        item["product"],
        item["role"],
        item["name"],
        item["p5_number"],
        item.get("effective_from"),
        item.get("effective_to"),
    )


def lease_facts(row: Row, well_rows: list[Row]) -> LeaseFacts:
    return LeaseFacts(
        lease_id=row["id"],
        name=row["name"],
        rrc_district=row["rrc_district"],
        rrc_lease_number=row["rrc_lease_number"],
        lease_type=row["lease_type"],
        status=row["status"],
        county=row["county"],
        wells=tuple(_well_facts(w) for w in well_rows),
        purchasers=tuple(_purchaser(p) for p in row.get("purchasers") or ()),
    )


class SqlLeases(Repository):
    async def apply(self, lease_id: UUID, values: Row) -> bool:
        statement = pg_insert(leases).values(organization_id=self.organization_id, id=lease_id, **values)
        applied = await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "id"],
                set_=values,
                where=leases.c.event_at <= statement.excluded.event_at,
            ).returning(leases.c.id)
        )
        return applied.first() is not None

    async def get(self, lease_id: UUID) -> Row | None:
        row = await self.optional(select(leases).where(leases.c.id == lease_id))
        return without_tenant(row) if row is not None else None

    async def facts(self, lease_id: UUID | None = None) -> dict[UUID, LeaseFacts]:
        lease_query = select(leases)
        well_query = select(wells)
        if lease_id is not None:
            lease_query = lease_query.where(leases.c.id == lease_id)
            well_query = well_query.where(wells.c.lease_id == lease_id)
        lease_rows = await self.all(lease_query)
        by_lease: dict[UUID, list[Row]] = defaultdict(list)
        for row in await self.all(well_query):
            by_lease[row["lease_id"]].append(row)
        return {row["id"]: lease_facts(row, by_lease.get(row["id"], [])) for row in lease_rows}

    async def find(
        self, *, rrc_district: str | None, pending: bool | None, lease_type: str | None, limit: int, offset: int
    ) -> PageOf[Row]:
        conditions = []
        if rrc_district is not None:
            conditions.append(leases.c.rrc_district == rrc_district)
        if pending is not None:
            number = leases.c.rrc_lease_number
            conditions.append(number.is_(None) if pending else number.is_not(None))
        if lease_type is not None:
            conditions.append(leases.c.lease_type == lease_type)
        rows = await self.all(
            select(leases).where(*conditions).order_by(leases.c.name, leases.c.id).limit(limit).offset(offset)
        )
        total = await self.scalar(select(func.count()).select_from(leases).where(*conditions))
        return PageOf([without_tenant(row) for row in rows], int(total), limit, offset)


class SqlWells(Repository):
    async def lease_of(self, well_id: UUID) -> UUID | None:
        return await self.scalar(select(wells.c.lease_id).where(wells.c.id == well_id))  # type: ignore[no-any-return]

    async def apply(self, well_id: UUID, values: Row) -> bool:
        statement = pg_insert(wells).values(organization_id=self.organization_id, id=well_id, **values)
        applied = await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "id"],
                set_=values,
                where=wells.c.event_at <= statement.excluded.event_at,
            ).returning(wells.c.id)
        )
        return applied.first() is not None

    async def change_status(self, well_id: UUID, status: str, event_at: datetime, now: datetime) -> bool:
        result = await self.execute(
            wells.update()
            .where(wells.c.id == well_id, wells.c.event_at <= event_at)
            .values(status=status, event_at=event_at, updated_at=now)
        )
        return bool(result.rowcount)

    async def of_leases(self, lease_ids: list[UUID]) -> list[Row]:
        return [without_tenant(row) for row in await self.all(select(wells).where(wells.c.lease_id.in_(lease_ids)))]


def _net_or_gross(row: Row, side: str) -> Decimal | None:
    """Net standard stock; a month kept before production sent it has only the gross (a first month's
    beginning stock is better from the gross than from nothing)."""
    net = row.get(f"{side}_net_stock_bbl")
    return net if net is not None else row.get(f"{side}_stock_bbl")


def _uncorrected(gauge: dict[str, str]) -> str:
    why = {"no_temperature": "no temperature", "no_gravity": "no known gravity"}.get(
        gauge["basis"], "recorded before temperatures were kept"
    )
    tank = gauge.get("tank_number") or gauge["tank_id"]
    return f"tank {tank} on {gauge['gauge_date']} ({gauge['stock']} stock, {why})"


def lease_month(row: Row) -> LeaseMonth:
    return LeaseMonth(
        revision=row["revision"],
        lease_type=row["lease_type"],
        liquid_bbl=row["liquid_bbl"],
        gas_mcf=row["gas_mcf"],
        beginning_stock_bbl=_net_or_gross(row, "beginning"),
        ending_stock_bbl=row.get("ending_net_stock_bbl"),
        month_end_gauged=bool(row.get("month_end_gauged")),
        uncorrected_gauges=tuple(_uncorrected(g) for g in row.get("uncorrected_stock_gauges") or ()),
        liquid_dispositions=tuple((code, Decimal(bbl)) for code, bbl in row["liquid_dispositions"]),
        gas_dispositions=tuple(
            RecordedGas(g["code"], Decimal(g["mcf"]), g.get("authority")) for g in row["gas_dispositions"]
        ),
        wells=tuple(
            WellVolumes(UUID(w["well_id"]), Decimal(w["liquid_bbl"]), Decimal(w["gas_mcf"]))
            for w in row.get("well_volumes") or ()
        ),
    )


class SqlLeaseMonths(Repository):
    async def apply(self, lease_id: UUID, month: date, values: Row) -> bool:
        statement = pg_insert(lease_months).values(
            organization_id=self.organization_id, lease_id=lease_id, month=month, **values
        )
        upsert = statement.on_conflict_do_update(
            index_elements=["organization_id", "lease_id", "month"],
            set_=values,
            where=lease_months.c.revision < statement.excluded.revision,
        ).returning(lease_months.c.revision)
        return (await self.execute(upsert)).first() is not None

    async def of_period(self, period: date) -> dict[UUID, LeaseMonth]:
        rows = await self.all(select(lease_months).where(lease_months.c.month == period))
        return {row["lease_id"]: lease_month(row) for row in rows}

    async def of_lease_since(self, lease_id: UUID, start: date) -> dict[date, LeaseMonth]:
        query = select(lease_months).where(lease_months.c.lease_id == lease_id, lease_months.c.month >= start)
        return {row["month"]: lease_month(row) for row in await self.all(query)}


class SqlRunTickets(Repository):
    async def add(self, values: Row) -> None:
        statement = pg_insert(run_tickets).values(organization_id=self.organization_id, **values)
        await self.execute(statement.on_conflict_do_nothing())

    async def refuse(self, values: Row) -> None:
        await self._upsert_refusal(values, ("month", "reason", "rejected_at"), run_ticket_refusals.c.rejected_at)

    async def settle(self, values: Row) -> None:
        await self._upsert_refusal(
            values, ("resolution", "resolved_by", "resolved_at"), run_ticket_refusals.c.resolved_at
        )

    async def _upsert_refusal(self, values: Row, columns: tuple[str, ...], unset: Any) -> None:
        """The first refusal and the first settlement stand; whichever is heard first writes the row."""
        statement = pg_insert(run_ticket_refusals).values(organization_id=self.organization_id, **values)
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "ticket_id"],
                set_={k: statement.excluded[k] for k in columns},
                where=unset.is_(None),
            )
        )

    async def sums(self, period: date, lease_id: UUID | None = None) -> dict[UUID, dict[str, Decimal]]:
        query = (
            select(run_tickets.c.lease_id, run_tickets.c.disposition_code, func.sum(run_tickets.c.net_bbl))
            .where(run_tickets.c.month == period, _not_refused())
            .group_by(run_tickets.c.lease_id, run_tickets.c.disposition_code)
        )
        if lease_id is not None:
            query = query.where(run_tickets.c.lease_id == lease_id)
        sums: dict[UUID, dict[str, Decimal]] = defaultdict(dict)
        for lease, code, total in (await self.execute(query)).all():
            sums[lease][code] = total
        return sums

    async def sales(self, lease_id: UUID, month: date) -> list[TicketSale]:
        query = (
            select(run_tickets.c.net_bbl, run_tickets.c.price_per_bbl)
            .where(run_tickets.c.lease_id == lease_id, run_tickets.c.month == month, _not_refused())
            .order_by(run_tickets.c.taken_at, run_tickets.c.id)
        )
        return [TicketSale(net, price) for net, price in (await self.execute(query)).all()]

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]:
        query = select(run_tickets.c.month).where(
            run_tickets.c.lease_id == lease_id, run_tickets.c.price_per_bbl.is_not(None), _not_refused()
        )
        if among is not None:
            query = query.where(run_tickets.c.month.in_(among))
        return list((await self.execute(query.distinct())).scalars())

    async def leases_priced(self, month: date) -> list[UUID]:
        query = select(run_tickets.c.lease_id).where(
            run_tickets.c.month == month, run_tickets.c.price_per_bbl.is_not(None), _not_refused()
        )
        return list((await self.execute(query.distinct())).scalars())


def _not_refused() -> Any:
    """The run ticket's load was not refused by its purchaser (a refused load is no sale, no disposition)."""
    return ~exists().where(run_ticket_refusals.c.ticket_id == run_tickets.c.id)
