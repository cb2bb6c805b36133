"""A month in the life of a small operator, only through the gateway's public API: the owner signs up and invites a
pumper and an accountant; the registry gets a field, an oil lease with a three-well battery and its tanks and a gas
lease with one gas well; the pumper records 30 days of readings (phones retrying what they already sent), tank
gauges, run tickets and a well test; the month's Form PR balances with exactly those volumes and is accepted by the
RRC portal stand-in; the severance tax is the statute's; the accountant enters decks and prices, runs revenue and
the JIB and downloads the statements.

Every expected figure is computed here from what was sent, with the documented rounding (docs/compliance.md:
whole barrels and MCF half up, taxes from ``wellflow_texas.severance``), never read back from the system.
"""

from __future__ import annotations

import asyncio
import calendar
import csv
import io
from collections.abc import Awaitable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
from e2e_waiting import NotYet

from wellflow_servicekit.testing import until
from wellflow_texas.severance import cents, gas_fee_line, gas_tax, oil_tax, value_paid

PASSWORD = "correct horse battery staple"
BBL_PER_INCH = 2  # the tanks' strapping: 2 barrels an inch, 20 feet tall (480 bbl)
OIL_WELLS = {  # api number -> daily oil, casinghead gas (MCF), water
    "42-227-31001": (Decimal("12.5"), Decimal("30.4"), Decimal("4")),
    "42-227-31002": (Decimal("8.25"), Decimal("20.1"), Decimal("3")),
    "42-227-31003": (Decimal("6.75"), Decimal("15.5"), Decimal("2.5")),
}
GAS_WELL = ("42-227-31004", Decimal("2.25"), Decimal("410.5"))  # api number, daily condensate, daily gas
OIL_LEASE_GAS_DISPOSITIONS = {"01": Decimal("90"), "02": Decimal("1890")}  # lease fuel, transmission line
GAS_LEASE_GAS_DISPOSITIONS = {"01": Decimal("300"), "02": Decimal("12015")}
PRICES = {"oil": Decimal("71.25"), "gas": Decimal("2.85")}  # $/BBL, $/MCF
OIL_LEASE_GAS_MARKETING = Decimal("150.00")
GAS_LEASE_GAS_MARKETING = Decimal("400.00")


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _production_month(today: date) -> date:
    """The latest month with 30 days that is wholly past, so every reading day is allowed."""
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    while calendar.monthrange(month.year, month.month)[1] != 30:
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _gauge(barrels: Decimal) -> dict[str, int]:
    quarters = int(barrels * 4 / BBL_PER_INCH)
    assert Decimal(quarters) * BBL_PER_INCH / 4 == barrels, "levels are whole quarter inches"
    inches, quarter = divmod(quarters, 4)
    feet, inch = divmod(inches, 12)
    return {"feet": feet, "inches": inch, "quarters": quarter}


def _at(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC).isoformat()


async def _people(gateway: httpx.AsyncClient, sign_up) -> tuple[dict, dict, dict]:
    owner = await sign_up("Caddo Creek Operating")
    headers = {}
    for role in ("pumper", "accountant"):
        email = f"{role}@caddocreek.com"
        invite = await gateway.post(
            "/api/v1/invitations", headers=_bearer(owner["access_token"]), json={"email": email, "role": role}
        )
        assert invite.status_code == 201, invite.text
        accepted = await gateway.post(
            "/api/v1/invitations/accept",
            json={"token": invite.json()["token"], "password": PASSWORD, "full_name": f"Sam {role.title()}"},
        )
        assert accepted.status_code == 200, accepted.text
        signin = await gateway.post("/api/v1/auth/signin", json={"email": email, "password": PASSWORD})
        assert signin.status_code == 200, signin.text
        assert signin.json()["role"] == role
        headers[role] = _bearer(signin.json()["access_token"])
    return _bearer(owner["access_token"]), headers["pumper"], headers["accountant"]


async def _post(gateway: httpx.AsyncClient, path: str, headers: dict, body: dict, expect: int = 201) -> dict:
    response = await gateway.post(path, headers=headers, json=body)
    assert response.status_code == expect, f"POST {path}: {response.status_code} {response.text}"
    return response.json()


