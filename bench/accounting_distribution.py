"""A revenue distribution run for 500 wells with 40 owners each, one month: seconds and peak memory.

    python bench/accounting_distribution.py [--wells 500] [--owners 40] [--repeat 3]

Provisions and migrates an accounting database (WELLFLOW_DATABASE_URL / WELLFLOW_NATS_URL, else embedded
servers) and loads one organization: ``--wells`` oil leases of one well each (the lease is the unit a deck and a
distribution line belong to), each with a revenue deck of ``--owners`` owners (royalty, ORRI and working
interests summing to 1.00000000) drawn from a pool of 2,000 owners, a month of oil and gas sold, and the
month's oil and gas prices. Then it times ``POST /api/v1/revenue/runs`` through the app in this process
(httpx's ASGI transport: no socket): valuing 1,000 lease-products with compliance's severance tax, allocating
40,000 owner lines to the cent, settling 2,000 owners' suspense and writing everything. Re-running replaces
the draft, so every repeat does the whole work. Target: <= 5 s.

Memory: the process's peak resident set (ru_maxrss) after the runs, its growth during them, and the Python
heap peak of one extra run under tracemalloc (which slows that run; its time is not reported).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import tracemalloc
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import httpx
from _accounting import accounting_bench, lease_row
from sqlalchemy import insert

from wellflow_accounting.adapters.tables import (
    deck_lines,
    decks,
    lease_months,
    leases,
    partners,
    prices,
    severance_taxes,
)
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.runtime import run as run_loop
from wellflow_texas.severance import cents, gas_tax, oil_tax

MONTH = date(2026, 3, 1)
OIL_PRICE, GAS_PRICE = Decimal("71.2500"), Decimal("2.4100")
OWNER_POOL = 2000


def _deck_decimals(rng: random.Random, owners: int) -> list[Decimal]:
    """A royalty of 3/16 split among the first half of the owners, the rest working interest, exact to 1."""
    raw = [rng.randint(1, 1000) for _ in range(owners)]
    royalty_owners = owners // 2
    royalty = Decimal("0.1875")
    royalty_total = sum(raw[:royalty_owners])
    decimals = [(royalty * r / royalty_total).quantize(Decimal("0.00000001")) for r in raw[:royalty_owners]]
    wi_total = sum(raw[royalty_owners:])
    decimals += [((1 - royalty) * r / wi_total).quantize(Decimal("0.00000001")) for r in raw[royalty_owners:]]
    decimals[-1] += Decimal(1) - sum(decimals)
    return decimals


async def _load(app, org: UUID, wells: int, owners: int) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC)
    database = app.state.accounting.database
    pool = [uuid7() for _ in range(OWNER_POOL)]
    async with database.unit_of_work(org) as uow:
        await uow.connection.execute(
            insert(partners),
            [
                {
                    "organization_id": org,
                    "id": partner_id,
                    "name": f"Owner {i:04d}",
                    "kind": "individual",
                    "roles": ["royalty_owner", "working_interest_partner"],
                    "payment_method": "check",
                    "status": "active",
                    "created_at": now,
                    "updated_at": now,
                }
                for i, partner_id in enumerate(pool)
            ],
        )
        lease_rows, month_rows, deck_rows, line_rows, tax_rows = [], [], [], [], []
        for n in range(wells):
            lease_id = uuid7()
            lease_rows.append(lease_row(org, lease_id, n, now))
            oil = Decimal(rng.randint(300, 3000))
            gas = Decimal(rng.randint(500, 6000))
            month_rows.append(
                {
                    "organization_id": org,
                    "lease_id": lease_id,
                    "month": MONTH,
                    "revision": 1,
                    "lease_type": "oil",
                    "oil_bbl": oil,
                    "condensate_bbl": Decimal(0),
                    "gas_mcf": gas,
                    "liquid_sold_bbl": oil,
                    "gas_sold_mcf": gas,
                    "gas_sold_estimated": False,
                    "updated_at": now,
                }
            )
            # compliance's severance tax of the lease-month, as its event leaves it (the tax owners carry)
            oil_value, gas_value = cents(oil * OIL_PRICE), cents(gas * GAS_PRICE)
            tax_rows.append(
                {
                    "organization_id": org,
                    "lease_id": lease_id,
                    "month": MONTH,
                    "revision": 1,
                    "lines": {"oil": str(oil_tax(oil, oil_value).tax), "gas": str(gas_tax(gas, gas_value).tax)},
                    "detail": {"values": {"oil": str(oil_value), "gas": str(gas_value)}},
                    "updated_at": now,
                }
            )
            deck_id = uuid7()
            deck_rows.append(
                {
                    "organization_id": org,
                    "id": deck_id,
                    "lease_id": lease_id,
                    "kind": "revenue",
                    "effective_from": date(2025, 1, 1),
                    "effective_to": None,
                    "created_by": "bench",
                    "created_at": now,
                }
            )
            holders = rng.sample(pool, owners)
            for i, (partner_id, decimal) in enumerate(zip(holders, _deck_decimals(rng, owners), strict=True)):
                line_rows.append(
                    {
                        "organization_id": org,
                        "deck_id": deck_id,
                        "partner_id": partner_id,
                        "interest_type": "royalty" if i < owners // 2 else "working_interest",
                        "decimal": decimal,
                    }
                )
        await uow.connection.execute(insert(leases), lease_rows)
        await uow.connection.execute(insert(lease_months), month_rows)
        await uow.connection.execute(insert(severance_taxes), tax_rows)
        await uow.connection.execute(insert(decks), deck_rows)
        await uow.connection.execute(insert(deck_lines), line_rows)
        await uow.connection.execute(
            insert(prices),
            [
                {
                    "organization_id": org,
                    "id": uuid7(),
                    "month": MONTH,
                    "product": product,
                    "lease_id": None,
                    "price": price,
                    "source": "entered",
                    "created_by": "bench",
                    "created_at": now,
                }
                for product, price in (("oil", OIL_PRICE), ("gas", GAS_PRICE))
            ],
        )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


async def main(wells: int, owners: int, repeat: int) -> None:
    async with accounting_bench() as bench:
        app, client, org, env = bench.app, bench.client, bench.org, bench.env
        started = time.perf_counter()
        await _load(app, org, wells, owners)
        print(f"loaded {wells} leases x {owners} owners in {time.perf_counter() - started:.1f} s ({env.where})")
        run, timings, memory = await _runs(client, repeat)
    _report(run, timings, memory, wells, owners, repeat)


async def _runs(client: httpx.AsyncClient, repeat: int) -> tuple[dict, list[float], tuple[float, float, int]]:
    """``repeat`` timed runs of the month, then one more under tracemalloc: the last run's answer, the times,
    and (RSS before, RSS after, heap peak of one run)."""
    rss_before = _rss_mb()
    timings = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        response = await client.post("/api/v1/revenue/runs", json={"month": MONTH.isoformat()})
        timings.append(time.perf_counter() - t0)
        response.raise_for_status()
    run = response.json()
    rss_after = _rss_mb()
    tracemalloc.start()
    (await client.post("/api/v1/revenue/runs", json={"month": MONTH.isoformat()})).raise_for_status()
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return run, timings, (rss_before, rss_after, heap_peak)


def _report(
    run: dict, timings: list[float], memory: tuple[float, float, int], wells: int, owners: int, repeat: int
) -> None:
    rss_before, rss_after, heap_peak = memory
    owners_paid = int(run["totals"]["owners"])
    print(
        f"distribution run, {wells} wells x {owners} owners ({len(run['sales'])} lease-products, "
        f"{len(run['sales']) * owners} owner lines, {owners_paid} owners settled), {repeat} runs"
    )
    print(
        f"  best {min(timings):.2f} s  median {statistics.median(timings):.2f} s  worst {max(timings):.2f} s"
        "  (target <= 5 s)"
    )
    print(
        f"  memory: peak RSS {rss_after:.0f} MB (grew {rss_after - rss_before:.0f} MB during the runs), "
        f"Python heap peak of one run {heap_peak / 1e6:.0f} MB"
    )
    print(
        f"  totals: gross {run['totals']['gross_value']}, tax {run['totals']['severance_tax']}, "
        f"net {run['totals']['net_distributed']}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wells", type=int, default=500)
    parser.add_argument("--owners", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    run_loop(main(args.wells, args.owners, args.repeat))
