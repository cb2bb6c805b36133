"""The demo tenant: an operator a newcomer can explore, loaded by `wellflow up --demo` through the gateway's public
REST API only (exactly what a client could do).

Caprock Energy LLC (RRC operator 618042) runs three leases in Howard County, Texas: two oil leases, each with a
tank battery, and a gas well. It has three years of daily production shaped by decline curves (with downtime, a
few wells shut in and alerts on the last days), run tickets and gauges that keep the tanks in balance, gas
dispositions, royalty, ORRI and working-interest owners with their decks, prices, a finalized revenue run, a JIB,
an AFE in progress and last month's Form PR filed with the RRC portal stand-in. The history is computed first
(``demo_history``); this module sends it through ``demo_client`` (every answer checked, the failing step named),
and ``demo_office`` enters the back office.

Loading is idempotent: when the demo owner can already sign in, nothing is sent again. Events reach the other
services asynchronously, so each step that needs another service's copy polls for it (with a deadline) rather
than sleeping a fixed time.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

import httpx

from . import demo_battery as battery
from . import demo_history as dh
from .demo_assets import register_assets
from .demo_client import POLL_ANSWERS, Api, DemoError, detail, gather_few
from .demo_digest import invitation_token, morning_digest
from .demo_documents import file_documents
from .demo_form_pr import file_form_pr
from .demo_history import COMPANY, OPERATOR_NUMBER, PURCHASER
from .demo_office import load_office
from .demo_profile import fill_profile

PASSWORD = "caprock-demo-2026"  # noqa: S105 - the published demo sign-in
OWNER = ("dana.ruiz@caprock-demo.com", "Dana Ruiz")
PUMPER = ("lee.pumper@caprock-demo.com", "Lee Ortega", "pumper")
ACCOUNTANT = ("jo.books@caprock-demo.com", "Jo Whitaker", "accountant")


@dataclass
class Demo:
    """What was loaded, for the printout and for tests."""

    lines: list[str] = field(default_factory=list)
    already_loaded: bool = False
    lease_ids: dict[str, str] = field(default_factory=dict)
    well_ids: dict[str, str] = field(default_factory=dict)  # api number -> id
    oil_by_lease_month: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    history: dh.History | None = None
    form_pr_period: str | None = None
    form_pr_state: str | None = None
    alerts: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase
    documents: str = ""  # what the lease file holds

    def lap(self, phase: str, since: float) -> float:
        now = time.monotonic()
        self.timings[phase] = round(now - since, 2)
        return now


async def load(urls: dict[str, str]) -> list[str]:
    """`wellflow up --demo` calls this once the stack runs: the lines to print."""
    if "gateway" not in urls:
        return ["--demo: the demo tenant is loaded through the gateway, which is not installed; nothing loaded."]
    async with httpx.AsyncClient(base_url=urls["gateway"], timeout=120) as client:
        try:
            demo = await load_demo(client)
        except DemoError as failure:  # the stack keeps running; say what failed and how to start over
            return [
                f"--demo: the demo tenant could not be loaded: {failure}",
                "the stack still runs; to load the demo again, stop it, delete its data and run `wellflow up --demo`",
            ]
    return demo.lines


# long: the demo's phases in the order they must run, each timed; split, the order would be spread over files
async def load_demo(
    client: httpx.AsyncClient, *, wells: int = 25, days: int = 3 * 365, today: date | None = None
) -> Demo:
    """Load the demo tenant through the gateway ``client``; ``wells`` and ``days`` size it (a test loads less)."""
    started = time.monotonic()
    api = Api(client)
    demo = Demo()
    signin = await api.call(
        "check for an earlier demo",
        "POST",
        "/api/v1/auth/signin",
        json={"email": OWNER[0], "password": PASSWORD},
        expect=(200, 401),
    )
    if signin.status_code == 200:
        demo.already_loaded = True
        demo.lines = ["the demo tenant is already loaded; sign in with:", *_sign_ins()]
        return demo

    today = today or datetime.now(UTC).date()
    history = dh.plan(wells=wells, days=days, last_day=today - timedelta(days=1))
    demo.history = history
    lap = started
    pumper, accountant = await _people(api)
    lap = demo.lap("people", lap)
    ids = await register_assets(api, pumper, history, demo.lease_ids, demo.well_ids)
    lap = demo.lap("assets", lap)
    await _wait_for_production(api, history, ids)
    lap = demo.lap("wait for production", lap)
    await _route(api, pumper, history, ids)
    nets = await _field_data(pumper, history, ids)
    for (lease, month), volumes in history.lease_month_totals().items():
        if lease in ("A", "B"):
            demo.oil_by_lease_month[(lease, month)] = volumes["oil"]
    lap = demo.lap("tickets, gauges, gas dispositions", lap)
    imported = await _import(pumper, history)
    lap = demo.lap("readings import", lap)

    async def timed(phase: str, work: Awaitable[Any]) -> Any:
        begun = time.monotonic()
        result = await work
        demo.lap(phase, begun)
        return result

    demo.alerts, form_pr, accounting, demo.documents = await asyncio.gather(
        timed("alerts", _alerts(api, history)),
        timed("form pr", file_form_pr(api, history, ids)),
        timed("accounting", load_office(accountant, history, ids, nets)),
        timed("documents", file_documents(api, pumper, history, ids)),
    )
    demo.form_pr_period, demo.form_pr_state = form_pr
    demo.seconds = time.monotonic() - started
    demo.lines = [
        f"{COMPANY} (RRC operator {OPERATOR_NUMBER}): 3 leases, 2 tank batteries, {len(history.wells)} wells",
        f"{imported:,} daily readings {history.first_day} .. {history.last_day}, {len(history.tickets)} run tickets,"
        f" {len(history.gauges)} month-end gauges; {demo.alerts} open production alerts",
        f"Form PR {demo.form_pr_period}: {demo.form_pr_state}; {accounting}",
        demo.documents,
        *filter(None, [await morning_digest(api)]),  # the owner's digest of the alerts, in the dev mailbox
        f"loaded in {demo.seconds:.1f} s; sign in with:",
        *_sign_ins(),
    ]
    return demo


def _sign_ins() -> list[str]:
    return [
        f"  owner       {OWNER[0]} / {PASSWORD}",
        f"  pumper      {PUMPER[0]} / {PASSWORD}",
        f"  accountant  {ACCOUNTANT[0]} / {PASSWORD}",
    ]


async def _people(api: Api) -> tuple[Api, Api]:
    """Sign up the operator (``api`` then acts as its owner); the pumper and the accountant join by invitation.
    Each does their own part of the load, as in the field and the office (and each has its own request rate)."""
    owner = await api.json(
        "sign up the demo operator",
        "POST",
        "/api/v1/auth/signup",
        json={
            "organization": {"name": COMPANY, "rrc_operator_number": OPERATOR_NUMBER},
            "user": {"email": OWNER[0], "password": PASSWORD, "full_name": OWNER[1]},
        },
    )
    api.token = owner["access_token"]
    await fill_profile(api)
    for email, name, role in (PUMPER, ACCOUNTANT):
        invite = await api.json(
            f"invite the {role}", "POST", "/api/v1/invitations", json={"email": email, "role": role}
        )
        await api.call(
            f"accept the {role}'s invitation",
            "POST",
            "/api/v1/invitations/accept",
            json={"token": await invitation_token(invite, email), "password": PASSWORD, "full_name": name},
        )
    members = []
    for email, _, role in (PUMPER, ACCOUNTANT):
        member = Api(api.client)
        signed_in = await member.json(
            f"sign in as the {role}", "POST", "/api/v1/auth/signin", json={"email": email, "password": PASSWORD}
        )
        member.token = signed_in["access_token"]
        members.append(member)
    return members[0], members[1]


async def _route(api: Api, pumper: Api, history: dh.History, ids: dict[str, Any]) -> None:
    """The owner gives the pumper a route: the producing wells, lease by lease (the console's "today's route")."""
    me = await pumper.json("who the pumper is", "GET", "/api/v1/me")
    stops = [
        ids["wells"][w.api_number] for w in sorted(history.wells, key=lambda w: (w.lease, w.name)) if not w.shut_in_on
    ]
    await api.call(
        "assign the pumper's route", "PUT", f"/api/v1/production/routes/{me['user_id']}", json={"well_ids": stops}
    )


def _found(response: httpx.Response) -> bool:
    return response.status_code == 200


async def _wait_for_production(api: Api, history: dh.History, ids: dict[str, Any]) -> None:
    """Production learns leases and wells from the wells service's events: wait until it knows every one."""

    async def known(kind: str, key: str, path: str) -> None:
        await api.until(
            f"wait for production to learn {kind} {key}",
            lambda: api.call(f"ask production about {kind} {key}", "GET", path, expect=POLL_ANSWERS),
            _found,
        )

    checks = [known("lease", k, f"/api/v1/production/leases/{v}/daily") for k, v in ids["leases"].items()]
    checks += [known("well", a, f"/api/v1/production/wells/{w}/monthly") for a, w in ids["wells"].items()]
    await gather_few(checks, limit=8)


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, clock_time(hour), tzinfo=UTC).isoformat()


