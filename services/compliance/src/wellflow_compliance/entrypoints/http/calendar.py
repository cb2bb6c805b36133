"""The filing calendar: what is due, when, and its state."""

# No `from __future__ import annotations`: FastAPI resolves the dependency closures at import.

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query

from ...app import calendar
from .. import schemas
from .common import ComplianceDep, Limit, Offset, Reader, Writer

router = APIRouter(prefix="/api/v1/filing-calendar", tags=["filing calendar"])


@router.get("", response_model=schemas.Page[schemas.ObligationRead])
async def list_obligations(
    actor: Reader,
    compliance: ComplianceDep,
    due_from: date | None = None,
    due_to: date | None = None,
    obligation: Annotated[str | None, Query(pattern="^(form_pr|oil_tax|gas_tax)$")] = None,
    state: Annotated[
        str | None, Query(pattern="^(open|submitted|awaiting_confirmation|accepted|rejected|paid)$")
    ] = None,
    pending_only: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """What is due, when, and its state (Form PR, oil tax, gas tax per production month)."""
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


@router.post("/{obligation_id}/paid", response_model=schemas.ObligationRead)
async def mark_paid(
    obligation_id: UUID, body: schemas.ObligationPaidUpdate, actor: Writer, compliance: ComplianceDep
) -> Any:
    return await calendar.mark_paid(compliance, actor, obligation_id, body.note)