async def _registry(gateway: httpx.AsyncClient, owner: dict, month: date) -> dict[str, Any]:
    """The field, the two leases, four wells and the oil lease's battery with two oil tanks."""
    before = (month - timedelta(days=90)).isoformat()
    field = await _post(
        gateway, "/api/v1/fields", owner, {"name": "Spraberry (Trend Area)", "code": "85280300", "county": "Howard"}
    )
    leases = {}
    for key, number, lease_type in (("oil", "41235", "oil"), ("gas", "204417", "gas")):
        row = await _post(
            gateway,
            "/api/v1/leases",
            owner,
            {
                "name": f"Caddo {key.title()} Lease",
                "rrc_district": "08",
                "rrc_lease_number": number,
                "lease_type": lease_type,
                "field_id": field["id"],
                "county": "Howard",
                "effective_date": (month - timedelta(days=400)).isoformat(),
            },
        )
        leases[key] = row["id"]
    wells = {}
    for n, api in enumerate([*OIL_WELLS, GAS_WELL[0]], start=1):
        gas = api == GAS_WELL[0]
        row = await _post(
            gateway,
            "/api/v1/wells",
            owner,
            {
                "name": f"Caddo {n}",
                "number": str(n),
                "api_number": api,
                "lease_id": leases["gas" if gas else "oil"],
                "field_id": field["id"],
                "well_type": "gas" if gas else "oil",
                "purpose": "development",
                "status": "producing",
                "spud_date": (month - timedelta(days=150)).isoformat(),
                "completion_date": (month - timedelta(days=100)).isoformat(),
                "first_production_date": before,
                "gas_well_id": "204417" if gas else None,
            },
        )
        wells[api] = row["id"]
    strapping = [[str(inches), str(inches * BBL_PER_INCH)] for inches in range(0, 241, 12)]
    battery = await _post(
        gateway,
        "/api/v1/batteries",
        owner,
        {
            "name": "Caddo Oil CTB",
            "lease_id": leases["oil"],
            "field_id": field["id"],
            "tanks": [
                {"number": f"T{n}", "product": "oil", "capacity_bbl": "480", "strapping": strapping} for n in (1, 2)
            ],
            "wells": [{"well_id": wells[api], "effective_from": before} for api in OIL_WELLS],
        },
    )
    tanks = {t["number"]: t["id"] for t in battery["tanks"]}
    return {"leases": leases, "wells": wells, "tanks": tanks}


async def _record_readings(gateway: httpx.AsyncClient, pumper: dict, ids: dict, month: date) -> tuple[int, int]:
    """30 days of readings on four wells; every seventh one is sent again (an offline phone retrying), some of
    them at the same time as the first. Returns (readings sent, retries answered with the first result)."""
    wells = {api: (oil, gas, water) for api, (oil, gas, water) in OIL_WELLS.items()}
    wells[GAS_WELL[0]] = (GAS_WELL[1], GAS_WELL[2], Decimal("1"))
    bodies = []
    for day in range(30):
        when = month + timedelta(days=day)
        for n, (api, (oil, gas, water)) in enumerate(wells.items()):
            bodies.append(
                {
                    "reading_id": f"0193b000-0000-7000-8000-{day:06d}{n:06d}",
                    "well_id": ids["wells"][api],
                    "production_date": when.isoformat(),
                    "oil_bbl": str(oil),
                    "gas_mcf": str(gas),
                    "water_bbl": str(water),
                    "hours_on": "24",
                }
            )

    async def first_known(body: dict) -> Any:
        response = await gateway.post("/api/v1/readings", headers=pumper, json=body)
        if response.status_code == 422 and "not known" in response.text:
            return NotYet(response.text)
        return response

    first_day = bodies[: len(wells)]  # sent first, once per well: the wells reach production over NATS
    for body in first_day:
        first = await until(lambda b=body: first_known(b), 60, f"production to learn well {body['well_id']}", every=0.2)
        assert first.status_code == 201, first.text
    sent_first = {b["reading_id"] for b in first_day}  # sent again below under the same key (their reading_id)
    retries = 0
    semaphore = asyncio.Semaphore(6)

    async def send(number: int, body: dict) -> None:
        nonlocal retries
        async with semaphore:
            headers = {**pumper, "Idempotency-Key": f"caddo-{body['reading_id']}"} if number % 2 else pumper
            if body["reading_id"] in sent_first:
                headers = pumper

            def post() -> Awaitable[httpx.Response]:
                return gateway.post("/api/v1/readings", headers=headers, json=body)

            if number % 14 == 0:  # the phone sends again while the first is still in flight
                answers = list(await asyncio.gather(post(), post()))
            else:
                answers = [await post()]
                if number % 7 == 0:  # the phone did not see the answer and sends it again
                    answers.append(await post())
            retries += 1 if number % 7 == 0 else 0
            assert all(a.status_code == 201 for a in answers), [a.text for a in answers]
            assert all(a.json() == answers[0].json() for a in answers), "a retry answers the first result"

    await asyncio.gather(*(send(n, body) for n, body in enumerate(bodies)))
    # a key sent again with other values is refused, and so is a second reading of a well and day under a new id
    reused = await gateway.post(
        "/api/v1/readings",
        headers={**pumper, "Idempotency-Key": f"caddo-{bodies[5]['reading_id']}"},
        json={**bodies[5], "oil_bbl": "99"},
    )
    # one meaning of a reused id everywhere (issue 14): 409 id-in-use, naming the field that differs
    assert reused.status_code == 409 and reused.json()["type"].endswith("/id-in-use"), reused.text
    assert reused.json()["errors"] == [{"field": "body.oil_bbl", "message": "differs from the stored reading"}]
    second = await gateway.post(
        "/api/v1/readings", headers=pumper, json={**bodies[5], "reading_id": "0193b000-0000-7000-8000-999999999999"}
    )
    assert second.status_code == 409, second.text
    return len(bodies), retries


