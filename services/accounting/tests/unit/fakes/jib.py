"""Operating agreements, costs, JIB runs and payments."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from .base import Fake, Row, _copy


class InMemoryAgreements(Fake):
    store_name = "agreements"
    unique = ("lease_id",)

    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        return await self.create_once(row, request, "operating agreement", prepare, answer)

    async def get(self, agreement_id: UUID) -> Row | None:
        row = self.get_row(agreement_id)
        return _copy(row) if row is not None else None

    async def update(self, agreement_id: UUID, changes: Mapping[str, Any]) -> None:
        self.keep(agreement_id, {**(self.get_row(agreement_id) or {}), **changes})

    async def adjustments(self, agreement_id: UUID) -> list[Row]:
        stored = (self.get_row(agreement_id) or {}).get("_adjustments", {})
        return [{"year": year, "percent": stored[year]} for year in sorted(stored)]

    async def page_of_agreements(self, *, lease_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        rows = [r for r in self.rows() if lease_id is None or r["lease_id"] == lease_id]
        return self.page(sorted(rows, key=lambda r: (r["name"], str(r["id"]))), limit, offset)

    async def put_adjustment(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["agreement_id"]) or {}
        adjustments = {**stored.get("_adjustments", {}), values["year"]: values["percent"]}
        self.keep(values["agreement_id"], {**stored, "_adjustments": adjustments})

    async def every(self) -> list[Row]:
        return sorted(self.rows(), key=lambda r: str(r["id"]))

    async def every_adjustment(self) -> dict[UUID, dict[int, Decimal]]:
        return {r["id"]: dict(r.get("_adjustments", {})) for r in self.rows()}

    async def overrun_percent_for_lease(self, lease_id: UUID) -> Decimal | None:
        found = self.rows(lease_id=lease_id)
        return found[0]["afe_overrun_percent"] if found else None


class InMemoryCosts(Fake):
    store_name = "costs"

    async def add(
        self, row: dict[str, Any], request: Mapping[str, Any], *, prepare: Callable[[], Awaitable[None]]
    ) -> tuple[Row, bool]:
        return await self.create_once({"jib_run_id": None, **row}, request, "cost", prepare)

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.keep(row["id"], {"jib_run_id": None, **row})

    async def unbilled_before(self, end: date) -> list[Row]:
        rows = [r for r in self.rows(jib_run_id=None) if r["incurred_on"] < end]
        return sorted(rows, key=lambda r: str(r["id"]))

    async def actuals(self, numbers: Iterable[str]) -> dict[str, dict[str, Decimal]]:
        wanted = set(numbers)
        result: dict[str, dict[str, Decimal]] = {}
        for r in self.rows():
            if r.get("afe_number") in wanted:
                by_category = result.setdefault(r["afe_number"], {})
                by_category[r["category"]] = by_category.get(r["category"], Decimal(0)) + r["amount"]
        return result

    async def page_of_costs(
        self,
        *,
        lease_id: UUID | None,
        category: str | None,
        afe_number: str | None,
        billed: bool | None,
        date_from: date | None,
        date_to: date | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (lease_id is None or r["lease_id"] == lease_id)
            and (category is None or r["category"] == category)
            and (afe_number is None or r.get("afe_number") == afe_number)
            and (billed is None or (r["jib_run_id"] is not None) == billed)
            and (date_from is None or r["incurred_on"] >= date_from)
            and (date_to is None or r["incurred_on"] <= date_to)
        ]
        return self.page(sorted(rows, key=lambda r: (r["incurred_on"], str(r["id"]))), limit, offset)


_JIB = "JIB runs are proven by the integration tests"


class InMemoryJibRuns(Fake):
    """JIB runs are proven by the integration tests; only the month's lock is answered here."""

    store_name = "jib_runs"

    async def lock(self, organization_id: UUID) -> None:
        return None

    async def for_month(self, month: date) -> Row | None:
        found = self.rows(month=month)
        return found[0] if found else None

    async def issued_for_month(self, month: date) -> Row | None:
        found = self.rows(month=month, status="issued")
        return found[0] if found else None

    async def delete(self, run_id: UUID) -> None:
        raise NotImplementedError(_JIB)

    async def add(self, run: dict[str, Any], lines: list[dict[str, Any]], statements: list[dict[str, Any]]) -> None:
        raise NotImplementedError(_JIB)

    async def get(self, run_id: UUID, *, lock: bool = False) -> Row | None:
        raise NotImplementedError(_JIB)

    async def statements_with_names(self, run_id: UUID) -> list[Row]:
        raise NotImplementedError(_JIB)

    async def page_of_runs(self, *, status: str | None, limit: int, offset: int) -> dict[str, Any]:
        raise NotImplementedError(_JIB)

    async def issued_since(self, moment: datetime) -> int:
        raise NotImplementedError(_JIB)

    async def issue(self, run_id: UUID, by: str, at: datetime) -> None:
        raise NotImplementedError(_JIB)

    async def statements(self, run_id: UUID) -> list[Row]:
        raise NotImplementedError(_JIB)

    async def statement_of(self, run_id: UUID, partner_id: UUID) -> Row | None:
        raise NotImplementedError(_JIB)

    async def billed_before(self, month: date) -> dict[UUID, Decimal]:
        raise NotImplementedError(_JIB)

    async def statement_lines(self, run_id: UUID, partner_id: UUID) -> list[Row]:
        raise NotImplementedError(_JIB)

    async def billed_by_partner_name(self, run_id: UUID) -> list[tuple[str, Decimal]]:
        raise NotImplementedError(_JIB)

    async def net_by_category(self, run_id: UUID) -> list[tuple[str, Decimal]]:
        raise NotImplementedError(_JIB)


class InMemoryJibPayments(Fake):
    store_name = "jib_payments"

    async def add(
        self, row: dict[str, Any], request: Mapping[str, Any], *, prepare: Callable[[], Awaitable[None]]
    ) -> tuple[Row, bool]:
        return await self.create_once(row, request, "payment", prepare)

    async def page_of_payments(self, *, partner_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        rows = [r for r in self.rows() if partner_id is None or r["partner_id"] == partner_id]
        return self.page(sorted(rows, key=lambda r: (r["received_on"], str(r["id"])), reverse=True), limit, offset)

    async def received_before(self, end: date) -> list[Row]:
        return [
            {k: r[k] for k in ("partner_id", "received_on", "amount")} for r in self.rows() if r["received_on"] < end
        ]
