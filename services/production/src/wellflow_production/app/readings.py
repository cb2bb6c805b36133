"""Daily well readings: record (idempotent for offline clients), list, read, correct with optimistic
concurrency, delete, and the history of every change.

A reading is one well's day. Recording it, correcting it or deleting it refreshes that lease-month's rollup
in the same transaction (``rollups.refresh``) and records the reading's own event, so the outbox holds both
or neither.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, insert, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.production import ReadingCorrected, ReadingRecorded, ReadingVolumes
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, NotFound, Problem, UnprocessableContent

from ..adapters.tables import idempotency_keys, production_settings, reading_history, readings, wells
from . import plausibility, rollups
from .assets import status_on
from .common import Actor, Production, fetch_page, invalid, jsonable, month_start, request_hash, well_key
from .organization import SETTING_NAMES, OrganizationSettings, reason_codes

VALUE_FIELDS = (
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "downtime_reason",
    "tubing_pressure_psi",
    "casing_pressure_psi",
    "line_pressure_psi",
    "choke_size_64ths",
    "comments",
)
PROVENANCE_FIELDS = ("measured_at", "device_id", "gps_latitude", "gps_longitude", "photo_ref")


@dataclass(frozen=True)
class Outcome:
    """What a write answers: the status code and body (a replay answers the first ones unchanged)."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


class PreconditionRequired(Problem):
    status = 428
    slug = "precondition-required"
    title = "Precondition required"


def represent(row: dict[str, Any], warnings: list[dict[str, str]] | None = None) -> dict[str, Any]:
    body = {k: v for k, v in row.items() if k not in ("organization_id", "gps_latitude", "gps_longitude")}
    body["reading_id"] = body.pop("id")
    body["gps"] = (
        {"latitude": row["gps_latitude"], "longitude": row["gps_longitude"]}
        if row.get("gps_latitude") is not None
        else None
    )
    if warnings is not None:
        body["warnings"] = warnings
    return jsonable(body)


def volumes(row: dict[str, Any]) -> ReadingVolumes:
    return ReadingVolumes(**{k: row[k] for k in VALUE_FIELDS})


_SETTING_COLUMNS = [production_settings.c[name].label(f"setting_{name}") for name in SETTING_NAMES]


async def _well(uow: UnitOfWork, well_id: UUID, day: date | None = None) -> dict[str, Any]:
    """The well's local copy; with ``day``, also its status that day (``status_on_day``) and the organization's
    settings (``setting_*``, NULL until set), in the same query: a reading is recorded in as few round trips
    as it can be."""
    if day is None:
        query = select(wells)
    else:
        query = select(wells, status_on(day).label("status_on_day"), *_SETTING_COLUMNS).select_from(
            wells.outerjoin(production_settings, true())
        )
    row = (await uow.connection.execute(query.where(wells.c.id == well_id))).mappings().first()
    if row is None:
        raise invalid(
            "body.well_id",
            f"Well {well_id} is not known to production (not registered, or its registration has not arrived yet).",
            slug="unknown-well",
        )
    return dict(row)


def _settings_of(well: dict[str, Any]) -> OrganizationSettings:
    if well.get("setting_max_oil_bbl") is None:
        return OrganizationSettings()
    return OrganizationSettings(**{name: well[f"setting_{name}"] for name in SETTING_NAMES})


async def _check_values(
    uow: UnitOfWork, values: dict[str, Any], well: dict[str, Any], confirm: bool, settings: OrganizationSettings
) -> list[dict[str, str]]:
    reason = values.get("downtime_reason")
    if reason is not None and reason not in await reason_codes(uow):
        raise invalid(
            "body.downtime_reason",
            f"Unknown downtime reason {reason!r}: use one of GET /api/v1/readings/downtime-reasons.",
            slug="unknown-reason-code",
        )
    status = well.get("status_on_day") or well["status"]
    return plausibility.check(values, settings, well_status=status, confirm=confirm)


