"""Purchaser statements in (column maps, the property cross-reference, imports, lines) and the reconciliation
(posted prices, tolerances, items, and the facts of a set of lease-months in a few queries)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select, text, true, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB, insert

from wellflow_servicekit.repository import Row, driver_in_transaction

from ..tables import (
    distribution_runs,
    distribution_sales,
    lease_months,
    posted_prices,
    purchaser_properties,
    reconciliation_items,
    reconciliation_settings,
    run_tickets,
    severance_taxes,
    statement_column_maps,
    statement_imports,
    statement_lines,
)
from .base import AccountingRepository
from .copies import not_refused, touched_sql

_DIALECT = postgresql.dialect()
LeaseMonth = tuple[UUID, date]


_TOUCHED_ONE = touched_sql("$1", "$2")


def _pairs(keys: Iterable[LeaseMonth]) -> list[tuple[UUID, date]]:
    return sorted(set(keys))


class SqlReconciliation(AccountingRepository):
    # ------------------------------------------------------------ column maps and the cross-reference

    async def save_map(self, values: dict[str, Any]) -> Row:
        statement = insert(statement_column_maps).values(values)
        statement = statement.on_conflict_do_update(
            constraint="statement_column_maps_name",
            set_={
                "layout": statement.excluded.layout,
                "created_by": statement.excluded.created_by,
                "updated_at": statement.excluded.updated_at,
            },
        )
        return await self.returning(statement.returning(statement_column_maps))

    async def get_map(self, map_id: UUID) -> Row | None:
        return await self.first(select(statement_column_maps).where(statement_column_maps.c.id == map_id))

    async def page_of_maps(self, purchaser_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        query = select(statement_column_maps, func.count().over().label("_total"))
        if purchaser_id is not None:
            query = query.where(statement_column_maps.c.purchaser_id == purchaser_id)
        query = query.order_by(statement_column_maps.c.name, statement_column_maps.c.id)
        return await self.page_of(query, limit, offset)

    async def properties(self, purchaser_id: UUID) -> dict[str, UUID]:
        query = select(purchaser_properties.c.property_number, purchaser_properties.c.lease_id).where(
            purchaser_properties.c.purchaser_id == purchaser_id
        )
        return {row.property_number: row.lease_id for row in await self.execute(query)}

    async def map_property(self, values: dict[str, Any]) -> Row:
        statement = insert(purchaser_properties).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "purchaser_id", "property_number"],
            set_={k: statement.excluded[k] for k in ("lease_id", "mapped_by", "mapped_at")},
        )
        return await self.returning(statement.returning(purchaser_properties))

    async def apply_held(self, purchaser_id: UUID, property_number: str, lease_id: UUID) -> list[LeaseMonth]:
        """Give the held lines of this property their lease; the lease-months they now count in."""
        result = await self.execute(
            statement_lines.update()
            .where(
                statement_lines.c.purchaser_id == purchaser_id,
                statement_lines.c.property_number == property_number,
                statement_lines.c.lease_id.is_(None),
            )
            .values(lease_id=lease_id)
            .returning(statement_lines.c.month)
        )
        return sorted({(lease_id, row.month) for row in result})

    async def page_of_held(self, purchaser_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        """The mapping queue: each unmapped property number with its held lines."""
        sl = statement_lines.c
        query = (
            select(
                sl.purchaser_id,
                sl.property_number,
                func.max(sl.property_name).label("property_name"),
                func.count().label("held_lines"),
                func.sum(sl.gross_value).label("held_gross_value"),
                func.min(sl.month).label("first_month"),
                func.max(sl.month).label("last_month"),
                func.count().over().label("_total"),
            )
            .where(sl.lease_id.is_(None))
            .group_by(sl.purchaser_id, sl.property_number)
            .order_by(sl.purchaser_id, sl.property_number)
        )
        if purchaser_id is not None:
            query = query.where(sl.purchaser_id == purchaser_id)
        return await self.page_of(query, limit, offset)

    # ------------------------------------------------------------ imports

    async def import_by_hash(self, content_hash: str) -> Row | None:
        return await self.first(select(statement_imports).where(statement_imports.c.content_hash == content_hash))

    async def get_import(self, import_id: UUID) -> Row | None:
        return await self.first(select(statement_imports).where(statement_imports.c.id == import_id))

    async def page_of_imports(self, purchaser_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        query = select(statement_imports, func.count().over().label("_total"))
        if purchaser_id is not None:
            query = query.where(statement_imports.c.purchaser_id == purchaser_id)
        query = query.order_by(statement_imports.c.created_at.desc(), statement_imports.c.id)
        return await self.page_of(query, limit, offset)

    async def add_import(self, values: dict[str, Any]) -> None:
        await self.execute(insert(statement_imports).values(values))

    async def lock_purchaser(self, purchaser_id: UUID) -> None:
        await self.advisory_lock(f"statements:{self.organization_id}:{purchaser_id}")

    async def checks_already_imported(self, purchaser_id: UUID, check_numbers: Sequence[str]) -> set[str]:
        query = (
            select(statement_lines.c.check_number)
            .where(statement_lines.c.purchaser_id == purchaser_id, statement_lines.c.check_number.in_(check_numbers))
            .distinct()
        )
        return {row.check_number for row in await self.execute(query)}

    async def add_lines(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many lines in one statement (unnest of one array per column; JSONB travels as text)."""
        if not rows:
            return
        columns = [c for c in statement_lines.columns if c.name in rows[0]]
        names = ", ".join(f'"{c.name}"' for c in columns)
        arrays, selected, params = [], [], {}
        for i, column in enumerate(columns):
            if isinstance(column.type, JSONB):
                arrays.append(f"CAST(:p{i} AS TEXT[])")
                selected.append(f"CAST(c{i} AS JSONB)")
                params[f"p{i}"] = [json.dumps(row[column.name]) for row in rows]
            else:
                arrays.append(f"CAST(:p{i} AS {column.type.compile(dialect=_DIALECT)}[])")
                selected.append(f"c{i}")
                params[f"p{i}"] = [row[column.name] for row in rows]
        aliases = ", ".join(f"c{i}" for i in range(len(columns)))
        statement = text(
            f'INSERT INTO "{statement_lines.name}" ({names}) SELECT {", ".join(selected)} '
            f"FROM unnest({', '.join(arrays)}) AS u({aliases})"
        )
        await self.execute(statement, params)

    async def statement_totals(self, keys: Iterable[LeaseMonth]) -> list[Row]:
        """Per lease, month and product: the applied lines' volume, gross value and deductions, and the
        purchaser with the largest gross (the price row names one purchaser)."""
        sl = statement_lines.c
        pairs = _pairs(keys)
        if not pairs:
            return []
        query = (
            select(
                sl.lease_id,
                sl.month,
                sl.product,
                func.sum(sl.volume).label("volume"),
                func.sum(sl.gross_value).label("gross_value"),
                func.sum(sl.deductions_total).label("deductions"),
                func.array_agg(sl.purchaser_id).label("purchasers"),
                func.array_agg(sl.gross_value).label("grosses"),
            )
            .where(tuple_(sl.lease_id, sl.month).in_(pairs))
            .group_by(sl.lease_id, sl.month, sl.product)
        )
        return [dict(row._mapping) for row in await self.execute(query)]

    async def page_of_lines(
        self, *, import_id: UUID | None, lease_id: UUID | None, month: date | None, limit: int, offset: int
    ) -> dict[str, Any]:
        sl = statement_lines.c
        conditions = []
        if import_id is not None:
            conditions.append(sl.import_id == import_id)
        if lease_id is not None:
            conditions.append(sl.lease_id == lease_id)
        if month is not None:
            conditions.append(sl.month == month)
        query = select(statement_lines, func.count().over().label("_total")).where(and_(true(), *conditions))
        query = query.order_by(sl.check_number, sl.line_number, sl.id)
        return await self.page_of(query, limit, offset)

    # ------------------------------------------------------------ posted prices and tolerances

    async def put_posted_price(self, values: dict[str, Any]) -> Row:
        statement = insert(posted_prices).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "month", "product"],
            set_={k: statement.excluded[k] for k in ("low", "high", "source", "entered_by", "entered_at")},
        )
        return await self.returning(statement.returning(posted_prices))

    async def posted_for(self, months: Iterable[date]) -> dict[date, dict[str, Row]]:
        found: dict[date, dict[str, Row]] = defaultdict(dict)
        for row in await self.rows(select(posted_prices).where(posted_prices.c.month.in_(set(months)))):
            found[row["month"]][row["product"]] = row
        return found

    async def page_of_posted(self, month: date | None, limit: int, offset: int) -> dict[str, Any]:
        query = select(posted_prices, func.count().over().label("_total"))
        if month is not None:
            query = query.where(posted_prices.c.month == month)
        query = query.order_by(posted_prices.c.month.desc(), posted_prices.c.product)
        return await self.page_of(query, limit, offset)

    async def tolerances(self) -> dict[str, Any] | None:
        return await self.scalar(select(reconciliation_settings.c["values"]))  # type: ignore[no-any-return]

    async def save_tolerances(self, values: dict[str, Any], by: str, at: datetime) -> None:
        statement = insert(reconciliation_settings).values(
            organization_id=self.organization_id, values=values, updated_by=by, updated_at=at
        )
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id"],
                set_={"values": statement.excluded["values"], "updated_by": by, "updated_at": at},
            )
        )

    # ------------------------------------------------------------ the facts of lease-months

    async def facts(self, keys: Iterable[LeaseMonth]) -> dict[str, Any]:
        """Tickets, field months, applied statement lines, severance taxes and the latest run's sales of the
        lease-months ``keys``, each grouped by (lease, month)."""
        pairs = _pairs(keys)
        out: dict[str, dict[LeaseMonth, Any]] = {
            "tickets": defaultdict(list),
            "field": {},
            "lines": defaultdict(list),
            "severance": {},
            "revenue": defaultdict(dict),
        }
        if not pairs:
            return out
        rt = run_tickets.c
        ticket_columns = (rt.id, rt.lease_id, rt.production_month, rt.ticket_number, rt.net_bbl)
        for row in await self.all(
            select(*ticket_columns).where(tuple_(rt.lease_id, rt.production_month).in_(pairs), not_refused())
        ):
            out["tickets"][(row["lease_id"], row["production_month"])].append(row)
        lm = lease_months.c
        for row in await self.rows(select(lease_months).where(tuple_(lm.lease_id, lm.month).in_(pairs))):
            out["field"][(row["lease_id"], row["month"])] = row
        sl = statement_lines.c
        line_columns = [
            sl.id,
            sl.lease_id,
            sl.month,
            sl.check_number,
            sl.line_number,
            sl.ticket_number,
            sl.product,
            sl.volume,
            sl.price,
            sl.gross_value,
            sl.taxes_withheld,
            sl.purchaser_id,
        ]
        for row in await self.all(select(*line_columns).where(tuple_(sl.lease_id, sl.month).in_(pairs))):
            out["lines"][(row["lease_id"], row["month"])].append(row)
        st = severance_taxes.c
        for row in await self.rows(select(severance_taxes).where(tuple_(st.lease_id, st.month).in_(pairs))):
            out["severance"][(row["lease_id"], row["month"])] = row["lines"]
        ds = distribution_sales.c
        query = (
            select(ds.id, ds.run_id, ds.lease_id, ds.month, ds.product, ds.gross_value)
            .join(distribution_runs, distribution_runs.c.id == ds.run_id)
            .where(tuple_(ds.lease_id, ds.month).in_(pairs), distribution_runs.c.month == ds.month)
        )
        for row in await self.all(query):
            out["revenue"][(row["lease_id"], row["month"])][row["product"]] = row
        return out

    async def lease_months_of(self, month: date, lease_id: UUID | None) -> list[LeaseMonth]:
        """The lease-months of ``month`` with something to reconcile: applied statement lines or items."""
        sl, ri = statement_lines.c, reconciliation_items.c
        lines = select(sl.lease_id, sl.month).where(sl.month == month, sl.lease_id.is_not(None))
        items = select(ri.lease_id, ri.month).where(ri.month == month)
        if lease_id is not None:
            lines, items = lines.where(sl.lease_id == lease_id), items.where(ri.lease_id == lease_id)
        return sorted({(row.lease_id, row.month) for row in await self.execute(lines.union(items))})

    async def touched(self, keys: Iterable[LeaseMonth]) -> list[LeaseMonth]:
        """Of ``keys``, those with statement lines or items (the others have nothing to reconcile)."""
        pairs = _pairs(keys)
        if not pairs:
            return []
        if len(pairs) == 1:  # every lease-month event asks this: prepared on asyncpg
            driver = await driver_in_transaction(self.connection)
            return sorted({(row[0], row[1]) for row in await driver.fetch(_TOUCHED_ONE, *pairs[0])})
        sl, ri = statement_lines.c, reconciliation_items.c
        lines = select(sl.lease_id, sl.month).where(tuple_(sl.lease_id, sl.month).in_(pairs))
        items = select(ri.lease_id, ri.month).where(tuple_(ri.lease_id, ri.month).in_(pairs))
        return sorted({(row.lease_id, row.month) for row in await self.execute(lines.union(items))})

    # ------------------------------------------------------------ items

    async def items_of(self, keys: Iterable[LeaseMonth]) -> dict[tuple[UUID, date, str], Row]:
        pairs = _pairs(keys)
        if not pairs:
            return {}
        ri = reconciliation_items.c
        query = select(reconciliation_items).where(tuple_(ri.lease_id, ri.month).in_(pairs)).with_for_update()
        return {(r["lease_id"], r["month"], r["key"]): r for r in await self.rows(query)}

    async def add_items(self, rows: Sequence[dict[str, Any]]) -> list[UUID]:
        """Insert the new items; an item another transaction raised first is left alone. The ids inserted."""
        if not rows:
            return []
        inserted: list[UUID] = []
        for start in range(0, len(rows), 1000):  # PostgreSQL takes at most 32,767 parameters a statement
            statement = (
                insert(reconciliation_items)
                .values(list(rows[start : start + 1000]))
                .on_conflict_do_nothing(constraint="reconciliation_item_once")
            )
            inserted += [row.id for row in await self.execute(statement.returning(reconciliation_items.c.id))]
        return inserted

    async def update_item(self, item_id: UUID, values: dict[str, Any]) -> Row:
        statement = (
            reconciliation_items.update()
            .where(reconciliation_items.c.id == item_id)
            .values(values)
            .returning(reconciliation_items)
        )
        return await self.returning(statement)

    async def get_item(self, item_id: UUID, *, lock: bool = False) -> Row | None:
        query = select(reconciliation_items).where(reconciliation_items.c.id == item_id)
        if lock:
            query = query.with_for_update()
        return await self.first(query)

    async def page_of_items(
        self,
        *,
        state: str | None,
        cause: str | None,
        lease_id: UUID | None,
        month: date | None,
        assignee: str | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        ri = reconciliation_items.c
        conditions: list[Any] = []
        for column, value in (
            (ri.state, state),
            (ri.cause, cause),
            (ri.lease_id, lease_id),
            (ri.month, month),
            (ri.assignee, assignee),
        ):
            if value is not None:
                conditions.append(column == value)
        query = select(reconciliation_items, func.count().over().label("_total")).where(and_(true(), *conditions))
        query = query.order_by(ri.month.desc(), ri.lease_id, ri.key)
        return await self.page_of(query, limit, offset)
