"""Repositories: a service's SQL, one class per aggregate or area, on one unit of work's connection.

The tenant scope lives here, once: the unit of work has set the tenant for its transaction, row-level
security confines every statement to it, and ``organization_id`` is the tenant a new row belongs to. A
service's unit of work declares its repositories as attributes::

    class ProductionWork(UnitOfWork):
        readings = repository(SqlReadings)

and a use case writes ``await uow.readings.add(...)``. Unit tests give the same use case a
``wellflow_servicekit.testing.FakeUnitOfWork`` whose attributes are in-memory repositories.

Every public ``async def`` a repository class defines is timed into
``db_repository_duration_seconds{repository="SqlReadings", method="add"}`` (``__init_subclass__`` wraps
them): statement latency by what the code asked for, never by SQL text. The wrapper costs two clock reads
and a dict lookup per call; a unit of work whose database carries no metrics (tests) skips the lookup.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from time import perf_counter
from typing import Any, Generic, TypeVar, overload
from uuid import UUID

from sqlalchemy import Select, Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from .errors import Conflict
from .kernel import PageOf, check_same_request, clamp_limit, invalid

Row = dict[str, Any]
R = TypeVar("R")


class Repository:
    """Base of every SQL repository: the connection, the tenant, and rows as plain dicts."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, member in list(vars(cls).items()):
            if not name.startswith("_") and inspect.iscoroutinefunction(member):
                setattr(cls, name, _timed(cls.__name__, name, member))

    @property
    def connection(self) -> AsyncConnection:
        return self.uow.connection  # type: ignore[no-any-return]

    @property
    def organization_id(self) -> UUID:
        """The tenant of this unit of work (cross-tenant system work has none and may not ask)."""
        tenant = self.uow.tenant_id
        if tenant is None:
            raise RuntimeError("a system unit of work has no tenant: pass organization_id explicitly")
        return tenant  # type: ignore[no-any-return]

    def driver_if_begun(self) -> Any | None:
        """The unit of work's asyncpg connection once its transaction has begun (``BEGIN`` with the tenant and
        settings, or a first statement), else ``None``. A hot read sends its constant SQL there: asyncpg prepares
        it once per connection, and none of SQLAlchemy's statement building, cache key, execution context or
        greenlet hop is paid; row-level security is the same, on the same transaction."""
        fairy = getattr(self.connection.sync_connection, "_dbapi_connection", None)
        driver = getattr(fairy, "driver_connection", None)
        return driver if driver is not None and driver.is_in_transaction() else None

    async def execute(self, statement: Any, parameters: Any = None) -> Any:
        return await self.connection.execute(statement, parameters)

    async def scalar(self, statement: Any, parameters: Any = None) -> Any:
        return await self.connection.scalar(statement, parameters)

    async def one(self, statement: Any, parameters: Any = None) -> Row:
        return dict((await self.connection.execute(statement, parameters)).mappings().one())

    async def optional(self, statement: Any, parameters: Any = None) -> Row | None:
        row = (await self.connection.execute(statement, parameters)).mappings().first()
        return dict(row) if row is not None else None

    async def all(self, statement: Any, parameters: Any = None) -> list[Row]:
        return [dict(row) for row in (await self.connection.execute(statement, parameters)).mappings()]

    async def page(self, query: Select[Any], *, limit: int, offset: int, maximum: int) -> PageOf[Row]:
        """A page of ``query`` with its total; ``query`` may select ``count() over ()`` as ``_total`` to save
        the second statement."""
        limit = clamp_limit(limit, maximum)
        rows = await self.all(query.limit(limit).offset(offset))
        total = rows[0].get("_total") if rows else None
        if total is None:
            counted = select(func.count()).select_from(query.subquery())
            total = 0 if offset == 0 and not rows else await self.scalar(counted)
        for row in rows:
            row.pop("_total", None)
        return PageOf(items=rows, total=int(total), limit=limit, offset=offset)

    async def insert_once(
        self,
        table: Table,
        values: dict[str, Any],
        *,
        request: Mapping[str, Any],
        noun: str,
        prepare: Callable[[], Awaitable[None]] | None = None,
        answer: Callable[[Row], Awaitable[Row]] | None = None,
    ) -> tuple[Row, bool]:
        """An idempotent create under a client-chosen id: ``(the inserted row, True)``, or ``(the stored
        resource, False)`` when ``values["id"]`` was already created by the same request (a retry).
        ``table``'s primary key is ``(organization_id, id)``.

        ``request`` holds what the client asked for, compared with the stored resource; a difference is a
        409 naming the fields (``kernel.check_same_request``). ``prepare`` runs only when the id is new (the
        checks a retry need not pass again) and may complete ``values``. ``answer`` makes the resource a
        retry receives from the stored row. Two copies running at once both find no row; the insert then
        skips the row the other one wrote (waiting for its commit), and this copy answers it as a retry.
        """
        stored = await self._stored(table, values)
        if stored is None:
            if prepare is not None:
                await prepare()
            statement = (
                pg_insert(table)
                .values(values)
                .on_conflict_do_nothing(index_elements=[table.c.organization_id, table.c.id])
                .returning(table)
            )
            try:
                async with self.connection.begin_nested():
                    inserted = (await self.connection.execute(statement)).mappings().first()
            except IntegrityError:
                # Another unique key of the row (a number, a lease) can be checked before the primary key
                # while the other copy is still writing; the id decides whether this is a retry.
                stored = await self._stored(table, values)
                if stored is None:
                    raise
            else:
                if inserted is not None:
                    return without_tenant(inserted), True
                stored = await self._stored(table, values)
                if stored is None:  # the other copy's row is gone again (deleted at once): nothing to answer
                    raise Conflict(f"The {noun} with this id changed while it was created; send it again.")
        resource = await answer(stored) if answer is not None else stored
        check_same_request(resource, request, noun=noun)
        return resource, False

    async def _stored(self, table: Table, values: Mapping[str, Any]) -> Row | None:
        query = select(table).where(table.c.organization_id == values["organization_id"], table.c.id == values["id"])
        row = await self.optional(query)
        return without_tenant(row) if row is not None else None


