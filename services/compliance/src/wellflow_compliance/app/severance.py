"""Severance tax per lease and month: sales from the run tickets (with the purchaser's price), prices and
reliefs entered by an accountant, volumes from the Form PR draft; the result, grouped by the Comptroller's
reports (10-158, 10-165, 10-159) with their due dates, is kept with a revision and announced as
``compliance.severance_tax_computed.v1`` whenever it changes (a ticket, a price entered, a relief granted, the
month's volumes corrected)."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.compliance import SeveranceTaxComputed, SeveranceTaxLine
from wellflow_contracts.ids import uuid7
from wellflow_texas.reliefs import RELIEFS, ReliefGrant, validate_grant

from ..domain.calendar import due_date
from ..domain.severance import ProductPrice, TaxLine, compute_lease_tax, legacy_report
from ..domain.valuation import described, price_for, tickets_described
from .common import MAX_PAGE, Actor, Compliance, invalid, not_found
from .ports import ComplianceWork

REPORTS = (
    ("10-158", "Crude oil report"),
    ("10-165", "Crude oil special report (used, lost, stolen or unaccounted for)"),
    ("10-159", "Natural gas report (gas, condensate, lease use, flare, regulatory fee)"),
)


def _event_lines(tax_lines: list[TaxLine], month: date, compliance: Compliance) -> list[SeveranceTaxLine]:
    due = {
        "10-158": due_date("oil_tax", month, compliance.rules),
        "10-165": due_date("oil_tax", month, compliance.rules),
        "10-159": due_date("gas_tax", month, compliance.rules),
    }
    return [
        SeveranceTaxLine(
            product=t.tax.product,
            volume=t.tax.volume,
            gross_value=t.gross_value,
            marketing_costs=t.marketing_costs,
            market_value=t.tax.market_value,
            rate=t.tax.rate,
            tax=t.tax.tax,
            regulatory_fee=t.tax.regulatory_fee,
            minimum_applied=t.tax.minimum_applied,
            relief=t.relief,
            commodity=t.tax.commodity,
            report=t.tax.report,
            measured_volume=t.tax.measured_volume,
            value_source=t.value_source,
            credit=t.tax.credit,
            due_date=due[t.tax.report],
            borne_by_owners=t.borne_by_owners,
        )
        for t in tax_lines
    ]


def _reports(lines: list[SeveranceTaxLine]) -> list[dict[str, Any]]:
    """The lines grouped by the Comptroller's report they go on, with each report's due date and totals."""
    reports = []
    for form, name in REPORTS:
        mine = [line for line in lines if line.report == form]
        if not mine:
            continue
        reports.append(
            {
                "report": form,
                "name": name,
                "due_date": mine[0].due_date.isoformat() if mine[0].due_date else None,
                "lines": [line.model_dump(mode="json") for line in mine],
                "total_tax": str(sum((line.tax for line in mine), Decimal("0.00"))),
                "total_regulatory_fees": str(sum((line.regulatory_fee for line in mine), Decimal("0.00"))),
            }
        )
    return reports


async def _prices(
    uow: ComplianceWork, lease_id: UUID, month: date, lease_type: str
) -> tuple[ProductPrice | None, ProductPrice | None]:
    """(liquid, gas) prices of a lease-month: entered here, or accounting's (``domain/valuation.py``)."""
    entered = await uow.prices.of_lease_month(lease_id, month)
    posted = await uow.accounting_prices.of_lease_month(lease_id, month)
    liquid = price_for(entered.get("liquid"), posted.get("oil" if lease_type == "oil" else "condensate", []))
    return liquid, price_for(entered.get("gas"), posted.get("gas", []))


async def _compute(
    uow: ComplianceWork, lease_id: UUID, month: date, compliance: Compliance
) -> tuple[dict[str, Any], Any] | None:
    """(the computed result, (lease, lease type, event lines)) of a lease-month with something to value (a price
    entered here or in accounting, or run tickets with the purchaser's price), else None."""
    lease = await uow.leases.get(lease_id)
    line = await uow.lines.line(lease_id, month)
    lease_type = lease["lease_type"] if lease is not None else (line["lease_type"] if line else "oil")
    liquid, gas = await _prices(uow, lease_id, month, lease_type)
    tickets = await uow.run_tickets.sales(lease_id, month)
    if liquid is None and gas is None and not any(t.price_per_bbl is not None for t in tickets):
        return None
    computed = compute_lease_tax(
        lease_type=lease_type,
        month=month,
        line=line,
        tickets=tickets,
        liquid_price=liquid,
        gas_price=gas,
        grants=await uow.reliefs.grants(lease_id),
    )
    lines = _event_lines(computed.lines, month, compliance)
    result = {
        "lines": [line.model_dump(mode="json") for line in lines],
        "reports": _reports(lines),
        "warnings": computed.warnings,
        "total_tax": str(sum((line.tax for line in lines), Decimal("0.00"))),
        "total_regulatory_fees": str(sum((line.regulatory_fee for line in lines), Decimal("0.00"))),
        "enhanced_recovery": any(t.relief == "enhanced_recovery" for t in computed.lines),
        "prices": {"liquid": described(liquid), "gas": described(gas)},
        "ticket_prices": tickets_described(tickets),
    }
    return result, (lease, lease_type, lines)


