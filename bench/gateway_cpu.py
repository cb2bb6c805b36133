"""The gateway's CPU per proxied request, at a fixed request rate, next to the upstream service's.

    .venv/bin/python bench/gateway_cpu.py [--rate 200] [--duration 15] [--rounds 2] [--mode devstack|bare]

Starts, as separate processes: the small upstream service of bench/gateway_overhead.py (a servicekit app
whose one route verifies the bearer token, under uvicorn on uvloop + httptools without access log) and the
gateway in front of it. ``--mode devstack`` (the default) runs the gateway as `wellflow up` does: the
uvicorn command line of tools/devstack (`ServiceProcess.command()`, uvicorn's defaults otherwise, so its
access log is on), LOG_LEVEL and LOG_FORMAT at their defaults (INFO, json) with stdout to a file, and every
span exported to the dev stack's own OTLP receiver (started here, in a thread of this process, with
OTEL_BSP_SCHEDULE_DELAY=500 as `wellflow up` sets); ``--sample 0.1`` adds head sampling at the gateway
(OTEL_TRACES_SAMPLER=parentbased_traceidratio, docs/tracing.md), one trace in ten kept. ``--mode bare`` runs
it as bench/gateway_overhead.py does: uvloop + httptools, no access log, LOG_LEVEL=WARNING, no exporter.

A third process sends an authenticated GET at a fixed rate (open loop: requests start on schedule whatever the
answers do), ``--rounds`` times for ``--duration`` seconds. The CPU of each server is read from /proc/<pid>/stat
(utime + stime) before and after each round; the figure is the delta over the requests answered (errors included: a
timeout costs CPU too; they are counted and printed). The gateway's idle CPU over the same time (no requests) is
measured first and printed beside it, so background work (the span exporter's thread, timers) can be told from
the work per request.

A baseline in the same session: ``git archive <commit> services/gateway/src | tar -x -C /tmp/base`` and
``--gateway-src /tmp/base/services/gateway/src`` runs that commit's gateway (first on its PYTHONPATH).

Target (issue 20): the gateway costs 0.5 ms of CPU or less per proxied request.

Internal command (the load process): `load URL TOKEN --rate R --duration D`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from gateway_overhead import (
    PING_PATH,
    ROOT,
    _free_port,
    _percentile,
    _run_in_uvloop,
    _uvicorn,
    _wait_ready,
    signed_token_and_jwk,
    timed_get,
)

TARGET_MS = 0.5
_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` from /proc/<pid>/stat, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # fields 14 and 15 of the whole line


# ------------------------------------------------------------------------------------ open-loop load


async def open_loop(url: str, token: str, rate: float, duration: float) -> dict[str, Any]:
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=256, limit_per_host=0)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(scheduled: float) -> None:
            nonlocal errors
            latency = await timed_get(session, url, headers, scheduled)
            if latency is None:
                errors += 1
            else:
                latencies.append(latency)

        loop = asyncio.get_running_loop()
        tasks: list[asyncio.Task[None]] = []
        start = time.perf_counter()
        total = int(rate * duration)
        for index in range(total):
            scheduled = start + index / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(loop.create_task(one(scheduled)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "sent": total,
        "ok": len(latencies),
        "errors": errors,
        "elapsed": elapsed,
        "p50_ms": _percentile(latencies, 0.5) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
    }


def _load(url: str, token: str, rate: float, duration: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "load", url, token, "--rate", str(rate), "--duration", str(duration)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(output.stdout)


# ------------------------------------------------------------------------------------ the gateway's process


def _start_gateway(mode: str, port: int, env: dict[str, str], log: Path, source: str | None) -> subprocess.Popen[bytes]:
    if source:  # another version of the gateway's package, e.g. the baseline's (see the docstring)
        env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))}
    if mode == "bare":
        return _uvicorn("wellflow_gateway.bootstrap:create_app", port, {**env, "LOG_LEVEL": "WARNING"})
    from wellflow_devstack.discovery import ServiceSpec
    from wellflow_devstack.stack import ServiceProcess

    spec = ServiceSpec(name="gateway", app="wellflow_gateway.bootstrap:create_app", port=port, directory=ROOT)
    command = ServiceProcess(spec, env, log).command()
    env = {key: value for key, value in env.items() if key not in ("LOG_LEVEL", "LOG_FORMAT")}
    with open(log, "ab") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def main(args: argparse.Namespace) -> int:
    token, jwk = signed_token_and_jwk()
    upstream_port, gateway_port = _free_port(), _free_port()
    upstream, gateway = f"http://127.0.0.1:{upstream_port}", f"http://127.0.0.1:{gateway_port}"
    base_env = {
        **os.environ,
        "JWKS_URL": f"{upstream}/.well-known/jwks.json",
        "JWT_ISSUER": "wellflow-identity",
        "JWT_AUDIENCE": "wellflow",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    upstream_env = {**base_env, "BENCH_JWKS": json.dumps({"keys": [jwk]})}
    gateway_env = {
        **base_env,
        "WELLFLOW_SERVICE_URLS": json.dumps({"identity": upstream, "wells": upstream, "gateway": gateway}),
        "GATEWAY_RATE_LIMIT_PRINCIPAL_PER_SECOND": "1000000",
        "GATEWAY_RATE_LIMIT_PRINCIPAL_BURST": "1000000",
    }
    receiver = None
    with tempfile.TemporaryDirectory() as folder:
        if args.mode == "devstack":
            from wellflow_devstack.trace_receiver import OtlpReceiver
            from wellflow_devstack.trace_store import TraceStore

            receiver = OtlpReceiver(TraceStore(Path(folder) / "traces.sqlite"))
            receiver.start()
            gateway_env["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.url
            gateway_env["OTEL_BSP_SCHEDULE_DELAY"] = "500"
            if args.sample is not None:  # head sampling at the gateway, as docs/tracing.md describes it
                gateway_env["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio"
                gateway_env["OTEL_TRACES_SAMPLER_ARG"] = str(args.sample)
        processes = [_uvicorn("gateway_overhead:create_upstream_app", upstream_port, upstream_env, ROOT / "bench")]
        try:
            _wait_ready(upstream, processes[0], timeout=120)
            processes.append(
                _start_gateway(args.mode, gateway_port, gateway_env, Path(folder) / "gateway.log", args.gateway_src)
            )
            _wait_ready(gateway, processes[1], timeout=120)
            return _measure(args, processes, gateway, token, receiver)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
            if receiver is not None:
                receiver.stop()
                receiver.store.close()


def _measure(
    args: argparse.Namespace, processes: list[subprocess.Popen[bytes]], gateway: str, token: str, receiver: Any
) -> int:
    upstream_pid, gateway_pid = processes[0].pid, processes[1].pid
    print(
        f"gateway CPU per proxied request: GET {PING_PATH} with an EdDSA bearer token at {args.rate:g}/s, open loop, "
        f"{args.rounds} x {args.duration:g} s; gateway as {args.mode!r}"
        f"{f', traces sampled {args.sample:g}' if args.sample is not None else ''}; {os.cpu_count()} CPUs"
    )
    print(f"  pids (for py-spy record --pid): gateway {gateway_pid}, upstream {upstream_pid}", flush=True)
    _load(gateway + PING_PATH, token, args.rate, 2)  # warm up: connections, JWKS, caches
    time.sleep(1)
    idle_before = cpu_seconds(gateway_pid)
    time.sleep(args.idle)
    idle_per_second = (cpu_seconds(gateway_pid) - idle_before) / args.idle
    spans_before = receiver.received if receiver is not None else 0
    totals = {"ok": 0, "errors": 0, "gateway": 0.0, "upstream": 0.0, "elapsed": 0.0}
    for round_number in range(1, args.rounds + 1):
        before = cpu_seconds(gateway_pid), cpu_seconds(upstream_pid)
        result = _load(gateway + PING_PATH, token, args.rate, args.duration)
        after = cpu_seconds(gateway_pid), cpu_seconds(upstream_pid)
        answered = max(1, result["ok"] + result["errors"])  # an error answer costs CPU too
        gateway_ms = (after[0] - before[0]) / answered * 1000
        upstream_ms = (after[1] - before[1]) / answered * 1000
        print(
            f"  round {round_number}: {result['ok']} ok, {result['errors']} errors, p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms; CPU per request: gateway {gateway_ms:.3f} ms, "
            f"upstream {upstream_ms:.3f} ms"
        )
        totals["ok"] += result["ok"]
        totals["errors"] += result["errors"]
        totals["gateway"] += after[0] - before[0]
        totals["upstream"] += after[1] - before[1]
        totals["elapsed"] += result["elapsed"]
    requests = max(1, int(totals["ok"] + totals["errors"]))
    gateway_ms = totals["gateway"] / requests * 1000
    idle_ms = idle_per_second * totals["elapsed"] / requests * 1000
    print(
        f"  gateway: {gateway_ms:.3f} ms CPU per proxied request (of which idle background {idle_ms:.3f} ms: "
        f"{idle_per_second * 1000:.1f} ms/s at rest); upstream: {totals['upstream'] / requests * 1000:.3f} ms"
    )
    if receiver is not None:
        print(f"  spans exported to the OTLP receiver during the rounds: {receiver.received - spans_before}")
    verdict = "met" if gateway_ms <= TARGET_MS else "NOT met"
    print(f"  target <= {TARGET_MS} ms per proxied request: {verdict}")
    return 0


def _command_line() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    sub = parser.add_subparsers(dest="command")
    load = sub.add_parser("load")
    load.add_argument("url")
    load.add_argument("token")
    load.add_argument("--rate", type=float, default=200.0)
    load.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second (open loop)")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle CPU measured first")
    parser.add_argument("--mode", choices=("devstack", "bare"), default="devstack")
    parser.add_argument(
        "--sample", type=float, help="devstack mode: keep this fraction of traces (OTEL_TRACES_SAMPLER at the gateway)"
    )
    parser.add_argument("--gateway-src", help="a folder holding another wellflow_gateway package to run instead")
    args = parser.parse_args()
    if args.command == "load":
        print(json.dumps(_run_in_uvloop(open_loop(args.url, args.token, args.rate, args.duration))))
        return 0
    return main(args)


if __name__ == "__main__":
    raise SystemExit(_command_line())
