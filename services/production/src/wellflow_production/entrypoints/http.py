"""The production service's HTTP API for daily readings and the organization's production settings:
parse, call one use case, shape the answer."""

import re
from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from wellflow_servicekit.actors import deleting, permitted
from wellflow_servicekit.errors import Forbidden
from wellflow_servicekit.kernel import Actor, invalid

from ..app import organization
from ..app.common import MAX_PAGE, Production
from ..app.idempotency import Outcome
from ..app.imports import queries as import_queries
from ..app.imports.run import import_readings as run_import
from ..app.readings import correct, delete, queries, record, rules
from . import schemas

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"page size, at most {MAX_PAGE}")]
_IF_MATCH = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


async def get_production(request: Request) -> Production:
    """Async, so FastAPI calls it on the loop (a plain ``def`` dependency costs a hop to its thread pool)."""
    return request.app.state.production


ProductionDep = Annotated[Production, Depends(get_production)]


Reader = Annotated[Actor, permitted("production", "read")]
Writer = Annotated[Actor, permitted("production", "write")]
Deleter = Annotated[Actor, deleting("production")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="a retry with the same key answers the first result",
    ),
]
IfMatch = Annotated[str | None, Header(alias="If-Match", description='the version being changed, e.g. "3"')]


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version(value: str | None) -> int | None:
    if value is None:
        return None
    match = _IF_MATCH.match(value)
    if match is None:
        raise invalid("header.If-Match", 'If-Match must carry the reading version as an ETag, e.g. "3"')
    return int(match.group(1))


def written(outcome: Outcome) -> JSONResponse:
    headers = {}
    if "version" in outcome.body and "reading_id" in outcome.body:
        headers["ETag"] = etag(outcome.body["version"])
        headers["Location"] = f"/api/v1/readings/{outcome.body['reading_id']}"
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(outcome.body, status_code=outcome.status, headers=headers)


readings_router = APIRouter(prefix="/api/v1/readings", tags=["readings"])


@readings_router.post("", status_code=201, responses={201: {"model": schemas.ReadingRead}})
async def record_reading(
    body: schemas.ReadingCreate, actor: Writer, production: ProductionDep, idempotency_key: IdempotencyKey = None
) -> Any:
    """Record one well's day. Offline clients send a `reading_id` (or an `Idempotency-Key`): a retry
    answers the first result with the same status; the same key with a different body is 422."""
    data = body.model_dump(exclude_unset=False)
    data["gps"] = body.gps.model_dump() if body.gps else None
    return written(await record.record_reading(production, actor, data, idempotency_key))


@readings_router.get("", response_model=schemas.ReadingPage)
async def list_readings(
    actor: Reader,
    production: ProductionDep,
    well_id: UUID | None = None,
    lease_id: UUID | None = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    source: Literal["api", "import"] | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 100,
) -> Any:
    if date_from and date_to and date_from > date_to:
        raise invalid("query.from", "`from` is after `to`")
    return await queries.list_readings(
        production,
        actor,
        well_id=well_id,
        lease_id=lease_id,
        date_from=date_from,
        date_to=date_to,
        source=source,
        cursor=cursor,
        limit=limit,
    )


@readings_router.get("/downtime-reasons")
async def list_downtime_reasons(actor: Reader, production: ProductionDep) -> Any:
    """The default downtime reason codes and the organization's own additions."""
    return {"items": await organization.list_reasons(production, actor)}


@readings_router.get("/rules")
async def reading_rules(actor: Reader, production: ProductionDep) -> Any:
    """What a reading must satisfy, as data, so a client checks it before sending (offline too) exactly as the
    API will: each numeric field's bounds and decimals, the cross-field rules (hours on at most 24, no volume
    with 0 hours, a downtime reason below 24 hours), the plausibility questions (the organization's limits and
    the jump above a well's recent average), the production days the phone offers and the downtime reasons."""
    return await rules.reading_rules(production, actor)


@readings_router.post("/downtime-reasons", status_code=201)
async def add_downtime_reason(body: schemas.ReasonCreate, actor: Writer, production: ProductionDep) -> Any:
    return await organization.add_reason(production, actor, body.code, body.label)


@readings_router.get("/{reading_id}", response_model=schemas.ReadingRead)
async def get_reading(reading_id: UUID, actor: Reader, production: ProductionDep, response: Response) -> Any:
    body = await queries.get_reading(production, actor, reading_id)
    response.headers["ETag"] = etag(body["version"])
    return body


@readings_router.patch("/{reading_id}", response_model=schemas.ReadingRead)
async def correct_reading(
    reading_id: UUID,
    body: schemas.ReadingUpdate,
    actor: Writer,
    production: ProductionDep,
    response: Response,
    if_match: IfMatch = None,
) -> Any:
    """Correct a reading from the version you saw (If-Match or `version`); the previous values, who and
    why are kept in its history. A stale version answers 409 with the current one."""
    changes = body.model_dump(exclude_unset=True, exclude={"reason", "version", "confirm"})
    for name in ("oil_bbl", "gas_mcf", "water_bbl", "hours_on"):
        if name in changes and changes[name] is None:
            raise invalid(f"body.{name}", f"{name} cannot be empty; send 0 for none")
    return await _correct(production, actor, reading_id, body, changes, response, if_match)


