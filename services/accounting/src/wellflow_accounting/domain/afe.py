"""AFEs (authority for expenditure): the lifecycle, partner elections and overrun detection (docs/domain.md:
an estimate approved by non-operators before work; when actuals exceed the approved amount by the
agreement's percentage the operator must notify the partners and send a supplemental AFE)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class AfeStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLOSED = "closed"


S = AfeStatus
TRANSITIONS: dict[AfeStatus, tuple[AfeStatus, ...]] = {
    S.DRAFT: (S.PENDING_APPROVAL,),
    S.PENDING_APPROVAL: (S.APPROVED, S.REJECTED, S.DRAFT),  # back to draft to revise the estimate
    S.APPROVED: (S.IN_PROGRESS, S.CLOSED),  # closed unused
    S.REJECTED: (S.DRAFT, S.CLOSED),
    S.IN_PROGRESS: (S.COMPLETED,),
    S.COMPLETED: (S.CLOSED,),
    S.CLOSED: (),
}
# Only a draft's estimate may change; costs may be charged once approved and until closed.
EDITABLE = frozenset({S.DRAFT})
CHARGEABLE = frozenset({S.APPROVED, S.IN_PROGRESS, S.COMPLETED})
COUNTS_AS_APPROVED = frozenset({S.APPROVED, S.IN_PROGRESS, S.COMPLETED, S.CLOSED})


class EstimateKind(StrEnum):
    INTANGIBLE = "intangible"
    TANGIBLE = "tangible"


class Election(StrEnum):
    CONSENT = "consent"
    NON_CONSENT = "non_consent"


class IllegalAfeTransition(ValueError):
    def __init__(self, current: AfeStatus, requested: AfeStatus) -> None:
        self.current, self.requested = current, requested
        self.allowed = [s.value for s in TRANSITIONS[current]]
        super().__init__(
            f"An AFE that is {current.value} cannot become {requested.value}; allowed: "
            f"{', '.join(self.allowed) or 'none (closed is final)'}."
        )


def check_transition(current: str, requested: str) -> AfeStatus:
    now, wanted = AfeStatus(current), AfeStatus(requested)
    if wanted not in TRANSITIONS[now]:
        raise IllegalAfeTransition(now, wanted)
    return wanted


def overrun_percent(approved: Decimal, actual: Decimal) -> Decimal:
    """(actual / approved - 1) x 100, two places; an AFE approved at zero is infinitely over once spent."""
    if approved <= 0:
        return Decimal("Infinity") if actual > 0 else Decimal("0.00")
    return ((actual / approved - 1) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_overrun(approved: Decimal, actual: Decimal, threshold_percent: Decimal) -> bool:
    """Actuals past the approved amount by more than the agreement's percentage."""
    return actual > approved * (1 + threshold_percent / 100)
