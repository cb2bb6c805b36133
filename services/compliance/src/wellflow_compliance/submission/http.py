"""The submission queue over HTTP: what was sent to the RRC portal, how it went, and a retry by hand.

- `GET /api/v1/compliance/submissions?state=&period=&report_id=&limit=&offset=`: newest first, paginated.
- `GET /api/v1/compliance/submissions/{id}`: attempts, next attempt time, last error, confirmation, reasons.
- `POST /api/v1/compliance/submissions/{id}/retry`: re-queue a failed submission (idempotent: a queued one
  is returned as it is; accepted and rejected ones answer 409, since a rejected report must be corrected
  and filed as a new version).
- `GET /api/v1/compliance/portal`: the breaker's state and this organization's queue, for a status page.
- `GET /health/portal` (no token, like the other probes): `ok`, or `degraded` while the breaker is not
  closed; always 200, because an unreachable portal must not take compliance out of the load balancer.
"""

# No `from __future__ import annotations`: FastAPI resolves the dependency closures at import.

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from wellflow_servicekit.auth import Principal
from wellflow_servicekit.permissions import Resource, require_permission
from wellflow_servicekit.problems import NotFound, UnprocessableContent

from .queue import retry_submission, submission_view
from .tables import STATES, submissions

MAX_PAGE = 200
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

State = Literal["queued", "in_flight", "accepted", "rejected", "failed"]
Reader = Annotated[Principal, Depends(require_permission(Resource.COMPLIANCE, "read"))]
Writer = Annotated[Principal, Depends(require_permission(Resource.COMPLIANCE, "write"))]


class SubmissionRead(BaseModel):
    id: UUID
    report_id: UUID
    report_version: int
    period: date = Field(description="first day of the production month")
    submission_key: str = Field(description="sent with every attempt; the portal files a key once")
    state: State
    attempts: int = Field(description="calls that reached (or tried to reach) the portal, since the last retry")
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    confirmation_number: str | None
    accepted_at: datetime | None
    reasons: list[str] = Field(description="the portal's reasons for a rejection")
    requested_by: str
    retried_by: str | None
    created_at: datetime
    updated_at: datetime


class SubmissionPage(BaseModel):
    items: list[SubmissionRead]
    total: int
    limit: int
    offset: int


def _submissions(request: Request) -> Any:
    return request.app.state.submissions


def _month(value: str | None) -> date | None:
    if value is None:
        return None
    match = _MONTH.match(value)
    if match is None:
        message = "must be a production month as YYYY-MM, e.g. 2026-07"
        raise UnprocessableContent(
            message, slug="validation-error", errors=[{"field": "query.period", "message": message}]
        )
    return date(int(match[1]), int(match[2]), 1)


def _not_found() -> NotFound:
    return NotFound("The submission was not found in your organization.")


router = APIRouter(prefix="/api/v1/compliance", tags=["compliance submissions"])
health_router = APIRouter(include_in_schema=False)


@router.get("/submissions", response_model=SubmissionPage)
async def list_submissions(
    request: Request,
    principal: Reader,
    state: State | None = None,
    period: Annotated[str | None, Query(description="production month, YYYY-MM")] = None,
    report_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Any:
    month = _month(period)
    conditions = [submissions.c.organization_id == principal.organization_id]
    if state is not None:
        conditions.append(submissions.c.state == state)
    if month is not None:
        conditions.append(submissions.c.period == month)
    if report_id is not None:
        conditions.append(submissions.c.report_id == report_id)
    async with _submissions(request).database.unit_of_work(principal.organization_id) as uow:
        total = (await uow.connection.execute(select(func.count()).where(*conditions))).scalar_one()
        rows = (
            await uow.connection.execute(
                select(submissions)
                .where(*conditions)
                .order_by(submissions.c.created_at.desc(), submissions.c.id.desc())
                .limit(limit)
                .offset(offset)
            )
        ).all()
    return {"items": [submission_view(row) for row in rows], "total": total, "limit": limit, "offset": offset}


@router.get("/submissions/{submission_id}", response_model=SubmissionRead)
async def get_submission(request: Request, principal: Reader, submission_id: UUID) -> Any:
    async with _submissions(request).database.unit_of_work(principal.organization_id) as uow:
        row = (await uow.connection.execute(select(submissions).where(submissions.c.id == submission_id))).one_or_none()
    if row is None:
        raise _not_found()
    return submission_view(row)


@router.post("/submissions/{submission_id}/retry", response_model=SubmissionRead)
async def retry(request: Request, principal: Writer, submission_id: UUID) -> Any:
    machinery = _submissions(request)
    async with machinery.database.unit_of_work(principal.organization_id) as uow:
        view = await retry_submission(uow, submission_id, retried_by=principal.subject)
    if view is None:
        raise _not_found()
    machinery.wake()
    return view


@router.get("/portal")
async def portal_status(request: Request, principal: Reader) -> dict[str, Any]:
    """The RRC portal as compliance sees it: the breaker, and this organization's queue by state."""
    machinery = _submissions(request)
    async with machinery.database.unit_of_work(principal.organization_id) as uow:
        counts = dict(
            (
                await uow.connection.execute(select(submissions.c.state, func.count()).group_by(submissions.c.state))
            ).all()
        )
    return {
        "adapter": machinery.settings.rrc_portal_adapter,
        "breaker": machinery.breaker.snapshot(),
        "queue": {state: counts.get(state, 0) for state in STATES},
    }


@health_router.get("/health/portal")
async def portal_health(request: Request) -> dict[str, Any]:
    machinery = _submissions(request)
    breaker = machinery.breaker.snapshot()
    return {
        "status": "ok" if breaker["state"] == "closed" else "degraded",
        "breaker": breaker,
        "worker": {"running": machinery.worker_running, "last_error": machinery.worker_error},
    }
