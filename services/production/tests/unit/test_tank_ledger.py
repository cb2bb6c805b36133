"""The tank's daily balance on generated histories: exact data never alarms, every planted loss past the
threshold alarms at the first gauge that can see it, and hand-computed days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from wellflow_production.domain.tank_ledger import Gauge, Threshold, Ticket, daily_balance, gap_threshold

START = date(2026, 3, 1)
CAPACITY = Decimal(400)
RULE = Threshold()


def _gauge_at(day: date) -> datetime:
    """The pumper gauges the morning after the production day the gauge closes."""
    return datetime.combine(day + timedelta(days=1), time(7), tzinfo=UTC)


def _ticket_at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


@dataclass
class History:
    days: int
    production: dict[date, Decimal]
    tickets: list[Ticket]
    gauges: list[Gauge]
    anchor: Gauge
    losses: dict[date, Decimal]


barrels = st.decimals(min_value=0, max_value=60, places=2)


@st.composite
def histories(draw: st.DrawFn, *, plant: bool) -> History:
    """A 20 to 40 day history of one tank: daily production, loads hauled when the tank is high, gauges on some
    days (and on the last), the true level derived from them exactly; with ``plant``, a loss with no ticket."""
    days = draw(st.integers(min_value=20, max_value=40))
    level = draw(st.decimals(min_value=20, max_value=200, places=2))
    anchor = Gauge(_gauge_at(START - timedelta(days=1)), START - timedelta(days=1), level)
    gauge_days = set(draw(st.lists(st.integers(0, days - 1), max_size=days))) | {days - 1}
    loss_day = draw(st.integers(0, days - 1)) if plant else None
    production: dict[date, Decimal] = {}
    tickets: list[Ticket] = []
    gauges: list[Gauge] = []
    losses: dict[date, Decimal] = {}
    for n in range(days):
        day = START + timedelta(days=n)
        produced = draw(barrels)
        production[day] = produced
        level += produced
        if level > 250:
            load = draw(st.decimals(min_value=100, max_value=level - 10, places=2))
            rejected = draw(st.booleans()) and draw(st.booleans())
            tickets.append(Ticket(_ticket_at(day), day, load, rejected=rejected))
            if not rejected:
                level -= load
        if n == loss_day:
            loss = draw(st.decimals(min_value=Decimal("0.01"), max_value=min(level, Decimal(150)), places=2))
            losses[day] = loss
            level -= loss
        if n in gauge_days:
            gauges.append(Gauge(_gauge_at(day), day, level))
    return History(days, production, tickets, gauges, anchor, losses)


def _balance(history: History, *, shared: bool = False):
    return daily_balance(
        START,
        START + timedelta(days=history.days - 1),
        capacity_bbl=CAPACITY,
        shared=shared,
        anchor=history.anchor,
        gauges=history.gauges,
        tickets=history.tickets,
        production=history.production,
        threshold=RULE,
    )


@settings(max_examples=150, deadline=None)
@given(histories(plant=False))
def test_exact_data_never_alarms_and_every_gap_is_zero(history):
    rows = _balance(history)
    assert [r.day for r in rows if r.alarm] == []
    gauged = [r for r in rows if r.gauged_bbl is not None]
    assert len(gauged) == len({g.day for g in history.gauges})
    assert all(r.gap_bbl == 0 for r in gauged)
    assert all(r.expected_high_bbl == r.gauged_bbl for r in gauged)


@settings(max_examples=150, deadline=None)
@given(histories(plant=False))
def test_a_shared_tank_that_got_all_the_oil_is_within_its_range(history):
    assert [r.day for r in _balance(history, shared=True) if r.alarm] == []


@settings(max_examples=200, deadline=None)
@given(histories(plant=True))
def test_a_planted_loss_alarms_at_the_first_gauge_after_it_exactly_when_past_the_threshold(history):
    ((loss_day, loss),) = history.losses.items()
    rows = {r.day: r for r in _balance(history)}
    seen = min(g.day for g in history.gauges if g.day >= loss_day)
    before = [g for g in history.gauges if g.day < loss_day]
    anchor = before[-1] if before else history.anchor
    produced = sum((v for d, v in history.production.items() if anchor.day < d <= seen), Decimal(0))
    assert rows[seen].gap_bbl == -loss
    assert rows[seen].threshold_bbl == gap_threshold(CAPACITY, produced, RULE)
    assert rows[seen].alarm == (loss > rows[seen].threshold_bbl)
    assert [d for d, r in rows.items() if r.alarm and d != seen] == []


def test_a_day_by_hand():
    """Gauged 100 on the 1st; 30 and 40 read on the 2nd and 3rd; a 50 bbl load on the 3rd, a refused 60 bbl load
    on the 3rd; gauged 110 on the 3rd: expected 100 + 70 - 50 = 120, gap -10 past the 5 bbl floor and the 4 bbl
    (1 % of 400) and 7 bbl (10 % of 70) shares: an alarm."""
    d1, d2, d3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)
    rows = daily_balance(
        d2,
        d3,
        capacity_bbl=CAPACITY,
        shared=False,
        anchor=Gauge(_gauge_at(d1), d1, Decimal(100)),
        gauges=[Gauge(_gauge_at(d3), d3, Decimal(110))],
        tickets=[Ticket(_ticket_at(d3), d3, Decimal(50)), Ticket(_ticket_at(d3), d3, Decimal(60), rejected=True)],
        production={d2: Decimal(30), d3: Decimal(40)},
        threshold=RULE,
    )
    day2, day3 = rows
    assert (day2.expected_high_bbl, day2.gauged_bbl, day2.gap_bbl, day2.alarm) == (Decimal(130), None, None, False)
    assert (day3.expected_high_bbl, day3.gauged_bbl, day3.gap_bbl) == (Decimal(120), Decimal(110), Decimal(-10))
    assert (day3.threshold_bbl, day3.alarm, day3.tickets_bbl, day3.rejected_bbl) == (
        Decimal("7.00"),
        True,
        Decimal(50),
        Decimal(60),
    )


def test_a_producing_tank_whose_gauge_does_not_move_is_stale_after_the_window():
    """Gauged 100 on the 1st and the same 100 written on the 2nd and 3rd while the wells read 10 a day."""
    d1 = date(2026, 3, 1)
    days = [d1 + timedelta(days=n) for n in range(5)]
    rows = daily_balance(
        days[1],
        days[4],
        capacity_bbl=CAPACITY,
        shared=False,
        anchor=Gauge(_gauge_at(d1), d1, Decimal(100)),
        gauges=[Gauge(_gauge_at(d), d, Decimal(100)) for d in days[1:3]],
        tickets=[],
        production={d: Decimal(10) for d in days},
        threshold=Threshold(stale_days=3),
    )
    assert [(r.unchanged_days, r.stale) for r in rows] == [(1, False), (2, False), (3, True), (4, True)]


def test_a_tank_with_no_production_is_never_stale():
    d1 = date(2026, 3, 1)
    rows = daily_balance(
        d1 + timedelta(days=1),
        d1 + timedelta(days=9),
        capacity_bbl=CAPACITY,
        shared=False,
        anchor=Gauge(_gauge_at(d1), d1, Decimal(100)),
        gauges=[],
        tickets=[],
        production={},
        threshold=RULE,
    )
    assert not any(r.stale for r in rows) and rows[-1].unchanged_days == 9
