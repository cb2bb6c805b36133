"""The dev stack's span store: one SQLite file (``<WELLFLOW_HOME>/traces/spans.sqlite``) that the OTLP receiver
writes and ``wellflow trace`` reads, from another process, at the same time (WAL journal).

A span is kept as it arrived, one row per (trace id, span id), with its attributes, events and links as JSON.
The store keeps the newest ``max_spans`` spans (200,000 by default, a few hundred MB at most) and forgets the
oldest: it is a developer's window on the last hours of traffic, not an archive.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_MAX_SPANS = 200_000
TRACE_ID_LENGTH = 32
MIN_PREFIX = 8

SCHEMA = """
CREATE TABLE IF NOT EXISTS spans (
    trace_id        TEXT    NOT NULL,
    span_id         TEXT    NOT NULL,
    parent_span_id  TEXT    NOT NULL DEFAULT '',
    service         TEXT    NOT NULL,
    scope           TEXT    NOT NULL DEFAULT '',
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    start_ns        INTEGER NOT NULL,
    end_ns          INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'UNSET',
    status_message  TEXT    NOT NULL DEFAULT '',
    attributes      TEXT    NOT NULL DEFAULT '{}',
    events          TEXT    NOT NULL DEFAULT '[]',
    links           TEXT    NOT NULL DEFAULT '[]',
    received_at     REAL    NOT NULL,
    PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX IF NOT EXISTS spans_by_start ON spans (start_ns);
"""


@dataclass(frozen=True)
class SpanLink:
    trace_id: str
    span_id: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SpanEvent:
    name: str
    time_ns: int
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SpanRecord:
    """One finished span, as OTLP describes it; ids in lower-case hex, times in Unix nanoseconds."""

    trace_id: str
    span_id: str
    parent_span_id: str
    service: str
    name: str
    kind: str  # SERVER, CLIENT, PRODUCER, CONSUMER or INTERNAL
    start_ns: int
    end_ns: int
    status: str = "UNSET"  # UNSET, OK or ERROR
    status_message: str = ""
    scope: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    events: tuple[SpanEvent, ...] = ()
    links: tuple[SpanLink, ...] = ()

    @property
    def duration_ms(self) -> float:
        return max(0, self.end_ns - self.start_ns) / 1e6

    @property
    def is_root(self) -> bool:
        return not self.parent_span_id


class AmbiguousTraceId(LookupError):
    """A trace id prefix that names more than one trace; ``candidates`` holds some of them."""

    def __init__(self, prefix: str, candidates: list[str]) -> None:
        super().__init__(f"{prefix} names more than one trace: {', '.join(candidates)}")
        self.candidates = candidates


class TraceStore:
    """Thread-safe: the receiver's request threads share one connection behind a lock."""

    def __init__(self, path: Path, *, max_spans: int = DEFAULT_MAX_SPANS) -> None:
        self.path = path
        self.max_spans = max_spans
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, check_same_thread=False, timeout=10.0, isolation_level=None)
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")  # a span lost to a power cut is no loss
        self._connection.executescript(SCHEMA)
        self._since_prune = 0

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    # -- writing

    def add(self, spans: Iterable[SpanRecord]) -> int:
        """Store spans (a span sent twice is kept once, the later copy wins); returns how many."""
        now = time.time()
        rows = [_row(span, now) for span in spans]
        if not rows:
            return 0
        with self._transaction() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO spans (trace_id, span_id, parent_span_id, service, scope, name, kind, "
                "start_ns, end_ns, status, status_message, attributes, events, links, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._since_prune += len(rows)
            if self._since_prune >= max(1000, self.max_spans // 20):
                self._prune(connection)
        return len(rows)

    def prune(self) -> None:
        with self._transaction() as connection:
            self._prune(connection)

    def _prune(self, connection: sqlite3.Connection) -> None:
        self._since_prune = 0
        cutoff = connection.execute(
            "SELECT start_ns FROM spans ORDER BY start_ns DESC LIMIT 1 OFFSET ?", (self.max_spans,)
        ).fetchone()
        if cutoff is not None:
            connection.execute("DELETE FROM spans WHERE start_ns <= ?", (cutoff[0],))

    # -- reading

    def count(self) -> int:
        with self._lock:
            return int(self._connection.execute("SELECT count(*) FROM spans").fetchone()[0])

    def resolve(self, trace_id: str) -> str | None:
        """The full id of the trace ``trace_id`` names (the whole id, or a prefix of at least 8 hex digits)."""
        wanted = trace_id.strip().lower()
        if len(wanted) == TRACE_ID_LENGTH:
            return wanted
        if len(wanted) < MIN_PREFIX:
            return None
        with self._lock:
            found = [
                row[0]
                for row in self._connection.execute(
                    "SELECT DISTINCT trace_id FROM spans WHERE trace_id >= ? AND trace_id < ? LIMIT 6",
                    (wanted, wanted + "g"),
                )
            ]
        if len(found) > 1:
            raise AmbiguousTraceId(wanted, found[:5])
        return found[0] if found else None

    def trace(self, trace_id: str) -> list[SpanRecord]:
        """Every span of one trace received so far, earliest first."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM spans WHERE trace_id = ? ORDER BY start_ns, span_id", (trace_id,)
            ).fetchall()
        return [_record(row) for row in rows]

    def roots(self, *, min_duration_ms: float = 0.0, limit: int = 20) -> list[SpanRecord]:
        """The latest root spans, newest first, of those lasting at least ``min_duration_ms``.

        A root is a span whose parent is not in the store: the gateway's span of a request (whose caller may
        have sent a traceparent of its own), or a consumer's span of an event recorded outside any request.
        """
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM spans s WHERE end_ns - start_ns >= ? AND (parent_span_id = '' OR NOT "
                "EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)) "
                "ORDER BY start_ns DESC LIMIT ?",
                (int(min_duration_ms * 1e6), limit),
            ).fetchall()
        return [_record(row) for row in rows]

    def errors(self, *, limit: int = 20) -> list[SpanRecord]:
        """The newest failed spans (status ERROR: a 5xx at the gateway, a publish not acknowledged, a consumer's
        handler that raised), one per trace, newest first."""
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM spans WHERE status = 'ERROR' ORDER BY start_ns DESC LIMIT ?", (limit * 10,)
            ).fetchall()
        return _one_per_trace(rows, limit)

    def find(self, text: str, *, limit: int = 20) -> list[SpanRecord]:
        """The newest spans whose attributes or events mention ``text`` (an id: a reading's, a well's, an
        event's, a request's), newest first, one per trace."""
        needle = f"%{_escape_like(text.strip())}%"
        with self._lock:
            rows = self._connection.execute(
                f"SELECT {_COLUMNS} FROM spans WHERE (attributes LIKE ? ESCAPE '\\' OR events LIKE ? ESCAPE '\\') "
                "ORDER BY start_ns DESC LIMIT ?",
                (needle, needle, limit * 10),
            ).fetchall()
        return _one_per_trace(rows, limit)


def _one_per_trace(rows: list[tuple[Any, ...]], limit: int) -> list[SpanRecord]:
    seen: set[str] = set()
    spans = []
    for row in rows:
        record = _record(row)
        if record.trace_id not in seen:
            seen.add(record.trace_id)
            spans.append(record)
    return spans[:limit]


_COLUMNS = (
    "trace_id, span_id, parent_span_id, service, scope, name, kind, start_ns, end_ns, status, status_message, "
    "attributes, events, links"
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row(span: SpanRecord, received_at: float) -> tuple[Any, ...]:
    return (
        span.trace_id,
        span.span_id,
        span.parent_span_id,
        span.service,
        span.scope,
        span.name,
        span.kind,
        span.start_ns,
        span.end_ns,
        span.status,
        span.status_message,
        json.dumps(span.attributes, default=str, sort_keys=True),
        json.dumps([[e.name, e.time_ns, e.attributes] for e in span.events], default=str),
        json.dumps([[link.trace_id, link.span_id, link.attributes] for link in span.links], default=str),
        received_at,
    )


def _record(row: tuple[Any, ...]) -> SpanRecord:
    (trace_id, span_id, parent, service, scope, name, kind, start, end, status, message, attributes, events, links) = (
        row
    )
    return SpanRecord(
        trace_id=trace_id,
        span_id=span_id,
        parent_span_id=parent,
        service=service,
        scope=scope,
        name=name,
        kind=kind,
        start_ns=int(start),
        end_ns=int(end),
        status=status,
        status_message=message,
        attributes=json.loads(attributes),
        events=tuple(SpanEvent(n, int(t), a) for n, t, a in json.loads(events)),
        links=tuple(SpanLink(t, s, a) for t, s, a in json.loads(links)),
    )
