"""Wells: register, list, import a CSV, read, update, change status, status history, well tests."""

# No `from __future__ import annotations` here: FastAPI resolves the annotations of the routes at import.

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request

from wellflow_servicekit.http import CSV_UPLOAD_OPENAPI, read_csv_upload
from wellflow_servicekit.pages import Page

from ...app import imports
from ...app.operations import well_tests
from ...app.wells import queries as well_queries
from ...app.wells.register import register_well as register_well_uc
from ...app.wells.status import change_status as change_status_uc
from ...app.wells.update import update_well as update_well_uc
from ...domain.lifecycle import WellStatus
from ...domain.rules import WellType
from .. import schemas
from .common import Limit, Offset, Reader, RegistryDep, TestRecorder, Writer, page_of

wells_router = APIRouter(prefix="/api/v1/wells", tags=["wells"])


@wells_router.post("", status_code=201, response_model=schemas.WellRead)
async def register_well(body: schemas.WellCreate, actor: Writer, registry: RegistryDep) -> Any:
    return schemas.WellRead.of(await register_well_uc(registry, actor, body.model_dump()))


@wells_router.get("", response_model=Page[schemas.WellRead])
async def list_wells(
    actor: Reader,
    registry: RegistryDep,
    status: Annotated[list[WellStatus] | None, Query(description="repeat for several")] = None,
    lease_id: UUID | None = None,
    field_id: UUID | None = None,
    battery_id: Annotated[UUID | None, Query(description="wells flowing into this battery now")] = None,
    county: str | None = None,
    well_type: WellType | None = None,
    q: Annotated[str | None, Query(max_length=100, description="text in the name or digits of the API number")] = None,
    sort: Annotated[str, Query(description="name, api_number, status, spud_date, created_at; '-' for descending")] = (
        "name"
    ),
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    page = await well_queries.list_wells(
        registry,
        actor,
        status=[s.value for s in status or ()],
        lease_id=lease_id,
        field_id=field_id,
        battery_id=battery_id,
        county=county,
        well_type=well_type,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return page_of(page, schemas.WellRead.of)


MAX_IMPORT_BYTES = 2_000_000


@wells_router.post(
    "/import",
    response_model=schemas.ImportReportRead,
    openapi_extra=CSV_UPLOAD_OPENAPI,
)
async def import_wells(request: Request, actor: Writer, registry: RegistryDep) -> Any:
    """A CSV of wells (header: name, api_number, well_type, purpose, and lease_name or rrc_district and
    rrc_lease_number; optional: number, status, county, dates, location, depth, is_horizontal, gas_well_id).
    Answers a report per row: created, or rejected with reasons (a rejected row changes nothing)."""
    text = await read_csv_upload(request, MAX_IMPORT_BYTES)
    return await imports.import_wells(registry, actor, text, _import_row)


def _import_row(values: Any) -> dict[str, Any]:
    return schemas.WellCreate.model_validate(values).model_dump()


@wells_router.get("/{well_id}", response_model=schemas.WellRead)
async def get_well(well_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return schemas.WellRead.of(await well_queries.get_well(registry, actor, well_id))


@wells_router.patch("/{well_id}", response_model=schemas.WellRead)
async def update_well(well_id: UUID, body: schemas.WellUpdate, actor: Writer, registry: RegistryDep) -> Any:
    changes = body.model_dump(exclude_unset=True)
    return schemas.WellRead.of(await update_well_uc(registry, actor, well_id, changes))


@wells_router.post("/{well_id}/status", response_model=schemas.WellRead)
async def change_status(well_id: UUID, body: schemas.StatusChangeCreate, actor: Writer, registry: RegistryDep) -> Any:
    row = await change_status_uc(
        registry, actor, well_id, to_status=body.status, effective_date=body.effective_date, reason=body.reason
    )
    return schemas.WellRead.of(row)


@wells_router.get("/{well_id}/status-history", response_model=list[schemas.StatusHistoryRead])
async def status_history(well_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await well_queries.status_history(registry, actor, well_id)


@wells_router.post("/{well_id}/tests", status_code=201, response_model=schemas.WellTestRead)
async def record_well_test(
    well_id: UUID,
    body: schemas.WellTestCreate,
    actor: TestRecorder,
    registry: RegistryDep,
) -> Any:
    """Recording a test is production work: whoever may write production (a pumper too) may record one."""
    return await well_tests.record_well_test(registry, actor, well_id, body.model_dump())


@wells_router.get("/{well_id}/tests", response_model=Page[schemas.WellTestRead])
async def list_well_tests(
    well_id: UUID, actor: Reader, registry: RegistryDep, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return page_of(await well_tests.list_well_tests(registry, actor, well_id, limit=limit, offset=offset))
