"""The demo tenant: an operator a newcomer can explore, loaded by `wellflow up --demo` through the gateway's public
REST API only (exactly what a client could do).

Caprock Energy LLC (RRC operator 618042) runs three leases in Howard County, Texas: two oil leases, each with a
tank battery, and a gas well. It has three years of daily production shaped by decline curves (with downtime, a
few wells shut in and alerts on the last days), run tickets and gauges that keep the tanks in balance, gas
dispositions, royalty, ORRI and working-interest owners with their decks, prices, a finalized revenue run, a JIB,
an AFE in progress and last month's Form PR filed with the RRC portal stand-in. The history is computed first
(``demo_history``); this module sends it, checking every answer and naming the step that failed.

Loading is idempotent: when the demo owner can already sign in, nothing is sent again. Events reach the other
services asynchronously, so each step that needs another service's copy polls for it (with a deadline) rather
than sleeping a fixed time.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any

import httpx

from . import demo_history as dh

COMPANY = "Caprock Energy LLC"
OPERATOR_NUMBER = "618042"
PASSWORD = "caprock-demo-2026"  # noqa: S105 - the published demo sign-in
OWNER = ("dana.ruiz@caprock-demo.com", "Dana Ruiz")
PUMPER = ("lee.pumper@caprock-demo.com", "Lee Ortega", "pumper")
ACCOUNTANT = ("jo.books@caprock-demo.com", "Jo Whitaker", "accountant")
PURCHASER = "Permian Crude Purchasing LLC"
WAIT_SECONDS = 90.0
RATE_LIMIT_RETRIES = 60
POLL_ANSWERS = (200, 404, 500, 502, 503)  # while polling, a busy or restarting service is asked again
NAMESPACE = uuid.UUID("6f1d2c4e-8a8b-4c59-9a53-0d5e1f0c7a01")  # client-chosen ids for accounting's retried creates


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(max(float(response.headers.get("retry-after", "1")), 0.1), 10.0)
    except ValueError:
        return 1.0


class DemoError(RuntimeError):
    """A step of the demo load failed: the message names the step, the status and the service's detail."""


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        text = str(body.get("detail") or body.get("title") or body)
        if body.get("errors"):
            text += " " + "; ".join(f"{e.get('field')}: {e.get('message')}" for e in body["errors"][:5])
        return text[:600]
    return str(body)[:300]


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

    def lap(self, phase: str, since: float) -> float:
        now = time.monotonic()
        self.timings[phase] = round(now - since, 2)
        return now


