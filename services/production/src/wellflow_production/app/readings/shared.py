"""What the reading commands share: the answer's shape, the event's volumes, the well a reading is for and
the checks its values pass."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.production import ReadingVolumes
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound, Problem
from wellflow_servicekit.kernel import Actor, invalid, jsonable

from ...domain.reading_rules import RecentDays
from .. import plausibility
from ..organization import SETTING_NAMES, OrganizationSettings, reason_codes
from ..ports import ProductionWork

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


class PreconditionRequired(Problem):
    status = 428
    slug = "precondition-required"
    title = "Precondition required"


def represent(
    row: dict[str, Any], warnings: list[dict[str, str]] | None = None, *, as_json: bool = True
) -> dict[str, Any]:
    """A reading as the API answers it; ``as_json=False`` keeps the values as they came from the database (for a
    route whose response model converts them anyway: text first, then parsed again, was a third of a list's CPU)."""
    body = {k: v for k, v in row.items() if k not in ("organization_id", "gps_latitude", "gps_longitude")}
    body["reading_id"] = body.pop("id")
    body["gps"] = (
        {"latitude": row["gps_latitude"], "longitude": row["gps_longitude"]}
        if row.get("gps_latitude") is not None
        else None
    )
    if warnings is not None:
        body["warnings"] = warnings
    return jsonable(body) if as_json else body  # type: ignore[no-any-return]


def volumes(row: dict[str, Any]) -> ReadingVolumes:
    return ReadingVolumes(**{k: row[k] for k in VALUE_FIELDS})


def values_of(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in VALUE_FIELDS}


async def well_of(uow: ProductionWork, well_id: UUID, day: date | None = None) -> dict[str, Any]:
    """The well's local copy (with ``day``: its status that day and the organization's settings, in the same
    query); a well production has not heard of is 422 ``unknown-well``."""
    return known(well_id, await uow.wells.get(well_id, day))


def known(well_id: UUID, well: dict[str, Any] | None) -> dict[str, Any]:
    """``well``, the local copy of ``well_id``; None is 422 ``unknown-well``."""
    if well is None:
        raise invalid(
            "body.well_id",
            f"Well {well_id} is not known to production (not registered, or its registration has not arrived yet).",
            slug="unknown-well",
        )
    return well


def settings_of(well: dict[str, Any]) -> OrganizationSettings:
    if well.get("setting_max_oil_bbl") is None:
        return OrganizationSettings()
    return OrganizationSettings(**{name: well[f"setting_{name}"] for name in SETTING_NAMES})


async def check_values(
    uow: ProductionWork, values: dict[str, Any], well: dict[str, Any], day: date, confirm: bool
) -> list[dict[str, str]]:
    """The warnings to answer with; 422 on a bad value, an unknown reason code or an unconfirmed warning."""
    recent = await recent_days(uow, well["id"], day, settings_of(well).trailing_days)
    return await check_with(uow, values, well, confirm, recent)


async def check_with(
    uow: ProductionWork, values: dict[str, Any], well: dict[str, Any], confirm: bool, recent: RecentDays | None
) -> list[dict[str, str]]:
    """``check_values`` with the well's ``recent`` days known already."""
    reason = values.get("downtime_reason")
    if reason is not None and reason not in await reason_codes(uow):
        raise invalid(
            "body.downtime_reason",
            f"Unknown downtime reason {reason!r}: use one of GET /api/v1/readings/downtime-reasons.",
            slug="unknown-reason-code",
        )
    status = well.get("status_on_day") or well["status"]
    return plausibility.check(values, settings_of(well), well_status=status, confirm=confirm, recent=recent)


async def recent_days(uow: ProductionWork, well_id: UUID, day: date, trailing_days: int) -> RecentDays | None:
    """The well's recent days before ``day`` (``reading_rules.RecentDays``), None without any."""
    row = (await uow.readings.recent([well_id], day, trailing_days)).get(well_id)
    return recent_of(row)


def recent_of(row: dict[str, Any] | None) -> RecentDays | None:
    if row is None:
        return None
    return RecentDays(
        days=int(row["days"]),
        **{f: Decimal(row[f]) if row[f] is not None else None for f in ("oil_bbl", "gas_mcf", "water_bbl")},
    )


async def load(uow: ProductionWork, reading_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    row = await uow.readings.get(reading_id, lock=lock)
    if row is None:
        raise NotFound(f"No reading {reading_id}.")
    return row


def stale_version(reading_id: UUID, current: dict[str, Any], message: str) -> Conflict:
    return Conflict(
        message,
        slug="version-conflict",
        current_version=current["version"],
        current=represent(current),
    )


def history_row(
    actor: Actor, current: dict[str, Any], *, kind: str, version: int, now: datetime, reason: str, after: Any
) -> dict[str, Any]:
    """One entry of the reading's history: the values before and after (None once deleted), who and why."""
    return {
        "organization_id": actor.organization_id,
        "id": uuid7(),
        "reading_id": current["id"],
        "well_id": current["well_id"],
        "production_date": current["production_date"],
        "kind": kind,
        "version": version,
        "previous": jsonable(values_of(current)),
        "current": after,
        "reason": reason,
        "changed_by": actor.id,
        "changed_at": now,
    }