TICKET = {  # what a hauler measures: tank temperatures, the sample's gravity and temperature, BS&W, the price
    "observed_gravity_api": "40.0",
    "observed_temperature_f": "85",
    "opening_temperature_f": "85",
    "closing_temperature_f": "84",
    "bsw_percent": "0.5",
}


async def _tank_work(gateway: httpx.AsyncClient, pumper: dict, ids: dict, month: date) -> tuple[list[Decimal], Decimal]:
    """Two run tickets (trucked: code 01) at 85 F with 0.5% BS&W, as a summer month's are, and the month-end gauges
    with the tanks' temperature. Returns the tickets' net barrels and the tanks' net stock at month end."""
    t1, t2 = ids["tanks"]["T1"], ids["tanks"]["T2"]

    def d(n: int) -> date:
        return date(month.year, month.month, n)

    tickets = [  # (day, tank, opening, closing): 12 days of 27.5 bbl into T1, then 12 into T2, then 6 into T1
        (d(13), t1, Decimal("330"), Decimal("10")),
        (d(25), t2, Decimal("330"), Decimal("50")),
    ]
    nets = []
    for n, (when, tank, opening, closing) in enumerate(tickets, start=1):
        body = {
            "ticket_number": f"CC-{n:05d}",
            "purchaser": "Permian Crude Purchasing LLC",
            "hauler": "Big Country Trucking",
            "driver": "R. Salinas",
            "tank_id": tank,
            "taken_at": _at(when, 10),
            "disposition_code": "01",
            "opening_gauge": _gauge(opening),
            "closing_gauge": _gauge(closing),
            **TICKET,
            "price_per_bbl": str(PRICES["oil"]),
            "seal_numbers": [f"S{n:06d}"],
        }
        key = {**pumper, "Idempotency-Key": f"caddo-ticket-{n}"}

        async def recorded(b=body, k=key) -> Any:
            response = await gateway.post("/api/v1/run-tickets", headers=k, json=b)
            return (
                NotYet(response.text) if response.status_code == 422 and "unknown-tank" in response.text else response
            )

        first = await until(recorded, 60, "production to learn the tanks", every=0.2)
        assert first.status_code == 201, first.text
        again = await gateway.post("/api/v1/run-tickets", headers=key, json=body)  # the retry of a lost answer
        assert again.status_code == 201 and again.json() == first.json()
        # net standard barrels: the gross corrected from ~85 F to 60 F (about 1.2% for 40 API) less 0.5% BS&W
        net = Decimal(str(first.json()["net_bbl"]))
        assert Decimal("0.978") < net / (opening - closing) < Decimal("0.988"), first.json()
        nets.append(net)
    stock = Decimal(0)
    for n, (tank, barrels) in enumerate(((t1, Decimal("175")), (t2, Decimal("50"))), start=1):
        body = {
            "tank_id": tank,
            "gauged_at": _at(d(30), 18),
            "gauge_date": d(30).isoformat(),
            **_gauge(barrels),
            "temperature_f": "72",
        }
        key = {**pumper, "Idempotency-Key": f"caddo-gauge-{n}"}
        first = await _post(gateway, "/api/v1/tank-gauges", key, body)
        assert await _post(gateway, "/api/v1/tank-gauges", key, body) == first
        net = Decimal(str(first["net_bbl"]))
        assert first["net_basis"] == "standard", first
        assert Decimal("0.99") < net / barrels < 1, first  # 72 F: a little under the gross at 60 F
        stock += net
    return nets, stock


