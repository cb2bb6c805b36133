"""The database: one async engine per service and the unit of work that owns each transaction.

The tenant is set only inside a transaction with ``set_config(..., true)``: a session-level ``SET`` would
ride SQLAlchemy's pool into the next request (docs/stack-notes.md). Row-level security then confines every
query of the transaction to that tenant, even one that forgets its ``WHERE organization_id``.

On asyncpg the transaction is begun and the tenant set in one round trip (``BEGIN; SELECT set_config(...)``
as one simple query), instead of a ``BEGIN`` and then the setting through SQLAlchemy's execute path: every
tenant's unit of work is one round trip shorter, and the setting is still transaction-local.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Generic
from uuid import UUID

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, create_async_engine
from typing_extensions import TypeVar

from wellflow_contracts import IntegrationEvent, encode, source_for, to_headers
from wellflow_contracts.subjects import DEFAULT_ROOT, event_subject

from .metrics import Metrics
from .tables import outbox

W = TypeVar("W", bound="UnitOfWork", default="UnitOfWork")

TENANT_SETTING = "app.current_organization_id"
_SET_LOCAL = text("SELECT set_config(:name, :value, true)")
_SETTING_NAME = re.compile(r"app\.[a-z_]+")


def begin_sql(settings: Mapping[str, UUID]) -> str:
    """One simple query that begins the transaction and makes each setting transaction-local: names of the form
    ``app.x_y`` and values ``UUID``s, both checked, so nothing can be injected."""
    sets = []
    for name, value in settings.items():
        if not _SETTING_NAME.fullmatch(name):
            raise ValueError(f"not a setting name: {name!r}")
        sets.append(f"set_config('{name}', '{UUID(str(value))}', true)")
    return f"BEGIN; SELECT {', '.join(sets)}"


class _BegunTransaction:
    """Stands for asyncpg's ``Transaction`` in SQLAlchemy's asyncpg adapter once ``begin_sql`` has begun
    the transaction: the adapter commits and rolls back through it, and begins no transaction of its own while it
    is there."""

    __slots__ = ("_driver",)

    def __init__(self, driver: asyncpg.Connection) -> None:
        self._driver = driver

    async def commit(self) -> None:
        await self._driver.execute("COMMIT")

    async def rollback(self) -> None:
        if not self._driver.is_closed():
            await self._driver.execute("ROLLBACK")


async def _begin_with(connection: AsyncConnection, settings: Mapping[str, UUID]) -> None:
    """Begin ``connection``'s transaction with ``settings`` transaction-local: one round trip on asyncpg (instead
    of a ``BEGIN`` and a statement per setting through SQLAlchemy)."""
    sync = connection.sync_connection
    fairy = getattr(sync, "_dbapi_connection", None) or await connection.get_raw_connection()
    adapter, driver = fairy.dbapi_connection, fairy.driver_connection
    if (
        not isinstance(driver, asyncpg.Connection)
        or getattr(adapter, "_transaction", False) is not None
        or getattr(adapter, "isolation_level", False) is not None
        or getattr(adapter, "readonly", True)
    ):  # not SQLAlchemy's asyncpg adapter in its default mode, or a transaction already begun
        for name, value in settings.items():
            await connection.execute(_SET_LOCAL, {"name": name, "value": str(value)})
        return
    sql = begin_sql(settings)
    # Set first: should the round trip fail halfway, the pool's reset still rolls back what it began.
    adapter._transaction = _BegunTransaction(driver)  # type: ignore[union-attr]
    await driver.execute(sql)


class Database(Generic[W]):
    """An engine for one service database, and the factory of units of work on it.

    ``work_type`` is the service's ``UnitOfWork`` subclass that declares its repositories
    (``readings = repository(SqlReadings)``).
    """

    def __init__(
        self,
        url: str,
        *,
        service: str,
        subject_root: str = DEFAULT_ROOT,
        pool_size: int = 20,
        max_overflow: int = 5,
        engine: AsyncEngine | None = None,
        work_type: type[W] | None = None,
    ) -> None:
        self.url = url
        self.work_type: type[W] = work_type or UnitOfWork  # type: ignore[assignment]
        self.service = service
        self.subject_root = subject_root
        self.engine = engine or create_async_engine(
            url, pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800
        )
        self.max_overflow = max_overflow
        self.pool_waiting = 0
        """Units of work waiting for a connection right now (the pool metrics read it at scrape time)."""
        self.metrics: Metrics | None = None
        """The service's ``Metrics`` once the runtime attaches it: repository calls are timed into it."""

    def attach_metrics(self, metrics: Metrics) -> None:
        """Time repository calls into ``metrics`` and report the pool at every scrape."""
        self.metrics = metrics
        metrics.watch_pool(self)

    def pool_in_use(self) -> int:
        pool = self.engine.pool
        return int(pool.checkedout()) if hasattr(pool, "checkedout") else 0

    def pool_capacity(self) -> int:
        pool = self.engine.pool
        return int(pool.size()) + self.max_overflow if hasattr(pool, "size") else 0

    def unit_of_work(
        self,
        tenant_id: UUID | None,
        *,
        tenant_set_by_first_statement: bool = False,
        settings: Mapping[str, UUID] | None = None,
    ) -> W:
        """A transaction scoped to ``tenant_id``; ``None`` only for cross-tenant system work.

        ``tenant_set_by_first_statement`` saves a round trip on a hot path whose first statement sets the
        tenant itself (``inbox.claim`` does); nothing else may run before it. ``settings`` are more
        transaction-local settings (``app.current_user_id``: a narrow lookup policy), set with ``BEGIN`` in the
        same round trip as the tenant.
        """
        return self.work_type(self, tenant_id, set_tenant=not tenant_set_by_first_statement, settings=settings)

    async def warm_up(self, connections: int | None = None) -> None:
        """Open the pool's connections at start-up, so the first requests after a deploy do not pay for
        connecting and type introspection (tens of milliseconds each)."""
        count = connections or self.engine.pool.size()  # type: ignore[attr-defined]
        opened = await asyncio.gather(*(self.engine.connect() for _ in range(count)))
        for connection in opened:
            await connection.execute(text("SELECT 1"))
            await connection.close()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


