"""The RRC's answer for a Form PR version, which the submission worker reports (``on_outcome``)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from wellflow_servicekit.kernel import utcnow

from ..calendar import set_state
from ..ports import ComplianceWork


def obligation_state(outcome: str, filed_via: str, confirmed_by: str | None) -> str:
    """The month's Form PR obligation after an answer: done (``accepted``) only on the RRC's confirmation, a
    person's record of it or a real RRC adapter's acceptance; a stand-in's acceptance leaves it
    ``awaiting_confirmation`` (nothing reached the RRC), and its reminders go on."""
    if outcome == "accepted" and confirmed_by is None and filed_via != "rrc":
        return "awaiting_confirmation"
    return outcome


async def record_submission_outcome(
    uow: ComplianceWork,
    *,
    report_id: UUID,
    report_version: int,
    outcome: Literal["accepted", "rejected"],
    confirmation_number: str | None,
    reasons: list[str],
    filed_via: str = "stand-in",
    confirmed_by: str | None = None,
) -> None:
    """Called by the submission worker (an adapter's answer) or by a recorded confirmation (``confirmed_by``),
    in its unit of work (tenant set).

    Accepted: the version is the filed report; the month's Form PR obligation is done when the acceptance is
    the RRC's (see ``obligation_state``). Rejected: the reasons are kept and the obligation is open again for
    a corrected version. Repeating an answer is harmless; an accepted version never changes again.
    """
    if outcome not in ("accepted", "rejected"):
        raise ValueError(f"unknown outcome {outcome!r}")
    now = utcnow()
    row = await uow.versions.get(report_id, report_version, for_update=True)
    if row is None:
        raise LookupError(f"no Form PR version {report_version} of report {report_id}")
    if row["state"] == "accepted" or row["state"] == outcome:
        return
    await uow.versions.decide(
        report_id, report_version, state=outcome, confirmation_number=confirmation_number, reasons=reasons, at=now
    )
    if row["kind"] == "original":
        state = obligation_state(outcome, filed_via, confirmed_by)
        await set_state(uow, "form_pr", row["period"], state, confirmed_by or filed_via, now)