async def _gas_dispositions(gateway: httpx.AsyncClient, pumper: dict, ids: dict, month: date) -> None:
    for lease, entries in (("oil", OIL_LEASE_GAS_DISPOSITIONS), ("gas", GAS_LEASE_GAS_DISPOSITIONS)):
        for code, mcf in entries.items():
            body = {"lease_id": ids["leases"][lease], "month": month.isoformat(), "code": code, "mcf": str(mcf)}
            if code == "02":
                body["purchaser"] = "West Texas Gas Gathering"
            await _post(gateway, "/api/v1/production/gas-dispositions", pumper, body)


def _expected_lines(month: date, ticket_nets: list[Decimal], net_stock: Decimal) -> dict[str, dict[str, Any]]:
    """The Form PR lines from what was sent, by the inventory method (docs/domain.md#measurement-basis): the oil
    lease's tanks were gauged at month end, so its ending stock is their net stock in whole barrels and its
    production is ending - beginning + the whole barrels disposed (the readings only allocate and are compared);
    the gas lease has no tanks, so its condensate is the readings' sum. Whole barrels and MCF, half up."""
    casinghead = sum((g for _, g, _ in OIL_WELLS.values()), Decimal(0)) * 30
    condensate, gas_well_gas = GAS_WELL[1] * 30, GAS_WELL[2] * 30
    trucked = _whole(sum(ticket_nets, Decimal(0)))
    ending = _whole(net_stock)
    assert sum(OIL_LEASE_GAS_DISPOSITIONS.values()) == casinghead  # the test's own data adds up
    assert sum(GAS_LEASE_GAS_DISPOSITIONS.values()) == gas_well_gas
    return {
        "oil": {
            "beginning_stock": 0,
            "liquid_production": ending + trucked,
            "liquid_dispositions": {"01": trucked},
            "ending_stock": ending,
            "gas_production": _whole(casinghead),
            "gas_dispositions": {c: _whole(v) for c, v in OIL_LEASE_GAS_DISPOSITIONS.items()},
        },
        "gas": {
            "beginning_stock": 0,
            "liquid_production": _whole(condensate),
            "liquid_dispositions": {},
            "ending_stock": _whole(condensate),
            "gas_production": _whole(gas_well_gas),
            "gas_dispositions": {c: _whole(v) for c, v in GAS_LEASE_GAS_DISPOSITIONS.items()},
        },
    }


def _line_figures(line: dict) -> dict[str, Any]:
    return {
        "beginning_stock": line["beginning_stock"],
        "liquid_production": line["liquid_production"],
        "liquid_dispositions": {d["code"]: d["volume"] for d in line["liquid_dispositions"]},
        "ending_stock": line["ending_stock"],
        "gas_production": line["gas_production"],
        "gas_dispositions": {d["code"]: d["volume"] for d in line["gas_dispositions"]},
    }


async def _form_pr(gateway, accountant, ids, period: str, expected: dict) -> dict:
    lease_keys = {v: k for k, v in ids["leases"].items()}

    async def reflected() -> Any:
        response = await gateway.get(f"/api/v1/form-pr/{period}", headers=accountant)
        if response.status_code != 200:
            return NotYet(response.text)
        body = response.json()
        seen = {
            lease_keys[line["lease_id"]]: _line_figures(line)
            for line in body["lines"]
            if line["lease_id"] in lease_keys
        }
        return body if seen == expected else NotYet((seen, body["errors"]))

    return await until(reflected, 60, f"the Form PR {period} to reflect the month's production", every=0.2)


