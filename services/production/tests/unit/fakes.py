"""In-memory stand-ins for production's repositories (the same Protocols as ``adapters/repositories``), so
the reading, gauge and run ticket use cases run without PostgreSQL: ``Production(FakeDatabase(FakeProductionWork))``.

Stores are shared across units of work through the ``FakeDatabase``, confined to the unit of work's tenant
(as row-level security does), and put back when a unit of work raises (as a rollback does). The lease-month
recomputation is SQL only (integration tests prove it): here ``lease_months.recompute`` notes the keys it was asked
for and answers no rows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_production.app.ports import ConstraintViolated
from wellflow_servicekit.repository import repository
from wellflow_servicekit.testing import FakeDatabase, FakeUnitOfWork, InMemoryRepository

Row = dict[str, Any]
SETTINGS = (
    "max_oil_bbl",
    "max_gas_mcf",
    "max_water_bbl",
    "below_expectation_percent",
    "tank_high_percent",
    "trailing_days",
    "economic_limit_oil_bbl_per_day",
    "economic_limit_gas_mcf_per_day",
)


class InMemoryWells(InMemoryRepository):
    """Production's copy of the wells (what the wells-event consumers write)."""

    store_name = "wells"

    def put(self, row: Row) -> None:
        self.put_row(row["id"], row)

    async def get(self, well_id: UUID, day: date | None = None) -> Row | None:
        """The well; with ``day``, its status that day and the organization's settings (``setting_*``)."""
        well = self.get_row(well_id)
        if well is None or day is None:
            return well
        settings = InMemoryOrganization(self.uow).get_row(self.organization_id) or {}
        return {
            **well,
            "status_on_day": well.get("status_on", {}).get(day, well["status"]),
            **{f"setting_{name}": settings.get(name) for name in SETTINGS},
        }


class InMemoryOrganization(InMemoryRepository):
    store_name = "production_settings"

    def _reasons(self) -> dict[Any, Row]:
        return self.uow.database.stores.setdefault("downtime_reasons", {})

    async def settings(self) -> Row | None:
        return self.get_row(self.organization_id)

    async def save_settings(self, row: Row) -> None:
        self.put_row(self.organization_id, row)

    async def active_reasons(self) -> dict[str, str]:
        return {r["code"]: r["label"] for r in self._own() if r["active"]}

    async def own_reason_codes(self) -> set[str]:
        return {r["code"] for r in self._own()}

    async def add_reason(self, row: Row) -> bool:
        key = (self.organization_id, row["code"])
        if key in self._reasons():
            return False
        self._reasons()[key] = dict(row)
        return True

    def _own(self) -> list[Row]:
        return [r for (org, _), r in self._reasons().items() if org == self.organization_id]


class InMemoryReadings(InMemoryRepository):
    store_name = "readings"

    async def add(self, row: Row) -> Row | None:
        if await self.clash(row) is not None:
            return None
        self.put_row(row["id"], row)
        return self.get_row(row["id"])

    async def clash(self, row: Row) -> Row | None:
        for stored in self.visible():
            same_day = (stored["well_id"], stored["production_date"]) == (row["well_id"], row["production_date"])
            if stored["id"] == row["id"] or same_day:
                return dict(stored)
        return None

    async def get(self, reading_id: UUID, *, lock: bool = False) -> Row | None:
        return self.get_row(reading_id)

    async def newest_first(self, *, limit: int, after: tuple[date, UUID] | None = None, **filters: Any) -> list[Row]:
        rows = sorted(self.visible(), key=lambda r: (r["production_date"], r["id"]), reverse=True)
        for name, value in filters.items():
            if value is not None and name in ("well_id", "lease_id", "source"):
                rows = [r for r in rows if r[name] == value]
        if after is not None:
            rows = [r for r in rows if (r["production_date"], r["id"]) < after]
        return [dict(r) for r in rows[: limit + 1]]

    async def change(self, reading_id: UUID, version: int, values: dict[str, Any]) -> Row:
        stored = self.get_row(reading_id)
        assert stored is not None and stored["version"] == version, "change() needs the locked version"
        self.put_row(reading_id, {**stored, **values})
        return self.get_row(reading_id)  # type: ignore[return-value]

    async def remove(self, reading_id: UUID) -> None:
        self.delete_row(reading_id)

    async def add_history(self, row: Row) -> None:
        History(self.uow).put_row(row["id"], row)

    async def history(self, reading_id: UUID) -> list[Row]:
        rows = [r for r in History(self.uow).visible() if r["reading_id"] == reading_id]
        return sorted(rows, key=lambda r: (r["version"], r["changed_at"]))

    async def recent(self, well_ids: list[UUID], day: date, days: int) -> dict[UUID, Row]:
        found: dict[UUID, Row] = {}
        for well_id in well_ids:
            rows = [
                r
                for r in self.visible()
                if r["well_id"] == well_id
                and day - timedelta(days=days) <= r["production_date"] < day
                and r["hours_on"] > 0
            ]
            if rows:
                mean = {f: sum(Decimal(r[f]) for r in rows) / len(rows) for f in ("oil_bbl", "gas_mcf", "water_bbl")}
                found[well_id] = {"well_id": well_id, "days": len(rows), **mean}
        return found

    async def latest_before(self, well_ids: list[UUID], day: date) -> dict[UUID, Row]:
        found: dict[UUID, Row] = {}
        for r in sorted(self.visible(), key=lambda r: r["production_date"]):
            if r["well_id"] in well_ids and r["production_date"] < day:
                found[r["well_id"]] = dict(r)
        return found

    async def on_day(self, well_ids: list[UUID], day: date) -> dict[UUID, Row]:
        rows = [r for r in self.visible() if r["well_id"] in well_ids and r["production_date"] == day]
        return {r["well_id"]: dict(r) for r in rows}


