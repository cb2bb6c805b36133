"""The wells service's HTTP API: parse, call one use case, shape the answer."""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency closures in `permitted`.

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request

from wellflow_servicekit.auth import Principal
from wellflow_servicekit.kernel import Actor, invalid
from wellflow_servicekit.pages import Page
from wellflow_servicekit.permissions import require_permission
from wellflow_servicekit.problems import Problem

from ..app import batteries, imports, operations
from ..app import registry as uc
from ..app.registry import MAX_PAGE, Registry
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


def _district_query(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_district(value)
    except ValueError as exc:
        raise invalid("query.rrc_district", str(exc)) from None


fields_router = APIRouter(prefix="/api/v1/fields", tags=["fields"])


@fields_router.post("", status_code=201, response_model=schemas.FieldOut)
async def register_field(body: schemas.FieldIn, actor: Writer, registry: RegistryDep) -> Any:
    return await uc.register_field(registry, actor, body.model_dump())


@fields_router.get("", response_model=Page[schemas.FieldOut])
async def list_fields(actor: Reader, registry: RegistryDep, limit: Limit = 50, offset: Offset = 0) -> Any:
    return await uc.list_fields(registry, actor, limit=limit, offset=offset)


@fields_router.get("/{field_id}", response_model=schemas.FieldOut)
async def get_field(field_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await uc.get_field(registry, actor, field_id)


leases_router = APIRouter(prefix="/api/v1/leases", tags=["leases"])


@leases_router.post("", status_code=201, response_model=schemas.LeaseOut)
async def register_lease(body: schemas.LeaseIn, actor: Writer, registry: RegistryDep) -> Any:
    return schemas.LeaseOut.of(await uc.register_lease(registry, actor, body.model_dump()))


@leases_router.get("", response_model=Page[schemas.LeaseOut])
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
    page = await uc.list_leases(
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
    return {**page, "items": [schemas.LeaseOut.of(row) for row in page["items"]]}


@leases_router.get("/{lease_id}", response_model=schemas.LeaseOut)
async def get_lease(lease_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return schemas.LeaseOut.of(await uc.get_lease(registry, actor, lease_id))


@leases_router.patch("/{lease_id}", response_model=schemas.LeaseOut)
async def update_lease(lease_id: UUID, body: schemas.LeasePatch, actor: Writer, registry: RegistryDep) -> Any:
    changes = body.model_dump(exclude_unset=True)
    return schemas.LeaseOut.of(await uc.update_lease(registry, actor, lease_id, changes))


wells_router = APIRouter(prefix="/api/v1/wells", tags=["wells"])


@wells_router.post("", status_code=201, response_model=schemas.WellOut)
async def register_well(body: schemas.WellIn, actor: Writer, registry: RegistryDep) -> Any:
    return schemas.WellOut.of(await uc.register_well(registry, actor, body.model_dump()))


@wells_router.get("", response_model=Page[schemas.WellOut])
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
    page = await uc.list_wells(
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
    return {**page, "items": [schemas.WellOut.of(row) for row in page["items"]]}


MAX_IMPORT_BYTES = 2_000_000


@wells_router.post(
    "/import",
    response_model=schemas.ImportReport,
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
    return schemas.WellIn.model_validate(values).model_dump()


@wells_router.get("/{well_id}", response_model=schemas.WellOut)
async def get_well(well_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return schemas.WellOut.of(await uc.get_well(registry, actor, well_id))


@wells_router.patch("/{well_id}", response_model=schemas.WellOut)
async def update_well(well_id: UUID, body: schemas.WellPatch, actor: Writer, registry: RegistryDep) -> Any:
    changes = body.model_dump(exclude_unset=True)
    return schemas.WellOut.of(await uc.update_well(registry, actor, well_id, changes))


@wells_router.post("/{well_id}/status", response_model=schemas.WellOut)
async def change_status(well_id: UUID, body: schemas.StatusChangeIn, actor: Writer, registry: RegistryDep) -> Any:
    row = await uc.change_status(
        registry, actor, well_id, to_status=body.status, effective_date=body.effective_date, reason=body.reason
    )
    return schemas.WellOut.of(row)


@wells_router.get("/{well_id}/status-history", response_model=list[schemas.StatusHistoryOut])
async def status_history(well_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await uc.status_history(registry, actor, well_id)


batteries_router = APIRouter(prefix="/api/v1/batteries", tags=["tank batteries"])


@batteries_router.post("", status_code=201, response_model=schemas.BatteryOut)
async def configure_battery(body: schemas.BatteryIn, actor: Writer, registry: RegistryDep) -> Any:
    return await batteries.configure_battery(registry, actor, body.model_dump())


@batteries_router.get("", response_model=Page[schemas.BatterySummary])
async def list_batteries(
    actor: Reader, registry: RegistryDep, lease_id: UUID | None = None, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await batteries.list_batteries(registry, actor, lease_id=lease_id, limit=limit, offset=offset)


@batteries_router.get("/{battery_id}", response_model=schemas.BatteryOut)
async def get_battery(battery_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await batteries.get_battery(registry, actor, battery_id)


@batteries_router.post("/{battery_id}/wells", response_model=schemas.BatteryOut)
async def connect_well(battery_id: UUID, body: schemas.ConnectionIn, actor: Writer, registry: RegistryDep) -> Any:
    return await batteries.connect_well(
        registry, actor, battery_id, body.well_id, body.effective_from, body.effective_to
    )


@batteries_router.post("/{battery_id}/wells/{well_id}/disconnect", response_model=schemas.BatteryOut)
async def disconnect_well(
    battery_id: UUID, well_id: UUID, body: schemas.DisconnectIn, actor: Writer, registry: RegistryDep
) -> Any:
    return await batteries.disconnect_well(registry, actor, battery_id, well_id, body.effective_to)


@batteries_router.get("/{battery_id}/tanks/{tank_id}/volume", response_model=schemas.TankVolumeOut)
async def tank_volume(
    battery_id: UUID,
    tank_id: UUID,
    actor: Reader,
    registry: RegistryDep,
    feet: Annotated[int, Query(ge=0, le=100)],
    inches: Annotated[int, Query(ge=0, le=11)] = 0,
    quarters: Annotated[int, Query(ge=0, le=3, description="quarter-inches")] = 0,
) -> Any:
    return await batteries.tank_volume(registry, actor, battery_id, tank_id, Gauge(feet, inches, quarters))


@wells_router.post("/{well_id}/tests", status_code=201, response_model=schemas.WellTestOut)
async def record_well_test(
    well_id: UUID,
    body: schemas.WellTestIn,
    actor: Annotated[Actor, permitted("write", "production")],
    registry: RegistryDep,
) -> Any:
    """Recording a test is production work: whoever may write production (a pumper too) may record one."""
    return await operations.record_well_test(registry, actor, well_id, body.model_dump())


@wells_router.get("/{well_id}/tests", response_model=Page[schemas.WellTestOut])
async def list_well_tests(
    well_id: UUID, actor: Reader, registry: RegistryDep, limit: Limit = 50, offset: Offset = 0
) -> Any:
    return await operations.list_well_tests(registry, actor, well_id, limit=limit, offset=offset)


equipment_router = APIRouter(prefix="/api/v1/equipment", tags=["equipment"])


@equipment_router.post("", status_code=201, response_model=schemas.EquipmentOut)
async def register_equipment(body: schemas.EquipmentIn, actor: Writer, registry: RegistryDep) -> Any:
    return await operations.register_equipment(registry, actor, body.model_dump())


@equipment_router.get("", response_model=Page[schemas.EquipmentOut])
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
    return await operations.list_equipment(
        registry,
        actor,
        well_id=well_id,
        battery_id=battery_id,
        equipment_type=equipment_type,
        maintenance_due_by=maintenance_due_by,
        limit=limit,
        offset=offset,
    )


@equipment_router.get("/{equipment_id}", response_model=schemas.EquipmentOut)
async def get_equipment(equipment_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await operations.get_equipment(registry, actor, equipment_id)


permits_router = APIRouter(prefix="/api/v1/permits", tags=["permits"])


@permits_router.post("", status_code=201, response_model=schemas.PermitOut)
async def register_permit(body: schemas.PermitIn, actor: Writer, registry: RegistryDep) -> Any:
    return await operations.register_permit(registry, actor, body.model_dump())


@permits_router.get("", response_model=Page[schemas.PermitOut])
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
    return await operations.list_permits(
        registry,
        actor,
        well_id=well_id,
        status=status,
        permit_type=permit_type,
        expiring_within_days=expiring_within_days,
        limit=limit,
        offset=offset,
    )


@permits_router.get("/{permit_id}", response_model=schemas.PermitOut)
async def get_permit(permit_id: UUID, actor: Reader, registry: RegistryDep) -> Any:
    return await operations.get_permit(registry, actor, permit_id)


routers = [fields_router, leases_router, wells_router, batteries_router, equipment_router, permits_router]
