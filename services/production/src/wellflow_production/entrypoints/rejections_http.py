"""HTTP routes for refused loads: a run ticket's refusal, its dispute's resolution, and the list of refusals."""

# No `from __future__ import annotations` here: FastAPI resolves the dependency aliases at import.

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from ..app import rejections
from ..app.common import MAX_PAGE
from . import schemas
from .http import ProductionDep, Reader, Writer

rejections_router = APIRouter(tags=["refused loads"])


@rejections_router.post("/api/v1/run-tickets/{ticket_id}/rejection", status_code=201)
async def reject(ticket_id: UUID, body: schemas.RejectionCreate, actor: Writer, production: ProductionDep) -> Any:
    """The purchaser refused this load: it never left the tank. The same refusal sent again answers the first
    (200); a different one for the same ticket is 409."""
    status, answer = await rejections.reject(production, actor, ticket_id, body.reason, body.photo_document_id)
    return JSONResponse(answer, status_code=status)


@rejections_router.get("/api/v1/run-tickets/{ticket_id}/rejection")
async def get_rejection(ticket_id: UUID, actor: Reader, production: ProductionDep) -> Any:
    return await rejections.get_rejection(production, actor, ticket_id)


@rejections_router.post("/api/v1/run-tickets/{ticket_id}/rejection/resolution")
async def resolve(ticket_id: UUID, body: schemas.ResolutionCreate, actor: Writer, production: ProductionDep) -> Any:
    """Settle the dispute over a refused load, with who (the caller) and why. The same settlement (its text) sent
    again answers the first; another one is 409."""
    return await rejections.resolve(production, actor, ticket_id, body.resolution)


@rejections_router.get("/api/v1/production/refused-loads")
async def list_rejections(
    actor: Reader,
    production: ProductionDep,
    state: Literal["open", "resolved"] | None = None,
    lease_id: UUID | None = None,
    purchaser: str | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    """Refused loads, the latest first, filtered by dispute state, lease or purchaser."""
    return await rejections.list_rejections(
        production, actor, state=state, lease_id=lease_id, purchaser=purchaser, offset=offset, limit=limit
    )
