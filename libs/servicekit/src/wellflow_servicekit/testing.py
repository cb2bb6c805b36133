"""What the tests of every service share: one ``until()`` for eventual outcomes, and a fake unit of work
with in-memory repositories for fast unit tests of use cases (the way cosmicpython's ``FakeUnitOfWork``
stands in for the database). Integration tests keep proving the SQL against real PostgreSQL.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, TypeVar
from uuid import UUID

from wellflow_contracts import IntegrationEvent

T = TypeVar("T")


async def until(
    check: Callable[[], Awaitable[T]], timeout: float = 20.0, what: str = "the condition", *, every: float = 0.05
) -> T:
    """Call ``check`` until it answers something truthy and return that; fail after ``timeout`` seconds,
    naming ``what`` and the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        last = await check()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} did not happen within {timeout}s (last answer: {last!r})")
        await asyncio.sleep(every)


class FakeDatabase:
    """The in-memory stand-in for ``Database``: named stores of rows that in-memory repositories share
    across units of work, and every event committed so far."""

    def __init__(self, work_type: type[FakeUnitOfWork] | None = None) -> None:
        self.work_type = work_type or FakeUnitOfWork
        self.stores: dict[str, dict[Any, dict[str, Any]]] = {}
        self.committed: list[IntegrationEvent] = []

    def unit_of_work(self, tenant_id: UUID | None, **_: Any) -> FakeUnitOfWork:
        return self.work_type(self, tenant_id)


class FakeUnitOfWork:
    """A transaction over a ``FakeDatabase``: events are kept only if the block ends cleanly, and the stores
    are put back as they were when it raises (as a rollback would)."""

    def __init__(self, database: FakeDatabase, tenant_id: UUID | None, **_: Any) -> None:
        self.database = database
        self.tenant_id = tenant_id
        self._events: list[IntegrationEvent] = []
        self._snapshot: dict[str, dict[Any, dict[str, Any]]] | None = None

    async def __aenter__(self) -> FakeUnitOfWork:
        self._snapshot = copy.deepcopy(self.database.stores)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.database.committed.extend(self._events)
        elif self._snapshot is not None:
            self.database.stores.clear()
            self.database.stores.update(self._snapshot)
        self._events = []

    def record(self, event: IntegrationEvent, *, aggregate_key: str | None = None) -> None:
        if self.tenant_id is not None and event.tenant_id != self.tenant_id:
            raise ValueError("an event must belong to the unit of work's tenant")
        self._events.append(event)

    @property
    def recorded(self) -> list[IntegrationEvent]:
        return list(self._events)


class InMemoryRepository:
    """Base of in-memory repositories: rows of one store, seen only within the unit of work's tenant (what
    row-level security does for the SQL ones)."""

    store_name = ""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    @property
    def organization_id(self) -> UUID:
        if self.uow.tenant_id is None:
            raise RuntimeError("a system unit of work has no tenant")
        return self.uow.tenant_id

    @property
    def _rows(self) -> dict[Any, dict[str, Any]]:
        return self.uow.database.stores.setdefault(self.store_name or type(self).__name__, {})

    def visible(self) -> Iterator[dict[str, Any]]:
        tenant = self.uow.tenant_id
        return (row for row in self._rows.values() if tenant is None or row.get("organization_id") == tenant)

    def get_row(self, key: Any) -> dict[str, Any] | None:
        row = self._rows.get(key)
        if row is None or (self.uow.tenant_id is not None and row.get("organization_id") != self.uow.tenant_id):
            return None
        return dict(row)

    def put_row(self, key: Any, row: dict[str, Any]) -> None:
        self._rows[key] = {"organization_id": self.uow.tenant_id, **row}

    def delete_row(self, key: Any) -> None:
        if self.get_row(key) is not None:
            del self._rows[key]


class FakeClock:
    """A clock a test moves by hand: ``clock()`` is the time, ``clock.advance(seconds)`` moves it on."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 1, 5, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def load_test_module(path: Path, name: str) -> ModuleType:
    """Import a test helper module or package (a service's ``tests/unit/fakes.py`` or ``fakes/``) under a name
    of its own. Test folders are not packages (pytest runs with ``--import-mode=importlib``), and every
    service has a ``tests/unit``: a plain ``import fakes`` could find another service's."""
    if name not in sys.modules:
        if path.is_dir():
            spec = importlib.util.spec_from_file_location(
                name, path / "__init__.py", submodule_search_locations=[str(path)]
            )
        else:
            spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def pdf_of_paragraphs(*markup: str) -> bytes:
    """A PDF of reportlab paragraphs, as given (markup and all): what the PDF renderer's tests send to its worker
    process (a function the worker can import)."""
    import io

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph(text, getSampleStyleSheet()["BodyText"]) for text in markup])
    return buffer.getvalue()
