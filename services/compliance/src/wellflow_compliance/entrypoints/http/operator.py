"""Compliance settings: the organization as the RRC knows it, and the leases as compliance reports them."""

# No `from __future__ import annotations`: FastAPI resolves the dependency closures at import.

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...app import operator
from .. import schemas
from .common import ComplianceDep, Limit, Offset, Reader, Writer, district_query

router = APIRouter(prefix="/api/v1/compliance", tags=["compliance settings"])


@router.get("/operator", response_model=schemas.OperatorRead)
async def get_operator(actor: Reader, compliance: ComplianceDep) -> Any:
    """The organization as the RRC knows it: name and operator number (Form P-5)."""
    return await operator.get_operator(compliance, actor)


@router.put("/operator", response_model=schemas.OperatorRead)
async def set_operator(body: schemas.OperatorUpdate, actor: Writer, compliance: ComplianceDep) -> Any:
    return await operator.set_operator(compliance, actor, body.rrc_operator_number, body.name)


@router.get("/leases", response_model=schemas.Page[schemas.LeaseRead])
async def list_leases(
    actor: Reader,
    compliance: ComplianceDep,
    rrc_district: str | None = None,
    pending: bool | None = None,
    lease_type: Annotated[str | None, Query(pattern="^(oil|gas)$")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Compliance's copy of the leases and how each is reported (``pending=true``: no RRC lease number yet)."""
    return await operator.list_leases(
        compliance,
        actor,
        rrc_district=district_query(rrc_district),
        pending=pending,
        lease_type=lease_type,
        limit=limit,
        offset=offset,
    )