async def _field_data(api: Api, history: dh.History, ids: dict[str, Any]) -> dict[str, dict[date, Decimal]]:
    """Each lease's run tickets and tank gauges in time order (each recomputes its lease-month and the later ones
    already there, so going forward recomputes least), then its gas dispositions a few at a time (each recomputes
    only its month); the leases side by side. Returns the tickets' net barrels per lease-month."""
    for lease in ("A", "B"):
        battery.simulate_battery(history, lease)
    gas = battery.gas_dispositions(history)
    last_month = dh.last_full_month(history)

    async def lease_data(lease: str) -> dict[date, Decimal]:
        battery = ids["batteries"].get(lease)
        tank_ids = [t["id"] for t in battery["tanks"] if t["product"] == "oil"] if battery else []
        events: list[tuple[date, int, str, Any]] = [
            (t.day, 10, "ticket", t) for t in history.tickets if t.lease == lease
        ]
        events += [(g.day, g.hour, "gauge", g) for g in history.gauges if g.lease == lease]
        events.sort(key=lambda e: (e[0], e[1]))
        net: dict[date, Decimal] = defaultdict(Decimal)
        first = True
        for number, (day, hour, kind, item) in enumerate(events, start=1):
            path, step, body = _tank_entry(lease, number, day, hour, kind, item, tank_ids, last_month)
            key = {"Idempotency-Key": f"demo-{lease}-{number}"}
            if first:  # the battery's tanks reach production by event: wait for them once
                response = await api.until(
                    step,
                    lambda p=path, b=body, s=step, k=key: api.call(s, "POST", p, json=b, headers=k, expect=(201, 422)),
                    lambda r: r.status_code == 201 or "unknown-tank" not in r.text,
                )
                if response.status_code != 201:
                    raise DemoError(f"{step}: POST {path} answered {response.status_code}: {detail(response)}")
                first = False
            else:
                response = await api.call(step, "POST", path, json=body, headers=key, expect=(201,))
            if kind == "ticket":
                net[dh.month_start(day)] += Decimal(str(response.json()["net_bbl"]))
        await gather_few((_gas_disposition(api, ids, e) for e in gas if e["lease"] == lease), limit=4)
        return dict(net)

    results = await asyncio.gather(*(lease_data(lease.key) for lease in history.leases))
    return {lease.key: result for lease, result in zip(history.leases, results, strict=True)}


