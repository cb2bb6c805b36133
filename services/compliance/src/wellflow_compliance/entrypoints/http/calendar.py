"""The filing calendar: what is due, when, and its state."""

# No `from __future__ import annotations`: FastAPI resolves the dependency closures at import.

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from ...app import calendar, scope
from .. import schemas, schemas_calendar
from .common import ComplianceDep, Limit, Offset, Reader, Writer

router = APIRouter(prefix="/api/v1/filing-calendar", tags=["filing calendar"])


@router.get("", response_model=schemas.Page[schemas_calendar.ObligationRead])
async def list_obligations(
    actor: Reader,
    compliance: ComplianceDep,
    due_from: date | None = None,
    due_to: date | None = None,
    obligation: Annotated[str | None, Query(pattern="^(form_pr|oil_tax|gas_tax)$")] = None,
    state: Annotated[
        str | None, Query(pattern="^(open|submitted|awaiting_confirmation|accepted|rejected|paid|filed_outside)$")
    ] = None,
    pending_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """What is due, when, and its state (Form PR, oil tax, gas tax per production month). ``pending_only``:
    still to do and in scope (due on or after the go-live month)."""
    return await calendar.list_obligations(
        compliance,
        actor,
        due_from=due_from,
        due_to=due_to,
        obligation=obligation,
        state=state,
        pending_only=pending_only,
        limit=limit,
        offset=offset,
    )


@router.post("/{obligation_id}/paid", response_model=schemas_calendar.ObligationRead)
async def mark_paid(
    obligation_id: UUID, body: schemas_calendar.ObligationPaidUpdate, actor: Writer, compliance: ComplianceDep
) -> Any:
    return await calendar.mark_paid(compliance, actor, obligation_id, body.note)


@router.get("/scope", response_model=schemas_calendar.ScopeRead)
async def get_scope(actor: Reader, compliance: ComplianceDep) -> Any:
    """The go-live month: obligations due before it are out of scope ("before WellFlow")."""
    return await scope.get_scope(compliance, actor)


@router.put("/scope", response_model=schemas_calendar.ScopeRead)
async def set_scope(body: schemas_calendar.GoLiveUpdate, actor: Writer, compliance: ComplianceDep) -> Any:
    return await scope.set_go_live(compliance, actor, body.month(), body.reason, clear=body.clear)


@router.get("/audit", response_model=schemas.Page[schemas_calendar.AuditRead])
async def audit_trail(
    actor: Reader,
    compliance: ComplianceDep,
    obligation_id: UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Who set the go-live month, marked an obligation filed outside WellFlow or undid it, when and why."""
    return await scope.audit_trail(compliance, actor, obligation_id=obligation_id, limit=limit, offset=offset)


@router.post("/{obligation_id}/filed-outside", response_model=schemas_calendar.ObligationRead)
async def mark_filed_outside(
    obligation_id: UUID, body: schemas_calendar.FiledOutsideCreate, actor: Writer, compliance: ComplianceDep
) -> Any:
    """Filed outside WellFlow: closed with its confirmation number and date; nothing is sent to the RRC."""
    return await scope.mark_filed_outside(
        compliance,
        actor,
        obligation_id,
        confirmation_number=body.confirmation_number,
        filed_on=body.filed_on,
        note=body.note,
    )


@router.post("/{obligation_id}/filed-outside/undo", response_model=schemas_calendar.ObligationRead)
async def undo_filed_outside(
    obligation_id: UUID, body: schemas_calendar.FiledOutsideUndo, actor: Writer, compliance: ComplianceDep
) -> Any:
    """An owner reopens an obligation marked filed outside WellFlow, with a reason (kept in the audit)."""
    return await scope.undo_filed_outside(compliance, actor, obligation_id, body.reason)
