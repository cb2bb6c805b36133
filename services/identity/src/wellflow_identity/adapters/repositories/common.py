"""What identity's repositories share: transaction-local settings that open a narrow lookup policy."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_SET = text("SELECT set_config(:name, :value, true)")


async def set_local(connection: AsyncConnection, name: str, value: str) -> None:
    """Set ``name`` for the rest of this transaction only (like the unit of work's tenant)."""
    await connection.execute(_SET, {"name": name, "value": value})
