"""What ``wellflow trace`` prints: one trace as a tree of spans across services with their timings, a list of
traces (the slow ones, or those that mention an id), and the log lines of one trace.

    trace 4bf92f3577b34da6a3ce929d0e0e4736: 5 spans, 3 services, 182.4 ms, from 2026-11-20T14:03:05.123Z
        start   duration  timeline                  span
       0.0 ms   182.4 ms  [=======================]  wellflow-gateway POST /api/v1/readings (SERVER)
       1.1 ms    92.3 ms  [ ===========           ]  └─ wellflow-production POST /api/v1/readings (SERVER) 201
      ...

Spans are ordered by start under their parent. A span whose parent was not received (not exported yet, or
a caller's span from outside WellFlow) is shown at the top level with a note.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .trace_store import SpanRecord

BAR_WIDTH = 24


def timestamp(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _ms(ns: int) -> str:
    return f"{ns / 1e6:.1f} ms"


def _bar(span: SpanRecord, start: int, total: int, width: int = BAR_WIDTH) -> str:
    """The span's place on the trace's timeline: at least one mark, however short."""
    if total <= 0:
        return "[" + "=" * width + "]"
    first = min(width - 1, int((span.start_ns - start) * width / total))
    last = max(first + 1, min(width, round((span.end_ns - start) * width / total)))
    return "[" + " " * first + "=" * (last - first) + " " * (width - last) + "]"


def describe(span: SpanRecord) -> str:
    """Service, name, kind and what matters of its attributes, in a few words."""
    attributes = span.attributes
    words = [span.service, span.name, f"({span.kind})"]
    status_code = attributes.get("http.response.status_code")
    if status_code is not None:
        words.append(str(status_code))
    if span.kind == "PRODUCER" and attributes.get("messaging.destination.name"):
        words.append(f"-> {attributes['messaging.destination.name']}")
    if span.kind == "CONSUMER" and attributes.get("messaging.consumer.group.name"):
        words.append(f"consumer {attributes['messaging.consumer.group.name']}")
    if span.status == "ERROR":
        words.append(f"ERROR {span.status_message}".rstrip())
    return " ".join(words)


def render_trace(spans: list[SpanRecord]) -> str:
    """The tree of one trace's spans with offsets from its start, durations and a timeline."""
    if not spans:
        return "no spans\n"
    start = min(span.start_ns for span in spans)
    end = max(span.end_ns for span in spans)
    services = {span.service for span in spans}
    lines = [
        f"trace {spans[0].trace_id}: {len(spans)} spans, {len(services)} services, {_ms(end - start)}, "
        f"from {timestamp(start)}",
        f"  {'start':>10}  {'duration':>10}  {'timeline':<{BAR_WIDTH + 2}}  span",
    ]
    ids = {span.span_id for span in spans}
    children: dict[str, list[SpanRecord]] = defaultdict(list)
    tops: list[SpanRecord] = []
    for span in spans:
        if span.parent_span_id and span.parent_span_id in ids and span.parent_span_id != span.span_id:
            children[span.parent_span_id].append(span)
        else:
            tops.append(span)

    def walk(span: SpanRecord, prefix: str, connector: str) -> None:
        note = ""
        if span.parent_span_id and span.parent_span_id not in ids:
            note = f"  (parent {span.parent_span_id} not received)"
        lines.append(
            f"  {_ms(span.start_ns - start):>10}  {_ms(span.end_ns - span.start_ns):>10}  "
            f"{_bar(span, start, end - start)}  {prefix}{connector}{describe(span)}{note}"
        )
        for link in span.links:
            lines.append(
                f"  {'':>10}  {'':>10}  {'':<{BAR_WIDTH + 2}}  {prefix}   linked to {link.trace_id}/{link.span_id}"
            )
        below = sorted(children.get(span.span_id, ()), key=lambda s: (s.start_ns, s.span_id))
        inner = prefix + ("   " if connector == "└─ " else "│  " if connector else "")
        for index, child in enumerate(below):
            walk(child, inner, "└─ " if index == len(below) - 1 else "├─ ")

    for top in sorted(tops, key=lambda s: (s.start_ns, s.span_id)):
        walk(top, "", "")
    return "\n".join(lines) + "\n"


def render_list(title: str, spans: Iterable[SpanRecord]) -> str:
    """One line per trace: when, how long, its id and its first span."""
    rows = list(spans)
    if not rows:
        return f"{title}: none\n"
    lines = [f"{title}:"]
    for span in rows:
        lines.append(
            f"  {timestamp(span.start_ns)}  {_ms(span.end_ns - span.start_ns):>10}  {span.trace_id}  {describe(span)}"
        )
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------- logs


def log_entries(logs_dir: Path, trace_id: str) -> list[dict[str, Any]]:
    """The JSON log lines of every log file in ``logs_dir`` that carry ``trace_id``, oldest first."""
    found: list[dict[str, Any]] = []
    for path in sorted(logs_dir.glob("*.log")):
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            if trace_id not in line or not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("trace_id") == trace_id:
                found.append(entry)
    found.sort(key=lambda entry: str(entry.get("timestamp", "")))
    return found


def render_logs(entries: list[dict[str, Any]]) -> str:
    if not entries:
        return "no log lines carry this trace id\n"
    lines = ["log lines of this trace:"]
    for entry in entries:
        where = entry.get("service") or "?"
        event = f" event {entry['event_id']}" if entry.get("event_id") else ""
        lines.append(
            f"  {entry.get('timestamp', '')}  {where:<12} {entry.get('level', ''):<7} "
            f"{entry.get('logger', '')}: {entry.get('message', '')}{event}"
        )
    return "\n".join(lines) + "\n"
