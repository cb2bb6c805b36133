"""What the gateway costs: an authenticated GET through the gateway vs the same GET straight to the service.

    .venv/bin/python bench/gateway_overhead.py [--duration 10] [--concurrency 32] [--skip-clients]

Starts, as separate uvicorn processes on uvloop and httptools: a small upstream service (a FastAPI app
built with servicekit's `create_app`, whose route verifies the bearer token like every real service, and
which also serves the JWKS) and the gateway in front of it. A third process generates the load with
aiohttp: `--concurrency` connections for `--duration` seconds, first straight to the service, then
through the gateway, in the same run. Prints requests/s, p50 and p99 of each and the ratios; the targets
(issue 3) are: the gateway keeps >= 60% of direct throughput and adds <= 2 ms at p50.

Then it measures the two candidate proxy clients (httpx.AsyncClient and aiohttp.ClientSession) calling
the same service at 32 and 64 concurrent requests from one event loop: the gateway's upstream hop is
exactly such a client, and the comparison is why it uses aiohttp.

Internal commands (run in the load process): `load URL TOKEN` and `clients URL TOKEN`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import psutil
from fastapi import APIRouter

from wellflow_servicekit.auth import CurrentPrincipal

ROOT = Path(__file__).resolve().parents[1]
ISSUER = "wellflow-identity"
AUDIENCE = "wellflow"
KID = "bench-1"
PING_PATH = "/api/v1/wells/ping"


# ------------------------------------------------------------------------------------ the upstream service


def create_upstream_app():  # type: ignore[no-untyped-def]
    """uvicorn --factory target: a servicekit app with one authenticated route and the JWKS."""
    from wellflow_servicekit.http import create_app
    from wellflow_servicekit.metrics import Metrics
    from wellflow_servicekit.settings import ServiceSettings, load_settings

    settings = load_settings(
        ServiceSettings,
        service_name="wells",
        database_url="postgresql+asyncpg://unused@/unused",  # never connected: no database hooks
        nats_url="nats://127.0.0.1:4222",
        log_level="WARNING",
    )
    jwks = json.loads(os.environ["BENCH_JWKS"])
    router = APIRouter()

    @router.get(PING_PATH)
    async def ping(principal: CurrentPrincipal) -> dict[str, Any]:
        return {"ok": True, "organization_id": str(principal.organization_id), "role": principal.role}

    @router.get("/.well-known/jwks.json")
    async def keys() -> dict[str, Any]:
        return jwks

    return create_app(settings=settings, title="bench upstream", version="1", metrics=Metrics(), routers=[router])


# ------------------------------------------------------------------------------------ load generation


def _percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def _summary(latencies: list[float], errors: int, elapsed: float, raw: bool = False) -> dict[str, Any]:
    latencies.sort()
    extra: dict[str, Any] = {"latencies": latencies, "elapsed": elapsed} if raw else {}
    return {
        **extra,
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": _percentile(latencies, 0.50) * 1000,
        "p99_ms": _percentile(latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


async def timed_get(session: Any, url: str, headers: dict[str, str], since: float) -> float | None:
    """GET ``url`` with an aiohttp ``session`` and read the answer: the seconds from ``since`` (when the request
    was started, or scheduled) to a 200 read whole; None for any other status or a failed connection."""
    import aiohttp

    try:
        async with session.get(url, headers=headers) as response:
            await response.read()
            ok = response.status == 200
    except aiohttp.ClientError:
        return None
    return time.perf_counter() - since if ok else None


async def _load_aiohttp(url: str, token: str, concurrency: int, duration: float, raw: bool = False) -> dict[str, Any]:
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = 0
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                latency = await timed_get(session, url, headers, time.perf_counter())
                if latency is None:
                    errors += 1
                else:
                    latencies.append(latency)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return _summary(latencies, errors, elapsed, raw)


async def _load_httpx(url: str, token: str, concurrency: int, duration: float) -> dict[str, Any]:
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        deadline = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(url, headers=headers)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return _summary(latencies, errors, elapsed)


def _run_in_uvloop(coro: Any) -> Any:
    import uvloop

    return uvloop.run(coro)


# ------------------------------------------------------------------------------------ orchestration


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited with {process.returncode}")
        try:
            if httpx.get(url + "/health/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not become ready")


def _uvicorn(target: str, port: int, env: dict[str, str], app_dir: Path | None = None) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
        "--no-proxy-headers",
    ]
    if app_dir is not None:
        command += ["--app-dir", str(app_dir)]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def _load(kind: str, url: str, token: str, concurrency: int, duration: float, raw: bool = False) -> dict[str, Any]:
    """Run the load generator in its own process (so it does not share a CPU-bound event loop)."""
    command = [sys.executable, __file__, kind, url, token, "--concurrency", str(concurrency)]
    command += ["--duration", str(duration)]
    output = subprocess.run(
        [*command, *(["--raw"] if raw else [])],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(output.stdout)


def _cpu_seconds(process: Any) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _row(name: str, result: dict[str, Any]) -> str:
    return (
        f"  {name:<28} {result['rps']:>9.0f} req/s   p50 {result['p50_ms']:6.2f} ms   "
        f"p99 {result['p99_ms']:7.2f} ms   ({result['requests']} ok, {result['errors']} errors)"
    )


def signed_token_and_jwk() -> tuple[str, dict[str, Any]]:
    """A fresh EdDSA key: a manager's access token (valid for an hour) signed by it, and its public JWK."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from jwt.algorithms import OKPAlgorithm

    key = ed25519.Ed25519PrivateKey.generate()
    jwk = OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwk.update(kid=KID, use="sig", alg="EdDSA")
    now = int(time.time())
    token = jwt.encode(
        {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(uuid4()),
            "org": str(uuid4()),
            "role": "manager",
            "iat": now,
            "exp": now + 3600,
            "jti": uuid4().hex,
        },
        key,
        algorithm="EdDSA",
        headers={"kid": KID, "typ": "at+jwt"},
    )
    return token, jwk


