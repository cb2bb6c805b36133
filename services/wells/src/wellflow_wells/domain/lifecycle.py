"""The well status lifecycle: which status may follow which. ``plugged`` is final.

Drilling runs forward (proposed -> permitted -> spudded -> drilling -> completing -> producing); a producing
well may be shut in and brought back; any well past permitting may be temporarily abandoned, then returned
to production or permanently abandoned, and plugging ends it. A proposal or permit may be abandoned before
spud (straight to plugged is not meaningful there, so it goes to permanently_abandoned).
"""

from __future__ import annotations

from enum import StrEnum

from .errors import IllegalTransition


class WellStatus(StrEnum):
    PROPOSED = "proposed"
    PERMITTED = "permitted"
    SPUDDED = "spudded"
    DRILLING = "drilling"
    COMPLETING = "completing"
    PRODUCING = "producing"
    SHUT_IN = "shut_in"
    TEMPORARILY_ABANDONED = "temporarily_abandoned"
    PERMANENTLY_ABANDONED = "permanently_abandoned"
    PLUGGED = "plugged"


S = WellStatus

TRANSITIONS: dict[WellStatus, tuple[WellStatus, ...]] = {
    S.PROPOSED: (S.PERMITTED, S.PERMANENTLY_ABANDONED),
    S.PERMITTED: (S.SPUDDED, S.PERMANENTLY_ABANDONED),
    S.SPUDDED: (S.DRILLING, S.TEMPORARILY_ABANDONED, S.PLUGGED),
    S.DRILLING: (S.COMPLETING, S.TEMPORARILY_ABANDONED, S.PLUGGED),
    S.COMPLETING: (S.PRODUCING, S.SHUT_IN, S.TEMPORARILY_ABANDONED, S.PLUGGED),
    S.PRODUCING: (S.SHUT_IN, S.TEMPORARILY_ABANDONED, S.PLUGGED),
    S.SHUT_IN: (S.PRODUCING, S.TEMPORARILY_ABANDONED, S.PLUGGED),
    S.TEMPORARILY_ABANDONED: (S.PRODUCING, S.SHUT_IN, S.PERMANENTLY_ABANDONED, S.PLUGGED),
    S.PERMANENTLY_ABANDONED: (S.PLUGGED,),
    S.PLUGGED: (),
}

INITIAL_STATUSES: frozenset[WellStatus] = frozenset(S)  # a well already drilled may be registered as it is


def allowed_next(current: WellStatus | str) -> list[str]:
    return [s.value for s in TRANSITIONS[WellStatus(current)]]


def check_transition(current: WellStatus | str, requested: WellStatus | str) -> WellStatus:
    """The requested status, or IllegalTransition listing the allowed next states."""
    current, requested = WellStatus(current), WellStatus(requested)
    if requested not in TRANSITIONS[current]:
        raise IllegalTransition(current.value, requested.value, allowed_next(current))
    return requested