class Api:
    """The gateway with a bearer token; each call names its step and checks the status."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.token: str | None = None

    async def call(
        self, step: str, method: str, path: str, *, expect: Iterable[int] = (200, 201), **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        for _ in range(RATE_LIMIT_RETRIES):
            try:
                response = await self.client.request(method, path, headers=headers, **kwargs)
            except httpx.HTTPError as exc:
                raise DemoError(f"{step}: {method} {path} failed: {exc!r}") from exc
            if response.status_code != 429:  # over the gateway's rate: nothing was done, ask again when told
                break
            await asyncio.sleep(_retry_after(response))
        if response.status_code not in tuple(expect):
            raise DemoError(f"{step}: {method} {path} answered {response.status_code}: {_detail(response)}")
        return response

    async def json(self, step: str, method: str, path: str, **kwargs: Any) -> Any:
        return (await self.call(step, method, path, **kwargs)).json()

    async def until(
        self,
        step: str,
        attempt: Callable[[], Awaitable[httpx.Response]],
        ready: Callable[[httpx.Response], bool],
        *,
        timeout: float = WAIT_SECONDS,
        describe: Callable[[httpx.Response], str] = _detail,
    ) -> httpx.Response:
        """Repeat ``attempt`` until ``ready`` holds of its answer (events take a moment to reach a service)."""
        deadline = time.monotonic() + timeout
        delay = 0.05
        while True:
            response = await attempt()
            if ready(response):
                return response
            if time.monotonic() > deadline:
                raise DemoError(
                    f"{step}: still not ready after {timeout:.0f} s (last answer {response.status_code}: "
                    f"{describe(response)})"
                )
            await asyncio.sleep(delay)
            delay = min(delay * 1.5, 1.0)


async def load(urls: dict[str, str]) -> list[str]:
    """`wellflow up --demo` calls this once the stack runs: the lines to print."""
    async with httpx.AsyncClient(base_url=urls["gateway"], timeout=120) as client:
        demo = await load_demo(client)
    return demo.lines


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
    ids = await _assets(api, pumper, history, demo)
    lap = demo.lap("assets", lap)
    await _wait_for_production(api, history, ids)
    lap = demo.lap("wait for production", lap)
    nets = await _tanks(pumper, history, ids)
    for lease in ("A", "B"):
        for month, oil in dh.balance_oil(history, lease, nets[lease]).items():
            demo.oil_by_lease_month[(lease, month)] = oil
    lap = demo.lap("tickets and gauges", lap)
    await _gas(pumper, history, ids)
    lap = demo.lap("gas dispositions", lap)
    imported = await _import(pumper, history)
    lap = demo.lap("readings import", lap)

    async def timed(phase: str, work: Awaitable[Any]) -> Any:
        begun = time.monotonic()
        result = await work
        demo.lap(phase, begun)
        return result

    demo.alerts, form_pr, accounting = await asyncio.gather(
        timed("alerts", _alerts(api, history)),
        timed("form pr", _form_pr(api, history, ids)),
        timed("accounting", _accounting(accountant, history, ids)),
    )
    demo.form_pr_period, demo.form_pr_state = form_pr
    demo.seconds = time.monotonic() - started
    demo.lines = [
        f"{COMPANY} (RRC operator {OPERATOR_NUMBER}): 3 leases, 2 tank batteries, {len(history.wells)} wells",
        f"{imported:,} daily readings {history.first_day} .. {history.last_day}, {len(history.tickets)} run tickets,"
        f" {len(history.gauges)} month-end gauges; {demo.alerts} open production alerts",
        f"Form PR {demo.form_pr_period}: {demo.form_pr_state}; {accounting}",
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
    for email, name, role in (PUMPER, ACCOUNTANT):
        invite = await api.json(
            f"invite the {role}", "POST", "/api/v1/invitations", json={"email": email, "role": role}
        )
        await api.call(
            f"accept the {role}'s invitation",
            "POST",
            "/api/v1/invitations/accept",
            json={"token": invite["token"], "password": PASSWORD, "full_name": name},
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


async def _gather(calls: Iterable[Awaitable[Any]], limit: int = 6) -> list[Any]:
    """Run calls a few at a time (the machine is small and the services share it)."""
    gate = asyncio.Semaphore(limit)

    async def one(call: Awaitable[Any]) -> Any:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))


async def _assets(api: Api, pumper: Api, history: dh.History, demo: Demo) -> dict[str, Any]:
    """The field, leases, wells (with their tests and statuses) and the two batteries, in the wells service."""
    field_row = await api.json(
        "register the field",
        "POST",
        "/api/v1/fields",
        json={"name": "Spraberry (Trend Area)", "code": "85280300", "basin": "Permian Basin", "county": "Howard"},
    )
    for lease in history.leases:
        row = await api.json(
            f"register lease {lease.name}",
            "POST",
            "/api/v1/leases",
            json={
                "name": lease.name,
                "rrc_district": lease.rrc_district,
                "rrc_lease_number": lease.rrc_lease_number,
                "lease_type": lease.lease_type,
                "field_id": field_row["id"],
                "county": lease.county,
                "lessor": lease.lessor,
                "royalty_rate": str(lease.royalty_rate),
                "effective_date": (history.first_day - timedelta(days=400)).isoformat(),
            },
        )
        demo.lease_ids[lease.key] = row["id"]

    async def register(well: dh.WellPlan) -> None:
        row = await api.json(
            f"register well {well.name}",
            "POST",
            "/api/v1/wells",
            json={
                "name": well.name,
                "number": well.number,
                "api_number": well.api_number,
                "lease_id": demo.lease_ids[well.lease],
                "field_id": field_row["id"],
                "county": "Howard",
                "well_type": well.well_type,
                "purpose": "development",
                "status": "producing",
                "spud_date": (well.first_day - timedelta(days=45)).isoformat(),
                "completion_date": (well.first_day - timedelta(days=8)).isoformat(),
                "first_production_date": well.first_day.isoformat(),
                "gas_well_id": well.gas_well_id,
                "total_depth_ft": "9850" if well.well_type == "oil" else "8120",
            },
        )
        demo.well_ids[well.api_number] = row["id"]
        for test_day in (well.first_day + timedelta(days=3), (well.shut_in_on or history.last_day) - timedelta(days=9)):
            if test_day > history.last_day or test_day < well.first_day:
                continue
            rate = well.rate(test_day)
            oil, gas = (0.0, rate) if well.well_type == "gas" else (rate, rate * well.gas_oil_ratio)
            water = rate * well.water_ratio
            await pumper.call(
                f"record a well test of {well.name}",
                "POST",
                f"/api/v1/wells/{row['id']}/tests",
                json={
                    "test_date": test_day.isoformat(),
                    "oil_bbl_per_day": f"{oil:.2f}",
                    "gas_mcf_per_day": f"{gas:.2f}",
                    "water_bbl_per_day": f"{water:.2f}",
                    "hours": "24",
                },
            )
        if well.shut_in_on:
            await api.call(
                f"shut in {well.name}",
                "POST",
                f"/api/v1/wells/{row['id']}/status",
                json={
                    "status": "shut_in",
                    "effective_date": well.shut_in_on.isoformat(),
                    "reason": "uneconomic at current oil price; waiting on a rod pump change",
                },
            )

    await _gather(register(w) for w in history.wells)
    batteries: dict[str, dict[str, Any]] = {}
    for lease in history.leases:
        if lease.battery is None:
            continue
        tanks = [
            {
                "number": f"{lease.key}-{n}",
                "product": "oil",
                "capacity_bbl": str(dh.TANK_CAPACITY_BBL),
                "strapping": dh.strapping_table(),
            }
            for n in (1, 2)
        ] + [
            {
                "number": f"{lease.key}-W",
                "product": "water",
                "capacity_bbl": "500",
                "strapping": [["0", "0"], ["180", "500"]],
            }
        ]
        connections = [
            {"well_id": demo.well_ids[w.api_number], "effective_from": w.first_day.isoformat()}
            for w in history.wells
            if w.lease == lease.key
        ]
        batteries[lease.key] = await api.json(
            f"configure the {lease.battery} battery",
            "POST",
            "/api/v1/batteries",
            json={
                "name": lease.battery,
                "code": f"CTB-{lease.key}",
                "lease_id": demo.lease_ids[lease.key],
                "field_id": field_row["id"],
                "tanks": tanks,
                "wells": connections,
            },
        )
    return {"leases": demo.lease_ids, "wells": demo.well_ids, "batteries": batteries}


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
    await _gather(checks, limit=8)


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, clock_time(hour), tzinfo=UTC).isoformat()


async def _tanks(api: Api, history: dh.History, ids: dict[str, Any]) -> dict[str, dict[date, Decimal]]:
    """Run tickets and gauges of each battery, in time order; returns the tickets' net barrels per lease-month."""
    for lease in ("A", "B"):
        dh.simulate_battery(history, lease)

    async def battery(lease: str) -> dict[date, Decimal]:
        tank_ids = [t["id"] for t in ids["batteries"][lease]["tanks"] if t["product"] == "oil"]
        events = [(t.day, 10, "ticket", t) for t in history.tickets if t.lease == lease]
        events += [(g.day, 18, "gauge", g) for g in history.gauges if g.lease == lease]
        events.sort(key=lambda e: (e[0], e[1]))
        net: dict[date, Decimal] = defaultdict(Decimal)
        first = True
        for number, (day, hour, kind, item) in enumerate(events, start=1):
            if kind == "ticket":
                body = {
                    "ticket_number": f"CE{lease}-{number:05d}",
                    "purchaser": PURCHASER,
                    "hauler": "Big Country Trucking",
                    "driver": "R. Salinas",
                    "tank_id": tank_ids[item.tank],
                    "taken_at": _at(day, hour),
                    "disposition_code": "01",
                    "opening_gauge": dh.gauge_of(item.opening_bbl),
                    "closing_gauge": dh.gauge_of(item.closing_bbl),
                    "observed_gravity_api": "41.2",
                    "observed_temperature_f": "74",
                    "bsw_percent": "0.3",
                    "seal_numbers": [f"S{number:06d}", f"S{number:06d}A"],
                }
                path, step = "/api/v1/run-tickets", f"record run ticket {body['ticket_number']}"
            else:
                body = {
                    "tank_id": tank_ids[item.tank],
                    "gauged_at": _at(day, hour),
                    "gauge_date": day.isoformat(),
                    **dh.gauge_of(item.barrels),
                    "temperature_f": "72",
                }
                path, step = "/api/v1/tank-gauges", f"gauge tank {lease}-{item.tank + 1} on {day}"
            key = {"Idempotency-Key": f"demo-{lease}-{number}"}
            if first:  # the battery's tanks reach production by event: wait for them once
                response = await api.until(
                    step,
                    lambda p=path, b=body, s=step, k=key: api.call(s, "POST", p, json=b, headers=k, expect=(201, 422)),
                    lambda r: r.status_code == 201 or "unknown-tank" not in r.text,
                )
                if response.status_code != 201:
                    raise DemoError(f"{step}: POST {path} answered {response.status_code}: {_detail(response)}")
                first = False
            else:
                response = await api.call(step, "POST", path, json=body, headers=key, expect=(201,))
            if kind == "ticket":
                net[dh.month_start(day)] += Decimal(str(response.json()["net_bbl"]))
        return dict(net)

    a, b = await asyncio.gather(battery("A"), battery("B"))
    return {"A": a, "B": b}


