"""Severance tax per lease and month: prices and reliefs entered by an accountant, volumes from the Form PR
draft, the result kept with a revision and announced as ``compliance.severance_tax_computed.v1`` whenever it
changes (a price entered, a relief granted, the month's volumes corrected)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_contracts.events.compliance import SeveranceTaxComputed, SeveranceTaxLine
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_texas.reliefs import RELIEFS, ReliefGrant, validate_grant

from ..adapters.tables import form_pr_lines, leases, relief_grants, severance_prices, severance_taxes
from ..domain.calendar import due_date
from ..domain.severance import ProductPrice, compute_lease_tax, taxable_volumes
from .common import MAX_PAGE, Actor, Compliance, invalid, not_found


def _grant(row: Any) -> ReliefGrant:
    inputs = {k: Decimal(v) for k, v in (row.inputs or {}).items()}
    return ReliefGrant(row.code, row.effective_from, row.effective_to, inputs)


async def recompute_tax(
    uow: UnitOfWork, tenant_id: UUID, lease_id: UUID, month: date, now: datetime, compliance: Compliance
) -> dict[str, Any] | None:
    """Recompute one lease-month's tax when prices exist for it; record the event if the result changed."""
    conn = uow.connection
    price_rows = (
        await conn.execute(
            select(severance_prices).where(severance_prices.c.lease_id == lease_id, severance_prices.c.month == month)
        )
    ).all()
    if not price_rows:
        return None
    prices = {
        row.product: ProductPrice(row.price, row.gross_value, row.marketing_costs or Decimal("0")) for row in price_rows
    }
    lease = (await conn.execute(select(leases).where(leases.c.id == lease_id))).one_or_none()
    line = (
        await conn.execute(
            select(form_pr_lines.c.line).where(form_pr_lines.c.lease_id == lease_id, form_pr_lines.c.period == month)
        )
    ).scalar_one_or_none()
    lease_type = lease.lease_type if lease is not None else (line["lease_type"] if line else "oil")
    liquid, gas = taxable_volumes(line) if line else (Decimal("0"), Decimal("0"))
    grants = [
        _grant(row)
        for row in (
            await conn.execute(
                select(relief_grants).where(relief_grants.c.lease_id == lease_id).order_by(relief_grants.c.created_at)
            )
        ).all()
    ]
    tax_lines = compute_lease_tax(
        lease_type=lease_type,
        month=month,
        liquid_sold=liquid,
        gas_sold=gas,
        liquid_price=prices.get("liquid"),
        gas_price=prices.get("gas"),
        grants=grants,
    )
    lines = [
        SeveranceTaxLine(
            product=t.product,
            volume=t.tax.volume,
            gross_value=t.gross_value,
            marketing_costs=t.marketing_costs,
            market_value=t.tax.market_value,
            rate=t.tax.rate,
            tax=t.tax.tax,
            regulatory_fee=t.tax.regulatory_fee,
            minimum_applied=t.tax.minimum_applied,
            relief=t.relief,
        )
        for t in tax_lines
    ]
    total_tax = sum((line.tax for line in lines), Decimal("0.00"))
    total_fees = sum((line.regulatory_fee for line in lines), Decimal("0.00"))
    result = {
        "lines": [line.model_dump(mode="json") for line in lines],
        "total_tax": str(total_tax),
        "total_regulatory_fees": str(total_fees),
        "enhanced_recovery": any(t.relief == "enhanced_recovery" for t in tax_lines),
    }
    digest = hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()
    existing = (
        await conn.execute(
            select(severance_taxes.c.revision, severance_taxes.c.result_hash).where(
                severance_taxes.c.lease_id == lease_id, severance_taxes.c.month == month
            )
        )
    ).one_or_none()
    if existing is not None and existing.result_hash == digest:
        return await _tax_view(uow, lease_id, month)
    revision = (existing.revision if existing else 0) + 1
    values = {
        "organization_id": tenant_id,
        "lease_id": lease_id,
        "month": month,
        "revision": revision,
        "result": result,
        "result_hash": digest,
        "total_tax": total_tax,
        "computed_at": now,
    }
    statement = pg_insert(severance_taxes).values(values)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["organization_id", "lease_id", "month"],
            set_={k: statement.excluded[k] for k in ("revision", "result", "result_hash", "total_tax", "computed_at")},
        )
    )
    uow.record(
        SeveranceTaxComputed(
            tenant_id=tenant_id,
            lease_id=lease_id,
            month=month,
            revision=revision,
            rrc_district=lease.rrc_district if lease is not None else None,
            rrc_lease_number=lease.rrc_lease_number if lease is not None else None,
            lease_type=lease_type,
            enhanced_recovery=result["enhanced_recovery"],
            lines=lines,
            total_tax=total_tax,
            total_regulatory_fees=total_fees,
            oil_tax_due_date=due_date("oil_tax", month, compliance.rules),
            gas_tax_due_date=due_date("gas_tax", month, compliance.rules),
        ),
        aggregate_key=f"compliance.lease:{lease_id}",
    )
    return await _tax_view(uow, lease_id, month)


async def recompute_period_taxes(
    uow: UnitOfWork, compliance: Compliance, tenant_id: UUID, period: date, now: datetime
) -> None:
    """After a period's lines were regenerated: the taxes of every lease with prices for it."""
    leases_priced = (
        await uow.connection.execute(
            select(severance_prices.c.lease_id).where(severance_prices.c.month == period).distinct()
        )
    ).scalars()
    for lease_id in sorted(leases_priced, key=str):
        await recompute_tax(uow, tenant_id, lease_id, period, now, compliance)