class UnitOfWork:
    """One transaction: sets the tenant, gathers events for the outbox, commits once on a clean exit.

    Use cases do their work through ``connection`` (Core) or ``session`` (ORM, lazily made on the same
    connection) and ``record()`` the integration events of the change. Leaving the block with an exception
    rolls everything back, events included; nothing else commits.
    """

    def __init__(
        self,
        database: Database[Any],
        tenant_id: UUID | None,
        *,
        set_tenant: bool = True,
        settings: Mapping[str, UUID] | None = None,
    ) -> None:
        self.database = database
        self.tenant_id = tenant_id
        self._set_tenant = set_tenant
        self.settings: dict[str, str] = {name: str(value) for name, value in (settings or {}).items()}
        """Transaction-local settings the transaction began with (beside the tenant), as PostgreSQL reads them."""
        self._connection: AsyncConnection | None = None
        self._session: AsyncSession | None = None
        self._events: list[tuple[IntegrationEvent, str | None]] = []

    @property
    def connection(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open: use `async with`")
        return self._connection

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = AsyncSession(
                bind=self.connection, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        database = self.database
        database.pool_waiting += 1
        try:
            self._connection = await database.engine.connect()
        finally:
            database.pool_waiting -= 1
        try:
            await self._connection.begin()
            settings = {name: UUID(value) for name, value in self.settings.items()}
            if self.tenant_id is not None and self._set_tenant:
                settings[TENANT_SETTING] = self.tenant_id
            if settings:
                await _begin_with(self._connection, settings)
        except BaseException:
            await self._connection.close()
            self._connection = None
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        connection = self.connection
        try:
            if exc_type is None:
                if self._session is not None:
                    await self._session.flush()
                await self._write_outbox(connection)
                await connection.commit()
            else:
                await connection.rollback()
        finally:
            if self._session is not None:
                await self._session.close()
            await connection.close()
            self._connection = None
            self._session = None

    def record(self, event: IntegrationEvent, *, aggregate_key: str | None = None) -> None:
        """Publish ``event`` if and only if this transaction commits (transactional outbox).

        Events of one aggregate (``aggregate_key``, else the event's own ``aggregate_id``) are published
        in commit order.
        """
        if self.tenant_id is not None and event.tenant_id != self.tenant_id:
            raise ValueError("an event must belong to the unit of work's tenant")
        self._events.append((event, aggregate_key or event.aggregate_id))

    @property
    def recorded(self) -> Sequence[IntegrationEvent]:
        return [event for event, _ in self._events]

    async def _write_outbox(self, connection: AsyncConnection) -> None:
        if not self._events:
            return
        from .telemetry import current_traceparent, record_event_on_span

        traceparent = current_traceparent()
        source = source_for(self.database.service)
        rows: list[dict[str, Any]] = []
        for event, key in self._events:
            subject = event_subject(event.tenant_id, event.type, self.database.subject_root)
            record_event_on_span(event, subject)
            rows.append(
                {
                    "event_id": event.event_id,
                    "tenant_id": event.tenant_id,
                    "event_type": event.type,
                    "subject": subject,
                    "aggregate_key": key,
                    "headers": to_headers(event, source=source, traceparent=traceparent),
                    "payload": encode(event),
                }
            )
        await connection.execute(insert(outbox), rows)  # its trigger wakes the relay at commit
        self._events.clear()
