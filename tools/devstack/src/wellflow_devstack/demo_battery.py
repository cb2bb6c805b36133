"""What the demo's batteries and forms see of a planned history: oil walked through the tanks (tickets
and gauges), month-end stock, gas dispositions and the readings CSV. The readings are loaded as read: the Form
PR derives each month's oil from the tanks (net stock and net tickets), and the readings' difference from it is
the measured variance a clerk sees (temperature shrink, BS&W, gauge steps)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .demo_history import (
    BOTTOMS_BBL,
    GAUGE_STEP_BBL,
    MONTH_END_TICKET_ABOVE_BBL,
    SWITCH_AT_BBL,
    THOUSANDTH,
    Gauge,
    History,
    Ticket,
    month_end,
)

# What the tank balance and the hauler watch find on the demo's last day (when it is not a month end, so no filed
# month changes): oil gone from lease A's idle tank with no ticket, and a load on lease B whose ticket shows less
# than the truck took (its closing gauge read 5 inches high).
MISSING_LEASE, MISSING_BBL = "A", 80
SHORT_LEASE, SHORT_HAULER, SHORT_BBL = "B", "Lone Star Haulers", 40


def simulate_battery(history: History, lease: str, tanks: int = 2) -> None:
    """Walk the lease's oil through its tanks day by day: production fills one tank; when it is 90% full the
    other takes over (a truck first runs the other down if it holds oil); at month end the truck takes every tank
    holding more than a few hundred barrels; the pumper gauges each tank at month end (the Form PR's stock is the
    tanks' net stock then: a tank a ticket closed that day is on record already) and on the last day.
    Appends the lease's tickets and gauges to ``history`` (gauges are whole gauge steps)."""
    daily: dict[date, Decimal] = defaultdict(Decimal)
    for r in history.readings:
        if history.lease_of(r.api_number) == lease:
            daily[r.day] += r.oil
    levels = [Decimal(0)] * tanks
    closed_today: dict[int, tuple[date, int]] = {}  # (day, barrels) a ticket's closing gauge put on record
    active = 0
    day = history.first_day
    started = False
    while day <= history.last_day:
        if day == history.last_day and day != month_end(day):
            active = _plant(history, lease, day, levels, active, closed_today)
        remaining = daily.get(day, Decimal(0))
        started = started or remaining > 0
        while remaining > 0:
            put = min(remaining, SWITCH_AT_BBL - levels[active])
            levels[active] += put
            remaining -= put
            if levels[active] >= SWITCH_AT_BBL:
                other = (active + 1) % tanks
                if levels[other] > BOTTOMS_BBL + MONTH_END_TICKET_ABOVE_BBL // 2:
                    _run(history, lease, other, day, levels, closed_today)
                active = other
        closing_month = day == month_end(day)
        if closing_month:
            for tank in range(tanks):
                if levels[tank] > MONTH_END_TICKET_ABOVE_BBL:
                    _run(history, lease, tank, day, levels, closed_today)
        if started and (closing_month or day == history.last_day):
            for tank in range(tanks):
                step = int(levels[tank]) // GAUGE_STEP_BBL * GAUGE_STEP_BBL
                levels[tank] = Decimal(step)
                if closed_today.get(tank) != (day, step):  # a ticket closed it today, untouched since
                    history.gauges.append(Gauge(lease, tank, day, step))
        day += timedelta(days=1)


def _run(
    history: History, lease: str, tank: int, day: date, levels: list[Decimal], closed: dict[int, tuple[date, int]]
) -> None:
    opening = int(levels[tank]) // GAUGE_STEP_BBL * GAUGE_STEP_BBL
    if opening <= BOTTOMS_BBL:
        return
    history.tickets.append(Ticket(lease, tank, day, opening, BOTTOMS_BBL))
    levels[tank] -= opening - BOTTOMS_BBL
    closed[tank] = (day, BOTTOMS_BBL)


def _plant(
    history: History, lease: str, day: date, levels: list[Decimal], active: int, closed: dict[int, tuple[date, int]]
) -> int:
    """The morning gauge of the fuller tank, then the oil that goes missing from it (lease A) or the short load
    taken from it (lease B); the day's production goes to the other tank, so the evening gauge shows what is
    left. Answers the tank production goes to."""
    tank = max(range(len(levels)), key=lambda t: levels[t])
    step = int(levels[tank]) // GAUGE_STEP_BBL * GAUGE_STEP_BBL
    if lease == MISSING_LEASE and step - MISSING_BBL >= BOTTOMS_BBL:
        history.gauges.append(Gauge(lease, tank, day, step, hour=7))
        levels[tank] = Decimal(step - MISSING_BBL)
    elif lease == SHORT_LEASE and step > BOTTOMS_BBL + SHORT_BBL:
        history.gauges.append(Gauge(lease, tank, day, step, hour=7))
        history.tickets.append(Ticket(lease, tank, day, step, BOTTOMS_BBL + SHORT_BBL, hauler=SHORT_HAULER))
        levels[tank] = Decimal(BOTTOMS_BBL)
        closed[tank] = (day, BOTTOMS_BBL + SHORT_BBL)
    else:
        return active
    return (tank + 1) % len(levels)


def month_end_stock(history: History, lease: str) -> dict[date, int]:
    """The lease's oil in its tanks at each month end as production reads it: per tank the last gauge on
    record by then, a ticket's closing gauge included (tickets are taken at 10:00, gauges read at 18:00)."""
    records = [(t.day, 10, t.tank, t.closing_bbl) for t in history.tickets if t.lease == lease]
    records += [(g.day, 18, g.tank, g.barrels) for g in history.gauges if g.lease == lease]
    records.sort()
    last: dict[int, int] = {}
    stock: dict[date, int] = {}
    index = 0
    for month in history.months():
        while index < len(records) and records[index][0] <= month_end(month):
            last[records[index][2]] = records[index][3]
            index += 1
        stock[month] = sum(last.values())
    return stock


def gas_dispositions(history: History) -> list[dict[str, Any]]:
    """Each lease-month's gas by Form PR code, adding up exactly to the gas produced: lease fuel (01), the rest to
    a processing plant (03) or, for the gas well, a transmission line (02); the Pruitt Unit flares a little under
    Statewide Rule 32 (10, authority AR)."""
    out: list[dict[str, Any]] = []
    totals = history.lease_month_totals()
    for (lease, month), volumes in sorted(totals.items()):
        gas = volumes["gas"]
        if gas <= 0:
            continue
        fuel = (gas * Decimal("0.025")).quantize(THOUSANDTH)
        flared = (gas * Decimal("0.012")).quantize(THOUSANDTH) if lease == "B" else Decimal(0)
        sold = gas - fuel - flared
        entries = [("01", fuel, None), ("02" if lease == "G" else "03", sold, None), ("10", flared, "AR")]
        for code, mcf, authority in entries:
            if mcf > 0:
                out.append({"lease": lease, "month": month, "code": code, "mcf": mcf, "authority": authority})
    return out


def readings_csv(history: History) -> str:
    lines = ["api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on,downtime_reason"]
    for r in history.readings:
        lines.append(f"{r.api_number},{r.day.isoformat()},{r.oil},{r.gas},{r.water},{r.hours},{r.reason or ''}")
    return "\n".join(lines) + "\n"
