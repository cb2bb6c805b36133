"""The office's adjustments to a Form PR draft: dispositions production did not record, authorities for
flared and vented gas, remarks. Each names who made it and why; a wrong one is voided (kept), never deleted,
and the lease's lines are rebuilt either way."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict
from wellflow_texas.form_pr import (
    FLARE_AUTHORITIES,
    FLARE_VENT_CODES,
    GAS_DISPOSITION_CODES,
    LIQUID_DISPOSITION_CODES,
)

from ..adapters.tables import form_pr_adjustments, leases
from ..domain.form_pr import period_label
from .calendar import ensure_obligations
from .common import MAX_PAGE, Actor, Compliance, invalid, not_found
from .drafts import ensure_report, recompute_lease
from .reports import report_row
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


def _adjustment_view(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row._mapping.items() if k not in ("organization_id", "idempotency_key")} | {
        "period": period_label(row.period)
    }


async def add_adjustment(
    compliance: Compliance, actor: Actor, period: date, data: dict[str, Any], idempotency_key: str | None
) -> tuple[dict[str, Any], bool]:
    """Returns the adjustment and whether it was created now (False: a retry with the same key)."""
    _check_adjustment(data)
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        if idempotency_key:
            existing = (
                await uow.connection.execute(
                    select(form_pr_adjustments).where(form_pr_adjustments.c.idempotency_key == idempotency_key)
                )
            ).one_or_none()
            if existing is not None:
                return _adjustment_view(existing), False
        lease = (await uow.connection.execute(select(leases.c.id).where(leases.c.id == data["lease_id"]))).first()
        if lease is None:
            raise not_found("Lease")
        _, created = await ensure_report(uow, actor.organization_id, period, now)
        if created:
            await ensure_obligations(uow, actor.organization_id, period, compliance)
        row = {
            "organization_id": actor.organization_id,
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
        try:
            inserted = (
                await uow.connection.execute(form_pr_adjustments.insert().values(row).returning(form_pr_adjustments))
            ).one()
        except IntegrityError:
            raise Conflict("An adjustment with this Idempotency-Key is being recorded; retry.", slug="retry") from None
        await _recompute_after_adjustment(uow, compliance, actor, data["lease_id"], period, now)
    return _adjustment_view(inserted), True


async def _recompute_after_adjustment(
    uow: UnitOfWork, compliance: Compliance, actor: Actor, lease_id: UUID, period: date, now: datetime
) -> None:
    changed = await recompute_lease(uow, actor.organization_id, lease_id, period, now)
    for changed_period, _ in changed:
        await recompute_tax(uow, actor.organization_id, lease_id, changed_period, now, compliance)


async def void_adjustment(
    compliance: Compliance, actor: Actor, period: date, adjustment_id: UUID, reason: str
) -> dict[str, Any]:
    """Adjustments are never deleted: voiding keeps who, when and why."""
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        row = (
            await uow.connection.execute(
                select(form_pr_adjustments)
                .where(form_pr_adjustments.c.id == adjustment_id, form_pr_adjustments.c.period == period)
                .with_for_update()
            )
        ).one_or_none()
        if row is None:
            raise not_found("The adjustment")
        if row.voided_at is None:
            row = (
                await uow.connection.execute(
                    update(form_pr_adjustments)
                    .where(form_pr_adjustments.c.id == adjustment_id)
                    .values(voided_at=now, voided_by=actor.id, void_reason=reason)
                    .returning(form_pr_adjustments)
                )
            ).one()
            await _recompute_after_adjustment(uow, compliance, actor, row.lease_id, period, now)
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
    conditions = [form_pr_adjustments.c.period == period]
    if lease_id is not None:
        conditions.append(form_pr_adjustments.c.lease_id == lease_id)
    if not include_voided:
        conditions.append(form_pr_adjustments.c.voided_at.is_(None))
    async with compliance.uow(actor) as uow:
        await report_row(uow, period)
        rows = (
            await uow.connection.execute(
                select(form_pr_adjustments)
                .where(*conditions)
                .order_by(form_pr_adjustments.c.created_at, form_pr_adjustments.c.id)
                .limit(min(limit, MAX_PAGE))
                .offset(offset)
            )
        ).all()
        total = (
            await uow.connection.execute(select(func.count()).select_from(form_pr_adjustments).where(*conditions))
        ).scalar_one()
    return {"items": [_adjustment_view(r) for r in rows], "total": total, "limit": limit, "offset": offset}
