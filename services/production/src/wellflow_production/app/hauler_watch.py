"""Hauler watch (``domain.hauler_watch``): each run ticket against its tank's own balance, and per hauler or
purchaser the mean difference, its standard error and whether the bias is significantly different from 0."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Literal
from uuid import UUID

from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ..domain import hauler_watch as watch
from .common import Production
from .tank_ledger import MAX_DAYS, TankHistory, load_histories

By = Literal["hauler", "purchaser"]


def _differences(history: TankHistory, first: date, last: date) -> list[watch.TicketDifference]:
    gauges = [watch.PumperGauge(g.gauged_at, g.day, g.barrels) for g in ([history.anchor] if history.anchor else [])]
    gauges += [watch.PumperGauge(g.gauged_at, g.day, g.barrels) for g in history.gauges]
    loads = [
        watch.Load(t["id"], t["taken_at"], t["day"], t["gross_bbl"], t["hauler"], t["purchaser"], t["rejected"])
        for t in history.tickets
    ]
    found = watch.ticket_differences(gauges, loads, history.production)
    return [d for d in found if first <= d.day <= last]


async def hauler_watch(
    production: Production,
    actor: Actor,
    first: date,
    last: date,
    by: By,
    *,
    lease_id: UUID | None,
    min_tickets: int,
    offset: int,
    limit: int,
) -> dict[str, Any]:
    """Per hauler (or purchaser): tickets judged, mean difference (bbl; positive: more oil left the tank than
    the tickets show), standard error, t, the critical t and the flag; flagged first, then the largest |t|."""
    if last < first:
        raise invalid("query.to", "`to` is before `from`")
    if (last - first).days >= MAX_DAYS:
        raise invalid("query.to", f"at most {MAX_DAYS} days at once")
    async with production.uow(actor) as uow:
        tanks = await uow.tank_ledger.oil_tanks(lease_id=lease_id)
        histories = await load_histories(uow, tanks, first, last)
    groups: dict[str, list[watch.TicketDifference]] = defaultdict(list)
    for history in histories.values():
        for difference in _differences(history, first, last):
            name = (difference.hauler if by == "hauler" else difference.purchaser) or "(no hauler named)"
            groups[name].append(difference)
    stats = {
        name: watch.bias([d.difference_bbl for d in found], min_tickets=min_tickets) for name, found in groups.items()
    }
    items: list[dict[str, Any]] = [
        {
            by: name,
            "tickets": s.count,
            "mean_difference_bbl": s.mean_bbl,
            "standard_error_bbl": s.standard_error_bbl,
            "t_statistic": s.t_statistic,
            "critical_t": s.critical_t,
            "flagged": s.flagged,
            "gross_bbl": sum((d.gross_bbl for d in groups[name]), watch.ZERO),
        }
        for name, s in stats.items()
    ]
    items.sort(key=lambda i: (not i["flagged"], -abs(i["t_statistic"] or 0), str(i[by])))
    return jsonable(  # type: ignore[no-any-return]
        {
            "from": first,
            "to": last,
            "by": by,
            "min_tickets": min_tickets,
            "confidence": str(watch.CONFIDENCE),
            "items": items[offset : offset + limit],
            "has_more": len(items) > offset + limit,
            "offset": offset,
            "limit": limit,
        }
    )
