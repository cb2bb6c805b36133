"""What `wellflow trace` prints: a trace's tree with timings, lists of traces, a trace's log lines."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from wellflow_devstack.stack import StackConfig
from wellflow_devstack.trace_cli import run
from wellflow_devstack.trace_store import SpanLink, SpanRecord, TraceStore
from wellflow_devstack.trace_view import log_entries, render_list, render_logs, render_trace

T = "4bf92f3577b34da6a3ce929d0e0e4736"
START = 1_763_647_385_123_000_000  # 2025-11-20T14:03:05.123Z
MS = 1_000_000


def span(span_id: str, parent: str, service: str, name: str, kind: str, start_ms: float, end_ms: float, **extra):
    return SpanRecord(
        trace_id=T,
        span_id=span_id,
        parent_span_id=parent,
        service=service,
        name=name,
        kind=kind,
        start_ns=START + int(start_ms * MS),
        end_ns=START + int(end_ms * MS),
        **extra,
    )


READING = [
    # given out of order, as spans arrive from several processes
    span(
        "c0000000000000c1",
        "b0000000000000b2",
        "wellflow-compliance",
        "production.lease_month_updated.v1 process",
        "CONSUMER",
        110,
        150,
        attributes={"messaging.consumer.group.name": "compliance-lease-volumes"},
    ),
    span("a0000000000000a1", "", "wellflow-gateway", "POST /api/v1/readings", "SERVER", 0, 180),
    span(
        "b0000000000000b1",
        "a0000000000000a1",
        "wellflow-production",
        "POST /api/v1/readings",
        "SERVER",
        2,
        92,
        attributes={"http.response.status_code": 201},
    ),
    span(
        "b0000000000000b2",
        "b0000000000000b1",
        "wellflow-production",
        "publish production.lease_month_updated.v1",
        "PRODUCER",
        95,
        104,
        attributes={"messaging.destination.name": "wellflow.evt.t.production.lease_month_updated.v1"},
    ),
    span(
        "b0000000000000b3",
        "b0000000000000b1",
        "wellflow-production",
        "publish production.reading_recorded.v1",
        "PRODUCER",
        94,
        96,
        status="ERROR",
        status_message="not acknowledged",
    ),
    span(
        "d0000000000000d1",
        "ffffffffffffffff",
        "wellflow-accounting",
        "late",
        "INTERNAL",
        160,
        170,
        links=(SpanLink("0" * 31 + "1", "e" * 16),),
    ),
]


def test_the_tree_nests_spans_under_their_parents_across_services_with_offsets_durations_and_a_timeline() -> None:
    printed = render_trace(READING)

    # the timeline is 24 marks for 180 ms: a span covers marks int(start * 24 / 180) up to round(end * 24 / 180),
    # e.g. the consumer's 110-150 ms covers marks 14 (14.67) to 20 (20.0): six of them

    assert printed == (
        f"trace {T}: 6 spans, 4 services, 180.0 ms, from 2025-11-20T14:03:05.123Z\n"
        "       start    duration  timeline                    span\n"
        "      0.0 ms    180.0 ms  [========================]  wellflow-gateway POST /api/v1/readings (SERVER)\n"
        "      2.0 ms     90.0 ms  [============            ]  └─ wellflow-production POST /api/v1/readings"
        " (SERVER) 201\n"
        "     94.0 ms      2.0 ms  [            =           ]     ├─ wellflow-production"
        " publish production.reading_recorded.v1 (PRODUCER) ERROR not acknowledged\n"
        "     95.0 ms      9.0 ms  [            ==          ]     └─ wellflow-production"
        " publish production.lease_month_updated.v1 (PRODUCER) -> wellflow.evt.t.production.lease_month_updated.v1\n"
        "    110.0 ms     40.0 ms  [              ======    ]        └─ wellflow-compliance"
        " production.lease_month_updated.v1 process (CONSUMER) consumer compliance-lease-volumes\n"
        "    160.0 ms     10.0 ms  [                     == ]  wellflow-accounting late (INTERNAL)"
        "  (parent ffffffffffffffff not received)\n" + " " * 57 + f"linked to {'0' * 31}1/{'e' * 16}\n"
    )


def test_a_list_shows_when_how_long_and_which_trace() -> None:
    assert render_list("latest", [READING[1]]) == (
        f"latest:\n  2025-11-20T14:03:05.123Z    180.0 ms  {T}  wellflow-gateway POST /api/v1/readings (SERVER)\n"
    )
    assert render_list("latest", []) == "latest: none\n"


def test_the_logs_of_a_trace_come_from_every_service_log_in_time_order(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    line = {"level": "INFO", "logger": "x", "trace_id": T}
    (logs / "production.log").write_text(
        "=== wellflow up 2025-11-20 14:00:00: production ===\n"
        + json.dumps({**line, "timestamp": "2025-11-20T14:03:05.200Z", "service": "production", "message": "b"})
        + "\n"
        + json.dumps({**line, "timestamp": "2025-11-20T14:03:05.100Z", "trace_id": "0" * 32, "message": "other"})
        + "\nnot json but mentions "
        + T
        + "\n"
    )
    (logs / "compliance.log").write_text(
        json.dumps(
            {**line, "timestamp": "2025-11-20T14:03:05.300Z", "service": "compliance", "message": "c", "event_id": "e1"}
        )
        + "\n"
    )

    entries = log_entries(logs, T)

    assert [entry["message"] for entry in entries] == ["b", "c"]
    assert render_logs(entries).splitlines()[2] == "  2025-11-20T14:03:05.300Z  compliance   INFO    x: c event e1"


def test_the_command_prints_a_trace_from_a_prefix_and_says_when_there_is_none(tmp_path: Path, capsys) -> None:
    config = StackConfig.from_env({"WELLFLOW_HOME": str(tmp_path / "home")}, root=tmp_path)
    args = argparse.Namespace(
        trace_id=T[:10], slow=False, slower_than=500.0, find=None, errors=False, logs=False, limit=20
    )

    assert run(config, args) == 1
    assert "no spans have been received yet" in capsys.readouterr().err

    store = TraceStore(config.traces_file)
    store.add(READING)
    store.close()
    assert run(config, args) == 0
    assert capsys.readouterr().out == render_trace(READING)

    assert run(config, argparse.Namespace(**{**vars(args), "trace_id": "0" * 32})) == 1
    assert "no spans of trace" in capsys.readouterr().err

    assert run(config, argparse.Namespace(**{**vars(args), "trace_id": None, "slow": True, "slower_than": 170})) == 0
    out = capsys.readouterr().out
    assert out.startswith("latest requests slower than 170 ms") and "POST /api/v1/readings" in out
    assert len(out.splitlines()) == 2  # the 10 ms span whose parent is missing is a root, but not slow

    assert run(config, argparse.Namespace(**{**vars(args), "trace_id": None, "slow": True, "slower_than": 5})) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[-2:] for line in lines[1:]] == [["late", "(INTERNAL)"], ["/api/v1/readings", "(SERVER)"]]

    assert run(config, argparse.Namespace(**{**vars(args), "trace_id": None, "errors": True})) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "latest failed spans (newest first):" and len(lines) == 2
    assert lines[1].endswith("publish production.reading_recorded.v1 (PRODUCER) ERROR not acknowledged")
