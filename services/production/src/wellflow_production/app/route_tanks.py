"""What the pumper's route carries for its tanks so the phone can help offline: each tank's strapping table (the
gauge's barrels before saving), its latest gauge (a run ticket's opening gauge starts from it), its expected
balance (``domain.tank_balance``: a gauge far outside it is questioned), and the purchasers, haulers and
drivers of the leases' earlier run tickets (offered on the ticket form instead of typed again)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from ..domain import tank_balance
from .ports import ProductionWork

PARTIES_PER_LEASE = 8  # the most choices the ticket form offers for each of purchaser, hauler and driver


async def tank_stops(uow: ProductionWork, day: date, battery_ids: list[UUID]) -> list[dict[str, Any]]:
    """The batteries' tanks with their day's gauge, strapping, latest gauge and expected balance."""
    rows = [{**row, "gauged": row["gauge_id"] is not None} for row in await uow.routes.route_tanks(day, battery_ids)]
    if not rows:
        return []
    last = {row["tank_id"]: row for row in await uow.routes.last_gauges(day, [r["tank_id"] for r in rows])}
    oil_tanks: dict[UUID, int] = defaultdict(int)
    for row in rows:
        if row["product"] == "oil":
            oil_tanks[row["battery_id"]] += 1
    for row in rows:
        gauge = last.get(row["tank_id"])
        row["last_gauge"] = {k: v for k, v in gauge.items() if k != "tank_id"} if gauge else None
        row["balance"] = None
        if gauge is not None and row["product"] == "oil":
            row["balance"] = await _balance(uow, row, gauge, day, shared=oil_tanks[row["battery_id"]] > 1)
    return rows


async def _balance(
    uow: ProductionWork, tank: dict[str, Any], gauge: dict[str, Any], day: date, *, shared: bool
) -> dict[str, Any]:
    production = await uow.routes.oil_since(tank["battery_id"], gauge["gauge_date"], day)
    tickets = await uow.routes.tickets_since(tank["tank_id"], gauge["gauged_at"])
    balance = tank_balance.expected_balance(
        Decimal(gauge["barrels"]), production, tickets, Decimal(tank["capacity_bbl"]), shared=shared
    )
    return {
        "production_bbl": production,
        "tickets_bbl": tickets,
        "shared": shared,
        "expected_low_bbl": balance.low_bbl,
        "expected_high_bbl": balance.high_bbl,
        "tolerance_bbl": balance.tolerance_bbl,
    }


async def ticket_parties(uow: ProductionWork, lease_ids: list[UUID]) -> dict[str, dict[str, list[str]]]:
    """Per lease, the purchasers, haulers and drivers of its run tickets, the latest first, each named once."""
    if not lease_ids:
        return {}
    parties: dict[str, dict[str, list[str]]] = {}
    for row in await uow.routes.ticket_parties(lease_ids):
        lease = parties.setdefault(str(row["lease_id"]), {"purchasers": [], "haulers": [], "drivers": []})
        for key, value in (("purchasers", row["purchaser"]), ("haulers", row["hauler"]), ("drivers", row["driver"])):
            if value and value not in lease[key] and len(lease[key]) < PARTIES_PER_LEASE:
                lease[key].append(value)
    return parties
