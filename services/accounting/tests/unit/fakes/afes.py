"""AFEs and the alerts their overruns raise."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from .base import Fake, Row, _copy, _public


class InMemoryAfes(Fake):
    """AFEs keep their estimate lines, elections and history with them."""

    store_name = "afes"
    unique = ("afe_number",)

    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        afe, new = await self.create_once(
            {"last_alerted_actual": None, **row, "_lines": [], "_elections": {}, "_history": []},
            request,
            "AFE",
            prepare,
            answer,
        )
        return _public(afe), new

    async def get(self, afe_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(afe_id)
        return _public(_copy(row)) if row is not None else None

    async def with_numbers(self, numbers: set[str], *, lock: bool = False) -> list[Row]:
        return [_public(r) for r in self.rows() if r["afe_number"] in numbers]

    def _change(self, afe_id: UUID, **changes: Any) -> None:
        self.keep(afe_id, {**(self.get_row(afe_id) or {}), **changes})

    async def replace_lines(self, organization_id: UUID, afe_id: UUID, lines: list[Mapping[str, Any]]) -> None:
        numbered = [
            {"afe_id": afe_id, "line_no": index + 1, "description": None, **dict(line)}
            for index, line in enumerate(lines)
        ]
        self._change(afe_id, _lines=numbered)

    async def count_lines(self, afe_id: UUID) -> int:
        return len((self.get_row(afe_id) or {}).get("_lines", []))

    async def add_history(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["afe_id"]) or {}
        self._change(values["afe_id"], _history=[*stored.get("_history", []), _copy(values)])

    async def set_status(self, afe_id: UUID, status: str, at: datetime) -> Row:
        self._change(afe_id, status=status, updated_at=at)
        return (await self.get(afe_id)) or {}

    async def put_election(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["afe_id"]) or {}
        self._change(values["afe_id"], _elections={**stored.get("_elections", {}), values["partner_id"]: _copy(values)})

    async def lines(self, afe_id: UUID) -> list[Row]:
        return list((self.get_row(afe_id) or {}).get("_lines", []))

    async def elections(self, afe_id: UUID) -> list[Row]:
        elections = (self.get_row(afe_id) or {}).get("_elections", {})
        return [elections[p] for p in sorted(elections, key=str)]

    async def history(self, afe_id: UUID) -> list[Row]:
        return list((self.get_row(afe_id) or {}).get("_history", []))

    async def supplements(self, afe_id: UUID, *, statuses: list[str] | None = None) -> list[Row]:
        return [
            {"id": r["id"], "afe_number": r["afe_number"]}
            for r in self.rows(parent_afe_id=afe_id)
            if statuses is None or r["status"] in statuses
        ]

    async def approved_total(self, afe_id: UUID, statuses: list[str]) -> Decimal | None:
        family = [afe_id] + [r["id"] for r in await self.supplements(afe_id, statuses=statuses)]
        amounts = [line["amount"] for member in family for line in await self.lines(member)]
        return sum(amounts, Decimal(0)) if amounts else None

    async def estimates_by_category(self, afe_ids: list[UUID]) -> dict[str, Decimal]:
        result: dict[str, Decimal] = {}
        for afe_id in afe_ids:
            for line in await self.lines(afe_id):
                result[line["category"]] = result.get(line["category"], Decimal(0)) + line["amount"]
        return result

    async def numbers(self, afe_ids: list[UUID]) -> list[str]:
        return [r["afe_number"] for r in self.rows() if r["id"] in afe_ids]

    async def mark_alerted(self, afe_id: UUID, actual: Decimal) -> None:
        self._change(afe_id, last_alerted_actual=actual)

    async def page_of_afes(
        self, *, status: str | None, lease_id: UUID | None, q: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        rows = [
            _public(r)
            for r in self.rows()
            if (status is None or r["status"] == status)
            and (lease_id is None or r["lease_id"] == lease_id)
            and (not q or q.lower() in r["afe_number"].lower() or q.lower() in r["title"].lower())
        ]
        return self.page(sorted(rows, key=lambda r: r["afe_number"]), limit, offset)


class InMemoryAlerts(Fake):
    store_name = "alerts"

    async def add(self, values: dict[str, Any]) -> None:
        self.keep(values["id"], {"acknowledged_by": None, "acknowledged_at": None, **values})

    async def get(self, alert_id: UUID) -> Row | None:
        row = self.get_row(alert_id)
        return _copy(row) if row is not None else None

    async def acknowledge(self, alert_id: UUID, by: str, at: datetime) -> Row:
        self.keep(alert_id, {**(self.get_row(alert_id) or {}), "acknowledged_by": by, "acknowledged_at": at})
        return (await self.get(alert_id)) or {}

    async def page_of_alerts(self, *, open_only: bool, limit: int, offset: int) -> dict[str, Any]:
        rows = [r for r in self.rows() if not open_only or r["acknowledged_at"] is None]
        return self.page(sorted(rows, key=lambda r: (r["raised_at"], str(r["id"])), reverse=True), limit, offset)
