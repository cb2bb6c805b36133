"""AFEs with their estimate lines, elections and history, and the alerts raised on overruns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Row

from ..tables import afe_elections, afe_history, afe_lines, afes, alerts
from .base import AccountingRepository


class SqlAfes(AccountingRepository):
    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        return await self.create_once(afes, row, request=request, noun="AFE", prepare=prepare, answer=answer)

    async def get(self, afe_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(afes).where(afes.c.id == afe_id)
        if lock:
            query = query.with_for_update()
        return await self.optional(query)

    async def with_numbers(self, numbers: set[str], *, lock: bool = False) -> list[Row]:
        query = select(afes).where(afes.c.afe_number.in_(numbers))
        if lock:
            query = query.with_for_update()
        return await self.rows(query)

    async def replace_lines(self, organization_id: UUID, afe_id: UUID, lines: list[Mapping[str, Any]]) -> None:
        await self.execute(afe_lines.delete().where(afe_lines.c.afe_id == afe_id))
        if lines:
            await self.execute(
                insert(afe_lines),
                [
                    {
                        "organization_id": organization_id,
                        "afe_id": afe_id,
                        "line_no": index + 1,
                        "kind": line["kind"],
                        "category": line["category"],
                        "description": line.get("description"),
                        "amount": line["amount"],
                    }
                    for index, line in enumerate(lines)
                ],
            )

    async def count_lines(self, afe_id: UUID) -> int:
        return int(await self.scalar(select(func.count()).where(afe_lines.c.afe_id == afe_id)))

    async def add_history(self, values: dict[str, Any]) -> None:
        await self.execute(insert(afe_history).values(values))

    async def set_status(self, afe_id: UUID, status: str, at: datetime) -> Row:
        return await self.returning(
            update(afes).where(afes.c.id == afe_id).values(status=status, updated_at=at).returning(afes)
        )

    async def put_election(self, values: dict[str, Any]) -> None:
        statement = pg_insert(afe_elections).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "afe_id", "partner_id"],
            set_={k: statement.excluded[k] for k in ("election", "decided_on", "recorded_by", "recorded_at")},
        )
        await self.execute(statement)

    async def lines(self, afe_id: UUID) -> list[Row]:
        return await self.rows(select(afe_lines).where(afe_lines.c.afe_id == afe_id).order_by(afe_lines.c.line_no))

    async def elections(self, afe_id: UUID) -> list[Row]:
        return await self.rows(
            select(afe_elections).where(afe_elections.c.afe_id == afe_id).order_by(afe_elections.c.partner_id)
        )

    async def history(self, afe_id: UUID) -> list[Row]:
        return await self.rows(
            select(afe_history)
            .where(afe_history.c.afe_id == afe_id)
            .order_by(afe_history.c.changed_at, afe_history.c.id)
        )

    async def supplements(self, afe_id: UUID, *, statuses: list[str] | None = None) -> list[Row]:
        """The AFE's supplements (id, afe_number), those in ``statuses`` only when given."""
        query = select(afes.c.id, afes.c.afe_number).where(afes.c.parent_afe_id == afe_id)
        if statuses is not None:
            query = query.where(afes.c.status.in_(statuses))
        return await self.rows(query)

    async def approved_total(self, afe_id: UUID, statuses: list[str]) -> Decimal | None:
        """The original's estimate plus the estimates of its supplements in ``statuses``."""
        ids = select(afes.c.id).where(
            or_(afes.c.id == afe_id, and_(afes.c.parent_afe_id == afe_id, afes.c.status.in_(statuses)))
        )
        return await self.scalar(select(func.sum(afe_lines.c.amount)).where(afe_lines.c.afe_id.in_(ids)))  # type: ignore[no-any-return]

    async def estimates_by_category(self, afe_ids: list[UUID]) -> dict[str, Decimal]:
        return await self._line_sums(afe_lines.c.category, afe_ids)

    async def estimates(self, afe_ids: list[UUID]) -> dict[UUID, Decimal]:
        """Each AFE's own estimate: the sum of its lines (an AFE with none is left out)."""
        return await self._line_sums(afe_lines.c.afe_id, afe_ids)

    async def _line_sums(self, key: Any, afe_ids: list[UUID]) -> dict[Any, Decimal]:
        """The lines of ``afe_ids`` summed by ``key`` (a column of ``afe_lines``)."""
        query = select(key.label("key"), func.sum(afe_lines.c.amount).label("amount"))
        rows = await self.execute(query.where(afe_lines.c.afe_id.in_(afe_ids)).group_by(key))
        return {r.key: r.amount for r in rows}

    async def numbers(self, afe_ids: list[UUID]) -> list[str]:
        return [r.afe_number for r in await self.execute(select(afes.c.afe_number).where(afes.c.id.in_(afe_ids)))]

    async def mark_alerted(self, afe_id: UUID, actual: Decimal) -> None:
        await self.execute(update(afes).where(afes.c.id == afe_id).values(last_alerted_actual=actual))

    async def page_of_afes(
        self, *, status: str | None, lease_id: UUID | None, q: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        conditions = []
        if status is not None:
            conditions.append(afes.c.status == status)
        if lease_id is not None:
            conditions.append(afes.c.lease_id == lease_id)
        if q:
            conditions.append(or_(afes.c.afe_number.ilike(f"%{q}%"), afes.c.title.ilike(f"%{q}%")))
        query = (
            select(afes, func.count().over().label("_total"))
            .where(and_(true(), *conditions))
            .order_by(afes.c.afe_number)
        )
        return await self.page_of(query, limit, offset)


class SqlAlerts(AccountingRepository):
    async def add(self, values: dict[str, Any]) -> None:
        await self.execute(insert(alerts).values(values))

    async def get(self, alert_id: UUID) -> Row | None:
        return await self.optional(select(alerts).where(alerts.c.id == alert_id))

    async def acknowledge(self, alert_id: UUID, by: str, at: datetime) -> Row:
        return await self.returning(
            update(alerts)
            .where(alerts.c.id == alert_id)
            .values(acknowledged_by=by, acknowledged_at=at)
            .returning(alerts)
        )

    async def page_of_alerts(self, *, open_only: bool, limit: int, offset: int) -> dict[str, Any]:
        query = select(alerts, func.count().over().label("_total"))
        if open_only:
            query = query.where(alerts.c.acknowledged_at.is_(None))
        query = query.order_by(alerts.c.raised_at.desc(), alerts.c.id)
        return await self.page_of(query, limit, offset)
