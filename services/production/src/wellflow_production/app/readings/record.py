"""Record one well's day. A retry (same ``reading_id`` or ``Idempotency-Key``) answers the first result; the same
key with a different reading is 409 ``id-in-use`` naming the fields that differ."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wellflow_contracts.events.production import ReadingRecorded
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import Actor, invalid, request_hash

from .. import rollups
from ..common import Production, month_start, well_key
from ..idempotency import Outcome, replay
from ..organization import OrganizationSettings
from ..ports import ConstraintViolated, ProductionWork
from .shared import VALUE_FIELDS, check_with, known, recent_of, represent, volumes


async def record_reading(
    production: Production, actor: Actor, body: dict[str, Any], idempotency_key: str | None
) -> Outcome:
    now = production.clock()
    confirm = bool(body.pop("confirm", False))
    key = idempotency_key or (str(body["reading_id"]) if body.get("reading_id") else None)
    if body["production_date"] > production.today():
        raise invalid("body.production_date", "A reading cannot be for a day that has not happened yet.")
    fingerprint = request_hash(body) if key is not None else ""
    claim = ("reading", key, fingerprint, now) if key is not None else None
    try:
        async with production.uow(actor) as uow:
            # the key's claim, the well, the organization's settings and the well's recent days: one round trip
            claimed, well = await uow.recording.open(
                body["well_id"], body["production_date"], OrganizationSettings.trailing_days, claim
            )
            if key is not None and not claimed:
                stored = await uow.idempotency.stored("reading", key)
                return replay(stored, fingerprint, body, noun="reading", defaulted=("reading_id",))
            outcome = await _record(uow, actor, body, known(body["well_id"], well), confirm, now, key)
    except ConstraintViolated as exc:
        raise Conflict("The reading clashes with one recorded at the same moment; send it again.") from exc
    return outcome


async def _record(
    uow: ProductionWork,
    actor: Actor,
    body: dict[str, Any],
    well: dict[str, Any],
    confirm: bool,
    now: datetime,
    key: str | None,
) -> Outcome:
    warnings = await check_with(uow, body, well, confirm, recent_of(well["recent"]))
    row = _new_row(actor, body, well, now)
    month = month_start(row["production_date"])
    stored = await uow.recording.add(row, month)  # holds the lease-month's rollup row locked when it went in
    if stored is None:
        raise await _duplicate(uow, row, well)
    outcome = Outcome(201, represent(stored, warnings))
    # the recomputation is a new statement after the lock (app.rollups); the answer is kept with the key in it
    answer = ("reading", key, outcome.status, outcome.body) if key is not None else None
    months = await uow.recording.recompute(well["lease_id"], month, answer)
    rollups.record_months(uow, actor.organization_id, months)
    uow.record(
        ReadingRecorded(
            tenant_id=actor.organization_id,
            reading_id=row["id"],
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
    return outcome


def _new_row(actor: Actor, body: dict[str, Any], well: dict[str, Any], now: datetime) -> dict[str, Any]:
    gps = body.get("gps") or {}
    return {
        "organization_id": actor.organization_id,
        "id": body.get("reading_id") or uuid7(),
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


async def _duplicate(uow: ProductionWork, row: dict[str, Any], well: dict[str, Any]) -> Conflict:
    existing = await uow.readings.clash(row)
    if existing is None:  # removed between our insert and this read: the client may simply retry
        return Conflict("The reading clashes with a concurrent change; send it again.")
    if existing["id"] == row["id"] and (existing["well_id"], existing["production_date"]) != (
        row["well_id"],
        row["production_date"],
    ):
        return Conflict(f"Reading id {row['id']} is already used for another well or day.", slug="duplicate-reading-id")
    return Conflict(
        f"{well.get('name') or 'The well'} (API {well['api_number']}) already has a reading for "
        f"{row['production_date']}: correct that one instead.",
        slug="duplicate-reading",
        reading_id=str(existing["id"]),
        version=existing["version"],
    )
