"""Open-loop capacity of the whole stack, and the CPU each kind of request costs it.

    python bench/capacity.py [--rates 25,50,100,200,300,400] [--seconds 30] [--cpu-seconds 10] [--workers 2]
    python bench/capacity.py --no-cpu-table            # the rates only
    python bench/capacity.py --rates '' --cpu-table    # the CPU table only
    python bench/capacity.py --rates '' --no-cpu-table --profile 20 --profile-rate 60 --profile-dir DIR

Starts `wellflow up` in a temporary home (embedded PostgreSQL and NATS on free ports, every service as its own
process; the services' own ports must be free, so stop a running `make up` first) and seeds 8 operators through
the gateway, each with 4 leases, 8 wells and 6 manager users (the gateway limits every principal to 50 requests
a second, burst 100: at 400/s each member of each operator sends about 8/s).

Rates (open loop): for each rate, requests are scheduled at fixed intervals (``--poisson``: Poisson arrivals,
seeded) for ``--seconds`` whatever the answers do, and latency is counted from the scheduled moment, not from
the moment the request left, so a queue anywhere (the generator's included) shows. Mix: 30% reading submissions
(a new reading id, a well's next day, forward from 400 days ago; ``--backward``: the next earlier day), 70%
reads spread evenly over the wells list, a lease's monthly series, a well's readings and the Form PR draft;
round robin over the operators and their members.
Per rate it prints sent, the rate achieved, errors by status (non-2xx, timeouts after ``--timeout``), p50, p90,
p99 and max, the event lag from production's commit to compliance's consumer of that rate's
``production.lease_month_updated.v1`` events (outbox ``created_at`` to inbox ``processed_at``), and the load
generator's own CPU (it runs in ``--workers`` processes of its own; its dispatch delay p99 says whether it kept
the schedule). After a rate it waits for the stack to go idle. A rate whose p99 exceeds ``--stop-p99`` ms or
whose errors exceed 20% ends the climb (``--all-rates`` climbs anyway).

CPU table: each kind of request alone at ``--cpu-rate`` (30/s) for ``--cpu-seconds``, the stack's CPU from
``/proc/<pid>/stat`` (utime+stime, and cutime+cstime for children that exited, PostgreSQL's backends and
autovacuum workers) before and after, over the whole process tree: the supervisor and the services it started,
the postmaster and its backends, nats-server. Per request, idle background included, and split per component;
the idle CPU over the same interval is measured once and printed too, as is the generator's own CPU.

Profile (``--profile S``): the mix at ``--profile-rate`` per second while py-spy (a dev dependency)
records the gateway, production, compliance and wells for S seconds (``--format raw --gil``: only samples that
hold the GIL, so a thread waiting in the event loop's poll or on a lock is not counted), then the top self-time
functions and the packages the time is spent in (self) and under (inclusive), per process.

Targets (issue 20): p99 <= 200 ms up to at least 400 requests a second with 0 errors and an event lag p99
under 1 s; a read 2.5 ms of stack CPU or less, recording a reading 10 ms or less, the gateway 0.5 ms or less.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import aiohttp
from _stack import Organization, Stack, add_members, event_lags, seed, sign_in

from _common import percentile

READS = ("read: wells list", "read: lease monthly series", "read: well readings", "read: Form PR draft")
WRITE = "record a reading"
FORWARD_FROM_DAYS_AGO = 400  # a well's first reading of the run; the default run records fewer than 200 a well
CPU_KINDS = (*READS, "read: /api/v1/me", WRITE)
COMPONENTS = (
    "gateway",
    "identity",
    "wells",
    "production",
    "compliance",
    "accounting",
    "other services",
    "supervisor",
    "PostgreSQL",
    "NATS",
)
CLK_TCK = os.sysconf("SC_CLK_TCK")

# one request: (kind, offset in s from the phase's start, method, path, json body or None, token)
Request = tuple[str, float, str, str, "dict[str, str] | None", str]
# one answer: (kind, ms from the scheduled moment to the answer, ms from the scheduled moment to sending, status)
Answer = tuple[str, float, float, "int | str"]


# ------------------------------------------------------------------------------------------------ the generator


def generate(
    args: argparse.Namespace, url: str, requests: list[Request], start_at: float
) -> tuple[list[Answer], float]:
    """A worker process's share of a phase (run in the process pool): its answers and its own CPU seconds."""
    import uvloop

    cpu = time.process_time()
    answers = uvloop.run(_drive(url, requests, start_at, args.timeout))
    return answers, time.process_time() - cpu


