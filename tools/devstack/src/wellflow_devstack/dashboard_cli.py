"""``wellflow dashboard [overview|<service>]``: a Grafana dashboard's panels as text, from a running stack.

wellflow dashboard --prometheus http://host:9090    asks that Prometheus server (its scrape interval is
                                                     --scrape-interval, 15 s by default)
wellflow dashboard                                   runs the `prometheus` binary on the PATH (or
                                                     $WELLFLOW_PROMETHEUS) for the dev stack: one job per
                                                     service, named after it, the rules of
                                                     deploy/observability/prometheus/rules loaded, a scrape
                                                     every 2 s; waits for --scrapes scrapes, asks, stops
                                                     it (panels' ranges, e.g. rate(...[5m]), are cut to
                                                     the time it scraped)

The data of the local Prometheus lives in a temporary folder under the stack's home and is removed after.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import httpx

from .dashboard_text import PrometheusError, available, dashboard_file, http_fetch, load, render
from .discovery import discover_services
from .stack import StackConfig, read_state

RULES = Path("deploy/observability/prometheus/rules")
LOCAL_SCRAPE_S = 2.0


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("dashboard", help="print a Grafana dashboard's panels as text, from Prometheus")
    parser.add_argument("name", nargs="?", default="overview", help="overview (default) or a service's name")
    parser.add_argument("--prometheus", metavar="URL", help="a Prometheus server to ask, e.g. http://127.0.0.1:9090")
    parser.add_argument(
        "--scrape-interval", type=float, default=15.0, metavar="S", help="that server's scrape interval (15)"
    )
    parser.add_argument("--scrapes", type=int, default=3, help="scrapes the local Prometheus waits for (3)")


def prometheus_binary() -> str | None:
    return os.environ.get("WELLFLOW_PROMETHEUS") or shutil.which("prometheus")


def stack_targets(config: StackConfig) -> dict[str, str]:
    """``job -> host:port`` of every service: where state.json says it runs, else its declared port."""
    running = read_state(config).get("services") or {}
    targets = {}
    for spec in discover_services(config.root):
        url = (running.get(spec.name) or {}).get("url") or f"http://127.0.0.1:{spec.port}"
        targets[spec.name] = httpx.URL(url).netloc.decode()
    return targets


def scrape_config(targets: Mapping[str, str], rule_files: list[Path], interval_s: float) -> str:
    """Prometheus's configuration, as JSON (a YAML document too, which is what Prometheus reads)."""
    every = f"{interval_s:g}s"
    config = {
        "global": {"scrape_interval": every, "evaluation_interval": every, "scrape_timeout": every},
        "rule_files": [str(path) for path in rule_files],
        "scrape_configs": [
            {"job_name": job, "static_configs": [{"targets": [target]}]} for job, target in sorted(targets.items())
        ],
    }
    return json.dumps(config, indent=2) + "\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalPrometheus:
    """A Prometheus process scraping ``targets`` into a temporary folder under ``parent``; a context manager."""

    def __init__(
        self, binary: str, parent: Path, targets: Mapping[str, str], rule_files: list[Path], interval_s: float
    ) -> None:
        self.binary, self.targets, self.interval_s = binary, dict(targets), interval_s
        parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix="prometheus-", dir=parent))
        (self.folder / "prometheus.yml").write_text(scrape_config(targets, rule_files, interval_s))
        self.url = f"http://127.0.0.1:{_free_port()}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LocalPrometheus:
        log = (self.folder / "prometheus.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - the prometheus on the PATH, our arguments
            [
                self.binary,
                f"--config.file={self.folder / 'prometheus.yml'}",
                f"--storage.tsdb.path={self.folder / 'data'}",
                f"--web.listen-address={self.url.removeprefix('http://')}",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self) -> str:
        path = self.folder / "prometheus.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-5:]) if path.exists() else ""

    def wait(self, scrapes: int, timeout: float) -> float:
        """Until every job was scraped ``scrapes`` times, then one rule evaluation more; the seconds it has
        been listening (and scraping) since."""
        fetch = http_fetch(self.url, timeout=2)
        wanted = f"min(count_over_time(up[5m])) >= {scrapes} and count(count by (job) (up)) >= {len(self.targets)}"
        listening: float | None = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise PrometheusError(f"prometheus exited with {self.process.returncode}: {self.log_tail()}")
            try:
                answer = fetch("/api/v1/query", {"query": wanted})
                listening = listening or time.monotonic()  # it scrapes from when it listens
                if answer.get("status") == "success" and answer["data"]["result"]:
                    time.sleep(self.interval_s * 1.5)
                    return time.monotonic() - listening
            except PrometheusError:
                pass  # not listening yet
            time.sleep(0.5)
        raise PrometheusError(f"prometheus did not scrape {scrapes} times within {timeout:g} s: {self.log_tail()}")


def run(config: StackConfig, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    path = dashboard_file(config.root, args.name)
    if not path.is_file():
        names = ", ".join(available(config.root)) or "none"
        sys.stderr.write(f"wellflow dashboard: no dashboard {args.name!r} (there are: {names})\n")
        return 2
    board = load(path)
    title = f"WellFlow {args.name} at {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}"
    try:
        if args.prometheus:
            fetch = http_fetch(args.prometheus)
            fetch("/api/v1/status/buildinfo", {})  # fails clearly when nothing answers there
            out.write(render(f"{title}, from {args.prometheus}", fetch, board, args.scrape_interval))
            return 0
        binary = prometheus_binary()
        if binary is None:
            sys.stderr.write(
                "wellflow dashboard: no Prometheus to ask: give --prometheus http://host:9090, or install "
                "prometheus (Debian: apt-get install prometheus) so that a local one is run for the dev stack\n"
            )
            return 2
        if not (read_state(config).get("services") or {}):
            sys.stderr.write("wellflow dashboard: no stack runs here (`wellflow up`); scraping the declared ports\n")
        rules = sorted((config.root / RULES).glob("*.yml"))
        local = LocalPrometheus(binary, config.home / "prometheus", stack_targets(config), rules, LOCAL_SCRAPE_S)
        with local:
            sys.stderr.write(f"wellflow dashboard: {binary} on {local.url}, waiting for {args.scrapes} scrapes\n")
            scraped = local.wait(args.scrapes, timeout=10 + args.scrapes * LOCAL_SCRAPE_S * 3)
            out.write(render(f"{title}, local Prometheus", http_fetch(local.url), board, LOCAL_SCRAPE_S, scraped))
        return 0
    except PrometheusError as exc:
        sys.stderr.write(f"wellflow dashboard: {exc}\n")
        return 1