@readings_router.put("/{reading_id}", response_model=schemas.ReadingRead)
async def replace_reading(
    reading_id: UUID,
    body: schemas.ReadingReplace,
    actor: Writer,
    production: ProductionDep,
    response: Response,
    if_match: IfMatch = None,
) -> Any:
    """Correct a reading by restating all its values (same rules as PATCH: version, reason, history)."""
    changes = body.model_dump(exclude={"reason", "version", "confirm"})
    return await _correct(production, actor, reading_id, body, changes, response, if_match)


async def _correct(
    production: Production,
    actor: Actor,
    reading_id: UUID,
    body: schemas.ReadingUpdate | schemas.ReadingReplace,
    changes: dict[str, Any],
    response: Response,
    if_match: str | None,
) -> Any:
    """PATCH and PUT alike: the version seen comes from If-Match or `version` (they must agree); the answer
    carries the reading's new version as its ETag."""
    header_version = if_match_version(if_match)
    if header_version is not None and body.version is not None and header_version != body.version:
        raise invalid("body.version", "If-Match and `version` disagree")
    result = await correct.correct_reading(
        production,
        actor,
        reading_id,
        expected_version=header_version if header_version is not None else body.version,
        changes=changes,
        reason=body.reason,
        confirm=body.confirm,
    )
    response.headers["ETag"] = etag(result["version"])
    return result


@readings_router.delete("/{reading_id}", status_code=204)
async def delete_reading(
    reading_id: UUID,
    actor: Deleter,
    production: ProductionDep,
    reason: Annotated[str, Query(min_length=3, max_length=1000, description="why the reading is removed")],
    if_match: IfMatch = None,
) -> Response:
    """Owners and managers only: the values stay in the reading's history."""
    await delete.delete_reading(
        production, actor, reading_id, expected_version=if_match_version(if_match), reason=reason
    )
    return Response(status_code=204)


@readings_router.get("/{reading_id}/history")
async def reading_history(reading_id: UUID, actor: Reader, production: ProductionDep) -> Any:
    """Every correction or deletion of the reading: previous and new values, who, when and why."""
    return await queries.history(production, actor, reading_id)


settings_router = APIRouter(prefix="/api/v1/production/settings", tags=["settings"])


@settings_router.get("")
async def get_settings(actor: Reader, production: ProductionDep) -> Any:
    """Plausibility limits, alert thresholds and economic limits of the organization (defaults until set)."""
    return await organization.get_settings(production, actor)


@settings_router.patch("")
async def update_settings(body: schemas.SettingsUpdate, actor: Writer, production: ProductionDep) -> Any:
    if actor.role not in ("owner", "manager"):
        raise Forbidden("Only an owner or a manager changes the organization's production settings.")
    return await organization.update_settings(production, actor, body.model_dump(exclude_unset=True))


imports_router = APIRouter(prefix="/api/v1/readings/imports", tags=["imports"])


@imports_router.post("", status_code=201)
async def import_readings(
    request: Request,
    actor: Writer,
    production: ProductionDep,
    mode: Annotated[
        Literal["good_lines", "all_or_nothing"], Query(description="bad lines: skip them, or import nothing")
    ] = "all_or_nothing",
    file_name: Annotated[str | None, Query(max_length=300)] = None,
) -> Any:
    """Import daily readings from CSV (a `text/csv` body, or multipart with a `file` part). Columns:
    api_number, date, oil_bbl, gas_mcf, water_bbl, hours_on; optional downtime_reason, tubing_pressure_psi,
    casing_pressure_psi, comments. Answers counts and the bad lines (`GET .../imports/{id}` pages them all)."""
    content_type = request.headers.get("content-type", "")
    max_bytes = request.app.state.settings_max_import_bytes
    if content_type.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise invalid("body.file", "send the CSV as the multipart part named `file`")
        file_name = file_name or upload.filename

        async def chunks() -> Any:
            while chunk := await upload.read(1 << 20):
                yield chunk

        stream = chunks()
    elif content_type.startswith(("text/csv", "text/plain", "application/octet-stream")):
        stream = request.stream()
    else:
        raise invalid(
            "header.Content-Type", "send the file as text/csv or multipart/form-data", slug="unsupported-media-type"
        )
    result = await run_import(production, actor, stream, mode=mode, file_name=file_name, max_bytes=max_bytes)
    return JSONResponse(result.body, status_code=201 if result.status == "imported" else 422)


@imports_router.get("")
async def list_imports(
    actor: Reader, production: ProductionDep, limit: Limit = 50, offset: Annotated[int, Query(ge=0)] = 0
) -> Any:
    return await import_queries.list_imports(production, actor, offset=offset, limit=limit)


@imports_router.get("/{import_id}")
async def get_import(
    import_id: UUID,
    actor: Reader,
    production: ProductionDep,
    limit: Limit = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Any:
    """The import's counts and its error report, paged by line."""
    return await import_queries.get_import(production, actor, import_id, offset=offset, limit=limit)