async def test_a_month_in_the_life_of_an_operator(gateway: httpx.AsyncClient, sign_up, e2e_stack):
    month = _production_month(datetime.now(UTC).date())
    period = f"{month:%Y-%m}"
    owner, pumper, accountant = await _people(gateway, sign_up)
    # the operator's address and phone, which every owner statement carries (Tex. Nat. Res. Code 91.502 item 12)
    profile = {
        "legal_name": "Caddo Creek Operating LLC",
        "mailing_address": {"line1": "410 Main St", "city": "Big Spring", "state": "TX", "postal_code": "79720"},
        "phone": "432-555-0142",
    }
    answer = await gateway.patch("/api/v1/organizations/current", headers=owner, json=profile)
    assert answer.status_code == 200, answer.text
    ids = await _registry(gateway, owner, month)

    sent, retries = await _record_readings(gateway, pumper, ids, month)
    assert (sent, retries) == (120, 18)
    ticket_nets, net_stock = await _tank_work(gateway, pumper, ids, month)
    await _gas_dispositions(gateway, pumper, ids, month)
    well_test = await _post(
        gateway,
        f"/api/v1/wells/{ids['wells']['42-227-31001']}/tests",
        pumper,
        {
            "test_date": (month + timedelta(days=14)).isoformat(),
            "oil_bbl_per_day": "12.40",
            "gas_mcf_per_day": "30.10",
            "water_bbl_per_day": "4.00",
            "hours": "24",
        },
    )
    assert Decimal(str(well_test["oil_bbl_per_day"])) == Decimal("12.40")

    # the retries recorded nothing twice: the pumper's readings of the month are one per well and day
    for lease, count in (("oil", 90), ("gas", 30)):
        listed = await gateway.get(
            "/api/v1/readings",
            headers=pumper,
            params={
                "lease_id": ids["leases"][lease],
                "from": month.isoformat(),
                "to": (month + timedelta(days=29)).isoformat(),
                "limit": 200,
            },
        )
        assert listed.status_code == 200, listed.text
        assert len(listed.json()["items"]) == count
        assert len({(r["well_id"], r["production_date"]) for r in listed.json()["items"]}) == count
    tests = await gateway.get(f"/api/v1/wells/{ids['wells']['42-227-31001']}/tests", headers=owner)
    assert [t["id"] for t in tests.json()["items"]] == [well_test["id"]]
    oil_month = await gateway.get(
        f"/api/v1/production/leases/{ids['leases']['oil']}/months/{month.isoformat()}", headers=owner
    )
    assert oil_month.status_code == 200, oil_month.text
    assert Decimal(str(oil_month.json()["oil_bbl"])) == sum((o for o, _, _ in OIL_WELLS.values()), Decimal(0)) * 30

    # the Form PR draft: every figure from what was recorded, balanced, fileable
    expected = _expected_lines(month, ticket_nets, net_stock)
    report = await _form_pr(gateway, accountant, ids, period, expected)
    assert report["errors"] == [], report["errors"]
    assert report["ready_to_submit"] is True
    assert (await gateway.get(f"/api/v1/form-pr/{period}/adjustments", headers=accountant)).json()["items"] == []
    # the pumpers' readings are compared with the gauged production (a measured variance), never booked as a
    # disposition: 825 BBL read, the tanks and tickets say less (temperature shrink, BS&W, gauge resolution)
    oil_line = next(line for line in report["lines"] if line["lease_id"] == ids["leases"]["oil"])
    read = sum((o for o, _, _ in OIL_WELLS.values()), Decimal(0)) * 30
    assert Decimal(str(oil_line["liquid_readings"])) == read, oil_line
    assert Decimal(str(oil_line["liquid_variance"])) == read - oil_line["liquid_production"], oil_line
    assert [i["code"] for i in oil_line["issues"]] == [], oil_line["issues"]
    assert report["operator"]["rrc_operator_number"] == "123456"
    for line in report["lines"]:
        liquid_out = sum(d["volume"] for d in line["liquid_dispositions"])
        assert line["beginning_stock"] + line["liquid_production"] - liquid_out == line["ending_stock"]
        assert line["liquid_disposed"] == liquid_out
        assert line["gas_disposed"] == line["gas_production"] == sum(d["volume"] for d in line["gas_dispositions"])
    totals = report["totals"]
    assert totals["liquid_production"] == sum(e["liquid_production"] for e in expected.values())
    assert totals["gas_production"] == sum(e["gas_production"] for e in expected.values())
    gas_line = next(line for line in report["lines"] if line["lease_id"] == ids["leases"]["gas"])
    assert (gas_line["identifier_kind"], gas_line["identifier"]) == ("gas_well_id", "204417")

    # filed with the RRC portal stand-in, once, and accepted: labelled as its answer (nothing reached the RRC)
    submitted = await gateway.post(f"/api/v1/form-pr/{period}/submit", headers=accountant)
    assert submitted.status_code == 202, submitted.text
    again = await gateway.post(f"/api/v1/form-pr/{period}/submit", headers=accountant)
    assert again.status_code == 200 and again.json()["version"] == submitted.json()["version"] == 1

    async def answered() -> Any:
        body = (await gateway.get(f"/api/v1/form-pr/{period}", headers=accountant)).json()
        return body if body["state"] in ("accepted", "rejected") else NotYet(body["versions"])

    filed = await until(answered, 60, "the portal's answer", every=0.2)
    assert filed["state"] == "accepted", filed["versions"]
    assert filed["versions"][0]["confirmation_number"].startswith("STANDIN-")
    assert filed["versions"][0]["filed_via"] == "stand-in" and "nothing was sent" in filed["versions"][0]["notice"]
    async with httpx.AsyncClient(base_url=e2e_stack["rrc_portal_url"]) as portal:
        filings = (await portal.get("/admin/filings")).json()
    assert filings["count"] == 1
    version = (await gateway.get(f"/api/v1/form-pr/{period}/versions/1", headers=accountant)).json()
    assert version["confirmation_number"] == filed["versions"][0]["confirmation_number"]

    # the pumper corrects a condensate reading after filing (2.25 -> 3.25 BBL): 68.5 BBL round to 69, the draft
    # differs from what was filed, and the amendment is filed as version 2
    reading_id = "0193b000-0000-7000-8000-000009000003"  # the gas well's reading of day 10
    corrected = await gateway.patch(
        f"/api/v1/readings/{reading_id}",
        headers={**pumper, "If-Match": '"1"'},
        json={"oil_bbl": "3.25", "reason": "condensate tank re-strapped; the meter under-read", "confirm": True},
    )
    assert corrected.status_code == 200, corrected.text
    expected["gas"]["liquid_production"] = expected["gas"]["ending_stock"] = _whole(GAS_WELL[1] * 30 + 1)
    assert expected["gas"]["liquid_production"] == 69
    amended = await _form_pr(gateway, accountant, ids, period, expected)
    assert amended["amendment_needed"] is True and amended["errors"] == []
    second = await gateway.post(f"/api/v1/form-pr/{period}/submit", headers=accountant)
    assert second.status_code == 202, second.text
    assert (second.json()["version"], second.json()["kind"]) == (2, "amended")

    async def amendment_answered() -> Any:
        body = (await gateway.get(f"/api/v1/form-pr/{period}", headers=accountant)).json()
        states = {v["version"]: v["state"] for v in body["versions"]}
        return body if states.get(2) in ("accepted", "rejected") else NotYet(states)

    after = await until(amendment_answered, 60, "the portal's answer to the amendment", every=0.2)
    assert {v["version"]: v["state"] for v in after["versions"]} == {1: "accepted", 2: "accepted"}
    assert after["amendment_needed"] is False
    async with httpx.AsyncClient(base_url=e2e_stack["rrc_portal_url"]) as portal:
        assert (await portal.get("/admin/filings")).json()["count"] == 2

    # severance tax: the statute's figures on the sales and the Form PR's taxable dispositions
    taxes = await _severance(gateway, accountant, ids, period, expected, ticket_nets)

    # the back office: decks, prices, a revenue run and the JIB
    await _accounting(gateway, accountant, ids, month, ticket_nets, taxes)