def _timed(repository_name: str, method: str, fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    key = (repository_name, method)

    @functools.wraps(fn)
    async def timed(self: Repository, *args: Any, **kwargs: Any) -> Any:
        started = perf_counter()
        try:
            return await fn(self, *args, **kwargs)
        finally:
            metrics = getattr(getattr(self.uow, "database", None), "metrics", None)
            if metrics is not None:
                metrics.observe_repository(key, perf_counter() - started)

    return timed


async def driver_in_transaction(connection: AsyncConnection) -> Any:
    """``connection``'s asyncpg connection, inside the unit of work's transaction (begun, with the tenant set):
    a hot path's statements written as SQL run there prepared once per connection by asyncpg, with no
    SQLAlchemy statement building, cache keys or result processing per call. Parameters are asyncpg's
    (``$1``...); JSON and JSONB go in as text and come out decoded (SQLAlchemy's codecs on the connection)."""
    driver = (await connection.get_raw_connection()).driver_connection
    if driver is None or not driver.is_in_transaction():
        raise RuntimeError("these statements need the unit of work's transaction")
    return driver


async def driver_beginning(connection: AsyncConnection) -> Any:
    """Like ``driver_in_transaction`` for the first statement of a unit of work opened with
    ``tenant_set_by_first_statement``: the transaction SQLAlchemy has not begun yet (it sends BEGIN with the first
    statement) is begun the way SQLAlchemy's asyncpg adapter begins it, so its COMMIT and ROLLBACK end it."""
    adapter = (await connection.get_raw_connection()).dbapi_connection
    begin = getattr(adapter, "_start_transaction", None)
    if begin is not None and getattr(adapter, "_transaction", False) is None:
        await begin()
    return await driver_in_transaction(connection)


def without_tenant(mapping: Mapping[str, Any]) -> Row:
    """A row as a dict, without ``organization_id``: the tenant is implied by the unit of work."""
    return {key: value for key, value in mapping.items() if key != "organization_id"}


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def order_by(sort: str, columns: Mapping[str, Any], *, field: str = "query.sort") -> list[Any]:
    """``name`` or ``-name`` over the sortable ``columns``; anything else is a 422 naming the choices."""
    descending = sort.startswith("-")
    column = columns.get(sort.lstrip("-"))
    if column is None:
        raise invalid(field, f"one of {', '.join(columns)}, optionally prefixed by '-'")
    return [column.desc().nulls_last() if descending else column.asc().nulls_last()]


class repository(Generic[R]):  # lower case: it reads as a field declaration
    """Declares a repository on a unit of work class, built on first use and kept for the transaction."""

    def __init__(self, factory: Callable[[Any], R]) -> None:
        self.factory = factory
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> repository[R]: ...
    @overload
    def __get__(self, uow: object, owner: type) -> R: ...
    def __get__(self, uow: object | None, owner: type) -> R | repository[R]:
        if uow is None:
            return self
        built = self.factory(uow)
        uow.__dict__[self.name] = built
        return built
