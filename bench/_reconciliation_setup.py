"""What the reconciliation benchmarks share: an organization with ``leases`` oil leases, each with its month's
run tickets and Form PR dispositions, the month's posted price ranges, a purchaser, its saved column map and
its property numbers mapped to the leases (rows written directly, as the events and API calls would leave them),
and a check-stub CSV paying those tickets."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from _accounting import lease_row
from sqlalchemy import insert

from wellflow_accounting.adapters.tables import (
    lease_months,
    leases,
    partners,
    posted_prices,
    purchaser_properties,
    run_tickets,
    statement_column_maps,
)
from wellflow_contracts.ids import uuid7

MONTH = date(2026, 3, 1)
PRICE = Decimal("71.2500")
HEADER = "Check,Property,Ticket,Month,Product,Volume,Gravity,Price,Gross,Transport,SevTax,Net"
LAYOUT = {
    "columns": {
        "check_number": "Check",
        "property_number": "Property",
        "ticket_number": "Ticket",
        "month": "Month",
        "product": "Product",
        "volume": "Volume",
        "gravity": "Gravity",
        "price": "Price",
        "gross_value": "Gross",
        "net_value": "Net",
    },
    "deductions": {"transportation": "Transport"},
    "taxes": {"severance": "SevTax"},
    "products": {"100": "oil"},
    "month_format": "%Y-%m",
}


async def load(app, org: UUID, leases_n: int, tickets_per_lease: int) -> dict:
    """The organization's leases, tickets, dispositions, posted range, purchaser, map and properties; the ids
    and each lease's tickets (number, net barrels) for the statement to pay."""
    rng = random.Random(11)
    now = datetime.now(UTC)
    purchaser, map_id = uuid7(), uuid7()
    lease_ids, tickets, ticket_rows, month_rows = [], {}, [], []
    for n in range(leases_n):
        lease_id = uuid7()
        lease_ids.append(lease_id)
        tickets[lease_id] = []
        for t in range(tickets_per_lease):
            net = Decimal(rng.randint(12000, 20000)) / 100
            number = f"T{n:04d}-{t:03d}"
            tickets[lease_id].append((number, net))
            ticket_rows.append(
                {
                    "organization_id": org,
                    "id": uuid7(),
                    "lease_id": lease_id,
                    "production_month": MONTH,
                    "ticket_number": number,
                    "net_bbl": net,
                    "purchaser": "Permian Crude Purchasing",
                    "taken_at": now,
                }
            )
        sold = sum((net for _, net in tickets[lease_id]), Decimal(0))
        month_rows.append(
            {
                "organization_id": org,
                "lease_id": lease_id,
                "month": MONTH,
                "revision": 1,
                "lease_type": "oil",
                "oil_bbl": sold,
                "condensate_bbl": Decimal(0),
                "gas_mcf": Decimal(0),
                "liquid_sold_bbl": sold,
                "gas_sold_mcf": Decimal(0),
                "gas_sold_estimated": False,
                "updated_at": now,
            }
        )
    async with app.state.accounting.database.unit_of_work(org) as uow:
        conn = uow.connection
        await conn.execute(
            insert(leases),
            [lease_row(org, lease_id, n, now) for n, lease_id in enumerate(lease_ids)],
        )
        await conn.execute(insert(run_tickets), ticket_rows)
        await conn.execute(insert(lease_months), month_rows)
        await conn.execute(
            insert(partners).values(
                organization_id=org,
                id=purchaser,
                name="Permian Crude Purchasing",
                kind="company",
                roles=["purchaser"],
                payment_method="check",
                status="active",
                created_at=now,
                updated_at=now,
            )
        )
        await conn.execute(
            insert(statement_column_maps).values(
                organization_id=org,
                id=map_id,
                purchaser_id=purchaser,
                name="bench",
                layout=LAYOUT,
                created_by="bench",
                updated_at=now,
            )
        )
        await conn.execute(
            insert(purchaser_properties),
            [
                {
                    "organization_id": org,
                    "purchaser_id": purchaser,
                    "property_number": f"P{n:04d}",
                    "lease_id": lease_id,
                    "mapped_by": "bench",
                    "mapped_at": now,
                }
                for n, lease_id in enumerate(lease_ids)
            ],
        )
        await conn.execute(
            insert(posted_prices).values(
                organization_id=org,
                month=MONTH,
                product="oil",
                low=Decimal("70.00"),
                high=Decimal("72.50"),
                source="bench",
                entered_by="bench",
                entered_at=now,
            )
        )
    return {"purchaser": purchaser, "map_id": map_id, "lease_ids": lease_ids, "tickets": tickets}


def statement_csv(setup: dict, lines: int, *, short_every: int = 0, check: str = "900001") -> tuple[str, int]:
    """A check-stub CSV of ``lines`` lines paying the tickets in turn (cycling through them with new check
    numbers when there are more lines than tickets); every ``short_every``-th line is a short load. The CSV and
    how many short loads it holds."""
    out = [HEADER]
    all_tickets = [
        (n, number, net) for n, lease_id in enumerate(setup["lease_ids"]) for number, net in setup["tickets"][lease_id]
    ]
    short = 0
    for i in range(lines):
        n, number, net = all_tickets[i % len(all_tickets)]
        if short_every and i % short_every == short_every - 1:
            net -= Decimal(25)
            short += 1
        gross = (net * PRICE).quantize(Decimal("0.01"))
        transport = (net * Decimal("0.50")).quantize(Decimal("0.01"))
        cycle = i // len(all_tickets)
        out.append(
            f"{int(check) + cycle},P{n:04d},{number},2026-03,100,{net},40.2,{PRICE},{gross},{transport},0,"
            f"{gross - transport}"
        )
    return "\n".join(out) + "\n", short