async def _drive(url: str, requests: list[Request], start_at: float, timeout: float) -> list[Answer]:
    answers: list[Answer] = []
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)) as session:

        async def one(request: Request) -> None:
            kind, offset, method, path, body, token = request
            scheduled = start_at + offset
            sent = time.monotonic()
            status: int | str
            try:
                async with session.request(
                    method, url + path, json=body, headers={"Authorization": f"Bearer {token}"}
                ) as response:
                    await response.read()
                    status = response.status
            except TimeoutError:
                status = "timeout"
            except aiohttp.ClientError as exc:
                status = type(exc).__name__
            answers.append((kind, (time.monotonic() - scheduled) * 1000, (sent - scheduled) * 1000, status))

        tasks = []
        for request in requests:
            delay = start_at + request[1] - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(request)))
        await asyncio.gather(*tasks)
    return answers


@dataclass
class Load:
    """Builds the requests of a phase: round robin over the operators and their members, each well's readings on
    its next day (kept across phases): forward from 400 days ago, as a pumper records day after day, or with
    ``backward`` the next earlier day from yesterday (the first baseline's order; every new earlier month then
    makes compliance regenerate the later ones, which a real pumper's readings never do)."""

    orgs: list[Organization]
    rng: random.Random
    backward: bool = False

    def __post_init__(self) -> None:
        self.next_day: dict[str, int] = defaultdict(int)
        self.n = 0
        yesterday = date.today() - timedelta(days=1)
        self.yesterday = yesterday
        month = yesterday.replace(day=1)
        self.series = f"?from={(month - timedelta(days=365)).isoformat()}&to={month.isoformat()}"

    def request(self, kind: str, offset: float) -> Request:
        org = self.orgs[self.n % len(self.orgs)]
        token = org.members[(self.n // len(self.orgs)) % len(org.members)]
        self.n += 1
        well = self.rng.choice(org.wells)
        if kind == WRITE:
            step = self.next_day[well["well_id"]]
            day = self.yesterday - timedelta(days=step if self.backward else FORWARD_FROM_DAYS_AGO - step)
            self.next_day[well["well_id"]] += 1
            body = {
                "reading_id": str(uuid4()),
                "well_id": well["well_id"],
                "production_date": day.isoformat(),
                "oil_bbl": str(20 + day.day % 17),
                "gas_mcf": "35.5",
                "water_bbl": "6",
                "hours_on": "24",
            }
            return (kind, offset, "POST", "/api/v1/readings", body, token)
        path = {
            "read: wells list": "/api/v1/wells?limit=50",
            "read: lease monthly series": f"/api/v1/production/leases/{well['lease_id']}/monthly{self.series}",
            "read: well readings": f"/api/v1/readings?well_id={well['well_id']}&limit=30",
            "read: Form PR draft": "/api/v1/form-pr",
            "read: /api/v1/me": "/api/v1/me",
        }[kind]
        return (kind, offset, "GET", path, None, token)

    def phase(self, rate: float, seconds: float, kind: str | None, poisson: bool, write_share: float) -> list[Request]:
        """``kind`` alone, or the mix."""
        offsets: list[float] = []
        if poisson:
            t = self.rng.expovariate(rate)
            while t < seconds:
                offsets.append(t)
                t += self.rng.expovariate(rate)
        else:
            offsets = [i / rate for i in range(int(rate * seconds))]
        requests = []
        for offset in offsets:
            chosen = kind or (WRITE if self.rng.random() < write_share else self.rng.choice(READS))
            requests.append(self.request(chosen, offset))
        return requests


# -------------------------------------------------------------------------------------------- the stack's CPU


class StackCpu:
    """CPU ticks of every process of the stack, per component, from /proc."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self._components: dict[tuple[int, str], str] = {}

    @staticmethod
    def _stat(pid: str) -> list[str] | None:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                text = handle.read()
        except OSError:
            return None
        return text.rsplit(")", 1)[1].split()

    def _component(self, pid: int, start: str) -> str:
        key = (pid, start)
        if key not in self._components:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                cmdline = ""
            found = "other services"
            if "nats-server" in cmdline:
                found = "NATS"
            elif "postgres" in cmdline.split(" ", 1)[0] or cmdline.startswith("postgres:"):
                found = "PostgreSQL"
            elif "wellflow_devstack" in cmdline:
                found = "supervisor"
            else:
                for name in COMPONENTS[:6]:
                    if f"wellflow_{name}" in cmdline:
                        found = name
                        break
            self._components[key] = found
        return self._components[key]

    def snapshot(self) -> dict[str, float]:
        """CPU seconds so far per component (utime+stime, plus cutime+cstime of children reaped)."""
        stats: dict[int, list[str]] = {}
        children: dict[int, list[int]] = defaultdict(list)
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                fields = self._stat(entry)
                if fields is not None:
                    stats[int(entry)] = fields
                    children[int(fields[1])].append(int(entry))
        seen: set[int] = set()
        todo = [pid for pid in self.roots.values() if pid in stats]
        totals: dict[str, float] = dict.fromkeys(COMPONENTS, 0.0)
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            fields = stats[pid]
            ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
            totals[self._component(pid, fields[19])] += ticks / CLK_TCK
            todo.extend(children.get(pid, ()))
        return totals


def diff(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before[name] for name in COMPONENTS}


async def wait_idle(cpu: StackCpu, cores: float = 0.25, longest: float = 60) -> float:
    """Until the stack uses less than ``cores`` over a second (or ``longest`` s); the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < longest:
        before = cpu.snapshot()
        await asyncio.sleep(1)
        if sum(diff(cpu.snapshot(), before).values()) < cores:
            break
    return time.monotonic() - started


# -------------------------------------------------------------------------------------------------- the phases


class Bench:
    def __init__(self, args: argparse.Namespace, stack: Stack, orgs: list[Organization]) -> None:
        self.args = args
        self.stack = stack
        self.orgs = orgs
        self.load = Load(orgs, random.Random(args.seed), backward=args.backward)
        self.cpu = StackCpu(stack.root_pids())
        self.pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=args.workers, mp_context=multiprocessing.get_context("spawn")
        )
        self.signed_in = time.monotonic()

    async def renew_tokens(self, session: aiohttp.ClientSession) -> None:
        """Access tokens live 15 minutes: sign everyone in again after 10."""
        if time.monotonic() - self.signed_in < 600:
            return
        for org in self.orgs:
            org.members[:] = [await sign_in(session, self.stack.url, email) for email in org.emails]
        self.signed_in = time.monotonic()

    async def run_phase(self, requests: list[Request]) -> tuple[list[Answer], float, float]:
        """Sends ``requests`` from the worker processes; answers, generator CPU s, wall s until the last answer."""
        workers = self.args.workers
        loop = asyncio.get_running_loop()
        start_at = time.monotonic() + 1.0  # the workers are told when to begin; spawn costs are paid before
        futures = [
            loop.run_in_executor(self.pool, generate, self.args, self.stack.url, requests[i::workers], start_at)
            for i in range(workers)
        ]
        parts = await asyncio.gather(*futures)
        wall = time.monotonic() - start_at
        answers = [answer for part, _ in parts for answer in part]
        return answers, sum(cpu for _, cpu in parts), wall

    async def warm_pool(self) -> None:
        """Spawn the worker processes (and import aiohttp there) before anything is timed."""
        await self.run_phase(self.load.phase(2, 1, "read: /api/v1/me", False, 0))

    async def rates(self, session: aiohttp.ClientSession) -> None:
        args = self.args
        print(
            f"open loop, {'Poisson' if args.poisson else 'fixed-interval'} arrivals, {args.seconds:.0f} s per rate,"
            f" {len(self.orgs)} operators x {len(self.orgs[0].members)} members, write share {args.write_share:.0%},"
            f" generator in {args.workers} processes, timeout {args.timeout:.0f} s"
        )
        header = (
            f"  {'rate':>5} {'sent':>6} {'sent/s':>7} {'2xx/s':>7} {'errors':>7} {'p50':>8} {'p90':>8} {'p99':>8}"
            f" {'max':>8}  {'lag p50':>8} {'lag p99':>8} {'events':>7}  {'gen CPU':>7} {'gen p99':>8}"
        )
        print(header)
        rows = []
        for rate in args.rates:
            await self.renew_tokens(session)
            requests = self.load.phase(rate, args.seconds, None, args.poisson, args.write_share)
            since = time.time() + 1.0
            cpu_before = self.cpu.snapshot()
            answers, gen_cpu, wall = await self.run_phase(requests)
            cores = {name: spent / wall for name, spent in diff(self.cpu.snapshot(), cpu_before).items()}
            await wait_idle(self.cpu)
            lags = [lag for created, lag in await event_lags(self.stack.admin_url(), since)]
            handled = sorted(lag for lag in lags if lag is not None)
            times = [latency for _, latency, _, _ in answers]
            delays = [delay for _, _, delay, _ in answers]
            errors = Counter(
                str(status) for _, _, _, status in answers if not (isinstance(status, int) and status < 300)
            )
            ok = len(answers) - sum(errors.values())
            sent_rate = len(requests) / max(requests[-1][1], 1e-9) if requests else 0
            lag_text = (
                f"{percentile(handled, 0.5):6.0f}ms {percentile(handled, 0.99):6.0f}ms"
                if handled
                else f"{'-':>8} {'-':>8}"
            )
            unhandled = f"+{len(lags) - len(handled)}" if len(lags) > len(handled) else ""
            row = (
                f"  {rate:>5g} {len(answers):>6} {sent_rate:>7.1f} {ok / wall:>7.1f} {sum(errors.values()):>7}"
                f" {percentile(times, 0.5):>6.0f}ms {percentile(times, 0.9):>6.0f}ms {percentile(times, 0.99):>6.0f}ms"
                f" {max(times):>6.0f}ms  {lag_text} {len(handled):>5}{unhandled:<2}"
                f" {gen_cpu / args.seconds:>6.0%} {percentile(delays, 0.99):>6.0f}ms"
            )
            print(row, flush=True)
            by_kind = defaultdict(list)
            for kind, latency, _, _ in answers:
                by_kind[kind].append(latency)
            print(
                "        p99 by kind: "
                + ", ".join(
                    f"{kind.removeprefix('read: ')} {percentile(v, 0.99):.0f}" for kind, v in sorted(by_kind.items())
                ),
                flush=True,
            )
            busiest = sorted(cores.items(), key=lambda item: -item[1])[:6]
            print(
                f"        stack CPU {sum(cores.values()):.2f} cores ("
                + ", ".join(f"{name} {used:.2f}" for name, used in busiest)
                + f"); load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            if ok:
                per_request = sum(cores.values()) * wall / ok * 1000
                generator = gen_cpu / len(answers) * 1000
                print(
                    f"        stack CPU per answer {per_request:.1f} ms (+{generator:.1f} ms the generator's):"
                    f" {os.cpu_count()} free cores would answer at most"
                    f" {(os.cpu_count() or 1) * 1000 / (per_request + generator):.0f}/s",
                    flush=True,
                )
            if errors:
                print(f"        errors by status: {dict(errors.most_common())}", flush=True)
            rows.append(row)
            p99 = percentile(times, 0.99)
            if not args.all_rates and (p99 > args.stop_p99 or sum(errors.values()) > 0.2 * len(answers)):
                rest = [f"{r:g}" for r in args.rates[args.rates.index(rate) + 1 :]]
                if rest:
                    print(f"  saturated at {rate:g}/s (p99 {p99:.0f} ms): {', '.join(rest)} not run (--all-rates)")
                break
        print(
            "  latency from the scheduled moment; lag: production commit -> compliance consumer (+n: not handled);"
            " gen CPU: the generator's processes, share of one core; gen p99: its dispatch delay p99"
        )
        print("  targets: p99 <= 200 ms at >= 400/s, errors 0, lag p99 < 1 s")

    async def cpu_table(self, session: aiohttp.ClientSession) -> None:
        args = self.args
        await wait_idle(self.cpu)
        window = args.cpu_seconds + args.cpu_tail + 1.0
        before = self.cpu.snapshot()
        await asyncio.sleep(window)
        idle = diff(self.cpu.snapshot(), before)
        idle_rate = sum(idle.values()) / window
        short = {"other services": "other", "supervisor": "superv", "PostgreSQL": "PG", "accounting": "account"}
        names = [short.get(name, name) for name in COMPONENTS]
        print(
            f"\nstack CPU per request, each kind alone at {args.cpu_rate:g}/s for {args.cpu_seconds:.0f} s"
            f" (+{args.cpu_tail:.0f} s for what it triggers), ms of CPU per request, idle background included"
        )
        print(f"  {'request':27s} {'n':>4} {'stack':>6} {'-idle':>6} " + " ".join(f"{n:>7}" for n in names) + "  gen")
        for kind in CPU_KINDS:
            await self.renew_tokens(session)
            await wait_idle(self.cpu)
            requests = self.load.phase(args.cpu_rate, args.cpu_seconds, kind, False, 0)
            before = self.cpu.snapshot()
            started = time.monotonic()
            answers, gen_cpu, _ = await self.run_phase(requests)
            await asyncio.sleep(max(0.0, started + window - time.monotonic()))
            await wait_idle(self.cpu)  # what a reading triggers downstream may run later than the window
            spent = diff(self.cpu.snapshot(), before)
            wall = time.monotonic() - started
            n = len(answers)
            bad = sum(1 for _, _, _, status in answers if not (isinstance(status, int) and status < 300))
            total = sum(spent.values())
            print(
                f"  {kind:27s} {n:>4} {total * 1000 / n:>6.1f} {(total - idle_rate * wall) * 1000 / n:>6.1f} "
                + " ".join(f"{spent[name] * 1000 / n:>7.1f}" for name in COMPONENTS)
                + f"  {gen_cpu * 1000 / n:.1f}"
                + (f"  ({bad} errors)" if bad else ""),
                flush=True,
            )
        print(
            f"  idle: the stack used {idle_rate * 1000:.0f} ms of CPU per second doing nothing over {window:.0f} s ("
            + ", ".join(
                f"{short.get(name, name)} {idle[name] * 1000 / window:.0f}" for name in COMPONENTS if idle[name]
            )
            + "); -idle: per request without it; gen: the load generator's own CPU per request"
        )
        print("  targets: a read <= 2.5 ms, recording a reading <= 10 ms with what it triggers, the gateway <= 0.5 ms")

    async def profile(self, session: aiohttp.ClientSession) -> None:
        args = self.args
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        if not Path(py_spy).exists():
            raise SystemExit("--profile needs py-spy (a dev dependency): make install")
        out = Path(args.profile_dir)
        out.mkdir(parents=True, exist_ok=True)
        services = self.stack.state()["services"]
        await self.renew_tokens(session)
        requests = self.load.phase(args.profile_rate, args.profile + 4, None, args.poisson, args.write_share)
        phase = asyncio.ensure_future(self.run_phase(requests))
        await asyncio.sleep(3)  # the load settles
        recorders = {
            name: subprocess.Popen(
                [
                    *(
                        py_spy,
                        "record",
                        "--format",
                        "raw",
                        "--gil",
                        "--full-filenames",
                        "-d",
                        str(int(args.profile)),
                    ),
                    *("--pid", str(services[name]["pid"]), "-o", str(out / f"{name}.txt")),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for name in ("gateway", "production", "compliance", "wells")
        }
        for recorder in recorders.values():
            await asyncio.to_thread(recorder.wait)
        answers, _, _ = await phase
        times = [latency for _, latency, _, _ in answers]
        print(
            f"\nprofile: the mix at {args.profile_rate:g}/s, p50 {percentile(times, 0.5):.0f} ms,"
            f" p99 {percentile(times, 0.99):.0f} ms; py-spy raw stacks in {out}"
        )
        for name in recorders:
            summarize(out / f"{name}.txt", name, args.profile)


def _package(frame: str) -> str:
    """``func (path/to/module.py:12)`` -> the package the module belongs to, e.g. ``sqlalchemy``."""
    path = frame.rsplit("(", 1)[-1].split(":", 1)[0]
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    for marker in ("/src/", "/lib/python3", "python3.11/"):
        if marker in path:
            rest = path.split(marker, 1)[1]
            if marker != "/src/":
                rest = rest.split("/", 1)[-1] if marker == "/lib/python3" else rest
                return "stdlib:" + rest.split("/", 1)[0].removesuffix(".py")
            return rest.split("/", 1)[0]
    return path or frame


def _short(frame: str) -> str:
    """``func (/long/path/site-packages/pkg/mod.py:12)`` -> ``func (pkg/mod.py)``: one line per function."""
    func, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0]
    for marker in ("site-packages/", "/src/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{func} ({path})"


def summarize(path: Path, name: str, seconds: float, top: int = 12) -> None:
    """Top self-time frames and the packages time is spent under (inclusive), from py-spy's collapsed stacks."""
    if not path.exists():
        print(f"  {name}: no profile ({path} missing)")
        return
    self_time: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    self_package: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [frame for frame in stack.split(";") if not frame.startswith(("process ", "thread "))]
        if frames:
            self_time[_short(frames[-1])] += count
            self_package[_package(frames[-1])] += count
        for package in {_package(frame) for frame in frames}:
            inclusive[package] += count
    if not total:
        print(f"  {name}: no samples")
        return
    print(f"\n  {name}: {total} samples holding the GIL ({total / seconds / 100:.0%} of a core); top self time")
    for frame, count in self_time.most_common(top):
        print(f"    {count / total:6.1%}  {frame[:150]}")
    print(f"  {name}: per package, self time and on the stack (inclusive)")
    for package, count in self_package.most_common(top):
        print(f"    {count / total:6.1%} {inclusive[package] / total:6.1%}  {package}")
    rest = [item for item in inclusive.most_common(top + 8) if item[0] not in dict(self_package.most_common(top))]
    print("    on the stack only: " + ", ".join(f"{package} {count / total:.0%}" for package, count in rest))


async def run(args: argparse.Namespace) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit.stdout.strip() or '?'}")
    load_before = os.getloadavg()
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in load_before)}, {os.cpu_count()} cores")
    task = asyncio.current_task()
    for sig in (signal.SIGINT, signal.SIGTERM):  # the stack is stopped on either (even when run in the background)
        asyncio.get_running_loop().add_signal_handler(sig, task.cancel if task else sys.exit)
    stack = Stack()
    stack.start()
    bench: Bench | None = None
    try:
        started = time.monotonic()
        await stack.wait_up()
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
            orgs = list(
                await asyncio.gather(
                    *(seed(session, stack.url, args.wells, args.leases, number=n) for n in range(args.orgs))
                )
            )
            for org in orgs:
                await add_members(session, stack.url, org, args.members, stack.mailbox)
            print(f"stack up and seeded in {time.monotonic() - started:.0f} s", flush=True)
            bench = Bench(args, stack, orgs)
            await bench.warm_pool()
            if args.rates:
                await bench.rates(session)
            if args.cpu_table:
                await bench.cpu_table(session)
            if args.profile:
                await bench.profile(session)
    finally:
        if bench is not None:
            bench.pool.shutdown()
        stack.stop()
    load_after = os.getloadavg()
    print(f"load average after the run: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="25,50,100,200,300,400", help="requests/s, comma separated ('' for none)")
    parser.add_argument("--seconds", type=float, default=30, help="seconds per rate")
    parser.add_argument("--write-share", type=float, default=0.3)
    parser.add_argument("--poisson", action="store_true", help="Poisson arrivals instead of fixed intervals")
    parser.add_argument("--backward", action="store_true", help="each well's readings on earlier and earlier days")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=15, help="seconds before a request is an error")
    parser.add_argument("--stop-p99", type=float, default=5000, help="ms: a rate with a higher p99 ends the climb")
    parser.add_argument("--all-rates", action="store_true", help="run every rate even past saturation")
    parser.add_argument("--workers", type=int, default=2, help="processes of the load generator")
    parser.add_argument("--orgs", type=int, default=8)
    parser.add_argument("--leases", type=int, default=4, help="per operator")
    parser.add_argument("--wells", type=int, default=8, help="per operator")
    parser.add_argument("--members", type=int, default=6, help="manager users per operator")
    parser.add_argument("--cpu-table", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--cpu-rate", type=float, default=30)
    parser.add_argument("--cpu-seconds", type=float, default=10)
    parser.add_argument(
        "--cpu-tail", type=float, default=3, help="seconds after the last request still counted (then until idle)"
    )
    parser.add_argument("--profile", type=float, default=0, help="seconds of py-spy under the mix (0: none)")
    parser.add_argument("--profile-rate", type=float, default=60)
    parser.add_argument("--profile-dir", default="capacity-profile")
    args = parser.parse_args()
    args.rates = [float(rate) for rate in args.rates.split(",") if rate.strip()]
    if args.profile:
        args.profile_dir = str(Path(args.profile_dir).absolute())
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