def main(args: argparse.Namespace) -> int:
    token, jwk = signed_token_and_jwk()
    upstream_port, gateway_port = _free_port(), _free_port()
    upstream = f"http://127.0.0.1:{upstream_port}"
    gateway = f"http://127.0.0.1:{gateway_port}"
    base_env = {
        **os.environ,
        "JWKS_URL": f"{upstream}/.well-known/jwks.json",
        "JWT_ISSUER": ISSUER,
        "JWT_AUDIENCE": AUDIENCE,
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
    processes = [_uvicorn("gateway_overhead:create_upstream_app", upstream_port, upstream_env, ROOT / "bench")]
    try:
        _wait_ready(upstream, processes[0])
        processes.append(_uvicorn("wellflow_gateway.bootstrap:create_app", gateway_port, gateway_env))
        _wait_ready(gateway, processes[1])
        print(
            f"gateway overhead: GET {PING_PATH} with an EdDSA bearer token, {args.concurrency} connections, "
            f"{args.duration:g} s each; {os.cpu_count()} CPUs; servers on uvloop + httptools, load from aiohttp "
            "in a separate process"
        )
        for url in (upstream, gateway):  # warm up: connections, JWKS, caches
            _load("load", url + PING_PATH, token, args.concurrency, 2)
        # Alternate short slices (direct, gateway, direct, ...) so that whatever else the machine does
        # falls on both sides alike; figures are pooled over the slices.
        cpu = [psutil.Process(process.pid) for process in processes]
        pooled: dict[str, dict[str, Any]] = {
            kind: {"latencies": [], "errors": 0, "elapsed": 0.0, "service_cpu": 0.0, "gateway_cpu": 0.0}
            for kind in ("direct", "gateway")
        }
        slice_seconds = args.duration / args.rounds
        for _ in range(args.rounds):
            for kind, url in (("direct", upstream), ("gateway", gateway)):
                before = [_cpu_seconds(p) for p in cpu]
                result = _load("load", url + PING_PATH, token, args.concurrency, slice_seconds, raw=True)
                after = [_cpu_seconds(p) for p in cpu]
                bucket = pooled[kind]
                bucket["latencies"].extend(result["latencies"])
                bucket["errors"] += result["errors"]
                bucket["elapsed"] += result["elapsed"]
                bucket["service_cpu"] += after[0] - before[0]
                bucket["gateway_cpu"] += after[1] - before[1]
        direct = _summary(pooled["direct"]["latencies"], pooled["direct"]["errors"], pooled["direct"]["elapsed"])
        through = _summary(pooled["gateway"]["latencies"], pooled["gateway"]["errors"], pooled["gateway"]["elapsed"])
        print(f" {args.rounds} alternating slices of {slice_seconds:g} s each way, pooled:")
        print(_row("direct to the service", direct))
        print(_row("through the gateway", through))
        service_direct = pooled["direct"]["service_cpu"] / max(1, direct["requests"]) * 1e6
        service_through = pooled["gateway"]["service_cpu"] / max(1, through["requests"]) * 1e6
        gateway_cpu = pooled["gateway"]["gateway_cpu"] / max(1, through["requests"]) * 1e6
        ratio = through["rps"] / direct["rps"]
        added = through["p50_ms"] - direct["p50_ms"]
        print(
            f"  throughput kept: {ratio:.0%} (target >= 60%: {'met' if ratio >= 0.6 else 'NOT met'});  "
            f"p50 added: {added:.2f} ms (target <= 2 ms: {'met' if added <= 2 else 'NOT met'});  "
            f"p99 added: {through['p99_ms'] - direct['p99_ms']:.2f} ms"
        )
        print(
            f"  CPU per request: service {service_direct:.0f} us direct / {service_through:.0f} us behind the "
            f"gateway; gateway {gateway_cpu:.0f} us"
        )
        # At 32 connections on a 2-CPU machine the p50 is mostly queueing (Little's law: 32 / throughput);
        # one connection at a time shows what the extra hop itself costs.
        single_direct = _load("load", upstream + PING_PATH, token, 1, 3)
        single_through = _load("load", gateway + PING_PATH, token, 1, 3)
        print(" one connection (no queueing), 3 s each:")
        print(_row("direct to the service", single_direct))
        print(_row("through the gateway", single_through))
        print(f"  latency of the extra hop at p50: {single_through['p50_ms'] - single_direct['p50_ms']:.2f} ms")
        if not args.skip_clients:
            print(f"\nproxy client candidates calling the service directly, {args.client_duration:g} s each:")
            for concurrency in (32, 64):
                results = _load("clients", upstream + PING_PATH, token, concurrency, args.client_duration)
                for name, result in results.items():
                    print(_row(f"{name} @ {concurrency} concurrent", result))
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _command_line() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    sub = parser.add_subparsers(dest="command")
    for name in ("load", "clients"):
        command = sub.add_parser(name)
        command.add_argument("url")
        command.add_argument("token")
        command.add_argument("--concurrency", type=int, default=32)
        command.add_argument("--duration", type=float, default=10.0)
        command.add_argument("--raw", action="store_true")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load each way (direct, gateway)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4, help="alternating direct/gateway slices")
    parser.add_argument("--client-duration", type=float, default=5.0)
    parser.add_argument("--skip-clients", action="store_true", help="skip the httpx vs aiohttp comparison")
    args = parser.parse_args()
    if args.command == "load":
        result = _run_in_uvloop(_load_aiohttp(args.url, args.token, args.concurrency, args.duration, args.raw))
        print(json.dumps(result))
        return 0
    if args.command == "clients":
        results = {
            "httpx.AsyncClient": _run_in_uvloop(_load_httpx(args.url, args.token, args.concurrency, args.duration)),
            "aiohttp.ClientSession": _run_in_uvloop(
                _load_aiohttp(args.url, args.token, args.concurrency, args.duration)
            ),
        }
        print(json.dumps(results))
        return 0
    with tempfile.TemporaryDirectory():
        return main(args)


if __name__ == "__main__":
    raise SystemExit(_command_line())
