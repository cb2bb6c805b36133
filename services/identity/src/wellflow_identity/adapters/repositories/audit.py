"""The audit trail of one organization: who did what, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.repository import Repository, Row

from ..tables import audit_log


class SqlAuditLog(Repository):
    async def record(
        self,
        action: str,
        *,
        now: datetime,
        actor_kind: str,
        actor_id: str | None,
        subject_id: str | None = None,
        **details: Any,
    ) -> None:
        """One entry in the unit of work's tenant."""
        await self.execute(
            insert(audit_log).values(
                id=uuid7(),
                organization_id=self.organization_id,
                occurred_at=now,
                actor_kind=actor_kind,
                actor_id=actor_id,
                action=action,
                subject_id=subject_id,
                details=details,
            )
        )

    async def list_newest(self, *, action: str | None, limit: int, offset: int) -> list[Row]:
        query = select(audit_log).order_by(audit_log.c.occurred_at.desc(), audit_log.c.id.desc())
        if action is not None:
            query = query.where(audit_log.c.action == action)
        return await self.all(query.limit(limit).offset(offset))
