"""An organization's production settings and its own downtime reason codes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository, Row

from ..tables import downtime_reasons, production_settings

SETTING_NAMES = tuple(
    c.name for c in production_settings.c if c.name not in ("organization_id", "updated_at", "updated_by")
)


class SqlOrganization(Repository):
    async def settings(self) -> Row | None:
        return await self.optional(select(production_settings))

    async def save_settings(self, row: Row) -> None:
        statement = pg_insert(production_settings).values(row)
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id"],
                set_={k: statement.excluded[k] for k in row if k != "organization_id"},
            )
        )

    async def active_reasons(self) -> dict[str, str]:
        rows = await self.all(
            select(downtime_reasons.c.code, downtime_reasons.c.label).where(downtime_reasons.c.active)
        )
        return {row["code"]: row["label"] for row in rows}

    async def own_reason_codes(self) -> set[str]:
        return {row["code"] for row in await self.all(select(downtime_reasons.c.code))}

    async def add_reason(self, row: Row) -> bool:
        """False when the organization already has the code."""
        result = await self.execute(
            pg_insert(downtime_reasons).values(row).on_conflict_do_nothing().returning(downtime_reasons.c.code)
        )
        return result.first() is not None
