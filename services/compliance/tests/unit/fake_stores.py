"""In-memory repositories of compliance's copies, Form PR and severance tax (``fakes.py`` has the rest and
the unit of work), each implementing the protocol of ``app/ports.py`` that its SQL twin implements. Rows are
confined to the unit of work's tenant, as row-level security confines the SQL ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_compliance.adapters.repositories.form_pr import adjustment
from wellflow_compliance.adapters.repositories.registry import lease_facts, lease_month
from wellflow_compliance.domain.form_pr import Adjustment, LeaseFacts, LeaseMonth
from wellflow_compliance.domain.severance import ProductPrice, TicketSale
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import PageOf
from wellflow_servicekit.repository import without_tenant
from wellflow_servicekit.testing import InMemoryRepository
from wellflow_texas.reliefs import ReliefGrant

Row = dict[str, Any]


class Store(InMemoryRepository):
    """Rows without the tenant column, the way the SQL repositories answer."""

    def rows(self, **equal: Any) -> list[Row]:
        return [
            without_tenant(row) for row in self.visible() if all(row.get(key) == value for key, value in equal.items())
        ]

    def one_or_none(self, key: Any) -> Row | None:
        row = self.get_row(key)
        return without_tenant(row) if row is not None else None

    def update(self, key: Any, **values: Any) -> None:
        row = self.get_row(key)
        if row is not None:
            self._rows[key] = {**row, **values}


def page_of(rows: list[Row], limit: int, offset: int) -> PageOf[Row]:
    return PageOf(rows[offset : offset + limit], len(rows), limit, offset)


class InMemoryLocks(Store):
    async def acquire(self, key: str, *, shared: bool = False) -> None:
        return None  # one event loop, no concurrent transactions


class InMemoryTenants(Store):
    async def remember(self, tenant_id: UUID, now: datetime) -> None:
        self._rows.setdefault(tenant_id, {"tenant_id": tenant_id, "first_seen_at": now})

    async def all_ids(self) -> list[UUID]:
        return list(self._rows)


class InMemoryOperators(Store):
    async def get(self) -> Row | None:
        return self.one_or_none(self.organization_id)

    async def name_and_number(self) -> tuple[str | None, str | None]:
        row = await self.get()
        return (row.get("name"), row.get("rrc_operator_number")) if row else (None, None)

    async def save(self, values: Row) -> None:
        self.put_row(self.organization_id, {**(await self.get() or {"name": None}), **values})

    async def adopt_from_sign_up(self, *, name: str, number: str | None, by: str, now: datetime) -> None:
        stored = await self.get()
        if stored is not None:
            self.update(self.organization_id, name=stored.get("name") or name)
            return
        values = {"rrc_operator_number": number, "source": "identity", "updated_by": by, "updated_at": now}
        self.put_row(self.organization_id, {"name": name, **values})

    async def adopt_profile(self, *, name: str, number: str | None, by: str, at: datetime) -> bool:
        stored = await self.get()
        if stored is not None and stored["updated_at"] > at:
            return False
        number = number or (stored or {}).get("rrc_operator_number")
        values = {"rrc_operator_number": number, "source": "identity", "updated_by": by, "updated_at": at}
        self.put_row(self.organization_id, {"name": name, **values})
        return True


class InMemoryWells(Store):
    async def lease_of(self, well_id: UUID) -> UUID | None:
        row = self.get_row(well_id)
        return row["lease_id"] if row else None

    async def apply(self, well_id: UUID, values: Row) -> bool:
        stored = self.get_row(well_id)
        if stored is not None and stored["event_at"] > values["event_at"]:
            return False
        self.put_row(well_id, {"id": well_id, **values})
        return True

    async def change_status(self, well_id: UUID, status: str, event_at: datetime, now: datetime) -> bool:
        stored = self.get_row(well_id)
        if stored is None or stored["event_at"] > event_at:
            return False
        self.update(well_id, status=status, event_at=event_at, updated_at=now)
        return True

    async def of_leases(self, lease_ids: list[UUID]) -> list[Row]:
        return [row for row in self.rows() if row["lease_id"] in lease_ids]


class InMemoryLeases(Store):
    async def apply(self, lease_id: UUID, values: Row) -> bool:
        stored = self.get_row(lease_id)
        if stored is not None and stored["event_at"] > values["event_at"]:
            return False
        self.put_row(lease_id, {"id": lease_id, **values})
        return True

    async def get(self, lease_id: UUID) -> Row | None:
        return self.one_or_none(lease_id)

    async def facts(self, lease_id: UUID | None = None) -> dict[UUID, LeaseFacts]:
        wells = self.uow.wells.rows()  # type: ignore[attr-defined]
        leases = self.rows() if lease_id is None else self.rows(id=lease_id)
        return {row["id"]: lease_facts(row, [w for w in wells if w["lease_id"] == row["id"]]) for row in leases}

    async def find(
        self, *, rrc_district: str | None, pending: bool | None, lease_type: str | None, limit: int, offset: int
    ) -> PageOf[Row]:
        rows = [
            row
            for row in self.rows()
            if (rrc_district is None or row["rrc_district"] == rrc_district)
            and (pending is None or (row["rrc_lease_number"] is None) == pending)
            and (lease_type is None or row["lease_type"] == lease_type)
        ]
        return page_of(sorted(rows, key=lambda row: (row["name"], str(row["id"]))), limit, offset)


class InMemoryLeaseMonths(Store):
    async def apply(self, lease_id: UUID, month: date, values: Row) -> bool:
        stored = self.get_row((lease_id, month))
        if stored is not None and stored["revision"] >= values["revision"]:
            return False
        self.put_row((lease_id, month), {"lease_id": lease_id, "month": month, **values})
        return True

    async def of_period(self, period: date) -> dict[UUID, LeaseMonth]:
        return {row["lease_id"]: lease_month(row) for row in self.rows(month=period)}

    async def of_lease_since(self, lease_id: UUID, start: date) -> dict[date, LeaseMonth]:
        return {row["month"]: lease_month(row) for row in self.rows(lease_id=lease_id) if row["month"] >= start}


class InMemoryRunTickets(Store):
    def rows(self, **equal: Any) -> list[Row]:
        refused = {row["ticket_id"] for row in super().rows() if "ticket_id" in row}
        return [row for row in super().rows(**equal) if "id" in row and row["id"] not in refused]

    async def add(self, values: Row) -> None:
        if self.get_row(values["id"]) is None:
            self.put_row(values["id"], values)

    async def refuse(self, values: Row) -> None:
        self._first(values, "rejected_at")

    async def settle(self, values: Row) -> None:
        self._first(values, "resolved_at")

    def _first(self, values: Row, unset: str) -> None:
        key = ("refusal", values["ticket_id"])
        row = self.get_row(key)
        if row is None:
            self.put_row(key, values)
        elif row.get(unset) is None:
            self.update(key, **values)

    async def sums(self, period: date, lease_id: UUID | None = None) -> dict[UUID, dict[str, Decimal]]:
        sums: dict[UUID, dict[str, Decimal]] = defaultdict(dict)
        for row in self.rows(month=period):
            if lease_id is None or row["lease_id"] == lease_id:
                codes = sums[row["lease_id"]]
                codes[row["disposition_code"]] = codes.get(row["disposition_code"], Decimal(0)) + row["net_bbl"]
        return sums

    async def sales(self, lease_id: UUID, month: date) -> list[TicketSale]:
        rows = sorted(self.rows(lease_id=lease_id, month=month), key=lambda r: (r["taken_at"], str(r["id"])))
        return [TicketSale(row["net_bbl"], row.get("price_per_bbl")) for row in rows]

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]:
        months = {row["month"] for row in self.rows(lease_id=lease_id) if row.get("price_per_bbl") is not None}
        return sorted(month for month in months if among is None or month in among)

    async def leases_priced(self, month: date) -> list[UUID]:
        rows = self.rows(month=month)
        return sorted({row["lease_id"] for row in rows if row.get("price_per_bbl") is not None}, key=str)


class InMemoryReports(Store):
    async def id_of(self, period: date) -> UUID | None:
        row = self.get_row(period)
        return row["id"] if row else None

    async def create(self, period: date, now: datetime) -> UUID | None:
        if self.get_row(period) is not None:
            return None
        report_id = uuid7()
        self.put_row(period, {"id": report_id, "period": period, "created_at": now, "regenerated_at": now})
        return report_id

    async def get(self, period: date, *, for_update: bool = False) -> Row | None:
        return self.one_or_none(period)

    async def newest_first(self, *, year: int | None) -> list[Row]:
        rows = [row for row in self.rows() if year is None or row["period"].year == year]
        return sorted(rows, key=lambda row: row["period"], reverse=True)

    async def periods(self, *, since: date | None = None, after: date | None = None) -> list[date]:
        return sorted(
            row["period"]
            for row in self.rows()
            if (since is None or row["period"] >= since) and (after is None or row["period"] > after)
        )

    async def previous_period(self, period: date) -> date | None:
        return max((row["period"] for row in self.rows() if row["period"] < period), default=None)

    async def regenerated(self, period: date, now: datetime) -> None:
        self.update(period, regenerated_at=now)


class InMemoryLines(Store):
    async def of_period(self, period: date) -> list[Row]:
        return [row["line"] for row in self.rows(period=period)]

    async def endings(self, period: date | None) -> dict[UUID, int]:
        return {row["lease_id"]: row["ending_stock"] for row in self.rows(period=period)}

    async def replace_period(self, period: date, rows: list[Row]) -> None:
        for row in self.rows(period=period):
            self.delete_row((period, row["lease_id"]))
        for row in rows:
            self.put_row((period, row["lease_id"]), row)

    async def of_lease_since(self, lease_id: UUID, since: date) -> list[Row]:
        return [row for row in self.rows(lease_id=lease_id) if row["period"] >= since]

    async def remove(self, period: date, lease_id: UUID) -> None:
        self.delete_row((period, lease_id))

    async def save(self, row: Row) -> None:
        self.put_row((row["period"], row["lease_id"]), row)

    async def line(self, lease_id: UUID, period: date) -> Row | None:
        row = self.get_row((period, lease_id))
        return row["line"] if row else None

    async def counts_by_period(self) -> dict[date, Row]:
        counts: dict[date, Row] = {}
        for row in self.rows():
            count = counts.setdefault(row["period"], {"period": row["period"], "leases": 0, "errors": 0, "warnings": 0})
            count["leases"] += 1
            count["errors"] += row["errors"]
            count["warnings"] += row["warnings"]
        return counts


class InMemoryAdjustments(Store):
    async def active(self, period: date, lease_id: UUID | None = None) -> dict[UUID, list[Adjustment]]:
        found: dict[UUID, list[Adjustment]] = defaultdict(list)
        for row in sorted(self.rows(period=period, voided_at=None), key=lambda row: (row["created_at"], row["id"])):
            if lease_id is None or row["lease_id"] == lease_id:
                found[row["lease_id"]].append(adjustment(row))
        return found

    async def by_key(self, idempotency_key: str) -> Row | None:
        return next(iter(self.rows(idempotency_key=idempotency_key)), None)

    async def add(self, values: Row) -> Row:
        if values.get("idempotency_key") and await self.by_key(values["idempotency_key"]) is not None:
            raise Conflict("An adjustment with this Idempotency-Key is being recorded; retry.", slug="retry")
        row = {"voided_at": None, "voided_by": None, "void_reason": None, **values}
        self.put_row(values["id"], row)
        return dict(row)

    async def get(self, period: date, adjustment_id: UUID, *, for_update: bool = False) -> Row | None:
        row = self.one_or_none(adjustment_id)
        return row if row is not None and row["period"] == period else None

    async def void(self, adjustment_id: UUID, *, at: datetime, by: str, reason: str) -> Row:
        self.update(adjustment_id, voided_at=at, voided_by=by, void_reason=reason)
        return self.one_or_none(adjustment_id)  # type: ignore[return-value]

    async def find(
        self, period: date, *, lease_id: UUID | None, include_voided: bool, limit: int, offset: int
    ) -> PageOf[Row]:
        rows = [
            row
            for row in self.rows(period=period)
            if (lease_id is None or row["lease_id"] == lease_id) and (include_voided or row["voided_at"] is None)
        ]
        return page_of(sorted(rows, key=lambda row: (row["created_at"], row["id"])), limit, offset)


class InMemoryVersions(Store):
    async def of_report(self, report_id: UUID) -> list[Row]:
        return sorted(self.rows(report_id=report_id), key=lambda row: row["version"])

    async def get(self, report_id: UUID, version: int, *, for_update: bool = False) -> Row | None:
        return self.one_or_none((report_id, version))

    async def add(self, values: Row) -> Row:
        row = {"confirmation_number": None, "decided_at": None, **values}
        self.put_row((values["report_id"], values["version"]), row)
        return dict(row)

    async def latest_by_report(self) -> dict[UUID, Row]:
        latest: dict[UUID, Row] = {}
        for row in sorted(self.rows(), key=lambda row: row["version"]):
            latest[row["report_id"]] = row
        return latest

    async def decide(
        self,
        report_id: UUID,
        version: int,
        *,
        state: str,
        confirmation_number: str | None,
        reasons: list[str],
        at: datetime,
    ) -> None:
        self.update(
            (report_id, version), state=state, confirmation_number=confirmation_number, reasons=reasons, decided_at=at
        )


class InMemoryPrices(Store):
    async def of_lease_month(self, lease_id: UUID, month: date) -> dict[str, ProductPrice]:
        return {
            row["product"]: ProductPrice(row["price"], row["gross_value"], row["marketing_costs"] or Decimal(0))
            for row in self.rows(lease_id=lease_id, month=month)
        }

    async def replace(self, lease_id: UUID, month: date, entries: Mapping[str, Row], *, by: str, at: datetime) -> None:
        for row in self.rows(lease_id=lease_id, month=month):
            self.delete_row((lease_id, month, row["product"]))
        for product, entered in entries.items():
            row = {"lease_id": lease_id, "month": month, "product": product, "entered_by": by, "entered_at": at}
            prices = {key: entered.get(key) for key in ("price", "gross_value")}
            self.put_row((lease_id, month, product), row | prices | {"marketing_costs": entered.get("marketing_costs")})

    async def months_priced(self, lease_id: UUID, among: list[date] | None = None) -> list[date]:
        months = {row["month"] for row in self.rows(lease_id=lease_id)}
        return sorted(month for month in months if among is None or month in among)

    async def leases_priced(self, month: date) -> list[UUID]:
        return sorted({row["lease_id"] for row in self.rows(month=month)}, key=str)


class InMemoryReliefs(Store):
    async def grants(self, lease_id: UUID) -> list[ReliefGrant]:
        rows = sorted(self.rows(lease_id=lease_id), key=lambda row: row["created_at"])
        inputs = [{k: Decimal(v) for k, v in row["inputs"].items()} for row in rows]
        return [
            ReliefGrant(row["code"], row["effective_from"], row["effective_to"], given)
            for row, given in zip(rows, inputs, strict=True)
        ]

    async def add(self, values: Row) -> None:
        self.put_row(values["id"], values)

    async def listed(self, lease_id: UUID | None) -> list[Row]:
        rows = self.rows() if lease_id is None else self.rows(lease_id=lease_id)
        return sorted(rows, key=lambda row: (str(row["lease_id"]), row["created_at"]))


class InMemoryTaxes(Store):
    async def get(self, lease_id: UUID, month: date) -> Row | None:
        return self.one_or_none((lease_id, month))

    async def save(self, values: Row) -> None:
        self.put_row((values["lease_id"], values["month"]), values)

    async def find(self, *, month: date | None, lease_id: UUID | None, limit: int, offset: int) -> PageOf[Row]:
        rows = [
            row
            for row in self.rows()
            if (month is None or row["month"] == month) and (lease_id is None or row["lease_id"] == lease_id)
        ]
        rows.sort(key=lambda row: str(row["lease_id"]))
        return page_of(sorted(rows, key=lambda row: row["month"], reverse=True), limit, offset)

    async def results_of_months(self, months: set[date]) -> list[tuple[date, Row]]:
        return [(row["month"], row["result"]) for row in self.rows() if row["month"] in months]

    async def of_month(self, month: date) -> list[Row]:
        return self.rows(month=month)