async def recompute_tax(
    uow: ComplianceWork, tenant_id: UUID, lease_id: UUID, month: date, now: datetime, compliance: Compliance
) -> dict[str, Any] | None:
    """Recompute one lease-month's tax when it has something to value; record the event if the result changed."""
    computed = await _compute(uow, lease_id, month, compliance)
    if computed is None:
        return None
    result, (lease, lease_type, lines) = computed
    # the prices shown beside the lines are not part of the tax: a result computed before they were shown
    # keeps its revision (and publishes nothing) until the tax itself changes
    shown = ("prices", "ticket_prices")
    taxed = {key: value for key, value in result.items() if key not in shown}
    digest = hashlib.sha256(json.dumps(taxed, sort_keys=True).encode()).hexdigest()
    existing = await uow.taxes.get(lease_id, month)
    unchanged = existing is not None and existing["result_hash"] == digest
    if unchanged and existing is not None and all(existing["result"].get(k) == result[k] for k in shown):
        return _view(existing)
    revision = (existing["revision"] if existing else 0) + (0 if unchanged else 1)
    total_tax, total_fees = Decimal(result["total_tax"]), Decimal(result["total_regulatory_fees"])
    values = {"lease_id": lease_id, "month": month, "revision": revision, "result": result, "result_hash": digest}
    await uow.taxes.save(values | {"total_tax": total_tax, "computed_at": now})
    if unchanged:  # only the prices shown changed (e.g. where a price comes from): no new revision, no event
        stored = await uow.taxes.get(lease_id, month)
        return _view(stored) if stored is not None else None
    uow.record(
        SeveranceTaxComputed(
            tenant_id=tenant_id,
            lease_id=lease_id,
            month=month,
            revision=revision,
            rrc_district=lease["rrc_district"] if lease is not None else None,
            rrc_lease_number=lease["rrc_lease_number"] if lease is not None else None,
            lease_type=lease_type,
            enhanced_recovery=result["enhanced_recovery"],
            lines=lines,
            total_tax=total_tax,
            total_regulatory_fees=total_fees,
            oil_tax_due_date=due_date("oil_tax", month, compliance.rules),
            gas_tax_due_date=due_date("gas_tax", month, compliance.rules),
            warnings=result["warnings"],
        ),
        aggregate_key=f"compliance.lease:{lease_id}",
    )
    stored = await uow.taxes.get(lease_id, month)
    return _view(stored) if stored is not None else None


async def recompute_period_taxes(
    uow: ComplianceWork, compliance: Compliance, tenant_id: UUID, period: date, now: datetime
) -> None:
    """After a period's lines were regenerated: the taxes of every lease with prices (entered or on its run
    tickets) for it."""
    leases = set(await uow.prices.leases_priced(period)) | set(await uow.run_tickets.leases_priced(period))
    leases |= set(await uow.accounting_prices.leases_priced(period))
    for lease_id in sorted(leases, key=str):
        await recompute_tax(uow, tenant_id, lease_id, period, now, compliance)


def _view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "lease_id": row["lease_id"],
        "month": row["month"],
        "revision": row["revision"],
        "computed_at": row["computed_at"],
        **row["result"],
    }


async def _require_lease(uow: ComplianceWork, lease_id: UUID) -> dict[str, Any]:
    lease = await uow.leases.get(lease_id)
    if lease is None:
        raise not_found("Lease")
    return lease


async def enter_prices(
    compliance: Compliance, actor: Actor, lease_id: UUID, month: date, data: dict[str, Any]
) -> dict[str, Any]:
    """Store the prices of a lease-month (the whole set for that month: a product left out is cleared) and
    recompute its tax. Entering the same prices again changes nothing (no new revision, no event)."""
    now = compliance.clock()
    entries = {product: data[product] for product in ("liquid", "gas") if data.get(product) is not None}
    async with compliance.uow(actor) as uow:
        await _require_lease(uow, lease_id)
        await uow.prices.replace(lease_id, month, entries, by=actor.id, at=now)
        view = await recompute_tax(uow, actor.organization_id, lease_id, month, now, compliance)
    return view or {"lease_id": lease_id, "month": month, "revision": 0, "lines": []}