def _tank_entry(
    lease: str, number: int, day: date, hour: int, kind: str, item: Any, tank_ids: list[str], last_month: date
) -> tuple[str, str, dict[str, Any]]:
    """(path, step, body) of a run ticket or a month-end gauge."""
    if kind == "ticket":
        body = {
            "ticket_number": f"CE{lease}-{number:05d}",
            "purchaser": PURCHASER,
            "hauler": item.hauler or "Big Country Trucking",
            "driver": "R. Salinas",
            "tank_id": tank_ids[item.tank],
            "taken_at": _at(day, hour),
            "disposition_code": "01",
            "opening_gauge": dh.gauge_of(item.opening_bbl),
            "closing_gauge": dh.gauge_of(item.closing_bbl),
            "observed_gravity_api": str(dh.SAMPLE_GRAVITY_API),
            "observed_temperature_f": str(dh.tank_temperature(day, ticket=True)),
            "opening_temperature_f": str(dh.tank_temperature(day, ticket=True)),
            "closing_temperature_f": str(dh.tank_temperature(day, ticket=True) - 1),
            "bsw_percent": str(dh.TICKET_BSW_PERCENT),
            "price_per_bbl": str(dh.posted_price("oil", dh.month_start(day), last_month)),
            "seal_numbers": [f"S{number:06d}", f"S{number:06d}A"],
        }
        return "/api/v1/run-tickets", f"record run ticket {body['ticket_number']}", body
    body = {
        "tank_id": tank_ids[item.tank],
        "gauged_at": _at(day, hour),
        "gauge_date": day.isoformat(),
        **dh.gauge_of(item.barrels),
        "temperature_f": str(dh.tank_temperature(day)),
    }
    return "/api/v1/tank-gauges", f"gauge tank {lease}-{item.tank + 1} on {day}", body


async def _gas_disposition(api: Api, ids: dict[str, Any], entry: dict[str, Any]) -> None:
    lease, month = entry["lease"], entry["month"]
    body = {
        "lease_id": ids["leases"][lease],
        "month": month.isoformat(),
        "code": entry["code"],
        "mcf": str(entry["mcf"]),
        "authority": entry["authority"],
    }
    if entry["code"] in ("02", "03"):
        body["purchaser"] = "West Texas Gas Gathering"
    await api.call(
        f"record gas disposition {entry['code']} of lease {lease} {month:%Y-%m}",
        "POST",
        "/api/v1/production/gas-dispositions",
        json=body,
        expect=(201,),
    )


async def _import(api: Api, history: dh.History) -> int:
    response = await api.call(
        "import the daily readings",
        "POST",
        "/api/v1/readings/imports",
        params={"mode": "all_or_nothing", "file_name": "caprock-history.csv"},
        content=battery.readings_csv(history).encode(),
        headers={"content-type": "text/csv"},
        expect=(201, 422),
    )
    body = response.json()
    if response.status_code != 201:  # a file with a bad line imports nothing; the answer lists the lines
        raise DemoError(f"import the daily readings: 422: {detail(response)} {str(body.get('errors'))[:600]}")
    if int(body["rows_imported"]) != len(history.readings):
        raise DemoError(f"import the daily readings: {body['rows_imported']} of {len(history.readings)} imported")
    return int(body["rows_imported"])


async def _alerts(api: Api, history: dh.History) -> int:
    days = (history.last_day - timedelta(days=1), history.last_day)
    await asyncio.gather(
        *(
            api.call(
                f"run the alert check for {day}",
                "POST",
                "/api/v1/production-alerts/checks",
                json={"day": day.isoformat()},
            )
            for day in days
        )
    )
    page = await api.json(
        "list the open alerts", "GET", "/api/v1/production-alerts", params={"acknowledged": "false", "limit": 200}
    )
    return len(page["items"])