async def claim_key(
    uow: UnitOfWork, actor: Actor, operation: str, key: str, fingerprint: str, now: Any
) -> Outcome | None:
    """Claim an idempotency key in this transaction; a key already used answers its first result.

    A concurrent first request holding the key makes the INSERT wait for its commit (then we replay it) or
    its rollback (then we own the key): never two effects for one key.
    """
    claimed = await uow.connection.execute(
        pg_insert(idempotency_keys)
        .values(
            organization_id=actor.organization_id,
            key=key,
            operation=operation,
            request_hash=fingerprint,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(idempotency_keys.c.key)
    )
    if claimed.first() is not None:
        return None
    row = (
        (
            await uow.connection.execute(
                select(idempotency_keys).where(idempotency_keys.c.operation == operation, idempotency_keys.c.key == key)
            )
        )
        .mappings()
        .one()
    )
    if row["request_hash"] != fingerprint:
        raise UnprocessableContent(
            "This idempotency key was already used for a different request; use a new key for a new request.",
            slug="idempotency-key-reused",
            code="idempotency_key_reused",
        )
    return Outcome(row["status_code"], row["response"], replayed=True)


async def store_result(uow: UnitOfWork, operation: str, key: str, outcome: Outcome) -> None:
    await uow.connection.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.operation == operation, idempotency_keys.c.key == key)
        .values(status_code=outcome.status, response=outcome.body)
    )


async def record_reading(
    production: Production, actor: Actor, body: dict[str, Any], idempotency_key: str | None
) -> Outcome:
    """Record one well's day. A retry (same ``reading_id`` or ``Idempotency-Key``) answers the first result."""
    now = production.clock()
    confirm = bool(body.pop("confirm", False))
    fingerprint = request_hash(body)
    reading_id = body.get("reading_id") or uuid7()
    key = idempotency_key or (str(body["reading_id"]) if body.get("reading_id") else None)
    if body["production_date"] > production.today():
        raise invalid("body.production_date", "A reading cannot be for a day that has not happened yet.")
    try:
        async with production.uow(actor) as uow:
            if key is not None:
                replay = await claim_key(uow, actor, "reading", key, fingerprint, now)
                if replay is not None:
                    return replay
            well = await _well(uow, body["well_id"], body["production_date"])
            settings = _settings_of(well)
            warnings = await _check_values(uow, body, well, confirm, settings)
            gps = body.get("gps") or {}
            row = {
                "organization_id": actor.organization_id,
                "id": reading_id,
                "well_id": well["id"],
                "lease_id": well["lease_id"],
                "production_date": body["production_date"],
                "version": 1,
                **{k: body.get(k) for k in VALUE_FIELDS},
                "recorded_by": actor.id,
                "entered_at": now,
                "measured_at": body.get("measured_at"),
                "device_id": body.get("device_id"),
                "gps_latitude": gps.get("latitude"),
                "gps_longitude": gps.get("longitude"),
                "photo_ref": body.get("photo_ref"),
                "source": "api",
                "import_id": None,
                "updated_at": now,
                "updated_by": actor.id,
            }
            inserted = await uow.connection.execute(
                pg_insert(readings).values(row).on_conflict_do_nothing().returning(readings)
            )
            stored = inserted.mappings().first()
            if stored is None:
                raise await _duplicate(uow, row)
            stored = dict(stored)
            await rollups.refresh(uow, actor.organization_id, [(well["lease_id"], month_start(row["production_date"]))])
            uow.record(
                ReadingRecorded(
                    tenant_id=actor.organization_id,
                    reading_id=reading_id,
                    well_id=well["id"],
                    api_number=well["api_number"],
                    lease_id=well["lease_id"],
                    production_date=row["production_date"],
                    version=1,
                    values=volumes(stored),
                    recorded_by=actor.id,
                    measured_at=row["measured_at"],
                    device_id=row["device_id"],
                ),
                aggregate_key=well_key(well["id"]),
            )
            outcome = Outcome(201, represent(stored, warnings))
            if key is not None:
                await store_result(uow, "reading", key, outcome)
    except IntegrityError as exc:
        raise Conflict("The reading clashes with one recorded at the same moment; send it again.") from exc
    return outcome


