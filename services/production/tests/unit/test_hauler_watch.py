"""The hauler watch's statistic and per-ticket differences, computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from wellflow_production.domain.hauler_watch import Load, PumperGauge, bias, critical_t, ticket_differences


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_critical_values_match_the_t_table():
    # Student's t, two-sided 95 %: 12.706 (1 df), 2.262 (9 df), 2.045 (29 df)
    assert [critical_t(n) for n in (2, 10, 30)] == [Decimal("12.7062"), Decimal("2.2622"), Decimal("2.0452")]


def test_a_steady_short_load_is_flagged():
    # 1..10: mean 5.5; s^2 = 82.5 / 9 = 9.1667; SE = sqrt(9.1667 / 10) = 0.9574; t = 5.7446 > 2.2622
    found = bias([Decimal(n) for n in range(1, 11)])
    assert (found.count, found.mean_bbl, found.standard_error_bbl, found.t_statistic) == (
        10,
        Decimal("5.50"),
        Decimal("0.9574"),
        Decimal("5.7446"),
    )
    assert found.flagged


def test_noise_of_either_sign_is_not_flagged():
    # +-1 five times each: mean 0
    found = bias([Decimal(1), Decimal(-1)] * 5)
    assert (found.mean_bbl, found.t_statistic, found.flagged) == (Decimal("0.00"), Decimal("0.0000"), False)


def test_a_large_mean_over_too_few_tickets_is_not_flagged():
    assert not bias([Decimal(9), Decimal(10), Decimal(11)]).flagged
    assert bias([Decimal(9), Decimal(10), Decimal(11)], min_tickets=3).flagged  # t = 10 / 0.5774 = 17.3 > 4.30


def test_a_mean_just_below_the_critical_value_is_not_flagged():
    # 10 tickets: eight 0s, one +3, one +3: mean 0.6, s^2 = (8 x 0.36 + 2 x 5.76) / 9 = 1.6; SE = 0.4; t = 1.5
    found = bias([Decimal(0)] * 8 + [Decimal(3)] * 2)
    assert (found.standard_error_bbl, found.t_statistic, found.flagged) == (Decimal("0.4000"), Decimal("1.5000"), False)


def test_a_ticket_is_judged_against_the_pumpers_gauges_around_it():
    gauges = [
        PumperGauge(_at(1, 7), date(2026, 2, 28), Decimal(300)),
        PumperGauge(_at(2, 7), date(2026, 3, 1), Decimal(200)),  # 300 + 20 - 200 = 120 left; ticket says 110
        PumperGauge(_at(3, 7), date(2026, 3, 2), Decimal(100)),  # two loads in this stretch: left out
        PumperGauge(_at(4, 7), date(2026, 3, 3), Decimal(50)),  # a refused load: nothing left, nothing judged
    ]
    loads = [
        Load("a", _at(1, 12), date(2026, 3, 1), Decimal(110), "Hauler A", "Plains"),
        Load("b", _at(2, 12), date(2026, 3, 2), Decimal(60), "Hauler A", "Plains"),
        Load("c", _at(2, 13), date(2026, 3, 2), Decimal(60), "Hauler B", "Plains"),
        Load("d", _at(3, 12), date(2026, 3, 3), Decimal(90), "Hauler B", "Plains", rejected=True),
    ]
    production = {date(2026, 3, 1): Decimal(20), date(2026, 3, 2): Decimal(20), date(2026, 3, 3): Decimal(20)}
    [only] = ticket_differences(gauges, loads, production)
    assert (only.ticket_id, only.balance_bbl, only.difference_bbl) == ("a", Decimal(120), Decimal(10))
