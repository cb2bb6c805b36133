"""Accounting's copy of the operator's profile (one row per organization)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from wellflow_servicekit.repository import Row

from ..tables import operator_profiles
from .base import AccountingRepository


class SqlOperatorProfile(AccountingRepository):
    async def get(self) -> Row | None:
        return await self.first(select(operator_profiles))

    async def save(self, values: dict[str, Any]) -> bool:
        """Keep ``values`` unless the copy already holds this version or a newer one; True when kept."""
        statement = insert(operator_profiles).values(organization_id=self.organization_id, **values)
        result = await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id"],
                set_={key: statement.excluded[key] for key in values},
                where=operator_profiles.c.version < statement.excluded.version,
            ).returning(operator_profiles.c.version)
        )
        return result.first() is not None
