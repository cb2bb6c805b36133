"""Tank balance of 500 leases over 30 days: every oil tank's daily balance, batched, against one tank at a time.

    python bench/production_tank_balance.py [--leases 500] [--days 30]

Provisions and migrates a production database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers), seeds ``--leases`` leases of 2 producing wells and one oil tank each, imports ``--days`` days of daily
readings (CSV import), writes a pumper gauge per tank and day and a run ticket per tank every 7 days (SQL, as
the API would store them), then times:

- the whole organization's balance for the 30 days (``app.tank_ledger.load_histories`` + ``balance_of``: six
  queries for every tank, the domain in Python), the figure asked for; target <= 2 s;
- the daily check's tank part for one day (``tank_candidates``), what the periodic alert check adds;
- a baseline in the same run: the same 30 days through ``GET /api/v1/production/tanks/{id}/balance`` one tank at
  a time for 50 tanks, scaled to all tanks.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from uuid import uuid4

import httpx
from _production_setup import Signer, production_env, seed
from sqlalchemy import text

from wellflow_contracts.ids import uuid7
from wellflow_production.adapters.unit_of_work import SqlProductionWork
from wellflow_production.app import tank_ledger
from wellflow_production.app.organization import OrganizationSettings
from wellflow_production.bootstrap import create_app
from wellflow_servicekit.database import Database
from wellflow_servicekit.kernel import Actor

BBL_PER_INCH = Decimal("1.67")  # the seeded strapping: 400.8 bbl over 240 in


def readings_csv(apis: list[str], first: date, days: int) -> bytes:
    lines = ["api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on"]
    for n in range(days):
        day = (first + timedelta(days=n)).isoformat()
        lines += [f"{api},{day},{10 + (i + n) % 7},20,5,24" for i, api in enumerate(apis)]
    return ("\n".join(lines) + "\n").encode()


_GAUGE = text(
    """
    INSERT INTO tank_gauges (organization_id, id, battery_id, tank_id, lease_id, gauged_at, gauge_date, feet, inches,
        quarters, level_inches, barrels, source, recorded_by, entered_at, gravity_source, net_bbl, net_basis)
    VALUES (:org, :id, :battery, :tank, :lease, :at, :day, :feet, :inches, 0, :level, :bbl, 'gauge', 'bench', :at,
        'none', :bbl, 'legacy')
    """
)
_TICKET = text(
    """
    INSERT INTO run_tickets (organization_id, id, ticket_number, purchaser, hauler, lease_id, battery_id, tank_id,
        taken_at, production_month, disposition_code, opening_feet, opening_inches, opening_quarters, closing_feet,
        closing_inches, closing_quarters, opening_bbl, closing_bbl, gross_bbl, observed_gravity_api,
        observed_temperature_f, bsw_percent, api_gravity_60, ctl, net_bbl, seal_numbers, recorded_by, entered_at,
        opening_temperature_f, closing_temperature_f, ctl_opening, ctl_closing, hydrometer_correction)
    VALUES (:org, :id, :number, 'Plains', 'Hauler A', :lease, :battery, :tank, :at, :month, '01', 0, 0, 0, 0, 0, 0,
        :gross, 0, :gross, 40, 60, 0, 40, 1, :gross, '[]'::jsonb, 'bench', :at, 60, 60, 1, 1, false)
    """
)


async def field_data(runtime_url: str, org, first: date, days: int) -> list:
    """A gauge per tank and day that matches the readings exactly, a ticket every 7 days; answers the tanks."""
    database = Database(runtime_url, service="production", pool_size=2, work_type=SqlProductionWork)
    try:
        async with database.unit_of_work(org) as uow:
            tanks = await uow.tank_ledger.oil_tanks()
            oil = {
                (r["battery_id"], r["production_date"]): r["oil_bbl"]
                for r in await uow.tank_ledger.battery_oil(
                    [t["battery_id"] for t in tanks], first - timedelta(days=1), first + timedelta(days=days)
                )
            }
            gauges, tickets = [], []
            for tank in tanks:
                level = Decimal(100)
                for n in range(-1, days):
                    day = first + timedelta(days=n)
                    level += oil.get((tank["battery_id"], day), Decimal(0))
                    if n >= 0 and n % 7 == 3:
                        at = datetime.combine(day, clock(12), tzinfo=UTC)
                        where = {"lease": tank["lease_id"], "battery": tank["battery_id"], "tank": tank["id"]}
                        number = f"B{len(tickets)}"
                        tickets.append(
                            {"org": org, "id": uuid7(), "number": number, "at": at, **where}
                            | {"month": day.replace(day=1), "gross": level - 100}
                        )
                        level = Decimal(100)
                    at = datetime.combine(day, clock(18), tzinfo=UTC)
                    where = {"lease": tank["lease_id"], "battery": tank["battery_id"], "tank": tank["id"]}
                    inches = (level / BBL_PER_INCH).quantize(Decimal("0.01"))
                    gauges.append(
                        {"org": org, "id": uuid7(), "at": at, "day": day, "feet": 0, "inches": 0, **where}
                        | {"level": inches, "bbl": level}
                    )
            await uow.connection.execute(_GAUGE, gauges)
            await uow.connection.execute(_TICKET, tickets)
        return tanks
    finally:
        await database.dispose()


async def main(leases: int, days: int) -> None:
    async with production_env() as env:
        org = uuid4()
        seeded = await seed(env.runtime_url, org, leases, 2)
        first = date.today() - timedelta(days=days + 1)
        last = first + timedelta(days=days - 1)
        signer = Signer()
        app = create_app(env.settings(), token_verifier=signer.verifier())
        headers = {"Authorization": f"Bearer {signer.token(org)}"}
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://production.bench", headers=headers, timeout=600
            ) as client,
        ):
            apis = [api for lease in seeded for api in lease.api_numbers]
            answer = await client.post(
                "/api/v1/readings/imports",
                params={"mode": "all_or_nothing"},
                content=readings_csv(apis, first - timedelta(days=1), days + 1),
                headers={"Content-Type": "text/csv"},
            )
            assert answer.status_code == 201, answer.text
            tanks = await field_data(env.runtime_url, org, first, days)
            print(f"{leases} leases, {len(tanks)} oil tanks, {days} days of readings, gauges and tickets ({env.where})")
            production = app.state.production
            actor_org = org
            threshold = tank_ledger.threshold_of(OrganizationSettings())

            async def everything() -> int:
                async with production.uow(Actor(id="bench", organization_id=actor_org)) as uow:
                    found = await uow.tank_ledger.oil_tanks()
                    histories = await tank_ledger.load_histories(uow, found, first, last)
                return sum(
                    sum(1 for d in tank_ledger.balance_of(h, first, last, threshold) if d.alarm)
                    for h in histories.values()
                )

            await everything()  # warm up
            runs = []
            for _ in range(3):
                t0 = time.perf_counter()
                alarms = await everything()
                runs.append(time.perf_counter() - t0)
            best = min(runs)
            print(f"all tanks x {days} days, batched: {best:.2f} s (best of 3; {alarms} alarms on exact data)")
            print("target: <= 2 s")

            t0 = time.perf_counter()
            async with production.uow(Actor(id="bench", organization_id=org)) as uow:
                found = await tank_ledger.tank_candidates(uow, OrganizationSettings(), last)
            took = time.perf_counter() - t0
            print(f"the daily check's tank part (one day, all tanks): {took:.2f} s, {len(found)} alarms")

            sample = tanks[:50]  # the baseline times 50 tanks (fewer when there are fewer)
            t0 = time.perf_counter()
            for tank in sample:
                response = await client.get(
                    f"/api/v1/production/tanks/{tank['id']}/balance",
                    params={"from": first.isoformat(), "to": last.isoformat()},
                )
                response.raise_for_status()
            one_by_one = (time.perf_counter() - t0) / len(sample) * len(tanks)
            print(f"baseline, one tank per request ({len(sample)} timed, scaled to {len(tanks)}): {one_by_one:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--leases", type=int, default=500)
    parser.add_argument("--days", type=int, default=30)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.leases, arguments.days))
