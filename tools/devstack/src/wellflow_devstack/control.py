"""``wellflow status | down | nats-tenant``: look at, stop or extend a stack that another terminal runs."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import Any, TextIO
from uuid import UUID

import psutil

from . import nats_auth
from .servers import EmbeddedNats, EmbeddedPostgres, ServerError, host_port, port_answers
from .stack import StackConfig, find_process, read_state, stop_processes, write_state


def print_table(rows: Iterable[tuple[str, str, str]], out: TextIO) -> None:
    rows = [("component", "URL", "state"), *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        out.write("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
    out.flush()


def _external_row(name: str, url: str, default_port: int) -> tuple[str, str, str, bool]:
    host, port = host_port(url, default_port)
    alive = port_answers(port, host)
    return name, url, "external, " + ("answering" if alive else "not answering"), alive


def _postgres_row(config: StackConfig, record: dict[str, Any]) -> tuple[str, str, str, bool]:
    if not record.get("embedded", True):
        return _external_row("postgres", record["url"], 5432)
    postgres = EmbeddedPostgres(config.pg_dir, int(record.get("port") or config.pg_port))
    postmaster = postgres.postmaster()
    port = postgres.running_port() or postgres.port
    alive = postmaster is not None and port_answers(port)
    text = f"running (pid {postmaster.pid})" if alive and postmaster else "stopped"
    return "postgres", f"postgresql://postgres@127.0.0.1:{port}/postgres", text, alive


def _nats_row(config: StackConfig, record: dict[str, Any]) -> tuple[str, str, str, bool]:
    if not record.get("embedded", True):
        return _external_row("nats", record["url"], 4222)
    nats = EmbeddedNats(config.nats_dir, int(record.get("port") or config.nats_port))
    proc = nats.process()
    alive = proc is not None and port_answers(nats.port)
    text = f"running (pid {proc.pid})" if alive and proc else "stopped"
    return "nats", nats.url, text, alive


def _component_rows(config: StackConfig, state: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(component, URL, state text, running) for everything the stack has."""
    supervisor = find_process(state.get("supervisor"))
    supervisor_text = f"running (pid {supervisor.pid})" if supervisor else "not running"
    rows = [("wellflow up", "", supervisor_text, supervisor is not None)]
    rows.append(_postgres_row(config, state.get("postgres") or {"embedded": True}))
    rows.append(_nats_row(config, state.get("nats") or {"embedded": True}))
    traces = state.get("traces") or {}
    if traces.get("url") and supervisor is not None:
        _, port = host_port(traces["url"], 0)
        alive = port_answers(port)
        rows.append(("traces", traces["url"], "receiving OTLP" if alive else "not answering", alive))
    for name, record in (state.get("services") or {}).items():
        proc = find_process(record)
        alive = proc is not None and port_answers(int(record["port"]))
        rows.append((name, record.get("url", ""), f"running (pid {proc.pid})" if alive and proc else "stopped", alive))
    return rows


def status(config: StackConfig, out: TextIO | None = None) -> int:
    """Exit code 0 when the stack runs and every component answers, 1 otherwise."""
    out = out or sys.stdout
    state = read_state(config)
    rows = _component_rows(config, state)
    out.write(f"WellFlow stack in {config.home}\n")
    print_table([(name, url, text) for name, url, text, _ in rows], out)
    if not state.get("services"):
        out.write("(no services running)\n")
    return 0 if all(alive for *_, alive in rows) else 1


def down(config: StackConfig, out: TextIO | None = None, timeout: float = 90.0) -> int:
    """Stop the stack another terminal started: ask its `wellflow up` to stop, then make sure."""
    out = out or sys.stdout

    def say(message: str) -> None:
        out.write(message + "\n")
        out.flush()

    state = read_state(config)
    stopped_anything = False
    supervisor = find_process(state.get("supervisor"))
    if supervisor is not None:
        say(f"asking wellflow up (pid {supervisor.pid}) to stop...")
        supervisor.terminate()
        if not _wait_exit(supervisor, timeout):
            say(f"wellflow up (pid {supervisor.pid}) did not stop within {timeout:.0f} s: killing it")
            supervisor.kill()
        stopped_anything = True
        state = read_state(config)

    leftovers = [p for p in (find_process(r) for r in (state.get("services") or {}).values()) if p]
    if leftovers:
        say(f"stopping {len(leftovers)} service process(es)...")
        stop_processes(leftovers)
        stopped_anything = True
    for name, server in _embedded_servers(config, state):
        if server.is_running():
            say(f"stopping {name}...")
            server.stop()
            stopped_anything = True

    if state:
        state["supervisor"] = None
        state["services"] = {}
        write_state(config, state)
    say("stopped" if stopped_anything else "nothing was running")
    return 0


def _wait_exit(proc: psutil.Process, timeout: float) -> bool:
    """Wait for a process that is not our child to exit (a zombie its parent has not reaped counts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def nats_tenant(config: StackConfig, organization_id: UUID, label: str, out: TextIO | None = None) -> int:
    """Add a subscriber of one organization to the running stack's NATS and print its URL and subjects."""
    out = out or sys.stdout
    state = read_state(config)
    record = state.get("nats") or {}
    if not record.get("embedded", False):
        sys.stderr.write(
            "wellflow nats-tenant: the stack's NATS is not the embedded one (or it never ran): add the account to "
            "that server's configuration instead (docs/deploy.md, 'A tenant's event subscriber').\n"
        )
        return 2
    try:
        user, password, subjects = nats_auth.add_tenant(config, organization_id, label)
        EmbeddedNats(config.nats_dir, int(record.get("port") or config.nats_port)).reload()
    except (OSError, ValueError, ServerError) as exc:
        sys.stderr.write(f"wellflow nats-tenant: {exc}\n")
        return 2
    url = nats_auth.url_for(record.get("url") or f"nats://127.0.0.1:{config.nats_port}", user, password)
    out.write(f"url:      {url}\nsubjects: {subjects}\n")
    return 0


def _embedded_servers(config: StackConfig, state: dict[str, Any]) -> list[tuple[str, Any]]:
    servers: list[tuple[str, Any]] = []
    nats_record = state.get("nats") or {}
    if nats_record.get("embedded", True):
        servers.append(("NATS", EmbeddedNats(config.nats_dir, int(nats_record.get("port") or config.nats_port))))
    pg_record = state.get("postgres") or {}
    if pg_record.get("embedded", True):
        servers.append(("PostgreSQL", EmbeddedPostgres(config.pg_dir, int(pg_record.get("port") or config.pg_port))))
    return servers
