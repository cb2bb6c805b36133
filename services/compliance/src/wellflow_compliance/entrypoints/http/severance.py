"""Severance tax: each lease-month's tax, the prices entered and the reliefs granted."""

# No `from __future__ import annotations`: FastAPI resolves the dependency closures at import.

from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter

from ...app import severance, valuation
from .. import schemas, schemas_tax
from .common import ComplianceDep, Limit, Offset, Reader, Writer, month_query, period_path

router = APIRouter(prefix="/api/v1/severance-tax", tags=["severance tax"])


@router.get("", response_model=schemas.Page[schemas.TaxRead])
async def list_taxes(
    actor: Reader,
    compliance: ComplianceDep,
    month: str | None = None,
    lease_id: UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await severance.list_taxes(
        compliance, actor, month=month_query(month), lease_id=lease_id, limit=limit, offset=offset
    )


@router.get("/returns/{period}/{report}", response_model=schemas.TaxReturnRead)
async def get_return(
    period: str,
    report: Literal["10-158", "10-165", "10-159"],
    actor: Reader,
    compliance: ComplianceDep,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """The organization's report for a month as the Comptroller's form has it (10-158 crude oil, 10-165 crude
    oil special, 10-159 natural gas): each lease's lines, paged, with the report's totals and due date."""
    return await severance.get_return(compliance, actor, period_path(period), report, limit=limit, offset=offset)


@router.get("/months/{period}/summary", response_model=schemas_tax.TaxSummaryRead)
async def month_summary(period: str, actor: Reader, compliance: ComplianceDep) -> Any:
    """The month's tax by lease and in total: what owners bear (what the revenue run takes, per product), the
    operator's tax (crude used or lost, lease use, flare) and the regulatory fees."""
    return await valuation.tax_summary(compliance, actor, period_path(period))


@router.get("/reliefs", response_model=list[schemas.ReliefRead])
async def list_all_reliefs(actor: Reader, compliance: ComplianceDep) -> Any:
    """Every lease's relief grants, by lease then oldest first (the organization's tax summary in one call)."""
    return await severance.list_reliefs(compliance, actor, None)


@router.get("/leases/{lease_id}/reliefs", response_model=list[schemas.ReliefRead])
async def list_reliefs(lease_id: UUID, actor: Reader, compliance: ComplianceDep) -> Any:
    return await severance.list_reliefs(compliance, actor, lease_id)


@router.post("/leases/{lease_id}/reliefs", status_code=201, response_model=schemas.ReliefRead)
async def grant_relief(lease_id: UUID, body: schemas.ReliefCreate, actor: Writer, compliance: ComplianceDep) -> Any:
    data = body.model_dump()
    data["effective_from"] = body.effective_from.replace(day=1)
    return await severance.grant_relief(compliance, actor, lease_id, data)


@router.get("/leases/{lease_id}/{period}", response_model=schemas.TaxRead)
async def get_tax(lease_id: UUID, period: str, actor: Reader, compliance: ComplianceDep) -> Any:
    return await severance.get_tax(compliance, actor, lease_id, period_path(period))


@router.put("/leases/{lease_id}/{period}/prices", response_model=schemas.TaxRead)
async def enter_prices(
    lease_id: UUID, period: str, body: schemas.PricesUpdate, actor: Writer, compliance: ComplianceDep
) -> Any:
    """The month's prices (and gas marketing costs) for a lease; the tax is computed at once and whenever
    the month's volumes change."""
    return await severance.enter_prices(compliance, actor, lease_id, period_path(period), body.model_dump())
