"""Valued downtime (``domain.deferred``): each reading with hours lost becomes deferred barrels and MCF at the
well's expected rate, valued at the month's prices (production's copy of accounting's) times the operator's net
revenue interest; summed per well, lease, reason or month, per week and reason for the owner, and per well as
the dollars at risk a pumper's route may be ordered by.

The expected rate comes from the well's history BEFORE the period asked (the fit does not learn from the outage
it values): one decline fit per well and product, run in a worker thread (scipy would hold the event loop).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from wellflow_contracts.events.accounting import PriceRecorded
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ..domain import deferred as rules
from ..domain.decline import DeclineFit, fit_decline, forecast
from ..domain.errors import DeclineFitError
from .common import Production, month_start
from .organization import load_settings
from .ports import ProductionWork

GroupBy = Literal["well", "lease", "reason", "month"]
HISTORY_DAYS = 365
MAX_DAYS = 366
ZERO = Decimal(0)


@dataclass(frozen=True)
class Line:
    """One well-day of downtime, valued."""

    well_id: UUID
    well: str
    lease_id: UUID | None
    lease: str | None
    day: date
    reason: str
    hours_on: Decimal
    oil_bbl: Decimal
    gas_mcf: Decimal
    basis: str
    oil_price: Decimal | None
    gas_price: Decimal | None
    dollars: Decimal


def _fit(points: list[tuple[date, Decimal]]) -> DeclineFit | None:
    if len(points) < rules.FIT_MIN_DAYS:
        return None
    try:
        return fit_decline([d for d, _ in points], [r for _, r in points])
    except (DeclineFitError, ValueError):
        return None


def _fits(history: list[dict[str, Any]]) -> tuple[DeclineFit | None, DeclineFit | None]:
    def points(column: str) -> list[tuple[date, Decimal]]:
        return [
            (r["production_date"], r[column] * 24 / r["hours_on"])
            for r in history
            if r["hours_on"] > 0 and r[column] > 0
        ]

    return _fit(points("oil_bbl")), _fit(points("gas_mcf"))


def _on(fit: DeclineFit | None, day: date) -> Decimal | None:
    if fit is None or day < fit.t0:
        return None
    return forecast(fit, day, 1)[0][1]


async def _estimates(uow: ProductionWork, wells: list[UUID], first: date, last: date) -> tuple[Any, Any, Any, Any]:
    """What the expected rates and prices come from: well tests, prices, decline fits and trailing rates."""
    history: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for r in await uow.deferred.history(wells, first - timedelta(days=HISTORY_DAYS), first):
        history[r["well_id"]].append(r)
    tests: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for r in await uow.deferred.well_tests(wells, last):
        tests[r["well_id"]].append(r)
    prices: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
    for r in await uow.deferred.prices(last):
        prices[(r["lease_key"], r["product"])].append((r["month"], r["price"]))
    fits = dict(zip(wells, await asyncio.to_thread(lambda: [_fits(history[w]) for w in wells]), strict=True))
    trailing = {
        w: (
            rules.trailing_rate([(r["production_date"], r["oil_bbl"], r["hours_on"]) for r in history[w]]),
            rules.trailing_rate([(r["production_date"], r["gas_mcf"], r["hours_on"]) for r in history[w]]),
        )
        for w in wells
    }
    return tests, prices, fits, trailing


async def value_lines(
    uow: ProductionWork, first: date, last: date, *, lease_id: UUID | None = None, well_id: UUID | None = None
) -> list[Line]:
    """Every downtime well-day from ``first`` to ``last``, valued."""
    settings = await load_settings(uow)
    down = await uow.deferred.downtime(first, last, lease_id, well_id)
    if not down:
        return []
    wells = sorted({r["well_id"] for r in down})
    tests, prices, fits, trailing = await _estimates(uow, wells, first, last)
    lines = []
    for row in down:
        well, day = row["well_id"], row["production_date"]
        test = next((t for t in reversed(tests[well]) if t["test_date"] <= day), None)
        rate = rules.expected_rate(
            decline_oil=_on(fits[well][0], day),
            decline_gas=_on(fits[well][1], day),
            well_test=(test["oil_bbl_per_day"], test["gas_mcf_per_day"]) if test else None,
            trailing_oil=trailing[well][0],
            trailing_gas=trailing[well][1],
        )
        oil = rules.deferred_volume(rate.oil_bbl_per_day, row["hours_on"])
        gas = rules.deferred_volume(rate.gas_mcf_per_day, row["hours_on"])
        month = month_start(day)
        oil_price = rules.month_price(prices, row["lease_id"], month, "oil")
        gas_price = rules.month_price(prices, row["lease_id"], month, "gas")
        dollars = rules.deferred_value(oil, gas, oil_price, gas_price, settings.net_revenue_interest)
        lines.append(
            Line(
                well,
                row["well"],
                row["lease_id"],
                row["lease"],
                day,
                row["reason"],
                row["hours_on"],
                oil,
                gas,
                rate.basis,
                oil_price,
                gas_price,
                dollars,
            )
        )
    return lines


def _key(line: Line, group_by: GroupBy) -> tuple[Any, ...]:
    if group_by == "well":
        return (line.well_id, line.well, line.lease_id)
    if group_by == "lease":
        return (line.lease_id, line.lease)
    if group_by == "reason":
        return (line.reason,)
    return (month_start(line.day),)


_KEY_NAMES: dict[str, tuple[str, ...]] = {
    "well": ("well_id", "well", "lease_id"),
    "lease": ("lease_id", "lease"),
    "reason": ("reason",),
    "month": ("month",),
}


def _sum(lines: list[Line]) -> dict[str, Any]:
    return {
        "down_days": sum((rules.down_fraction(x.hours_on) for x in lines), ZERO).quantize(Decimal("0.01")),
        "oil_bbl": sum((x.oil_bbl for x in lines), ZERO),
        "gas_mcf": sum((x.gas_mcf for x in lines), ZERO),
        "dollars": sum((x.dollars for x in lines), ZERO),
        "unpriced_lines": sum(1 for x in lines if x.oil_price is None or x.gas_price is None),
        "bases": sorted({x.basis for x in lines}),
    }


def _check_range(first: date, last: date) -> None:
    if last < first:
        raise invalid("query.to", "`to` is before `from`")
    if (last - first).days >= MAX_DAYS:
        raise invalid("query.to", f"at most {MAX_DAYS} days at once")


async def deferred_summary(
    production: Production,
    actor: Actor,
    first: date,
    last: date,
    group_by: GroupBy,
    *,
    lease_id: UUID | None,
    well_id: UUID | None,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    """Deferred volumes and dollars from ``first`` to ``last`` per well, lease, reason or month, largest first."""
    _check_range(first, last)
    async with production.uow(actor) as uow:
        settings = await load_settings(uow)
        lines = await value_lines(uow, first, last, lease_id=lease_id, well_id=well_id)
    groups: dict[tuple[Any, ...], list[Line]] = defaultdict(list)
    for line in lines:
        groups[_key(line, group_by)].append(line)
    items = [{**dict(zip(_KEY_NAMES[group_by], key, strict=True)), **_sum(members)} for key, members in groups.items()]
    items.sort(key=lambda item: (-item["dollars"], str(item[_KEY_NAMES[group_by][0]])))
    return jsonable(  # type: ignore[no-any-return]
        {
            "from": first,
            "to": last,
            "group_by": group_by,
            "net_revenue_interest": settings.net_revenue_interest,
            "valued_at": "net revenue interest" if settings.net_revenue_interest is not None else "8/8ths",
            "total": _sum(lines),
            "items": items[offset : offset + limit],
            "has_more": len(items) > offset + limit,
            "offset": offset,
            "limit": limit,
        }
    )


async def weekly_by_reason(production: Production, actor: Actor, weeks: int, through: date) -> dict[str, Any]:
    """Deferred dollars per week (Monday to Sunday) and reason, the ``weeks`` weeks through ``through``'s week."""
    last = through + timedelta(days=6 - through.weekday())
    first = last - timedelta(days=7 * weeks - 1)
    async with production.uow(actor) as uow:
        lines = await value_lines(uow, first, min(last, production.today()))
    by_week: dict[date, dict[str, list[Line]]] = {
        first + timedelta(days=7 * n): defaultdict(list) for n in range(weeks)
    }
    for line in lines:
        by_week[line.day - timedelta(days=line.day.weekday())][line.reason].append(line)
    return jsonable(  # type: ignore[no-any-return]
        {
            "weeks": [
                {
                    "week_of": monday,
                    "dollars": sum((x.dollars for group in reasons.values() for x in group), ZERO),
                    "reasons": sorted(
                        ({"reason": reason, **_sum(group)} for reason, group in reasons.items()),
                        key=lambda item: -item["dollars"],
                    ),
                }
                for monday, reasons in sorted(by_week.items())
            ]
        }
    )


async def dollars_at_risk(uow: ProductionWork, day: date, days: int = 7) -> dict[UUID, Decimal]:
    """Per well, the deferred dollars of the ``days`` days up to ``day`` (a pumper's route can visit the wells
    losing the most money first)."""
    lines = await value_lines(uow, day - timedelta(days=days - 1), day)
    found: dict[UUID, Decimal] = defaultdict(Decimal)
    for line in lines:
        found[line.well_id] += line.dollars
    return dict(found)


async def on_price_recorded(uow: ProductionWork, event: PriceRecorded) -> None:
    """Keep accounting's price for deferred dollars (the newest recorded per lease or '*', month and product)."""
    await uow.deferred.save_price(
        {
            "organization_id": event.tenant_id,
            "lease_key": str(event.lease_id) if event.lease_id else "*",
            "month": event.month,
            "product": event.product,
            "price": event.price,
            "price_id": event.price_id,
            "recorded_at": event.recorded_at,
        }
    )
