"""AFEs: estimates, lifecycle, elections, the estimate-vs-actual report and overrun alerts."""

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from wellflow_servicekit.http import created_or_replayed

from ...app import afes as afe_uc
from .. import schemas
from ..deps import NO_NUL, AccountingDep, Limit, Offset, Reader, Writer

# ---------------------------------------------------------------- AFEs

afes_router = APIRouter(prefix="/api/v1/afes", tags=["AFEs"])


@afes_router.post("", status_code=201, response_model=schemas.AfeRead)
async def create_afe(body: schemas.AfeCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    """A draft AFE with its estimate lines (a supplemental AFE names its original in parent_afe_id)."""
    return created_or_replayed(response, await afe_uc.create_afe(acc, actor, body.model_dump()))


@afes_router.get("", response_model=schemas.Page[schemas.AfeRead])
async def list_afes(
    actor: Reader,
    acc: AccountingDep,
    status: Literal["draft", "pending_approval", "approved", "rejected", "in_progress", "completed", "closed"]
    | None = None,
    lease_id: UUID | None = None,
    q: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await afe_uc.list_afes(acc, actor, status=status, lease_id=lease_id, q=q, limit=limit, offset=offset)


@afes_router.get("/alerts", response_model=schemas.Page[schemas.AlertRead])
async def list_alerts(
    actor: Reader, acc: AccountingDep, open_only: bool = True, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await afe_uc.list_alerts(acc, actor, open_only=open_only, limit=limit, offset=offset)


@afes_router.post("/alerts/{alert_id}/acknowledge", response_model=schemas.AlertRead)
async def acknowledge_alert(alert_id: UUID, actor: Writer, acc: AccountingDep) -> Any:
    return await afe_uc.acknowledge_alert(acc, actor, alert_id)


@afes_router.get("/{afe_id}", response_model=schemas.AfeRead)
async def get_afe(afe_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await afe_uc.get_afe(acc, actor, afe_id)


@afes_router.put("/{afe_id}/lines", response_model=schemas.AfeRead)
async def update_estimate(afe_id: UUID, body: schemas.AfeLinesUpdate, actor: Writer, acc: AccountingDep) -> Any:
    """Replace a draft AFE's estimate lines (409 once it left draft)."""
    return await afe_uc.update_estimate(acc, actor, afe_id, [line.model_dump() for line in body.lines])


@afes_router.post("/{afe_id}/transitions", response_model=schemas.AfeRead)
async def transition_afe(afe_id: UUID, body: schemas.AfeTransitionCreate, actor: Writer, acc: AccountingDep) -> Any:
    """Move the AFE along its lifecycle; an illegal step answers 409 with the allowed ones."""
    return await afe_uc.transition(acc, actor, afe_id, body.status, body.note)


@afes_router.put("/{afe_id}/elections", response_model=schemas.AfeRead)
async def elect(afe_id: UUID, body: schemas.ElectionUpdate, actor: Writer, acc: AccountingDep) -> Any:
    """A working-interest partner's consent or non-consent (recording it again replaces it)."""
    return await afe_uc.elect(acc, actor, afe_id, body.partner_id, body.election, body.decided_on)


@afes_router.get("/{afe_id}/estimate-vs-actual")
async def estimate_vs_actual(afe_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    """Per cost category: estimate (with approved supplements), actual, variance."""
    return await afe_uc.estimate_vs_actual(acc, actor, afe_id)