async def _gas(api: Api, history: dh.History, ids: dict[str, Any]) -> None:
    entries = dh.gas_dispositions(history)

    async def record(entry: dict[str, Any]) -> None:
        lease, month = entry["lease"], entry["month"]
        body = {
            "lease_id": ids["leases"][lease],
            "month": month.isoformat(),
            "code": entry["code"],
            "mcf": str(entry["mcf"]),
            "authority": entry["authority"],
        }
        if lease == "G" and entry["code"] == "02":
            body["purchaser"] = "West Texas Gas Gathering"
        await api.call(
            f"record gas disposition {entry['code']} of lease {lease} {month:%Y-%m}",
            "POST",
            "/api/v1/production/gas-dispositions",
            json=body,
            expect=(201,),
        )

    await _gather((record(e) for e in entries), limit=6)


async def _import(api: Api, history: dh.History) -> int:
    response = await api.call(
        "import the daily readings",
        "POST",
        "/api/v1/readings/imports",
        params={"mode": "all_or_nothing", "file_name": "caprock-history.csv"},
        content=dh.readings_csv(history).encode(),
        headers={"content-type": "text/csv"},
        expect=(201, 422),
    )
    body = response.json()
    if response.status_code != 201:
        bad = body.get("errors") or body.get("error_lines") or body
        raise DemoError(f"import the daily readings: 422: {str(bad)[:800]}")
    imported = next((body[k] for k in ("imported", "lines_imported", "rows_imported") if k in body), None)
    if imported is not None and int(imported) != len(history.readings):
        raise DemoError(f"import the daily readings: {imported} lines imported, {len(history.readings)} sent: {body}")
    return len(history.readings)


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


