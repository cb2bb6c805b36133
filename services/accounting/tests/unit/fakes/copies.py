"""Copies of other services' data: leases, wells, lease-month volumes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from .base import Fake, Row, _copy


class InMemoryLeases(Fake):
    store_name = "leases"

    async def upsert(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["id"])
        if stored is None or stored["updated_at"] <= values["updated_at"]:
            self.keep(values["id"], values)

    async def get(self, lease_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(lease_id)
        return _copy(row) if row is not None else None

    async def exists(self, lease_id: UUID) -> bool:
        return self.get_row(lease_id) is not None

    async def many(self, lease_ids: set[UUID]) -> dict[UUID, Row]:
        return {r["id"]: r for r in self.rows() if r["id"] in lease_ids}

    async def names(self) -> dict[UUID, str]:
        return {r["id"]: r["name"] for r in self.rows()}

    async def lease_types(self) -> dict[UUID, str]:
        return {r["id"]: r["lease_type"] for r in self.rows()}

    async def identifiers(self) -> list[Row]:
        return [{k: r[k] for k in ("id", "name", "rrc_lease_number")} for r in self.rows()]


class InMemoryWells(Fake):
    store_name = "wells"

    async def upsert(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["id"])
        if stored is None or stored["updated_at"] <= values["updated_at"]:
            self.keep(values["id"], values)

    async def set_status(self, well_id: UUID, status: str, at: datetime) -> None:
        stored = self.get_row(well_id)
        if stored is not None and stored["updated_at"] <= at:
            self.keep(well_id, {**stored, "status": status, "updated_at": at})

    async def add_status(self, tenant: UUID, well_id: UUID, effective_date: date, status: str) -> None:
        history = self.uow.database.stores.setdefault("well_status_history", {})
        seq = sum(1 for k in history if k[:2] == (well_id, effective_date))
        history[(well_id, effective_date, seq)] = {"organization_id": tenant, "status": status}

    async def lease_of(self, well_id: UUID) -> UUID | None:
        row = self.get_row(well_id)
        return row["lease_id"] if row is not None else None

    async def identifiers(self) -> list[Row]:
        return [{"id": r["id"], "api_number": r["api_number"]} for r in self.rows()]

    async def on_lease(self, lease_id: UUID) -> list[Row]:
        return sorted(
            ({"id": r["id"], "name": r["name"]} for r in self.rows(lease_id=lease_id)), key=lambda r: r["name"]
        )

    async def status_history(self, well_id: UUID) -> list[tuple[date, str]]:
        history = self.uow.database.stores.get("well_status_history", {})
        mine = [
            (k[1], k[2], v["status"])
            for k, v in history.items()
            if k[0] == well_id and v["organization_id"] == self.uow.tenant_id
        ]
        return [(day, status) for day, _, status in sorted(mine)]


class InMemoryVolumes(Fake):
    store_name = "lease_months"

    async def upsert_month(self, values: dict[str, Any]) -> list[tuple[UUID, date]]:
        key = (values["lease_id"], values["month"])
        stored = self.get_row(key)
        if stored is None or stored["revision"] < values["revision"]:
            self.keep(key, values)
        return await self.uow.recon.touched({key})

    async def add_run_ticket(self, values: dict[str, Any]) -> None:
        raise NotImplementedError("run tickets are proven by the integration tests")

    async def upsert_severance_tax(self, values: dict[str, Any], now: datetime) -> None:
        raise NotImplementedError("severance taxes are proven by the integration tests")

    async def months(self, month: date, lease_ids: set[UUID] | None = None) -> dict[UUID, Row]:
        rows = self.rows(month=month)
        return {r["lease_id"]: r for r in rows if lease_ids is None or r["lease_id"] in lease_ids}

    async def ticket_barrels(self, month: date, lease_ids: set[UUID] | None = None) -> dict[UUID, Decimal]:
        return {}

    async def severance_taxes(self, month: date) -> list[Row]:
        return []
