"""The wells service's HTTP API: parse, call one use case, shape the answer."""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency closures in `permitted`.

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from wellflow_servicekit.auth import Principal
from wellflow_servicekit.kernel import Actor, PageOf, invalid
from wellflow_servicekit.pages import Page
from wellflow_servicekit.permissions import require_permission
from wellflow_servicekit.problems import Problem

from ..app import fields, imports
from ..app.batteries import configure, connections
from ..app.batteries import queries as battery_queries
from ..app.leases import queries as lease_queries
from ..app.leases.register import register_lease as register_lease_uc
from ..app.leases.update import update_lease as update_lease_uc
from ..app.operations import equipment, permits, well_tests
from ..app.ports import MAX_PAGE
from ..app.registry import Registry
from ..app.wells import queries as well_queries
from ..app.wells.register import register_well as register_well_uc
from ..app.wells.status import change_status as change_status_uc
from ..app.wells.update import update_well as update_well_uc
from ..domain.lifecycle import WellStatus
from ..domain.rules import LeaseStatus, PermitStatus, PermitType, WellType, normalize_district
from ..domain.strapping import Gauge
from . import schemas

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def get_registry(request: Request) -> Registry:
    return request.app.state.registry


RegistryDep = Annotated[Registry, Depends(get_registry)]


def permitted(action: str, resource: str = "wells") -> Any:
    """A dependency giving the acting principal once the matrix allows ``action`` on ``resource``."""
    check = require_permission(resource, action)

    async def actor(principal: Annotated[Principal, Depends(check)]) -> Actor:
        return Actor(id=principal.subject, organization_id=principal.organization_id)

    return Depends(actor)


Reader = Annotated[Actor, permitted("read")]
Writer = Annotated[Actor, permitted("write")]
# Recording a well test is production work (pumper, manager, owner), not managing the asset.
TestRecorder = Annotated[Actor, permitted("write", "production")]


