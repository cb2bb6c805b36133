"""The New York Fed rate Nat. Res. Code 91.403 interest is priced on, as effective-dated data: the published
history WellFlow ships (``wellflow_texas/data/ny_fed_primary_credit.csv``) and the organization's own entries,
which win on the same day (a change the file does not have yet, or a correction)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_texas.payment_law import LATE_INTEREST_SPREAD, RatePeriod

from ..context import Accounting, Actor, invalid
from ..ports import AccountingWork, DuplicateKey

MAX_RATE = Decimal("0.5")  # a fraction; 50% is a typing mistake (5.5 typed for 0.055), not a Fed rate


async def rate_history(uow: AccountingWork) -> list[dict[str, Any]]:
    """Every rate by its first day: the organization's entry where it has one, else the published one."""
    merged: dict[date, dict[str, Any]] = {}
    for row in await uow.late_rates.published():
        merged[row["effective"]] = {**row, "origin": "published", "id": None, "created_by": None}
    for row in await uow.late_rates.entered():
        merged[row["effective"]] = {**row, "origin": "entered", "verified": True}
    return [merged[day] for day in sorted(merged)]


async def rate_periods(uow: AccountingWork) -> list[RatePeriod]:
    return [RatePeriod(row["effective"], row["annual_rate"]) for row in await rate_history(uow)]


def _shaped(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "late_interest_rate": row["annual_rate"] + LATE_INTEREST_SPREAD}


async def list_rates(acc: Accounting, actor: Actor, *, origin: str | None, limit: int, offset: int) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        rows = [r for r in await rate_history(uow) if origin is None or r["origin"] == origin]
    rows.reverse()  # the newest first
    return {
        "items": [_shaped(r) for r in rows[offset : offset + limit]],
        "total": len(rows),
        "limit": limit,
        "offset": offset,
    }


async def add_rate(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """Enter the Fed's rate from a day on (an id chosen by the client makes a retry harmless)."""
    rate = data["annual_rate"]
    if not Decimal(0) <= rate < MAX_RATE:
        raise invalid("body.annual_rate", "a fraction: 5.50% is 0.055 (from 0 to under 0.5)")
    row = {
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "effective": data["effective"],
        "annual_rate": rate,
        "source": data["source"],
        "created_by": actor.id,
        "created_at": acc.clock(),
    }
    request = {key: value for key, value in data.items() if key != "id"}
    try:
        async with acc.uow(actor) as uow:
            stored, created = await uow.late_rates.add(row, request)
    except DuplicateKey:
        raise Conflict(
            "A rate from this day is already entered.",
            slug="duplicate-rate",
            errors=[{"field": "body.effective", "message": "already has a rate entered"}],
        ) from None
    return _shaped({**stored, "origin": "entered", "verified": True}), created
