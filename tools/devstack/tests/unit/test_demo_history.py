"""The demo tenant's computed history: plausible wells, tanks that balance and never overflow, gas that is all
disposed of, and a CSV production's import accepts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from wellflow_devstack import demo_battery as battery
from wellflow_devstack import demo_history as dh

LAST_DAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def history() -> dh.History:
    history = dh.plan(wells=25, days=3 * 365, last_day=LAST_DAY)
    for lease in ("A", "B"):
        battery.simulate_battery(history, lease)
    return history


def _net(history: dh.History, lease: str) -> dict[date, Decimal]:
    """Tickets' net barrels as production would answer them: gross less 0.3% BS&W and ~0.5% shrink."""
    net: dict[date, Decimal] = defaultdict(Decimal)
    for ticket in history.tickets:
        if ticket.lease == lease:
            gross = Decimal(ticket.opening_bbl - ticket.closing_bbl)
            net[dh.month_start(ticket.day)] += (gross * Decimal("0.992")).quantize(Decimal("0.01"))
    return net


def test_the_same_seed_plans_the_same_demo():
    first = dh.plan(wells=5, days=90, last_day=LAST_DAY)
    second = dh.plan(wells=5, days=90, last_day=LAST_DAY)
    assert first.readings == second.readings
    assert [w.api_number for w in first.wells] == [w.api_number for w in second.wells]


def test_wells_carry_distinct_texas_api_numbers_in_an_odd_county(history):
    apis = [w.api_number for w in history.wells]
    assert len(set(apis)) == len(apis) == 25
    for api in apis:
        state, county, unique = api.split("-")
        assert state == "42" and int(county) % 2 == 1 and 1 <= int(county) <= 507 and len(unique) == 5


def test_one_gas_well_and_two_oil_leases_with_one_or_two_shut_in(history):
    by_lease = defaultdict(list)
    for well in history.wells:
        by_lease[well.lease].append(well)
    assert [w.well_type for w in by_lease["G"]] == ["gas"]
    assert len(by_lease["A"]) + len(by_lease["B"]) == 24
    assert len([w for w in history.wells if w.shut_in_on]) == 2
    assert len({(w.qi, w.di, w.b) for w in history.wells}) == 25  # each well its own curve


def test_production_declines_and_first_production_is_staggered(history):
    well = history.wells[3]
    assert well.rate(well.first_day) > well.rate(well.first_day + timedelta(days=365)) > 0
    assert len({w.first_day for w in history.wells if w.well_type == "oil"}) > 10


def test_downtime_carries_a_reason_and_no_volume_when_the_well_was_off(history):
    partial = [r for r in history.readings if r.hours < 24]
    assert partial, "some days were partly down"
    assert all(r.reason for r in partial)
    assert all(r.oil == r.gas == r.water == 0 for r in history.readings if r.hours == 0)


def test_the_last_days_leave_alerts_to_find(history):
    last = {r.api_number for r in history.readings if r.day == LAST_DAY}
    producing = {w.api_number for w in history.wells if w.shut_in_on is None}
    assert len(producing - last) == 2  # two wells missing their last reading
    assert any(r.hours == 0 and r.reason == "mechanical" for r in history.readings if r.day == LAST_DAY)


def test_shut_in_wells_report_nothing_after_the_shut_in(history):
    for well in (w for w in history.wells if w.shut_in_on):
        assert max(r.day for r in history.readings if r.api_number == well.api_number) < well.shut_in_on


def test_tanks_never_overflow_and_tickets_leave_the_bottoms(history):
    assert history.tickets and history.gauges
    for ticket in history.tickets:
        if ticket.hauler is None:  # the planted short load's ticket reads its closing gauge high
            assert dh.BOTTOMS_BBL == ticket.closing_bbl < ticket.opening_bbl <= dh.TANK_CAPACITY_BBL
    assert all(0 <= g.barrels <= dh.TANK_CAPACITY_BBL for g in history.gauges)
    assert all(g.barrels % dh.GAUGE_STEP_BBL == 0 for g in history.gauges)


@pytest.mark.parametrize("barrels", [0, 2, 96, 1000, 1726, 1920])
def test_a_level_reads_back_from_its_gauge(barrels):
    gauge = dh.gauge_of(barrels)
    inches = gauge["feet"] * 12 + gauge["inches"] + Decimal(gauge["quarters"]) / 4
    assert inches * dh.TANK_BBL_PER_INCH == barrels