def page_of(page: PageOf[Any], shape: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """A use case's page as the ``Page`` answer, each item shaped by ``shape`` if given."""
    items = [shape(item) for item in page.items] if shape is not None else page.items
    return {"items": items, "total": page.total, "limit": page.limit, "offset": page.offset}


def _district_query(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_district(value)
    except ValueError as exc:
        raise invalid("query.rrc_district", str(exc)) from None


fields_router = APIRouter(prefix="/api/v1/fields", tags=["fields"])


@fields_router.post("", status_code=201, response_model=schemas.FieldRead)
async def register_field(body: schemas.FieldCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await fields.register_field(registry, actor, body.model_dump())


@fields_router.get("", response_model=Page[schemas.FieldRead])
async def list_fields(actor: Reader, registry: RegistryDep, limit: Limit = 50, offset: Offset = 0) -> Any:
    return page_of(await fields.list_fields(registry, actor, limit=limit, offset=offset))


@fields_router.get("/{field_id}", response_model=schemas.FieldRead)
async def get_field(field_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await fields.get_field(registry, actor, field_id)


leases_router = APIRouter(prefix="/api/v1/leases", tags=["leases"])


@leases_router.post("", status_code=201, response_model=schemas.LeaseRead)
async def register_lease(body: schemas.LeaseCreate, actor: Writer, registry: RegistryDep) -> Any:
    return schemas.LeaseRead.of(await register_lease_uc(registry, actor, body.model_dump()))


@leases_router.get("", response_model=Page[schemas.LeaseRead])
async def list_leases(
    actor: Reader,
    registry: RegistryDep,
    field_id: UUID | None = None,
    rrc_district: str | None = None,
    county: str | None = None,
    status: LeaseStatus | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: str = "name",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    page = await lease_queries.list_leases(
        registry,
        actor,
        field_id=field_id,
        rrc_district=_district_query(rrc_district),
        county=county,
        status=status,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    return page_of(page, schemas.LeaseRead.of)


@leases_router.get("/{lease_id}", response_model=schemas.LeaseRead)
async def get_lease(lease_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return schemas.LeaseRead.of(await lease_queries.get_lease(registry, actor, lease_id))


@leases_router.patch("/{lease_id}", response_model=schemas.LeaseRead)
async def update_lease(lease_id: UUID, body: schemas.LeaseUpdate, actor: Writer, registry: RegistryDep) -> Any:
    changes = body.model_dump(exclude_unset=True)
    return schemas.LeaseRead.of(await update_lease_uc(registry, actor, lease_id, changes))


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
    openapi_extra={"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def import_wells(request: Request, actor: Writer, registry: RegistryDep) -> Any:
    """A CSV of wells (header: name, api_number, well_type, purpose, and lease_name or rrc_district and
    rrc_lease_number; optional: number, status, county, dates, location, depth, is_horizontal, gas_well_id).
    Answers a report per row: created, or rejected with reasons (a rejected row changes nothing)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("text/csv", "text/plain"):
        raise Problem("Send the file as text/csv.", status=415, slug="unsupported-media-type")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_IMPORT_BYTES:
            raise Problem(f"The file is over {MAX_IMPORT_BYTES} bytes.", status=413, slug="import-too-large")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid("body", "the file is not UTF-8 text") from None
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


batteries_router = APIRouter(prefix="/api/v1/batteries", tags=["tank batteries"])


@batteries_router.post("", status_code=201, response_model=schemas.BatteryRead)
async def configure_battery(body: schemas.BatteryCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await configure.configure_battery(registry, actor, body.model_dump())


@batteries_router.get("", response_model=Page[schemas.BatterySummaryRead])
async def list_batteries(
    actor: Reader, registry: RegistryDep, lease_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return page_of(await battery_queries.list_batteries(registry, actor, lease_id=lease_id, limit=limit, offset=offset))


@batteries_router.get("/{battery_id}", response_model=schemas.BatteryRead)
async def get_battery(battery_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await battery_queries.get_battery(registry, actor, battery_id)


@batteries_router.post("/{battery_id}/wells", response_model=schemas.BatteryRead)
async def connect_well(battery_id: UUID, body: schemas.ConnectionCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await connections.connect_well(
        registry, actor, battery_id, body.well_id, body.effective_from, body.effective_to
    )


@batteries_router.post("/{battery_id}/wells/{well_id}/disconnect", response_model=schemas.BatteryRead)
async def disconnect_well(
    battery_id: UUID, well_id: UUID, body: schemas.ConnectionUpdate, actor: Writer, registry: RegistryDep
) -> Any:
    return await connections.disconnect_well(registry, actor, battery_id, well_id, body.effective_to)


@batteries_router.get("/{battery_id}/tanks/{tank_id}/volume", response_model=schemas.TankVolumeRead)
async def tank_volume(
    battery_id: UUID,
    tank_id: UUID,
    actor: Reader,
    registry: RegistryDep,
    feet: Annotated[int, Query(ge=0, le=100)],
    inches: Annotated[int, Query(ge=0, le=11)] = 0,
    quarters: Annotated[int, Query(ge=0, le=3, description="quarter-inches")] = 0,
) -> Any:
    return await battery_queries.tank_volume(registry, actor, battery_id, tank_id, Gauge(feet, inches, quarters))


@wells_router.post("/{well_id}/tests", status_code=201, response_model=schemas.WellTestRead)
async def record_well_test(
    well_id: UUID,
    body: schemas.WellTestCreate,
    actor: Annotated[Actor, permitted("write", "production")],
    registry: RegistryDep,
) -> Any:
    """Recording a test is production work: whoever may write production (a pumper too) may record one."""
    return await well_tests.record_well_test(registry, actor, well_id, body.model_dump())


@wells_router.get("/{well_id}/tests", response_model=Page[schemas.WellTestRead])
async def list_well_tests(
    well_id: UUID, actor: Reader, registry: RegistryDep, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return page_of(await well_tests.list_well_tests(registry, actor, well_id, limit=limit, offset=offset))


equipment_router = APIRouter(prefix="/api/v1/equipment", tags=["equipment"])


@equipment_router.post("", status_code=201, response_model=schemas.EquipmentRead)
async def register_equipment(body: schemas.EquipmentCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await equipment.register_equipment(registry, actor, body.model_dump())


@equipment_router.get("", response_model=Page[schemas.EquipmentRead])
async def list_equipment(
    actor: Reader,
    registry: RegistryDep,
    well_id: UUID | None = None,
    battery_id: UUID | None = None,
    equipment_type: str | None = None,
    maintenance_due_by: Annotated[date | None, Query(description="next maintenance on or before")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return page_of(
        await equipment.list_equipment(
            registry,
            actor,
            well_id=well_id,
            battery_id=battery_id,
            equipment_type=equipment_type,
            maintenance_due_by=maintenance_due_by,
            limit=limit,
            offset=offset,
        )
    )


@equipment_router.get("/{equipment_id}", response_model=schemas.EquipmentRead)
async def get_equipment(equipment_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await equipment.get_equipment(registry, actor, equipment_id)


permits_router = APIRouter(prefix="/api/v1/permits", tags=["permits"])


@permits_router.post("", status_code=201, response_model=schemas.PermitRead)
async def register_permit(body: schemas.PermitCreate, actor: Writer, registry: RegistryDep) -> Any:
    return await permits.register_permit(registry, actor, body.model_dump())


@permits_router.get("", response_model=Page[schemas.PermitRead])
async def list_permits(
    actor: Reader,
    registry: RegistryDep,
    well_id: UUID | None = None,
    status: PermitStatus | None = None,
    permit_type: PermitType | None = None,
    expiring_within_days: Annotated[
        int | None, Query(ge=0, le=3650, description="approved or renewed permits expiring within N days")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return page_of(
        await permits.list_permits(
            registry,
            actor,
            well_id=well_id,
            status=status,
            permit_type=permit_type,
            expiring_within_days=expiring_within_days,
            limit=limit,
            offset=offset,
        )
    )


@permits_router.get("/{permit_id}", response_model=schemas.PermitRead)
async def get_permit(permit_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await permits.get_permit(registry, actor, permit_id)


routers = [fields_router, leases_router, wells_router, batteries_router, equipment_router, permits_router]