def _last_month(history: dh.History) -> date:
    return dh.month_start(dh.month_start(history.last_day) - timedelta(days=1))


async def _form_pr(api: Api, history: dh.History, ids: dict[str, Any]) -> tuple[str, str]:
    """Last month's Form PR: wait until compliance has every lease's volumes, submit, wait for the portal."""
    month = _last_month(history)
    period = f"{month:%Y-%m}"
    await api.call(
        "set the RRC operator number",
        "PUT",
        "/api/v1/compliance/operator",
        json={"rrc_operator_number": OPERATOR_NUMBER, "name": COMPANY},
    )
    totals = history.lease_month_totals()
    expected = {
        ids["leases"][lease.key]: (
            int(totals.get((lease.key, month), {}).get("oil", Decimal(0)).quantize(Decimal(1))),
            int(totals.get((lease.key, month), {}).get("gas", Decimal(0)).quantize(Decimal(1))),
        )
        for lease in history.leases
    }

    def complete(response: httpx.Response) -> bool:
        if response.status_code != 200:
            return False
        body = response.json()
        seen = {
            line["lease_id"]: (int(line.get("liquid_production") or 0), int(line.get("gas_production") or 0))
            for line in body.get("lines", [])
        }
        return all(
            abs(seen.get(k, (-9, -9))[0] - v[0]) <= 1 and abs(seen[k][1] - v[1]) <= 1 for k, v in expected.items()
        ) and bool(body.get("ready_to_submit"))

    report = await api.until(
        f"wait for the Form PR {period} to carry every lease",
        lambda: api.call(f"read the Form PR {period}", "GET", f"/api/v1/form-pr/{period}", expect=POLL_ANSWERS),
        complete,
        describe=_form_pr_state,
    )
    if report.json().get("state") in ("accepted", "submitted"):
        return period, report.json()["state"]
    await api.call(f"submit the Form PR {period}", "POST", f"/api/v1/form-pr/{period}/submit", expect=(200, 202))
    try:
        final = await api.until(
            f"wait for the RRC portal to answer the Form PR {period}",
            lambda: api.call(f"read the Form PR {period}", "GET", f"/api/v1/form-pr/{period}", expect=POLL_ANSWERS),
            lambda r: r.status_code == 200 and r.json().get("state") in ("accepted", "rejected"),
            timeout=30,
        )
    except DemoError:
        return period, "submitted (the RRC portal stand-in has not answered yet; compliance keeps retrying)"
    return period, final.json()["state"]


