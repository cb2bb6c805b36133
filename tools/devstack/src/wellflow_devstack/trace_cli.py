"""``wellflow trace``: read the spans `wellflow up`'s OTLP receiver stored (docs/tracing.md).

wellflow trace <trace id>          the span tree of one trace, across services, with timings (a prefix of
                                   8+ hex digits will do); --logs adds the log lines of that trace
wellflow trace --slow              the latest requests slower than --slower-than (500 ms by default)
wellflow trace --find <text>       the latest traces whose spans mention an id: a reading's, a well's,
                                   an event's, a request id
wellflow trace                     the latest traces
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .stack import StackConfig
from .trace_store import AmbiguousTraceId, TraceStore
from .trace_view import log_entries, render_list, render_logs, render_trace

DEFAULT_SLOW_MS = 500.0


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("trace", help="show a trace's spans across services, or the latest slow requests")
    parser.add_argument("trace_id", nargs="?", help="a trace id (32 hex digits, or a prefix of at least 8)")
    parser.add_argument("--slow", action="store_true", help="list the latest requests slower than --slower-than")
    parser.add_argument(
        "--slower-than", type=float, default=DEFAULT_SLOW_MS, metavar="MS", help="threshold of --slow (500)"
    )
    parser.add_argument("--find", metavar="TEXT", help="list the latest traces whose spans mention TEXT (an id)")
    parser.add_argument("--errors", action="store_true", help="list the latest traces with a failed span")
    parser.add_argument("--logs", action="store_true", help="with a trace id: also print that trace's log lines")
    parser.add_argument("--limit", type=int, default=20, help="how many traces a list shows (20)")


def run(config: StackConfig, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not config.traces_file.exists():
        sys.stderr.write(
            f"wellflow trace: no spans have been received yet ({config.traces_file} does not exist); "
            "`wellflow up` receives them from its services\n"
        )
        return 1
    store = TraceStore(config.traces_file)
    try:
        if args.trace_id:
            return _one(config, store, args.trace_id, args.logs, out)
        if args.find:
            out.write(render_list(f"latest traces mentioning {args.find}", store.find(args.find, limit=args.limit)))
        elif args.errors:
            out.write(render_list("latest failed spans (newest first)", store.errors(limit=args.limit)))
        elif args.slow:
            threshold = args.slower_than
            title = f"latest requests slower than {threshold:g} ms (newest first)"
            out.write(render_list(title, store.roots(min_duration_ms=threshold, limit=args.limit)))
        else:
            out.write(render_list("latest traces (newest first)", store.roots(limit=args.limit)))
        return 0
    finally:
        store.close()


def _one(config: StackConfig, store: TraceStore, wanted: str, with_logs: bool, out: TextIO) -> int:
    try:
        trace_id = store.resolve(wanted)
    except AmbiguousTraceId as exc:
        sys.stderr.write(f"wellflow trace: {exc}; give more digits\n")
        return 2
    spans = store.trace(trace_id) if trace_id else []
    if not spans:
        sys.stderr.write(
            f"wellflow trace: no spans of trace {wanted} were received (a trace id is 32 hex digits; services "
            "send their spans within a second of finishing them)\n"
        )
        return 1
    out.write(render_trace(spans))
    if with_logs:
        out.write("\n" + render_logs(log_entries(config.logs_dir, spans[0].trace_id)))
    return 0
