"""Purchaser statements in (column maps, imports with their report, the property mapping queue) and the
reconciliation (items, resolution, tolerances, posted price ranges)."""

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from ...app import reconciliation as recon_uc
from ...app import statement_import as import_uc
from ...app.context import check_month
from ..deps import NO_NUL, AccountingDep, Limit, Offset, Reader, Writer
from ..schemas import Page
from ..schemas import reconciliation as s

statements_router = APIRouter(prefix="/api/v1/purchaser-statements", tags=["reconciliation"])


@statements_router.put("/column-maps", response_model=s.ColumnMapRead)
async def save_column_map(body: s.ColumnMapSave, actor: Writer, acc: AccountingDep) -> Any:
    """Save a purchaser's CSV column map under a name (replaces the map of that name)."""
    return await import_uc.save_map(acc, actor, body.model_dump())


@statements_router.get("/column-maps", response_model=Page[s.ColumnMapRead])
async def list_column_maps(
    actor: Reader, acc: AccountingDep, purchaser_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await import_uc.list_maps(acc, actor, purchaser_id, limit, offset)


@statements_router.post("/imports", status_code=201)
async def import_statement(
    request: Request,
    actor: Writer,
    acc: AccountingDep,
    map_id: UUID,
    file_name: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
) -> Any:
    """Import a check-stub CSV (the request body, text/csv) through the column map ``map_id``; the per-line
    report. The same file again changes nothing and answers the first report (``replayed``)."""
    return await import_uc.import_statement(acc, actor, map_id, await request.body(), file_name)


@statements_router.get("/imports")
async def list_imports(
    actor: Reader, acc: AccountingDep, purchaser_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await import_uc.list_imports(acc, actor, purchaser_id, limit, offset)


@statements_router.get("/imports/{import_id}")
async def get_import(import_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await import_uc.get_import(acc, actor, import_id)


@statements_router.get("/lines", response_model=Page[s.StatementLineRead])
async def list_lines(
    actor: Reader,
    acc: AccountingDep,
    import_id: UUID | None = None,
    lease_id: UUID | None = None,
    month: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await import_uc.list_lines(
        acc, actor, import_id=import_id, lease_id=lease_id, month=month, limit=limit, offset=offset
    )


@statements_router.get("/unmapped-properties", response_model=Page[s.HeldPropertyRead])
async def mapping_queue(
    actor: Reader, acc: AccountingDep, purchaser_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    """Property numbers no lease is mapped to yet, with their held lines."""
    return await import_uc.mapping_queue(acc, actor, purchaser_id, limit, offset)


@statements_router.put("/property-map")
async def map_property(body: s.PropertyMap, actor: Writer, acc: AccountingDep) -> Any:
    """Tie the purchaser's property number to a lease (kept) and apply the lines held for it."""
    return await import_uc.map_property(acc, actor, body.model_dump())


reconciliation_router = APIRouter(prefix="/api/v1/reconciliation", tags=["reconciliation"])


@reconciliation_router.get("/items", response_model=Page[s.ItemRead])
async def list_items(
    actor: Reader,
    acc: AccountingDep,
    state: Annotated[str | None, Query(pattern="^(open|resolved|cleared)$")] = None,
    cause: s.Cause | None = None,
    lease_id: UUID | None = None,
    month: date | None = None,
    assignee: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await recon_uc.list_items(
        acc,
        actor,
        state=state,
        cause=cause,
        lease_id=lease_id,
        month=month,
        assignee=assignee,
        limit=limit,
        offset=offset,
    )


@reconciliation_router.get("/items/{item_id}", response_model=s.ItemRead)
async def get_item(item_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await recon_uc.get_item(acc, actor, item_id)


@reconciliation_router.post("/items/{item_id}/resolve", response_model=s.ItemRead)
async def resolve_item(item_id: UUID, body: s.ItemResolve, actor: Writer, acc: AccountingDep) -> Any:
    """Resolve the item, saying why (the resolver is recorded)."""
    return await recon_uc.resolve_item(acc, actor, item_id, body.model_dump())


@reconciliation_router.put("/items/{item_id}/assignee", response_model=s.ItemRead)
async def assign_item(item_id: UUID, body: s.ItemAssign, actor: Writer, acc: AccountingDep) -> Any:
    return await recon_uc.assign_item(acc, actor, item_id, body.assignee)


@reconciliation_router.post("/recompute")
async def recompute(
    actor: Writer, acc: AccountingDep, month: Annotated[date, Query()], lease_id: UUID | None = None
) -> Any:
    """Recompute a month's items now (they follow every event and import by themselves)."""
    return await recon_uc.recompute(acc, actor, check_month(month, "query.month"), lease_id)


@reconciliation_router.get("/tolerances")
async def get_tolerances(actor: Reader, acc: AccountingDep) -> Any:
    return await recon_uc.get_tolerances(acc, actor)


@reconciliation_router.put("/tolerances")
async def set_tolerances(body: s.TolerancesIn, actor: Writer, acc: AccountingDep) -> Any:
    return await recon_uc.set_tolerances(acc, actor, body.model_dump())


@reconciliation_router.put("/posted-prices", response_model=s.PostedPriceRead)
async def put_posted_price(body: s.PostedPriceIn, actor: Writer, acc: AccountingDep) -> Any:
    """The month's posted price range for a product; statement prices outside it are items."""
    return await recon_uc.put_posted_price(acc, actor, body.model_dump())


@reconciliation_router.get("/posted-prices", response_model=Page[s.PostedPriceRead])
async def list_posted_prices(
    actor: Reader, acc: AccountingDep, month: date | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await recon_uc.list_posted_prices(acc, actor, month, limit, offset)