def _form_pr_state(response: httpx.Response) -> str:
    if response.status_code != 200:
        return _detail(response)
    body = response.json()
    lines = [
        (line.get("lease_name"), line.get("liquid_production"), line.get("gas_production")) for line in body["lines"]
    ]
    errors = [error.get("message") for error in body.get("errors", [])][:5]
    return f"lines {lines}, errors {errors}"


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


async def _accounting(api: Api, history: dh.History, ids: dict[str, Any]) -> str:
    """Owners and decks, prices, a finalized revenue run, lease costs with an issued JIB, an AFE in progress."""
    partners = {
        "operator": (COMPANY, "company", ["working_interest_partner"]),
        "llano": ("Llano Basin Partners LP", "company", ["working_interest_partner"]),
        "mesquite": ("Mesquite Creek Resources LLC", "company", ["working_interest_partner"]),
        "whitfield": ("Ada Whitfield", "individual", ["royalty_owner"]),
        "pruitt": ("Estate of J. R. Pruitt", "individual", ["royalty_owner"]),
        "hollis": ("Hollis Family Minerals LLC", "company", ["royalty_owner"]),
        "cordova": ("Tomas Cordova", "individual", ["orri_owner"]),
        "purchaser": (PURCHASER, "company", ["purchaser"]),
        "gatherer": ("West Texas Gas Gathering", "company", ["purchaser"]),
        "vendor": ("Big Spring Well Service", "company", ["vendor"]),
    }
    pid: dict[str, str] = {}
    for key, (name, kind, roles) in partners.items():
        row = await api.json(
            f"add partner {name}",
            "POST",
            "/api/v1/partners",
            json={
                "id": _id("partner", key),
                "name": name,
                "kind": kind,
                "roles": roles,
                "state": "TX",
                "city": "Big Spring",
                "postal_code": "79720",
            },
        )
        pid[key] = row["id"]
    effective = history.first_day.replace(day=1).isoformat()
    revenue = {
        "A": [
            ("whitfield", "royalty", "0.1875"),
            ("cordova", "orri", "0.03125"),
            ("operator", "working_interest", "0.5859375"),
            ("llano", "working_interest", "0.1953125"),
        ],
        "B": [
            ("pruitt", "royalty", "0.125"),
            ("whitfield", "royalty", "0.0625"),
            ("cordova", "orri", "0.03125"),
            ("operator", "working_interest", "0.5859375"),
            ("mesquite", "working_interest", "0.1953125"),
        ],
        "G": [
            ("hollis", "royalty", "0.2"),
            ("operator", "working_interest", "0.48"),
            ("llano", "working_interest", "0.32"),
        ],
    }
    cost = {
        "A": [("operator", "0.75"), ("llano", "0.25")],
        "B": [("operator", "0.75"), ("mesquite", "0.25")],
        "G": [("operator", "0.6"), ("llano", "0.4")],
    }
    for lease, lines in revenue.items():
        for kind, deck_lines in (
            ("revenue", [{"partner_id": pid[p], "interest_type": t, "decimal": d} for p, t, d in lines]),
            (
                "cost",
                [{"partner_id": pid[p], "interest_type": "working_interest", "decimal": d} for p, d in cost[lease]],
            ),
        ):
            body = {
                "id": _id("deck", lease, kind),
                "lease_id": ids["leases"][lease],
                "kind": kind,
                "effective_from": effective,
                "lines": deck_lines,
            }
            await api.until(
                f"enter the {kind} deck of lease {lease}",
                lambda b=body, k=kind: api.call(
                    f"enter the {k} deck", "POST", "/api/v1/ownership-decks", json=b, expect=(200, 201, 422)
                ),
                lambda r: r.status_code in (200, 201) or "known to accounting" not in r.text,
            )
            check = await api.call(
                f"read the {kind} deck of lease {lease}", "GET", f"/api/v1/ownership-decks/{body['id']}"
            )
            if Decimal(str(check.json()["total"])) != 1:
                raise DemoError(f"enter the {kind} deck of lease {lease}: it sums to {check.json()['total']}")
    month = _last_month(history)
    for back in range(12):
        m = dh.month_start(month - timedelta(days=back * 28 + 1)) if back else month
        swing = Decimal(back % 5) * Decimal("1.35")
        for product, price in (
            ("oil", Decimal("71.40") - swing),
            ("gas", Decimal("2.62") + swing / 10),
            ("condensate", Decimal("66.10") - swing),
        ):
            await api.call(
                f"set the {product} price for {m:%Y-%m}",
                "PUT",
                "/api/v1/prices",
                json={"month": m.isoformat(), "product": product, "price": str(price)},
            )
    # operating agreements, a month of lease costs and the JIB
    for lease in ("A", "B", "G"):
        await api.call(
            f"file the operating agreement of lease {lease}",
            "POST",
            "/api/v1/jib/agreements",
            json={
                "id": _id("agreement", lease),
                "lease_id": ids["leases"][lease],
                "name": f"JOA {lease} (AAPL 610-1989)",
                "drilling_overhead_rate": "9500.00",
                "producing_overhead_rate": "950.00",
                "rates_set_on": history.first_day.isoformat(),
                "afe_overrun_percent": "10",
            },
        )
    costs = [
        ("A", "lease_operating", "Pumper contract", "1850.00"),
        ("A", "lease_operating", "Paraffin treating chemicals", "642.18"),
        ("B", "workover", "Rod string repair, Pruitt 2", "12480.00"),
        ("G", "lease_operating", "Compressor rental", "2300.00"),
    ]
    for n, (lease, category, description, amount) in enumerate(costs):
        await api.call(
            f"record the cost '{description}'",
            "POST",
            "/api/v1/jib/costs",
            json={
                "id": _id("cost", str(n)),
                "incurred_on": (month + timedelta(days=9 + n)).isoformat(),
                "lease_id": ids["leases"][lease],
                "vendor_id": pid["vendor"],
                "invoice_number": f"BSWS-{4410 + n}",
                "category": category,
                "description": description,
                "amount": amount,
            },
        )
    jib = await api.json("run the JIB", "POST", "/api/v1/jib/runs", json={"month": month.isoformat()})
    await api.call("issue the JIB", "POST", f"/api/v1/jib/runs/{jib['id']}/issue")
    run = await _revenue_run(api, history, ids, month)
    afe = await _afe(api, history, ids, pid)
    gross = run.get("totals", {}).get("gross_value") or run.get("totals", {}).get("gross")
    return f"revenue {month:%Y-%m} {run['status']} (gross ${gross}); JIB issued; AFE {afe}"


