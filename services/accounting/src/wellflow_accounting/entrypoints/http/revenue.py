"""Prices, revenue distribution runs, owner statements and suspense."""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from ...app import distribution as dist_uc
from ...app import prices as price_uc
from ...app import statements as statement_uc
from ...app import suspense as suspense_uc
from ...app.context import check_month
from ...domain.distribution import Product
from .. import schemas
from ..deps import AccountingDep, Limit, Offset, PdfDep, Reader, Writer
from .statement_files import owner_statement_file

# ---------------------------------------------------------------- prices

prices_router = APIRouter(prefix="/api/v1/prices", tags=["revenue"])


@prices_router.put("", response_model=schemas.PriceRead)
async def set_price(body: schemas.PriceCreate, actor: Writer, acc: AccountingDep) -> Any:
    """Enter a price for a product and month, for every lease or one (replaces the one entered before)."""
    return await price_uc.set_price(acc, actor, body.model_dump())


@prices_router.post("/purchaser-statements", response_model=schemas.PriceRead)
async def record_purchaser_statement(body: schemas.PurchaserStatementCreate, actor: Writer, acc: AccountingDep) -> Any:
    """A purchaser's statement for one lease, product and month: volume, price, gross value, deductions."""
    return await price_uc.record_purchaser_statement(acc, actor, body.model_dump())


@prices_router.get("", response_model=schemas.Page[schemas.PriceRead])
async def list_prices(
    actor: Reader,
    acc: AccountingDep,
    month: date | None = None,
    product: Product | None = None,
    lease_id: UUID | None = None,
    source: Literal["entered", "purchaser_statement"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await price_uc.list_prices(
        acc, actor, month=month, product=product, lease_id=lease_id, source=source, limit=limit, offset=offset
    )


# ---------------------------------------------------------------- revenue distribution

revenue_router = APIRouter(prefix="/api/v1/revenue", tags=["revenue"])


@revenue_router.post("/runs", status_code=201, response_model=schemas.RunRead)
async def run_distribution(body: schemas.RunCreate, actor: Writer, acc: AccountingDep) -> Any:
    """Compute the month's draft distribution (re-running replaces the draft; a finalized month answers 409)."""
    return await dist_uc.run_distribution(acc, actor, check_month(body.month))


@revenue_router.get("/runs", response_model=schemas.Page[schemas.RunRead])
async def list_runs(
    actor: Reader,
    acc: AccountingDep,
    status: Literal["draft", "finalized"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await dist_uc.list_runs(acc, actor, status=status, limit=limit, offset=offset)


@revenue_router.get("/runs/{run_id}", response_model=schemas.RunRead)
async def get_run(run_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await dist_uc.get_run(acc, actor, run_id)


@revenue_router.post("/runs/{run_id}/finalize", response_model=schemas.RunRead)
async def finalize_run(run_id: UUID, actor: Writer, acc: AccountingDep) -> Any:
    """Lock the month, move suspense and publish accounting.revenue_distributed.v1 (idempotent)."""
    return await dist_uc.finalize_run(acc, actor, run_id)


@revenue_router.get("/runs/{run_id}/statements", response_model=schemas.Page[schemas.StatementSummaryRead])
async def list_statements(
    run_id: UUID, actor: Reader, acc: AccountingDep, paid_only: bool = False, limit: Limit = 50, offset: Offset = 0
) -> Any:
    """Each owner's settlement in the run; ``paid_only`` for the owners a check or transfer goes to."""
    return await statement_uc.list_statements(acc, actor, run_id, paid_only=paid_only, limit=limit, offset=offset)


@revenue_router.get("/runs/{run_id}/statements/{partner_id}")
async def owner_statement(
    run_id: UUID,
    partner_id: UUID,
    actor: Reader,
    acc: AccountingDep,
    pdf: PdfDep,
    format: Annotated[Literal["json", "csv", "pdf"], Query(description="json, csv or pdf")] = "json",
) -> Any:
    """One owner's statement for the run, with the twelve check-stub items of Nat. Res. Code 91.502."""
    statement, operator = await statement_uc.owner_statement_document(acc, actor, run_id, partner_id)
    if format == "json":
        return statement
    statement_uc.require_issuable(statement, operator)  # what goes to the owner carries items 1 and 12
    return await owner_statement_file(format, pdf, statement, operator)


suspense_router = APIRouter(prefix="/api/v1/suspense", tags=["revenue"])


@suspense_router.get("", response_model=schemas.Page[schemas.SuspenseRead])
async def list_suspense(
    actor: Reader,
    acc: AccountingDep,
    partner_id: UUID | None = None,
    reason: Literal["title_hold", "minimum_payment"] | None = None,
    lease_id: UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Owners' suspense balances by reason (and lease for a title hold), from finalized runs."""
    return await suspense_uc.suspense(
        acc, actor, partner_id=partner_id, reason=reason, lease_id=lease_id, limit=limit, offset=offset
    )
