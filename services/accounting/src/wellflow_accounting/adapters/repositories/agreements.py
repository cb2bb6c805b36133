"""Operating agreements per lease and their April 1 overhead adjustments."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Row

from ..tables import agreements, overhead_adjustments
from .base import AccountingRepository


class SqlAgreements(AccountingRepository):
    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        return await self.create_once(
            agreements, row, request=request, noun="operating agreement", prepare=prepare, answer=answer
        )

    async def get(self, agreement_id: UUID) -> Row | None:
        return await self.optional(select(agreements).where(agreements.c.id == agreement_id))

    async def update(self, agreement_id: UUID, changes: Mapping[str, Any]) -> None:
        await self.execute(update(agreements).where(agreements.c.id == agreement_id).values(dict(changes)))

    async def adjustments(self, agreement_id: UUID) -> list[Row]:
        return await self.rows(
            select(overhead_adjustments.c.year, overhead_adjustments.c.percent)
            .where(overhead_adjustments.c.agreement_id == agreement_id)
            .order_by(overhead_adjustments.c.year)
        )

    async def page_of_agreements(self, *, lease_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        query = select(agreements, func.count().over().label("_total"))
        if lease_id is not None:
            query = query.where(agreements.c.lease_id == lease_id)
        return await self.page_of(query.order_by(agreements.c.name, agreements.c.id), limit, offset)

    async def put_adjustment(self, values: dict[str, Any]) -> None:
        statement = pg_insert(overhead_adjustments).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "agreement_id", "year"],
            set_={k: statement.excluded[k] for k in ("percent", "entered_by", "entered_at")},
        )
        await self.execute(statement)

    async def every(self) -> list[Row]:
        return await self.rows(select(agreements).order_by(agreements.c.id))

    async def every_adjustment(self) -> dict[UUID, dict[int, Decimal]]:
        """agreement -> year -> percent."""
        result: dict[UUID, dict[int, Decimal]] = {}
        for r in await self.execute(select(overhead_adjustments)):
            result.setdefault(r.agreement_id, {})[r.year] = r.percent
        return result

    async def overrun_percent_for_lease(self, lease_id: UUID) -> Decimal | None:
        return await self.scalar(  # type: ignore[no-any-return]
            select(agreements.c.afe_overrun_percent).where(agreements.c.lease_id == lease_id)
        )