class History(InMemoryRepository):
    store_name = "reading_history"


class InMemoryIdempotency(InMemoryRepository):
    store_name = "idempotency_keys"

    async def claim(self, operation: str, key: str, fingerprint: str, now: datetime) -> Row | None:
        stored = self.get_row((self.organization_id, operation, key))
        if stored is not None:
            return stored
        self.put_row(
            (self.organization_id, operation, key),
            {"key": key, "operation": operation, "request_hash": fingerprint, "created_at": now},
        )
        return None

    async def stored(self, operation: str, key: str) -> Row:
        stored = self.get_row((self.organization_id, operation, key))
        assert stored is not None
        return stored

    async def answer(self, operation: str, key: str, status: int, response: dict[str, Any]) -> None:
        stored = self.get_row((self.organization_id, operation, key))
        assert stored is not None
        self.put_row((self.organization_id, operation, key), {**stored, "status_code": status, "response": response})


class InMemoryRecording(InMemoryRepository):
    """The reading's hot path (one SQL statement per method there) from the other in-memory repositories."""

    async def open(
        self, well_id: UUID, day: date, trailing_days: int, claim: tuple[str, str, str, datetime] | None
    ) -> tuple[bool, Row | None]:
        claimed = claim is not None and await InMemoryIdempotency(self.uow).claim(*claim) is None
        well = await InMemoryWells(self.uow).get(well_id, day)
        if well is not None:
            trailing = well["setting_trailing_days"] if well.get("setting_max_oil_bbl") is not None else trailing_days
            well["recent"] = (await InMemoryReadings(self.uow).recent([well_id], day, trailing)).get(well_id)
        return claimed, well

    async def add(self, row: Row, month: date) -> Row | None:
        return await InMemoryReadings(self.uow).add(row)

    async def recompute(
        self, lease_id: UUID, month: date, answer: tuple[str, str, int, dict[str, Any]] | None
    ) -> list[Row]:
        if answer is not None:
            await InMemoryIdempotency(self.uow).answer(*answer)
        return await InMemoryLeaseMonths(self.uow).recompute(self.organization_id, [(lease_id, month)])


class InMemoryLeaseMonths(InMemoryRepository):
    """Notes every lease-month a use case refreshed (``refreshed``); the recomputation itself is SQL."""

    store_name = "rollup_refreshes"

    async def recompute(self, organization_id: UUID, ordered: list[tuple[UUID, date]]) -> list[Row]:
        for lease_id, month in ordered:
            self.put_row((lease_id, month), {"lease_id": lease_id, "month": month})
        return []

    async def well_volumes(self, keys: list[tuple[UUID, date]]) -> list[Row]:
        return []

    async def months_after(self, lease_id: UUID, month: date) -> list[date]:
        return []


class InMemoryTankGauges(InMemoryRepository):
    """Gauges; the tanks (with their battery's lease) come from the ``tanks`` store (``put_tank``)."""

    store_name = "tank_gauges"

    def put_tank(self, row: Row) -> None:
        Tanks(self.uow).put_row(row["id"], row)

    async def tank(self, tank_id: UUID) -> Row | None:
        return Tanks(self.uow).get_row(tank_id)

    async def add(self, row: Row) -> Row:
        self.put_row(row["id"], row)
        return self.get_row(row["id"])  # type: ignore[return-value]

    async def add_observation(self, row: Row) -> None:
        self.put_row(row["id"], row)

    async def ticket_gravity(self, tank_id: UUID, lease_id: UUID | None) -> Any:
        tickets = sorted(InMemoryRunTickets(self.uow).visible(), key=lambda r: r["taken_at"], reverse=True)
        for match in (lambda r: r["tank_id"] == tank_id, lambda r: lease_id is not None and r["lease_id"] == lease_id):
            found = next((r for r in tickets if match(r)), None)
            if found is not None:
                return found["api_gravity_60"]
        return None

    async def latest_first(self, *, offset: int, limit: int, **filters: Any) -> list[Row]:
        rows = sorted(self.visible(), key=lambda r: (r["gauged_at"], r["id"]), reverse=True)
        return [dict(r) for r in rows[offset : offset + limit + 1]]


class Tanks(InMemoryRepository):
    store_name = "tanks"


class InMemoryRunTickets(InMemoryRepository):
    """A purchaser's ticket number is unique (as the table's constraint makes it)."""

    store_name = "run_tickets"

    async def add(self, row: Row) -> Row:
        if any(
            (r["purchaser"], r["ticket_number"]) == (row["purchaser"], row["ticket_number"]) for r in self.visible()
        ):
            raise ConstraintViolated("run_tickets_number_unique")
        self.put_row(row["id"], row)
        return self.get_row(row["id"])  # type: ignore[return-value]

    async def get(self, ticket_id: UUID) -> Row | None:
        return self.get_row(ticket_id)


class FakeProductionWork(FakeUnitOfWork):
    wells = repository(InMemoryWells)
    readings = repository(InMemoryReadings)
    recording = repository(InMemoryRecording)
    idempotency = repository(InMemoryIdempotency)
    organization = repository(InMemoryOrganization)
    lease_months = repository(InMemoryLeaseMonths)
    reading_history = repository(History)
    tank_gauges = repository(InMemoryTankGauges)
    run_tickets = repository(InMemoryRunTickets)


def fake_database() -> FakeDatabase:
    return FakeDatabase(FakeProductionWork)
