"""Recording the RRC's confirmation of a submission prepared for filing by hand (``awaiting_confirmation``).

A person files the package on RRC Online (or on paper) and records the confirmation number the RRC gave,
with its date and a note if they like. That, or a real RRC adapter's acceptance, is the only thing that
closes the month's Form PR obligation. Recording is idempotent: the same number again answers the same
submission; a different number is a conflict naming the field (a correction is not an edit: it would
silently replace what was recorded). Who recorded it and when are kept on the submission and carried by
``compliance.report_confirmed.v1``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from wellflow_contracts.events.compliance import ReportConfirmed
from wellflow_servicekit.errors import Conflict

from ..common import Actor, invalid, not_found
from ..ports import ComplianceWork
from .outcomes import OutcomeHook
from .queue import STAND_IN, STAND_IN_NOTICE, submission_view

NUMBER_FIELD = "body.confirmation_number"


class ConfirmationConflict(Conflict):
    slug = "confirmation-conflict"


def _first_filing_day(period: date) -> date:
    """A month's report can be filed from the first day of the following month."""
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def check_confirmation_date(confirmation_date: date | None, period: date, today: date) -> None:
    if confirmation_date is None:
        return
    if confirmation_date > today:
        raise invalid("body.confirmation_date", "The RRC's confirmation date cannot be in the future.")
    first = _first_filing_day(period)
    if confirmation_date < first:
        raise invalid(
            "body.confirmation_date",
            f"A report for {period:%Y-%m} can only be filed from {first.isoformat()}; check the RRC's date.",
        )


def _refuse(row: dict[str, Any], number: str) -> None:
    """Raise when this submission cannot take ``number``: a stand-in answer, another number already
    recorded, or a state that is not awaiting confirmation."""
    state, filed_via = row["state"], row.get("filed_via") or STAND_IN
    if state == "accepted" and filed_via == STAND_IN:
        raise ConfirmationConflict(
            f"{STAND_IN_NOTICE}: this submission was answered by WellFlow's stand-in in the dev stack, so there "
            "is no RRC filing to confirm. Run compliance with RRC_PORTAL_ADAPTER=manual to file by hand.",
            state=state,
            filed_via=filed_via,
        )
    if state == "accepted":
        if row["confirmation_number"] == number:
            return
        raise ConfirmationConflict(
            f"The RRC's confirmation {row['confirmation_number']} is already recorded for this submission; a "
            "different number cannot replace it.",
            errors=[{"field": NUMBER_FIELD, "message": f"already recorded as {row['confirmation_number']}"}],
            confirmation_number=row["confirmation_number"],
        )
    if state != "awaiting_confirmation":
        raise ConfirmationConflict(
            f"This submission is {state.replace('_', ' ')}: only a submission awaiting confirmation (prepared for "
            "filing by hand) takes the RRC's confirmation number.",
            state=state,
        )


async def record_confirmation(
    uow: ComplianceWork,
    submission_id: UUID,
    actor: Actor,
    *,
    confirmation_number: str,
    confirmation_date: date | None,
    note: str | None,
    now: datetime,
    on_outcome: OutcomeHook | None,
) -> dict[str, Any]:
    """Record the RRC's confirmation of a submission awaiting it, in the caller's unit of work."""
    row = await uow.submissions.get(submission_id, for_update=True)
    if row is None:
        raise not_found("The submission")
    _refuse(row, confirmation_number)
    if row["state"] == "accepted":  # the same number again: the same answer, nothing recorded twice
        return submission_view(row)
    check_confirmation_date(confirmation_date, row["period"], now.date())
    await uow.submissions.change(
        submission_id,
        state="accepted",
        confirmation_number=confirmation_number,
        accepted_at=now,
        confirmation_date=confirmation_date,
        confirmation_note=note,
        confirmed_by=actor.id,
        confirmed_at=now,
        updated_at=now,
    )
    if on_outcome is not None:
        await on_outcome(
            uow,
            report_id=row["report_id"],
            report_version=row["report_version"],
            outcome="accepted",
            confirmation_number=confirmation_number,
            reasons=[],
            filed_via=row["filed_via"],
            confirmed_by=actor.id,
        )
    uow.record(
        ReportConfirmed(
            tenant_id=actor.organization_id,
            occurred_at=now,
            report_id=row["report_id"],
            report_version=row["report_version"],
            period=row["period"],
            submission_id=row["id"],
            confirmation_number=confirmation_number,
            confirmation_date=confirmation_date,
            filed_via=row["filed_via"],
            recorded_by=actor.id,
            note=note,
        )
    )
    updated = await uow.submissions.get(submission_id)
    assert updated is not None
    return submission_view(updated)
