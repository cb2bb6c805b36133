"""The demo tenant's history, computed before anything is sent: wells shaped by Arps decline curves, daily
readings with downtime, the oil tanks of each battery day by day (when a purchaser's truck runs a ticket, what the
gauges read at month end) and the month's gas dispositions.

Pure and deterministic (one seeded random generator), so the loader in ``demo.py`` stays a thin driver of the
public API and a test can recompute what was loaded. Volumes are Decimal with at most 3 places, as production
stores them; floats only inside the decline arithmetic.
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

COMPANY = "Caprock Energy LLC"
OPERATOR_NUMBER = "618042"  # RRC operator numbers have 6 digits (Form P-5)
PURCHASER = "Permian Crude Purchasing LLC"
THOUSANDTH = Decimal("0.001")

# Oil tanks of a demo battery: 20 ft tall, 8 bbl per inch (a 1,920 bbl tank), so every quarter-inch gauge is a
# whole 2 bbl and the month-end stock the Form PR reads is a whole number of barrels.
TANK_HEIGHT_INCHES = 240
TANK_BBL_PER_INCH = 8
TANK_CAPACITY_BBL = TANK_HEIGHT_INCHES * TANK_BBL_PER_INCH
GAUGE_STEP_BBL = TANK_BBL_PER_INCH // 4
BOTTOMS_BBL = 12 * TANK_BBL_PER_INCH  # a ticket leaves one foot in the tank
SWITCH_AT_BBL = TANK_CAPACITY_BBL * 9 // 10  # production turns to the other tank when one is 90% full
MONTH_END_TICKET_ABOVE_BBL = 300  # the month-end truck takes a tank holding more than this

DOWNTIME_REASONS = ("mechanical", "electrical", "weather", "facility", "pipeline", "testing")

# What the tanks' oil measures like in Howard County through the year: its temperature at a month-end gauge (F),
# a ticket's (the truck comes in the afternoon: a little warmer), the sample's gravity and BS&W. The Form PR's
# figures are net standard barrels (60 F, less BS&W), so a summer ticket is worth fewer barrels than its gauges.
TANK_TEMPERATURE_F = {1: 48, 2: 53, 3: 61, 4: 69, 5: 78, 6: 86, 7: 89, 8: 88, 9: 81, 10: 71, 11: 59, 12: 50}
TICKET_WARMER_F = 6
SAMPLE_GRAVITY_API = Decimal("41.2")
TICKET_BSW_PERCENT = Decimal("0.3")


def tank_temperature(day: date, *, ticket: bool = False) -> Decimal:
    return Decimal(TANK_TEMPERATURE_F[day.month] + (TICKET_WARMER_F if ticket else 0))


def posted_price(product: str, month: date, last_month: date) -> Decimal:
    """The demo's posted price of ``product`` (oil, gas, condensate) for ``month``: a few dollars' swing month by
    month back from ``last_month`` (what the accountant enters and the purchaser pays on the tickets)."""
    back = (last_month.year - month.year) * 12 + last_month.month - month.month
    swing = Decimal(back % 5) * Decimal("1.35")
    base = {
        "oil": Decimal("71.40") - swing,
        "gas": Decimal("2.62") + swing / 10,
        "condensate": Decimal("66.10") - swing,
    }
    return base[product]


def strapping_table() -> list[list[str]]:
    """[level inches, barrels] every foot, from the bottom up (the shape the wells API takes)."""
    return [[str(level), str(level * TANK_BBL_PER_INCH)] for level in range(0, TANK_HEIGHT_INCHES + 1, 12)]


def gauge_of(barrels: int) -> dict[str, int]:
    """The feet/inches/quarter-inches reading of a level that is a multiple of the gauge step."""
    quarters_total = barrels // GAUGE_STEP_BBL
    inches, quarters = divmod(quarters_total, 4)
    feet, inches = divmod(inches, 12)
    return {"feet": feet, "inches": inches, "quarters": quarters}


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_full_month(history: History) -> date:
    """The month before the last day's: the one whose Form PR, revenue and JIB the demo files."""
    return month_start(month_start(history.last_day) - timedelta(days=1))


@dataclass(frozen=True)
class LeasePlan:
    key: str
    name: str
    rrc_district: str
    rrc_lease_number: str
    lease_type: str  # oil or gas
    county: str
    lessor: str
    royalty_rate: Decimal
    battery: str | None  # the battery's name when the lease has one


