"""Decks: sums to exactly one, interests per kind, overlaps, and the decimal helper on docs/domain.md's examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from wellflow_accounting.domain.decks import (
    DeckKind,
    DeckLine,
    DeckRejected,
    InterestType,
    Period,
    Tract,
    check_deck,
    check_period,
    net_revenue_interest,
    royalty_decimal,
)

D = Decimal
R, ORRI, W = InterestType.ROYALTY, InterestType.ORRI, InterestType.WORKING_INTEREST


def lines(*pairs):
    return [DeckLine(uuid4(), kind, D(value)) for kind, value in pairs]


def test_a_revenue_deck_summing_to_one_is_accepted():
    deck = lines((R, "0.18750000"), (ORRI, "0.06250000"), (W, "0.37500000"), (W, "0.37500000"))
    assert check_deck(DeckKind.REVENUE, deck) == D("1.00000000")


@pytest.mark.parametrize(
    ("pairs", "difference"),
    [
        (((R, "0.18750000"), (W, "0.75000000")), "0.06250000"),
        (((R, "0.18750000"), (W, "0.81250001")), "-0.00000001"),
    ],
)
def test_a_deck_that_does_not_sum_is_rejected_with_the_difference(pairs, difference):
    with pytest.raises(DeckRejected) as caught:
        check_deck(DeckKind.REVENUE, lines(*pairs))
    assert caught.value.difference == D(difference)
    assert f"{abs(D(difference)):.8f}" in caught.value.message


def test_a_cost_deck_holds_working_interests_only():
    check_deck(DeckKind.COST, lines((W, "0.5"), (W, "0.5")))
    with pytest.raises(DeckRejected) as caught:
        check_deck(DeckKind.COST, lines((W, "0.8125"), (R, "0.1875")))
    assert caught.value.field == "body.lines[1].interest_type"


def test_more_than_eight_places_and_duplicates_are_rejected():
    with pytest.raises(DeckRejected, match="8 places"):
        check_deck(DeckKind.REVENUE, lines((W, "0.999999995"), (R, "0.000000005")))
    owner = uuid4()
    with pytest.raises(DeckRejected, match="twice"):
        check_deck(DeckKind.COST, [DeckLine(owner, W, D("0.5")), DeckLine(owner, W, D("0.5"))])


@pytest.mark.parametrize(
    ("new", "existing", "overlaps"),
    [
        (Period(date(2026, 1, 1)), [Period(date(2025, 1, 1), date(2026, 1, 1))], False),
        (Period(date(2025, 12, 1)), [Period(date(2025, 1, 1), date(2026, 1, 1))], True),
        (Period(date(2024, 1, 1), date(2025, 1, 1)), [Period(date(2025, 1, 1))], False),
        (Period(date(2024, 1, 1), date(2025, 1, 2)), [Period(date(2025, 1, 1))], True),
        (Period(date(2026, 6, 1)), [Period(date(2025, 1, 1))], True),
    ],
)
def test_decks_of_a_lease_may_not_overlap(new, existing, overlaps):
    if overlaps:
        with pytest.raises(DeckRejected, match="Overlaps"):
            check_period(new, existing)
    else:
        check_period(new, existing)


def test_domain_example_full_working_interest_under_three_sixteenths_royalty_and_one_sixteenth_orri():
    assert net_revenue_interest(D("1"), D("0.1875"), D("0.0625"), D("0")) == D("0.75000000")


def test_nri_of_a_partial_working_interest_with_other_burdens():
    assert net_revenue_interest(D("0.25"), D("0.1875"), D("0.0625"), D("0.05")) == D("0.17500000")


def test_royalty_decimal_sums_tracts():
    # 40 of 640 unit acres at 3/16 plus 20 of 640 at 1/4: 0.01171875 + 0.0078125.
    tracts = [Tract(D("40"), D("640"), D("0.1875")), Tract(D("20"), D("640"), D("0.25"))]
    assert royalty_decimal(tracts) == D("0.01953125")


def test_royalty_decimal_rounds_to_eight_places():
    assert royalty_decimal([Tract(D("1"), D("3"), D("0.125"))]) == D("0.04166667")


@pytest.mark.parametrize(
    "tract", [Tract(D("10"), D("0"), D("0.125")), Tract(D("700"), D("640"), D("0.125")), Tract(D("1"), D("2"), D("1"))]
)
def test_impossible_tracts_are_rejected(tract):
    with pytest.raises(ValueError):
        royalty_decimal([tract])