async def _revenue_run(api: Api, history: dh.History, ids: dict[str, Any], month: date) -> dict[str, Any]:
    """Run the month once accounting has every lease's volumes (they arrive by event), then finalize it."""
    wanted = {ids["leases"][k] for k in ("A", "B", "G")}

    def complete(response: httpx.Response) -> bool:
        body = response.json()
        sold = {s["lease_id"] for s in body.get("sales", []) if Decimal(str(s["volume"])) > 0}
        return wanted <= sold

    response = await api.until(
        f"run revenue for {month:%Y-%m}",
        lambda: api.call(
            f"run revenue for {month:%Y-%m}", "POST", "/api/v1/revenue/runs", json={"month": month.isoformat()}
        ),
        complete,
    )
    run = response.json()
    return await api.json(f"finalize revenue {month:%Y-%m}", "POST", f"/api/v1/revenue/runs/{run['id']}/finalize")


async def _afe(api: Api, history: dh.History, ids: dict[str, Any], pid: dict[str, str]) -> str:
    well = next(w for w in history.wells if w.lease == "A" and w.shut_in_on is None)
    afe = await api.json(
        "draft the AFE",
        "POST",
        "/api/v1/afes",
        json={
            "id": _id("afe", "1"),
            "afe_number": "AFE-CE-0107",
            "title": f"Recomplete {well.name} in the Dean",
            "lease_id": ids["leases"]["A"],
            "well_id": ids["wells"][well.api_number],
            "description": "Plug back, perforate and frac the Dean; return to production.",
            "lines": [
                {
                    "kind": "intangible",
                    "category": "completion",
                    "description": "Frac and perforating",
                    "amount": "186500.00",
                },
                {
                    "kind": "intangible",
                    "category": "intangible_drilling",
                    "description": "Pulling unit, 9 days",
                    "amount": "31200.00",
                },
                {"kind": "tangible", "category": "tangible", "description": "Tubing and rods", "amount": "42750.00"},
            ],
        },
    )
    path = f"/api/v1/afes/{afe['id']}"
    await api.call(
        "send the AFE for approval",
        "POST",
        f"{path}/transitions",
        json={"status": "pending_approval", "note": "sent to partners"},
    )
    decided = history.last_day - timedelta(days=3)
    await api.call(
        "record Llano's consent",
        "PUT",
        f"{path}/elections",
        json={"partner_id": pid["llano"], "election": "consent", "decided_on": decided.isoformat()},
    )
    await api.call(
        "record the operator's consent",
        "PUT",
        f"{path}/elections",
        json={"partner_id": pid["operator"], "election": "consent", "decided_on": decided.isoformat()},
    )
    await api.call("approve the AFE", "POST", f"{path}/transitions", json={"status": "approved"})
    final = await api.json(
        "start the AFE's work",
        "POST",
        f"{path}/transitions",
        json={"status": "in_progress", "note": "pulling unit on location"},
    )
    await api.call(
        "charge the rig move to the AFE",
        "POST",
        "/api/v1/jib/costs",
        json={
            "id": _id("cost", "afe"),
            "incurred_on": history.last_day.isoformat(),
            "lease_id": ids["leases"]["A"],
            "well_id": ids["wells"][well.api_number],
            "vendor_name": "Big Spring Well Service",
            "category": "intangible_drilling",
            "description": "Pulling unit move-in",
            "amount": "6400.00",
            "afe_number": "AFE-CE-0107",
        },
    )
    return f"{final['afe_number']} {final['status']}"