@dataclass(frozen=True)
class WellPlan:
    name: str
    number: str
    api_number: str  # dashed, 42-ccc-nnnnn
    lease: str
    well_type: str  # oil or gas
    first_day: date
    qi: float  # bbl/d of oil (oil well) or MCF/d of gas (gas well) at first production
    di: float  # nominal initial decline, 1/year
    b: float
    gas_oil_ratio: float  # MCF per bbl (oil wells)
    water_ratio: float  # bbl of water per bbl of oil, or per MCF for a gas well
    shut_in_on: date | None = None
    gas_well_id: str | None = None

    def rate(self, day: date) -> float:
        """Arps hyperbolic: q(t) = qi / (1 + b Di t)^(1/b), t in years since first production."""
        t = (day - self.first_day).days / 365.25
        return self.qi / (1 + self.b * self.di * t) ** (1 / self.b)


@dataclass
class Reading:
    api_number: str
    day: date
    oil: Decimal
    gas: Decimal
    water: Decimal
    hours: Decimal
    reason: str | None = None


@dataclass(frozen=True)
class Ticket:
    lease: str
    tank: int  # index of the battery's oil tank
    day: date
    opening_bbl: int
    closing_bbl: int
    hauler: str | None = None  # None: the lease's usual hauler


@dataclass(frozen=True)
class Gauge:
    lease: str
    tank: int
    day: date
    barrels: int
    hour: int = 18  # the pumper's evening round; 7: a morning gauge


@dataclass
class History:
    first_day: date
    last_day: date
    leases: list[LeasePlan]
    wells: list[WellPlan]
    readings: list[Reading] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    gauges: list[Gauge] = field(default_factory=list)

    def months(self) -> list[date]:
        months, day = [], month_start(self.first_day)
        while day <= self.last_day:
            months.append(day)
            day = month_start(month_end(day) + timedelta(days=1))
        return months

    def lease_of(self, api_number: str) -> str:
        return next(w.lease for w in self.wells if w.api_number == api_number)

    def lease_month_totals(self) -> dict[tuple[str, date], dict[str, Decimal]]:
        """oil, gas and water per (lease key, month) as loaded."""
        by_api = {w.api_number: w.lease for w in self.wells}
        totals: dict[tuple[str, date], dict[str, Decimal]] = defaultdict(
            lambda: {"oil": Decimal(0), "gas": Decimal(0), "water": Decimal(0)}
        )
        for r in self.readings:
            entry = totals[(by_api[r.api_number], month_start(r.day))]
            entry["oil"] += r.oil
            entry["gas"] += r.gas
            entry["water"] += r.water
        return dict(totals)


LEASES = (
    LeasePlan(
        "A", "Whitfield Ranch", "08", "43871", "oil", "Howard", "Ada Whitfield", Decimal("0.1875"), "Whitfield CTB"
    ),
    LeasePlan(
        "B", "Pruitt Unit", "08", "44102", "oil", "Howard", "Estate of J. R. Pruitt", Decimal("0.1875"), "Pruitt CTB"
    ),
    LeasePlan(
        "G", "Hollis Gas Unit", "08", "281456", "gas", "Howard", "Hollis Family Minerals LLC", Decimal("0.2"), None
    ),
)
HOWARD_COUNTY = "227"  # Texas county codes are odd, 001-507 (docs/domain.md)


def _gas_well(api: str, first_day: date, rng: random.Random) -> WellPlan:
    """The gas lease's one well, producing from the first day."""
    return WellPlan(
        name="Hollis Gas Unit 1",
        number="1",
        api_number=api,
        lease="G",
        well_type="gas",
        first_day=first_day,
        qi=rng.uniform(650, 900),
        di=rng.uniform(0.45, 0.7),
        b=rng.uniform(0.8, 1.1),
        gas_oil_ratio=0.0,
        water_ratio=rng.uniform(0.003, 0.008),
        gas_well_id=LEASES[2].rrc_lease_number,
    )


