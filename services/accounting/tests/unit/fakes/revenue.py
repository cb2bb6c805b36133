"""Prices, distribution runs, suspense."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from .base import Fake, Row, _copy


class InMemoryPrices(Fake):
    store_name = "prices"

    async def put(self, row: dict[str, Any]) -> Row:
        key = (row["month"], row["product"], row["lease_id"])
        stored = self.get_row(key)
        kept = {k: stored[k] for k in ("id",)} if stored is not None else {}
        self.put_row(key, {**{k: v for k, v in row.items() if k != "organization_id"}, **kept})
        return _copy(self.get_row(key) or {})

    async def for_month(self, month: date) -> list[Row]:
        return self.rows(month=month)

    async def page_of_prices(
        self,
        *,
        month: date | None,
        product: str | None,
        lease_id: UUID | None,
        source: str | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (month is None or r["month"] == month)
            and (product is None or r["product"] == product)
            and (lease_id is None or r["lease_id"] == lease_id)
            and (source is None or r["source"] == source)
        ]
        return self.page(rows, limit, offset)


class InMemoryDistributionRuns(Fake):
    """Runs with their sales and settlements; owner lines are kept as written."""

    store_name = "distribution_runs"

    async def lock(self, organization_id: UUID) -> None:
        return None  # one test, one task: nothing runs beside it

    async def for_month(self, month: date) -> Row | None:
        found = self.rows(month=month)
        return found[0] if found else None

    async def finalized_for_month(self, month: date) -> Row | None:
        found = self.rows(month=month, status="finalized")
        return found[0] if found else None

    async def status_of_month(self, month: date) -> str | None:
        run = await self.for_month(month)
        return run["status"] if run is not None else None

    async def delete(self, run_id: UUID) -> None:
        self.delete_row(run_id)

    async def add(
        self,
        run: dict[str, Any],
        sales: list[dict[str, Any]],
        lines: list[dict[str, Any]],
        settlements: list[dict[str, Any]],
    ) -> None:
        row = {**run, "finalized_by": None, "finalized_at": None}
        row |= {"_sales": [_copy(s) for s in sales], "_lines": [_copy(x) for x in lines]}
        self.keep(run["id"], {**row, "_settlements": [_copy(s) for s in settlements]})

    def _run(self, run_id: UUID) -> Row | None:
        return self.get_row(run_id)

    async def get(self, run_id: UUID, *, lock: bool = False) -> Row | None:
        row = self._run(run_id)
        return {k: v for k, v in _copy(row).items() if not k.startswith("_")} if row is not None else None

    async def sales(self, run_id: UUID) -> list[Row]:
        row = self._run(run_id) or {}
        key = lambda s: (s["is_adjustment"], s["month"], str(s["lease_id"]), s["product"])  # noqa: E731
        return sorted(row.get("_sales", []), key=key)

    async def page_of_runs(self, *, status: str | None, limit: int, offset: int) -> dict[str, Any]:
        rows = [
            r for r in [await self.get(x["id"]) for x in self.rows()] if r and (status is None or r["status"] == status)
        ]
        return self.page(sorted(rows, key=lambda r: r["month"], reverse=True), limit, offset)

    async def finalized_since(self, moment: datetime) -> int:
        return sum(1 for r in self.rows(status="finalized") if r["finalized_at"] > moment)

    async def settlements(self, run_id: UUID) -> list[Row]:
        return list((self._run(run_id) or {}).get("_settlements", []))

    async def finalize(self, run_id: UUID, by: str, at: datetime) -> None:
        row = self._run(run_id) or {}
        self.keep(run_id, {**row, "status": "finalized", "finalized_by": by, "finalized_at": at})

    async def lease_ids(self, run_id: UUID) -> list[UUID]:
        return sorted({s["lease_id"] for s in (self._run(run_id) or {}).get("_sales", [])}, key=str)

    async def finalized_months_before(self, month: date) -> list[date]:
        return [r["month"] for r in self.rows(status="finalized") if r["month"] < month]

    async def changed_since_distributed(self, months: list[date]) -> list[Row]:
        raise NotImplementedError("late corrections are proven by the integration tests")

    async def distributed_sales(self, lease_id: UUID, month: date) -> tuple[list[Row], dict[str, Any]]:
        raise NotImplementedError("late corrections are proven by the integration tests")

    async def distributed_shares(self, lease_id: UUID, month: date) -> list[Row]:
        raise NotImplementedError("late corrections are proven by the integration tests")

    async def settlement_of(self, run_id: UUID, partner_id: UUID) -> Row | None:
        found = [s for s in await self.settlements(run_id) if s["partner_id"] == partner_id]
        return found[0] if found else None

    async def statement_lines(self, run_id: UUID, partner_id: UUID) -> list[Row]:
        raise NotImplementedError("statement lines are proven by the integration tests")

    async def page_of_settlements(self, run_id: UUID, *, paid_only: bool, limit: int, offset: int) -> dict[str, Any]:
        rows = [s for s in await self.settlements_with_names(run_id) if not paid_only or s["paid"] != 0]
        return self.page(rows, limit, offset)

    async def settlements_with_names(self, run_id: UUID) -> list[Row]:
        partners = self.uow.database.stores.get("partners", {})
        named = [{**s, "name": partners[s["partner_id"]]["name"]} for s in await self.settlements(run_id)]
        return sorted(named, key=lambda s: (s["name"], str(s["partner_id"])))


class InMemorySuspense(Fake):
    store_name = "suspense_entries"

    async def balances(self) -> list[Row]:
        totals: dict[tuple[Any, Any, Any], Decimal] = {}
        for r in self.rows():
            key = (r["partner_id"], r["lease_id"], r["reason"])
            totals[key] = totals.get(key, Decimal(0)) + r["amount"]
        return [
            {"partner_id": p, "lease_id": lease, "reason": why, "balance": b} for (p, lease, why), b in totals.items()
        ]

    async def add(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self.keep(entry["id"], entry)

    async def page_of_balances(
        self, *, partner_id: UUID | None, reason: str | None, lease_id: UUID | None, limit: int, offset: int
    ) -> dict[str, Any]:
        rows = [
            r
            for r in await self.balances()
            if r["balance"] != 0
            and (partner_id is None or r["partner_id"] == partner_id)
            and (reason is None or r["reason"] == reason)
            and (lease_id is None or r["lease_id"] == lease_id)
        ]
        return self.page(rows, limit, offset)