async def _tax_view(uow: UnitOfWork, lease_id: UUID, month: date) -> dict[str, Any] | None:
    row = (
        await uow.connection.execute(
            select(severance_taxes).where(severance_taxes.c.lease_id == lease_id, severance_taxes.c.month == month)
        )
    ).one_or_none()
    if row is None:
        return None
    return _view(row)


def _view(row: Any) -> dict[str, Any]:
    return {
        "lease_id": row.lease_id,
        "month": row.month,
        "revision": row.revision,
        "computed_at": row.computed_at,
        **row.result,
    }


async def _require_lease(uow: UnitOfWork, lease_id: UUID) -> Any:
    lease = (await uow.connection.execute(select(leases).where(leases.c.id == lease_id))).one_or_none()
    if lease is None:
        raise not_found("Lease")
    return lease


async def enter_prices(
    compliance: Compliance, actor: Actor, lease_id: UUID, month: date, data: dict[str, Any]
) -> dict[str, Any]:
    """Store the prices of a lease-month (the whole set for that month: a product left out is cleared) and
    recompute its tax. Entering the same prices again changes nothing (no new revision, no event)."""
    now = compliance.clock()
    async with compliance.uow(actor) as uow:
        await _require_lease(uow, lease_id)
        conn = uow.connection
        await conn.execute(
            severance_prices.delete().where(severance_prices.c.lease_id == lease_id, severance_prices.c.month == month)
        )
        for product in ("liquid", "gas"):
            entered = data.get(product)
            if entered is None:
                continue
            await conn.execute(
                severance_prices.insert().values(
                    organization_id=actor.organization_id,
                    lease_id=lease_id,
                    month=month,
                    product=product,
                    price=entered.get("price"),
                    gross_value=entered.get("gross_value"),
                    marketing_costs=entered.get("marketing_costs") or Decimal("0"),
                    entered_by=actor.id,
                    entered_at=now,
                )
            )
        view = await recompute_tax(uow, actor.organization_id, lease_id, month, now, compliance)
    return view or {"lease_id": lease_id, "month": month, "revision": 0, "lines": []}


async def get_tax(compliance: Compliance, actor: Actor, lease_id: UUID, month: date) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        view = await _tax_view(uow, lease_id, month)
    if view is None:
        raise not_found("A severance tax for this lease and month")
    return view


async def list_taxes(
    compliance: Compliance,
    actor: Actor,
    *,
    month: date | None,
    lease_id: UUID | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    query = select(severance_taxes)
    count = select(func.count()).select_from(severance_taxes)
    if month is not None:
        query, count = query.where(severance_taxes.c.month == month), count.where(severance_taxes.c.month == month)
    if lease_id is not None:
        query = query.where(severance_taxes.c.lease_id == lease_id)
        count = count.where(severance_taxes.c.lease_id == lease_id)
    query = query.order_by(severance_taxes.c.month.desc(), severance_taxes.c.lease_id).limit(min(limit, MAX_PAGE))
    async with compliance.uow(actor) as uow:
        rows = (await uow.connection.execute(query.offset(offset))).all()
        total = (await uow.connection.execute(count)).scalar_one()
    return {"items": [_view(row) for row in rows], "total": total, "limit": limit, "offset": offset}


async def grant_relief(compliance: Compliance, actor: Actor, lease_id: UUID, data: dict[str, Any]) -> dict[str, Any]:
    """Record a relief for a lease (e.g. an enhanced recovery project) and recompute the taxes it covers."""
    grant = ReliefGrant(data["code"], data["effective_from"], data.get("effective_to"), data.get("inputs") or {})
    problems = validate_grant(grant)
    if problems:
        raise invalid("body", "; ".join(problems))
    now = compliance.clock()
    row = {
        "organization_id": actor.organization_id,
        "id": uuid7(),
        "lease_id": lease_id,
        "code": grant.code,
        "effective_from": grant.effective_from,
        "effective_to": grant.effective_to,
        "inputs": {k: str(v) for k, v in (grant.inputs or {}).items()},
        "granted_by": actor.id,
        "created_at": now,
    }
    async with compliance.uow(actor) as uow:
        lease = await _require_lease(uow, lease_id)
        if grant.code == "enhanced_recovery" and lease.lease_type != "oil":
            raise invalid("body.code", "Enhanced oil recovery applies to oil leases; this is a gas lease.")
        if grant.code in ("low_producing_gas", "high_cost_gas") and lease.lease_type != "gas":
            raise invalid("body.code", "This relief applies to gas wells; this is an oil lease.")
        await uow.connection.execute(relief_grants.insert().values(row))
        months = (
            await uow.connection.execute(
                select(severance_prices.c.month).where(severance_prices.c.lease_id == lease_id).distinct()
            )
        ).scalars()
        for month in list(months):
            if grant.covers(month):
                await recompute_tax(uow, actor.organization_id, lease_id, month, now, compliance)
    return {**row, "name": RELIEFS[grant.code].name, "statute": RELIEFS[grant.code].statute}


async def list_reliefs(compliance: Compliance, actor: Actor, lease_id: UUID | None) -> list[dict[str, Any]]:
    """The relief grants of one lease (404 for a lease not known here), or of every lease with ``lease_id`` None
    (one query for the organization's tax summary), oldest first."""
    query = select(relief_grants).order_by(relief_grants.c.lease_id, relief_grants.c.created_at)
    async with compliance.uow(actor) as uow:
        if lease_id is not None:
            await _require_lease(uow, lease_id)
            query = query.where(relief_grants.c.lease_id == lease_id)
        rows = (await uow.connection.execute(query)).all()
    return [{**row._asdict(), "name": RELIEFS[row.code].name, "statute": RELIEFS[row.code].statute} for row in rows]