async def _severance(
    gateway, accountant, ids, period: str, expected: dict, ticket_nets
) -> dict[tuple[str, str], Decimal]:
    """The Comptroller's reports by statute (docs/domain.md#severance-tax): the oil tax on the barrels the run
    tickets sold (fractions kept; the tickets carry no price here, so the entered price is the fallback),
    lease fuel taxed on the gas report, the gas fee on all gas saved; owners carry the tax on sold volumes."""
    oil_sold = sum(ticket_nets, Decimal(0))
    gas = {lease: expected[lease]["gas_dispositions"] for lease in ("oil", "gas")}
    marketing = {"oil": OIL_LEASE_GAS_MARKETING, "gas": GAS_LEASE_GAS_MARKETING}
    wanted: dict[str, dict[str, Any]] = {
        "oil": {"crude": oil_tax(oil_sold, value_paid([(oil_sold, PRICES["oil"])]))},
        "gas": {},
    }
    for lease in ("oil", "gas"):
        sold, fuel = Decimal(gas[lease]["02"]), Decimal(gas[lease]["01"])
        wanted[lease]["gas"] = gas_tax(sold, cents(sold * PRICES["gas"]), marketing[lease], fee_mcf=Decimal(0))
        wanted[lease]["lease_use"] = gas_tax(
            fuel, cents(fuel * PRICES["gas"]), commodity="lease_use", fee_mcf=Decimal(0)
        )
        wanted[lease]["gas_fee"] = gas_fee_line(sold + fuel)
    bodies = {
        "oil": {
            "liquid": {"price": str(PRICES["oil"])},
            "gas": {"price": str(PRICES["gas"]), "marketing_costs": str(OIL_LEASE_GAS_MARKETING)},
        },
        "gas": {"gas": {"price": str(PRICES["gas"]), "marketing_costs": str(GAS_LEASE_GAS_MARKETING)}},
    }
    taxes: dict[tuple[str, str], Decimal] = {}
    for lease, body in bodies.items():
        path = f"/api/v1/severance-tax/leases/{ids['leases'][lease]}/{period}/prices"
        response = await gateway.put(path, headers=accountant, json=body)
        assert response.status_code == 200, response.text
        lines = {line["commodity"]: line for line in response.json()["lines"]}
        assert set(lines) == set(wanted[lease]), lines
        for commodity, tax in wanted[lease].items():
            line = lines[commodity]
            got = tuple(Decimal(str(line[k])) for k in ("volume", "market_value", "rate", "tax", "regulatory_fee"))
            assert got == (tax.volume, tax.market_value, tax.rate, tax.tax, tax.regulatory_fee), (lease, line)
        taxes[(lease, "gas")] = wanted[lease]["gas"].tax
        total = sum((t.tax for t in wanted[lease].values()), Decimal(0))
        assert Decimal(str(response.json()["total_tax"])) == total
    taxes[("oil", "oil")] = wanted["oil"]["crude"].tax
    # the filing calendar carries the month's tax obligations with those amounts, and the Form PR still open: the
    # stand-in's acceptance is no RRC confirmation (docs/compliance-submission.md)
    due = await gateway.get("/api/v1/filing-calendar", headers=accountant, params={"limit": 200})
    assert due.status_code == 200, due.text
    obligations = {o["obligation"]: o for o in due.json()["items"] if o["period"] == f"{period}-01"}
    assert obligations["form_pr"]["state"] == "awaiting_confirmation" and obligations["form_pr"]["done_at"] is None
    for obligation, lines in (
        ("oil_tax", [wanted["oil"]["crude"]]),
        ("gas_tax", [*wanted["oil"].values(), *wanted["gas"].values()][1:]),
    ):
        amount = obligations[obligation]["amount"]
        assert Decimal(str(amount["tax"])) == sum((t.tax for t in lines), Decimal(0)), (obligation, amount)
        assert Decimal(str(amount["regulatory_fees"])) == sum((t.regulatory_fee for t in lines), Decimal(0))
    return taxes


