"""The office's adjustments to a Form PR draft: dispositions production did not record, authorities for
flared and vented gas, remarks. Each names who made it and why; a wrong one is voided (kept), never deleted,
and the lease's lines are rebuilt either way.

An adjustment sent with an ``Idempotency-Key`` is created once: the same key with the same body answers the
stored adjustment (200), the same key with a different body is a 409 naming the differing fields."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.kernel import check_same_request
from wellflow_texas.form_pr import (
    FLARE_AUTHORITIES,
    FLARE_VENT_CODES,
    GAS_DISPOSITION_CODES,
    LIQUID_DISPOSITION_CODES,
)

from ..domain.form_pr import period_label
from .calendar import ensure_obligations
from .common import MAX_PAGE, Actor, Compliance, invalid, not_found
from .drafts import ensure_report, recompute_lease
from .ports import ComplianceWork
from .reports.common import report_row
from .severance import recompute_tax


def _check_adjustment(data: dict[str, Any]) -> None:
    product, code, authority = data["product"], data.get("code"), data.get("authority")
    volume: Decimal = data.get("volume") or Decimal("0")
    if product == "remark":
        if not data.get("remark"):
            raise invalid("body.remark", "A remark adjustment needs the remark text.")
        if code or volume:
            raise invalid("body.code", "A remark carries no code or volume; use a liquid or gas adjustment.")
        return
    table = LIQUID_DISPOSITION_CODES if product == "liquid" else GAS_DISPOSITION_CODES
    if code not in table:
        allowed = ", ".join(f"{c} {d}" for c, d in table.items())
        raise invalid("body.code", f"{code!r} is not a Form PR {product} disposition code. Use one of: {allowed}.")
    if authority is not None:
        if product != "gas" or code not in FLARE_VENT_CODES:
            raise invalid(
                "body.authority", "An authority belongs only to gas dispositions 10 (flared) and 11 (vented)."
            )
        if authority not in FLARE_AUTHORITIES:
            raise invalid("body.authority", "The authority is AR (by rule), AE (by exception), EP (pending) or EX.")
    if volume == 0 and not (product == "gas" and code in FLARE_VENT_CODES and authority):
        raise invalid("body.volume", "Give a volume (negative to take some back), or an authority for 10/11.")


def _adjustment_view(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("organization_id", "idempotency_key")} | {
        "period": period_label(row["period"])
    }


REQUEST_FIELDS = ("lease_id", "product", "code", "volume", "authority", "remark", "reason")


def _request(period: date, data: dict[str, Any]) -> dict[str, Any]:
    """What a retry under the same Idempotency-Key must repeat (the view's values: period as YYYY-MM)."""
    asked = {key: data.get(key) for key in REQUEST_FIELDS}
    asked["volume"] = asked["volume"] or Decimal("0")
    return asked | {"period": period_label(period)}


async def add_adjustment(
    compliance: Compliance, actor: Actor, period: date, data: dict[str, Any], idempotency_key: str | None
) -> tuple[dict[str, Any], bool]:
    """Returns the adjustment and whether it was created now (False: a retry with the same key and body)."""
    _check_adjustment(data)
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        if idempotency_key:
            existing = await uow.adjustments.by_key(idempotency_key)
            if existing is not None:
                view = _adjustment_view(existing)
                check_same_request(view, _request(period, data), noun="adjustment")
                return view, False
        if await uow.leases.get(data["lease_id"]) is None:
            raise not_found("Lease")
        _, created = await ensure_report(uow, actor.organization_id, period, now)
        if created:
            await ensure_obligations(uow, actor.organization_id, period, compliance)
        inserted = await uow.adjustments.add(
            {
                "id": uuid7(),
                "period": period,
                "lease_id": data["lease_id"],
                "product": data["product"],
                "code": data.get("code"),
                "volume": data.get("volume") or Decimal("0"),
                "authority": data.get("authority"),
                "remark": data.get("remark"),
                "reason": data["reason"],
                "created_by": actor.id,
                "created_at": now,
                "idempotency_key": idempotency_key,
            }
        )
        await _recompute_after_adjustment(uow, compliance, actor, data["lease_id"], period, now)
    return _adjustment_view(inserted), True


async def _recompute_after_adjustment(
    uow: ComplianceWork, compliance: Compliance, actor: Actor, lease_id: UUID, period: date, now: datetime
) -> None:
    changed, _ = await recompute_lease(uow, actor.organization_id, lease_id, period, now)
    for changed_period, _ in changed:
        await recompute_tax(uow, actor.organization_id, lease_id, changed_period, now, compliance)


async def void_adjustment(
    compliance: Compliance, actor: Actor, period: date, adjustment_id: UUID, reason: str
) -> dict[str, Any]:
    """Adjustments are never deleted: voiding keeps who, when and why."""
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        row = await uow.adjustments.get(period, adjustment_id, for_update=True)
        if row is None:
            raise not_found("The adjustment")
        if row["voided_at"] is None:
            row = await uow.adjustments.void(adjustment_id, at=now, by=actor.id, reason=reason)
            await _recompute_after_adjustment(uow, compliance, actor, row["lease_id"], period, now)
    return _adjustment_view(row)


async def list_adjustments(
    compliance: Compliance,
    actor: Actor,
    period: date,
    *,
    lease_id: UUID | None,
    include_voided: bool,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        await report_row(uow, period)
        page = await uow.adjustments.find(
            period, lease_id=lease_id, include_voided=include_voided, limit=min(limit, MAX_PAGE), offset=offset
        )
    items = [_adjustment_view(r) for r in page.items]
    return {"items": items, "total": page.total, "limit": limit, "offset": offset}