async def get_tax(compliance: Compliance, actor: Actor, lease_id: UUID, month: date) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        row = await uow.taxes.get(lease_id, month)
    if row is None:
        raise not_found("A severance tax for this lease and month")
    return _view(row)


async def list_taxes(
    compliance: Compliance,
    actor: Actor,
    *,
    month: date | None,
    lease_id: UUID | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    async with compliance.uow(actor) as uow:
        page = await uow.taxes.find(month=month, lease_id=lease_id, limit=min(limit, MAX_PAGE), offset=offset)
    return {"items": [_view(row) for row in page.items], "total": page.total, "limit": limit, "offset": offset}


async def get_return(
    compliance: Compliance, actor: Actor, month: date, report: str, *, limit: int, offset: int
) -> dict[str, Any]:
    """One Comptroller report of the organization for ``month``: every lease's lines on it, paged, with the
    report's totals over all leases and its due date."""
    async with compliance.uow(actor) as uow:
        rows = await uow.taxes.of_month(month)
        leases = {row["lease_id"]: await uow.leases.get(row["lease_id"]) for row in rows}
    if not rows:  # like a month's Form PR: nothing computed for the month is not a return (yet)
        raise not_found(f"A severance tax return for {month:%Y-%m}")
    items = []
    for row in sorted(rows, key=lambda r: str(r["lease_id"])):
        lease = leases.get(row["lease_id"]) or {}
        for line in row["result"]["lines"]:
            if line.get("report", legacy_report(line)) == report:
                items.append(
                    {
                        **line,
                        "lease_id": row["lease_id"],
                        "rrc_district": lease.get("rrc_district"),
                        "rrc_lease_number": lease.get("rrc_lease_number"),
                        "revision": row["revision"],
                    }
                )
    obligation = "gas_tax" if report == "10-159" else "oil_tax"
    limit = min(limit, MAX_PAGE)
    return {
        "report": report,
        "name": dict(REPORTS)[report],
        "month": month,
        "due_date": due_date(obligation, month, compliance.rules),
        "total_tax": str(sum((Decimal(i["tax"]) for i in items), Decimal("0.00"))),
        "total_regulatory_fees": str(sum((Decimal(i["regulatory_fee"]) for i in items), Decimal("0.00"))),
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


def _check_relief_fits(grant: ReliefGrant, lease: dict[str, Any]) -> None:
    if grant.code == "enhanced_recovery" and lease["lease_type"] != "oil":
        raise invalid("body.code", "Enhanced oil recovery applies to oil leases; this is a gas lease.")
    if grant.code in ("low_producing_gas", "high_cost_gas") and lease["lease_type"] != "gas":
        raise invalid("body.code", "This relief applies to gas wells; this is an oil lease.")


async def grant_relief(compliance: Compliance, actor: Actor, lease_id: UUID, data: dict[str, Any]) -> dict[str, Any]:
    """Record a relief for a lease (e.g. an enhanced recovery project) and recompute the taxes it covers."""
    grant = ReliefGrant(data["code"], data["effective_from"], data.get("effective_to"), data.get("inputs") or {})
    problems = validate_grant(grant)
    if problems:
        raise invalid("body", "; ".join(problems))
    now = compliance.clock()
    row = {
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
        _check_relief_fits(grant, await _require_lease(uow, lease_id))
        await uow.reliefs.add(row)
        months = set(await uow.prices.months_priced(lease_id)) | set(await uow.run_tickets.months_priced(lease_id))
        months |= set(await uow.accounting_prices.months_priced(lease_id))
        for month in sorted(months):
            if grant.covers(month):
                await recompute_tax(uow, actor.organization_id, lease_id, month, now, compliance)
    relief = RELIEFS[grant.code]
    return {"organization_id": actor.organization_id, **row, "name": relief.name, "statute": relief.statute}


async def list_reliefs(compliance: Compliance, actor: Actor, lease_id: UUID | None) -> list[dict[str, Any]]:
    """The relief grants of one lease (404 for a lease not known here), or of every lease with ``lease_id`` None
    (one query for the organization's tax summary), oldest first."""
    async with compliance.uow(actor) as uow:
        if lease_id is not None:
            await _require_lease(uow, lease_id)
        rows = await uow.reliefs.listed(lease_id)
    return [{**row, "name": RELIEFS[row["code"]].name, "statute": RELIEFS[row["code"]].statute} for row in rows]
