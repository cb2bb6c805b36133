"""Bulk inserts of many rows in one statement: ``INSERT ... SELECT * FROM unnest(array, array, ...)``, one typed
array per column. Measured here about ten times faster than an executemany of the same rows (a distribution
writes 40,000 owner lines); COPY would be faster still but PostgreSQL refuses COPY FROM into a table with
row-level security."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection

_DIALECT = postgresql.dialect()


async def insert_rows(connection: AsyncConnection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    columns = [c for c in table.columns if c.name in rows[0]]
    names = ", ".join(f'"{c.name}"' for c in columns)
    arrays = ", ".join(f"CAST(:p{i} AS {c.type.compile(dialect=_DIALECT)}[])" for i, c in enumerate(columns))
    statement = text(f'INSERT INTO "{table.name}" ({names}) SELECT * FROM unnest({arrays})')
    params = {f"p{i}": [row[c.name] for row in rows] for i, c in enumerate(columns)}
    await connection.execute(statement, params)