@pytest.mark.parametrize("lease", ["A", "B"])
def test_every_tank_is_on_record_at_each_month_end_and_holds_what_was_read(lease):
    """The Form PR derives a month's oil from the tanks when every oil tank was gauged on its last day (a ticket's
    closing gauge counts), so the demo gauges each tank each month end; and the tanks hold what the readings put
    in less what the tickets took, to the gauge's resolution (the readings are loaded as read, never scaled)."""
    history = dh.plan(wells=25, days=3 * 365, last_day=LAST_DAY)
    battery.simulate_battery(history, lease)
    records = sorted(
        [(t.day, 10, t.tank, t.closing_bbl) for t in history.tickets if t.lease == lease]
        + [(g.day, 18, g.tank, g.barrels) for g in history.gauges if g.lease == lease]
    )
    read = {month: v["oil"] for (key, month), v in history.lease_month_totals().items() if key == lease}
    taken: dict[date, Decimal] = defaultdict(Decimal)
    for t in history.tickets:
        if t.lease == lease:
            taken[dh.month_start(t.day)] += t.opening_bbl - t.closing_bbl
    first = min(month for month, oil in read.items() if oil > 0)
    previous = Decimal(0)
    for month in history.months():
        if month < first or dh.month_end(month) > history.last_day:
            continue
        on_record = {tank for day, _, tank, _ in records if day == dh.month_end(month)}
        assert on_record == {0, 1}, month
        latest = {tank: bbl for day, _, tank, bbl in records if day <= dh.month_end(month)}
        stock = Decimal(sum(latest.values()))
        lost_to_gauge_steps = previous + read.get(month, Decimal(0)) - taken[month] - stock
        assert 0 <= lost_to_gauge_steps < 2 * dh.GAUGE_STEP_BBL, month
        previous = stock


def test_a_tank_unchanged_since_its_last_ticket_is_not_gauged_again(history):
    closed = {(t.lease, t.tank, t.day) for t in history.tickets if t.hauler is None}  # the short load's tank moved
    assert not [g for g in history.gauges if (g.lease, g.tank, g.day) in closed and g.barrels == dh.BOTTOMS_BBL]


def test_gas_dispositions_add_up_to_the_gas_produced_each_month(history):
    disposed: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for entry in battery.gas_dispositions(history):
        disposed[(entry["lease"], entry["month"])] += entry["mcf"]
        assert (entry["authority"] == "AR") == (entry["code"] == "10")
    produced = {key: v["gas"] for key, v in history.lease_month_totals().items() if v["gas"] > 0}
    assert disposed == produced


def test_the_csv_has_the_import_header_and_a_line_a_reading(history):
    lines = battery.readings_csv(history).splitlines()
    assert lines[0] == "api_number,date,oil_bbl,gas_mcf,water_bbl,hours_on,downtime_reason"
    assert len(lines) == len(history.readings) + 1


def test_too_few_wells_is_refused():
    with pytest.raises(ValueError, match="three wells"):
        dh.plan(wells=2, days=30, last_day=LAST_DAY)


def test_the_last_day_plants_a_tank_drop_with_no_ticket_and_a_short_load():
    """Lease A's idle tank is gauged in the morning and holds 80 bbl less in the evening with no ticket; lease B's
    idle tank is gauged, run by another hauler whose ticket closes 40 bbl high, and gauged at the bottoms."""
    history = dh.plan(wells=25, days=3 * 365, last_day=LAST_DAY)
    for lease in ("A", "B"):
        battery.simulate_battery(history, lease)
    last = history.last_day

    def gauges(lease: str) -> list:
        return sorted((g for g in history.gauges if g.lease == lease and g.day == last), key=lambda g: g.hour)

    morning = [g for g in gauges("A") if g.hour == 7]
    assert len(morning) == 1
    [evening] = [g for g in gauges("A") if g.hour == 18 and g.tank == morning[0].tank]
    assert morning[0].barrels - evening.barrels == battery.MISSING_BBL
    assert not [t for t in history.tickets if t.lease == "A" and t.day == last and t.tank == morning[0].tank]
    [short] = [t for t in history.tickets if t.hauler == battery.SHORT_HAULER]
    assert (short.lease, short.day, short.closing_bbl) == ("B", last, dh.BOTTOMS_BBL + battery.SHORT_BBL)
    [after] = [g for g in gauges("B") if g.hour == 18 and g.tank == short.tank]
    assert after.barrels == dh.BOTTOMS_BBL
