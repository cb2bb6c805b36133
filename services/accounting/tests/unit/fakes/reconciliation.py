"""Reconciliation in memory: only what other use cases call (a revenue run asks for its month's lease-months to
reconcile; with no statements imported there are none). Imports and items are proven against PostgreSQL in
the integration tests."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from .base import Fake


class InMemoryReconciliation(Fake):
    store_name = "reconciliation"

    async def lease_months_of(self, month: date, lease_id: UUID | None) -> list[tuple[UUID, date]]:
        return []

    async def touched(self, keys: Any) -> list[tuple[UUID, date]]:
        return []