async def _accounting(gateway, accountant, ids, month: date, ticket_nets, taxes) -> None:
    partners = {}
    for key, name, kind, roles in (
        ("operator", "Caddo Creek Operating", "company", ["working_interest_partner"]),
        ("partner", "Llano Basin Partners LP", "company", ["working_interest_partner"]),
        ("royalty", "Ada Whitfield", "individual", ["royalty_owner"]),
        ("orri", "Tomas Cordova", "individual", ["orri_owner"]),
        ("vendor", "Big Spring Well Service", "company", ["vendor"]),
    ):
        row = await _post(
            gateway,
            "/api/v1/partners",
            accountant,
            {"name": name, "kind": kind, "roles": roles, "state": "TX", "city": "Big Spring", "postal_code": "79720"},
        )
        partners[key] = row["id"]
    revenue = [
        ("royalty", "royalty", "0.1875"),
        ("orri", "orri", "0.03125"),
        ("operator", "working_interest", "0.5859375"),
        ("partner", "working_interest", "0.1953125"),
    ]
    cost = [("operator", "0.75"), ("partner", "0.25")]
    for lease in ("oil", "gas"):
        for kind, lines in (
            ("revenue", [{"partner_id": partners[p], "interest_type": t, "decimal": d} for p, t, d in revenue]),
            ("cost", [{"partner_id": partners[p], "interest_type": "working_interest", "decimal": d} for p, d in cost]),
        ):
            body = {"lease_id": ids["leases"][lease], "kind": kind, "effective_from": month.isoformat(), "lines": lines}

            async def entered(b=body) -> Any:
                response = await gateway.post("/api/v1/ownership-decks", headers=accountant, json=b)
                return (
                    NotYet(response.text)
                    if response.status_code == 422 and "known to accounting" in response.text
                    else response
                )

            deck = await until(entered, 60, f"accounting to learn the {lease} lease", every=0.2)
            assert deck.status_code == 201, deck.text
            assert Decimal(str(deck.json()["total"])) == 1
    for product in ("oil", "gas"):
        response = await gateway.put(
            "/api/v1/prices",
            headers=accountant,
            json={"month": month.isoformat(), "product": product, "price": str(PRICES[product])},
        )
        assert response.status_code == 200, response.text

    oil_sold = sum(ticket_nets, Decimal(0))
    sold = {
        (ids["leases"]["oil"], "oil"): (oil_sold, taxes[("oil", "oil")]),
        (ids["leases"]["oil"], "gas"): (OIL_LEASE_GAS_DISPOSITIONS["02"], taxes[("oil", "gas")]),
        (ids["leases"]["gas"], "gas"): (GAS_LEASE_GAS_DISPOSITIONS["02"], taxes[("gas", "gas")]),
    }

    async def complete() -> Any:
        response = await gateway.post("/api/v1/revenue/runs", headers=accountant, json={"month": month.isoformat()})
        assert response.status_code == 201, response.text
        got = {
            (s["lease_id"], s["product"]): (Decimal(str(s["volume"])), Decimal(str(s["severance_tax"])))
            for s in response.json()["sales"]
        }
        sources = {s["tax_source"] for s in response.json()["sales"]}
        return response.json() if got == sold and sources == {"compliance"} else NotYet((got, sources))

    run = await until(complete, 60, "accounting to value the month's sales with compliance's taxes", every=0.2)
    gross = sum((cents(v * PRICES[p]) for (_, p), (v, _) in sold.items()), Decimal(0))
    tax = sum((t for _, t in sold.values()), Decimal(0))
    assert Decimal(run["totals"]["gross_value"]) == gross
    assert Decimal(run["totals"]["severance_tax"]) == tax
    assert Decimal(run["totals"]["deductions"]) == 0
    distributable = Decimal(run["totals"]["net_distributed"])
    assert distributable == gross - tax
    run = await _post(gateway, f"/api/v1/revenue/runs/{run['id']}/finalize", accountant, {}, expect=200)
    assert run["status"] == "finalized"
    statements = (await gateway.get(f"/api/v1/revenue/runs/{run['id']}/statements", headers=accountant)).json()
    earned = {s["partner_id"]: Decimal(str(s["earned"])) for s in statements["items"]}
    assert set(earned) == {partners[k] for k in ("operator", "partner", "royalty", "orri")}
    assert sum(earned.values()) == distributable
    royalty_gross = sum((cents(v * PRICES[p]) for (_, p), (v, _) in sold.items()), Decimal(0)) * Decimal("0.1875")
    # each sale's gross and tax are split by largest remainder: each share is off its exact value by under a cent
    assert abs(earned[partners["royalty"]] - (royalty_gross - tax * Decimal("0.1875"))) < Decimal("0.01") * 2 * len(
        sold
    )

    royalty = partners["royalty"]
    path = f"/api/v1/revenue/runs/{run['id']}/statements/{royalty}"
    pdf = await gateway.get(path, headers=accountant, params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.text[:200]
    stub = await gateway.get(path, headers=accountant, params={"format": "csv"})
    assert stub.status_code == 200, stub.text
    rows = list(csv.reader(io.StringIO(stub.text)))
    assert len(rows) > 3 and any("Ada Whitfield" in cell for row in rows for cell in row)
    facts = {row[0]: row[1] for row in rows if len(row) == 2}
    assert Decimal(facts["Owner share after deductions, this run"]) == earned[royalty], facts

    # the JIB: a lease cost billed to the working-interest partners by the cost deck
    await _post(
        gateway,
        "/api/v1/jib/agreements",
        accountant,
        {
            "lease_id": ids["leases"]["oil"],
            "name": "JOA Caddo Oil (AAPL 610-1989)",
            "drilling_overhead_rate": "9500.00",
            "producing_overhead_rate": "950.00",
            "rates_set_on": (month - timedelta(days=100)).isoformat(),
            "afe_overrun_percent": "10",
        },
    )
    await _post(
        gateway,
        "/api/v1/jib/costs",
        accountant,
        {
            "incurred_on": (month + timedelta(days=9)).isoformat(),
            "lease_id": ids["leases"]["oil"],
            "vendor_id": partners["vendor"],
            "invoice_number": "BSWS-4410",
            "category": "lease_operating",
            "description": "Pumper contract",
            "amount": "1850.00",
        },
    )
    jib = await _post(gateway, "/api/v1/jib/runs", accountant, {"month": month.isoformat()})
    billed = {s["partner_id"]: Decimal(str(s["billed"])) for s in jib["statements"]}
    overhead = Decimal(jib["totals"]["overhead"])
    assert sum(billed.values()) == Decimal(jib["totals"]["gross_billed"])
    assert billed[partners["partner"]] == (Decimal("1850.00") + overhead) * Decimal("0.25")
    issued = await _post(gateway, f"/api/v1/jib/runs/{jib['id']}/issue", accountant, {}, expect=200)
    assert issued["status"] == "issued"
    jib_path = f"/api/v1/jib/runs/{jib['id']}/statements/{partners['partner']}"
    jib_pdf = await gateway.get(jib_path, headers=accountant, params={"format": "pdf"})
    assert jib_pdf.status_code == 200 and jib_pdf.content.startswith(b"%PDF")
    jib_csv = await gateway.get(jib_path, headers=accountant, params={"format": "csv"})
    assert jib_csv.status_code == 200 and list(csv.reader(io.StringIO(jib_csv.text)))
