"""The well status lifecycle: every allowed transition passes, the rest are refused listing what is allowed."""

from __future__ import annotations

import pytest

from wellflow_wells.domain.errors import IllegalTransition
from wellflow_wells.domain.lifecycle import TRANSITIONS, WellStatus, allowed_next, check_transition

ALLOWED = [(a, b) for a, nexts in TRANSITIONS.items() for b in nexts]
FORBIDDEN = [(a, b) for a in WellStatus for b in WellStatus if b not in TRANSITIONS[a]]


def test_the_ten_statuses_of_the_seed_all_have_rules():
    assert [s.value for s in WellStatus] == [
        "proposed",
        "permitted",
        "spudded",
        "drilling",
        "completing",
        "producing",
        "shut_in",
        "temporarily_abandoned",
        "permanently_abandoned",
        "plugged",
    ]
    assert set(TRANSITIONS) == set(WellStatus)


@pytest.mark.parametrize(("current", "requested"), ALLOWED)
def test_every_allowed_transition_passes(current, requested):
    assert check_transition(current.value, requested.value) is requested


@pytest.mark.parametrize(
    ("current", "requested"),
    [
        ("proposed", "producing"),
        ("proposed", "spudded"),
        ("permitted", "drilling"),
        ("drilling", "producing"),
        ("producing", "drilling"),
        ("producing", "producing"),
        ("shut_in", "completing"),
        ("permanently_abandoned", "producing"),
        ("plugged", "producing"),
        ("plugged", "proposed"),
    ],
)
def test_a_forbidden_transition_is_refused_naming_the_allowed_next_states(current, requested):
    with pytest.raises(IllegalTransition) as caught:
        check_transition(current, requested)
    assert caught.value.allowed == allowed_next(current)
    assert f"from {current} to {requested}" in caught.value.message


def test_all_forbidden_transitions_are_refused():
    for current, requested in FORBIDDEN:
        with pytest.raises(IllegalTransition):
            check_transition(current, requested)
    assert len(ALLOWED) + len(FORBIDDEN) == 100


def test_plugged_is_final():
    assert allowed_next("plugged") == []
    with pytest.raises(IllegalTransition, match="none: the status is final"):
        check_transition("plugged", "shut_in")


def test_a_producing_well_can_be_shut_in_and_return():
    assert check_transition("producing", "shut_in") is WellStatus.SHUT_IN
    assert check_transition("shut_in", "producing") is WellStatus.PRODUCING
