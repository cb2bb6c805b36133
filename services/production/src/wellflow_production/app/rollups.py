"""Lease-month rollups: kept current in the same transaction as every change that moves them.

Why recompute rather than add deltas: a recomputation from the source rows cannot drift, whatever mix of
readings, corrections, deletions, imports, gauges, tickets and dispositions came before. It stays correct
under concurrency because of the order of two statements in READ COMMITTED (``adapters.repositories.lease_months``):

1. an upsert of the rollup rows (in key order, so two writers never wait on each other crosswise) takes
   their row locks and bumps ``revision``;
2. the recomputation is a *new* statement, so its snapshot is taken after the lock was granted: it sees
   every change committed by the writer that held the lock before us, and our own.

A change to a lease-month thus waits for the previous writer of that lease-month only, and each commit
leaves the row equal to a recomputation over everything committed so far. Each refresh records one
``LeaseMonthUpdated`` (the whole picture, with the new revision) for the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.events.production import (
    GasDisposition,
    LeaseMonthUpdated,
    OilDisposition,
    StockGauge,
    WellMonthVolumes,
)

from .common import lease_key
from .ports import ProductionWork


async def refresh(
    uow: ProductionWork, organization_id: UUID, keys: Iterable[tuple[UUID, date]]
) -> list[dict[str, Any]]:
    """Recompute the lease-months ``keys`` (lease id, first day of month) and record their events."""
    ordered = sorted(set(keys))
    if not ordered:
        return []
    return record_months(uow, organization_id, await uow.lease_months.recompute(organization_id, ordered))


def record_months(uow: ProductionWork, organization_id: UUID, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Record the events of the recomputed lease-months ``rows`` (a reading's path recomputes its lease-month
    itself: ``recording.add`` takes the lock, ``recording.recompute`` is the second statement)."""
    for row in sorted(rows, key=lambda r: (r["lease_id"], r["month"])):
        wells = [WellMonthVolumes(**volumes) for volumes in row.pop("well_volumes")]
        uow.record(month_event(organization_id, row, wells), aggregate_key=lease_key(row["lease_id"]))
    return rows


async def well_volumes(
    uow: ProductionWork, keys: list[tuple[UUID, date]]
) -> defaultdict[tuple[UUID, date], list[WellMonthVolumes]]:
    """Each well's month on the lease-months ``keys``, in API-number order."""
    wells_by_key: defaultdict[tuple[UUID, date], list[WellMonthVolumes]] = defaultdict(list)
    for row in await uow.lease_months.well_volumes(keys):
        wells_by_key[(row["lease_id"], row["month"])].append(
            WellMonthVolumes(
                well_id=row["well_id"],
                api_number=row["api_number"] or "",
                oil_bbl=row["oil"],
                gas_mcf=row["gas"],
                water_bbl=row["water"],
                production_days=row["days"],
            )
        )
    return wells_by_key


def month_event(organization_id: UUID, row: dict[str, Any], wells: list[WellMonthVolumes]) -> LeaseMonthUpdated:
    return LeaseMonthUpdated(
        tenant_id=organization_id,
        lease_id=row["lease_id"],
        month=row["month"],
        revision=row["revision"],
        lease_type=row["lease_type"],
        oil_bbl=row["oil_bbl"],
        condensate_bbl=row["condensate_bbl"],
        casinghead_gas_mcf=row["casinghead_gas_mcf"],
        gas_well_gas_mcf=row["gas_well_gas_mcf"],
        water_bbl=row["water_bbl"],
        liquid_bbl=row["liquid_bbl"],
        gas_mcf=row["gas_mcf"],
        production_days=row["production_days"],
        beginning_oil_stock_bbl=row["beginning_oil_stock_bbl"],
        ending_oil_stock_bbl=row["ending_oil_stock_bbl"],
        oil_dispositions=[OilDisposition(code=d["code"], bbl=Decimal(d["bbl"])) for d in row["oil_dispositions"]],
        oil_disposed_bbl=row["oil_disposed_bbl"],
        gas_dispositions=[
            GasDisposition(code=d["code"], mcf=Decimal(d["mcf"]), authority=d["authority"])
            for d in row["gas_dispositions"]
        ],
        gas_disposition_mismatch_mcf=row["gas_disposition_mismatch_mcf"],
        wells=wells,
        beginning_net_stock_bbl=row.get("beginning_net_stock_bbl"),
        ending_net_stock_bbl=row.get("ending_net_stock_bbl"),
        month_end_gauged=bool(row.get("month_end_gauged")),
        uncorrected_stock_gauges=[StockGauge(**gauge) for gauge in row.get("uncorrected_stock_gauges") or []],
    )