async def _duplicate(uow: UnitOfWork, row: dict[str, Any]) -> Conflict:
    existing = (
        (
            await uow.connection.execute(
                select(readings.c.id, readings.c.version, readings.c.well_id, readings.c.production_date).where(
                    or_(
                        readings.c.id == row["id"],
                        and_(
                            readings.c.well_id == row["well_id"], readings.c.production_date == row["production_date"]
                        ),
                    )
                )
            )
        )
        .mappings()
        .first()
    )
    if existing is None:  # removed between our insert and this read: the client may simply retry
        return Conflict("The reading clashes with a concurrent change; send it again.")
    if existing["id"] == row["id"] and (existing["well_id"], existing["production_date"]) != (
        row["well_id"],
        row["production_date"],
    ):
        return Conflict(f"Reading id {row['id']} is already used for another well or day.", slug="duplicate-reading-id")
    return Conflict(
        f"Well {row['well_id']} already has a reading for {row['production_date']}: correct that one instead.",
        slug="duplicate-reading",
        reading_id=str(existing["id"]),
        version=existing["version"],
    )


async def get_reading(production: Production, actor: Actor, reading_id: UUID) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        row = await _load(uow, reading_id)
    return represent(row)


async def _load(uow: UnitOfWork, reading_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(readings).where(readings.c.id == reading_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No reading {reading_id}.")
    return dict(row)


def encode_cursor(day: date, reading_id: UUID) -> str:
    return base64.urlsafe_b64encode(f"{day.isoformat()}|{reading_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, UUID]:
    try:
        day, reading_id = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split("|")
        return date.fromisoformat(day), UUID(reading_id)
    except (ValueError, UnicodeDecodeError):
        raise invalid("query.cursor", "not a cursor this list handed out") from None


async def list_readings(
    production: Production,
    actor: Actor,
    *,
    well_id: UUID | None,
    lease_id: UUID | None,
    date_from: date | None,
    date_to: date | None,
    source: str | None,
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    """Newest day first; ``next_cursor`` continues after the last item (stable under concurrent inserts)."""
    query = select(readings).order_by(readings.c.production_date.desc(), readings.c.id.desc())
    if well_id is not None:
        query = query.where(readings.c.well_id == well_id)
    if lease_id is not None:
        query = query.where(readings.c.lease_id == lease_id)
    if date_from is not None:
        query = query.where(readings.c.production_date >= date_from)
    if date_to is not None:
        query = query.where(readings.c.production_date <= date_to)
    if source is not None:
        query = query.where(readings.c.source == source)
    if cursor:
        day, last_id = decode_cursor(cursor)
        query = query.where(
            or_(readings.c.production_date < day, and_(readings.c.production_date == day, readings.c.id < last_id))
        )
    async with production.uow(actor) as uow:
        rows = await fetch_page(uow, query, limit)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1]["production_date"], rows[-1]["id"]) if more else None
    return {"items": [represent(row) for row in rows], "next_cursor": next_cursor, "limit": limit}


async def correct_reading(
    production: Production,
    actor: Actor,
    reading_id: UUID,
    *,
    expected_version: int | None,
    changes: dict[str, Any],
    reason: str,
    confirm: bool,
) -> dict[str, Any]:
    """Change a reading's values from the version the client saw; a stale version answers 409 with the current one."""
    now = production.clock()
    async with production.uow(actor) as uow:
        current = await _load(uow, reading_id, lock=True)  # 404 first: a reading not yours is not there
        if expected_version is None:
            raise PreconditionRequired(
                "Send the version you are correcting (If-Match header or `version` in the body), so a concurrent "
                "correction is not overwritten.",
                current_version=current["version"],
            )
        if current["version"] != expected_version:
            raise Conflict(
                f"Reading {reading_id} was changed since version {expected_version}: it is at version "
                f"{current['version']}. Review the current values and correct again.",
                slug="version-conflict",
                current_version=current["version"],
                current=represent(current),
            )
        new_values = {**{k: current[k] for k in VALUE_FIELDS}, **changes}
        if new_values == {k: current[k] for k in VALUE_FIELDS}:
            raise invalid("body", "The correction changes nothing.", slug="no-change")
        well = await _well(uow, current["well_id"], current["production_date"])
        await _check_values(uow, new_values, well, confirm, _settings_of(well))
        version = current["version"] + 1
        updated = (
            (
                await uow.connection.execute(
                    update(readings)
                    .where(readings.c.id == reading_id, readings.c.version == current["version"])
                    .values(**changes, version=version, updated_at=now, updated_by=actor.id)
                    .returning(readings)
                )
            )
            .mappings()
            .one()
        )
        updated = dict(updated)
        await uow.connection.execute(
            insert(reading_history).values(
                organization_id=actor.organization_id,
                id=uuid7(),
                reading_id=reading_id,
                well_id=current["well_id"],
                production_date=current["production_date"],
                kind="corrected",
                version=version,
                previous=jsonable({k: current[k] for k in VALUE_FIELDS}),
                current=jsonable({k: updated[k] for k in VALUE_FIELDS}),
                reason=reason,
                changed_by=actor.id,
                changed_at=now,
            )
        )
        await rollups.refresh(
            uow, actor.organization_id, [(current["lease_id"], month_start(current["production_date"]))]
        )
        uow.record(
            ReadingCorrected(
                tenant_id=actor.organization_id,
                reading_id=reading_id,
                well_id=current["well_id"],
                api_number=well["api_number"],
                lease_id=current["lease_id"],
                production_date=current["production_date"],
                version=version,
                previous=volumes(current),
                values=volumes(updated),
                reason=reason,
                corrected_by=actor.id,
            ),
            aggregate_key=well_key(current["well_id"]),
        )
    return represent(updated)


async def delete_reading(
    production: Production, actor: Actor, reading_id: UUID, *, expected_version: int | None, reason: str
) -> None:
    """Remove a reading (a manager's act): its values stay in the history and the rollup drops them."""
    now = production.clock()
    async with production.uow(actor) as uow:
        current = await _load(uow, reading_id, lock=True)
        if expected_version is not None and current["version"] != expected_version:
            raise Conflict(
                f"Reading {reading_id} is at version {current['version']}, not {expected_version}.",
                slug="version-conflict",
                current_version=current["version"],
                current=represent(current),
            )
        well = await _well(uow, current["well_id"])
        await uow.connection.execute(delete(readings).where(readings.c.id == reading_id))
        await uow.connection.execute(
            insert(reading_history).values(
                organization_id=actor.organization_id,
                id=uuid7(),
                reading_id=reading_id,
                well_id=current["well_id"],
                production_date=current["production_date"],
                kind="deleted",
                version=current["version"] + 1,
                previous=jsonable({k: current[k] for k in VALUE_FIELDS}),
                current=None,
                reason=reason,
                changed_by=actor.id,
                changed_at=now,
            )
        )
        await rollups.refresh(
            uow, actor.organization_id, [(current["lease_id"], month_start(current["production_date"]))]
        )
        zero = ReadingVolumes(oil_bbl=Decimal(0), gas_mcf=Decimal(0), water_bbl=Decimal(0), hours_on=Decimal(0))
        uow.record(
            ReadingCorrected(
                tenant_id=actor.organization_id,
                reading_id=reading_id,
                well_id=current["well_id"],
                api_number=well["api_number"],
                lease_id=current["lease_id"],
                production_date=current["production_date"],
                version=current["version"] + 1,
                previous=volumes(current),
                values=zero,
                reason=f"deleted: {reason}",
                corrected_by=actor.id,
                deleted=True,
            ),
            aggregate_key=well_key(current["well_id"]),
        )


async def history(production: Production, actor: Actor, reading_id: UUID) -> dict[str, Any]:
    """Every change to a reading, oldest first, with the values before and after, who and why."""
    async with production.uow(actor) as uow:
        rows = (
            (
                await uow.connection.execute(
                    select(reading_history)
                    .where(reading_history.c.reading_id == reading_id)
                    .order_by(reading_history.c.version, reading_history.c.changed_at)
                )
            )
            .mappings()
            .all()
        )
        current = (await uow.connection.execute(select(readings).where(readings.c.id == reading_id))).mappings().first()
    if current is None and not rows:
        raise NotFound(f"No reading {reading_id}.")
    return {
        "reading_id": str(reading_id),
        "current": represent(dict(current)) if current is not None else None,
        "changes": [
            jsonable(
                {k: row[k] for k in ("kind", "version", "previous", "current", "reason", "changed_by", "changed_at")}
            )
            for row in rows
        ],
    }