def plan(*, wells: int, days: int, last_day: date, seed: int = 7) -> History:
    """The wells and their daily history ending ``last_day``: one gas well on the gas lease, the others split
    between the two oil leases; first production staggered over the first 40% of the period."""
    if wells < 3:
        raise ValueError("the demo needs at least three wells (one per lease)")
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    first_day = last_day - timedelta(days=days - 1)
    oil_wells = wells - 1
    on_a = (oil_wells + 1) // 2
    stagger = max(1, int(days * 0.4))
    plans: list[WellPlan] = []
    used: set[str] = set()
    for i in range(wells):
        while True:
            api = f"42-{HOWARD_COUNTY}-{rng.randint(30000, 39999):05d}"
            if api not in used:
                used.add(api)
                break
        start = first_day + timedelta(days=(i * stagger) // wells)
        if i == wells - 1:
            plans.append(_gas_well(api, first_day, rng))
            continue
        lease = "A" if i < on_a else "B"
        number = str(i + 1 if lease == "A" else i - on_a + 1)
        plans.append(
            WellPlan(
                name=f"{'Whitfield' if lease == 'A' else 'Pruitt'} {number}",
                number=number,
                api_number=api,
                lease=lease,
                well_type="oil",
                first_day=start,
                qi=rng.uniform(6, 24),
                di=rng.uniform(0.6, 1.3),
                b=rng.uniform(0.7, 1.3),
                gas_oil_ratio=rng.uniform(0.9, 2.4),
                water_ratio=rng.uniform(1.5, 4.5),
            )
        )
    # one or two of the oldest oil wells were shut in for economics six weeks ago
    shut = [p for p in plans if p.well_type == "oil"][: 2 if wells >= 10 else 1]
    shut_in_on = max(first_day + timedelta(days=days // 2), last_day - timedelta(days=45))
    plans = [replace(p, shut_in_on=shut_in_on) if p in shut else p for p in plans]
    history = History(first_day=first_day, last_day=last_day, leases=list(LEASES), wells=plans)
    history.readings = _readings(history, rng)
    return history


def _q(value: float) -> Decimal:
    return Decimal(repr(max(value, 0.0))).quantize(THOUSANDTH, rounding=ROUND_DOWN)


def _readings(history: History, rng: random.Random) -> list[Reading]:
    """Daily readings: the decline rate with day-to-day noise; about one day in 30 partly down (a reason given),
    a few multi-day workovers; the last days leave alerts to find (missing readings, a low day, a day down)."""
    out: list[Reading] = []
    producing = [w for w in history.wells if w.shut_in_on is None and w.well_type == "oil"]
    missing = {w.api_number for w in producing[-2:]}  # no reading for the last two days
    low = producing[-3].api_number if len(producing) >= 3 else None  # a third of the usual on the last day
    down = producing[-4].api_number if len(producing) >= 4 else None  # 0 hours (pump failure) on the last day
    for well in history.wells:
        workover_until = None
        day = well.first_day
        while day <= history.last_day:
            if well.shut_in_on is not None and day >= well.shut_in_on:
                break
            if well.api_number in missing and day > history.last_day - timedelta(days=2):
                break
            hours, reason = Decimal(24), None
            if workover_until is not None and day <= workover_until:
                hours, reason = Decimal(0), "workover"
            elif rng.random() < 0.004 and day < history.last_day - timedelta(days=10):
                workover_until = day + timedelta(days=rng.randint(2, 4))
                hours, reason = Decimal(0), "workover"
            elif rng.random() < 0.035:
                hours = Decimal(rng.choice((0, 4, 6, 8, 12, 16, 18, 20, 22)))
                reason = rng.choice(DOWNTIME_REASONS)
            factor = rng.gauss(1.0, 0.05) * float(hours) / 24
            if day == history.last_day and well.api_number == low:
                factor = 0.33
            if day == history.last_day and well.api_number == down:
                hours, reason, factor = Decimal(0), "mechanical", 0.0
            rate = well.rate(day) * factor
            if well.well_type == "gas":
                oil, gas, water = Decimal(0), _q(rate), _q(rate * well.water_ratio)
            else:
                years = (day - well.first_day).days / 365.25
                oil = _q(rate)
                gas = _q(rate * well.gas_oil_ratio * (1 + 0.15 * years))
                water = _q(rate * well.water_ratio * (1 + 0.25 * years))
            if hours == 0:
                oil = gas = water = Decimal(0)
            out.append(Reading(well.api_number, day, oil, gas, water, hours, reason))
            day += timedelta(days=1)
    out.sort(key=lambda r: (r.day, r.api_number))
    return out
