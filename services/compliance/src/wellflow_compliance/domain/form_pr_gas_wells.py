"""One Form PR line per gas well: a gas lease with several gas wells is reported well by well.

The RRC identifies gas production by the gas well ID (docs/domain.md#form-pr-details): each gas well on the
form has its own line with its own condensate and gas well gas figures. WellFlow keeps the lease's line (its
totals feed taxes, the calendar and the balance checks) and adds ``gas_wells``: the same figures allocated to
the lease's producing gas wells, which the report and the exports show as the Form PR lines.

Allocation: each whole-number figure of the lease line (beginning stock, production, each disposition code) is
split among the wells in proportion to their readings for the month (condensate by the wells' liquid volumes,
gas by their gas volumes; a product without readings follows the other product's readings, and with no
readings at all it is split equally, with a warning), by largest remainder so the wells' whole numbers add up
to the lease's exactly. Each well's ending stock is its beginning + production - dispositions, so every gas
well line balances and the wells' lines add up to the lease's line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_texas.apportion import split_units
from wellflow_texas.form_pr import format_api_number

from .form_pr import Disposition, LeaseFacts, LeaseMonth, WellFacts, fmt

IssueSink = Callable[..., None]
NOT_PRODUCING = frozenset({"plugged", "abandoned"})


@dataclass(frozen=True, slots=True)
class GasWellLine:
    """One gas well's Form PR line (``gas_well_id`` None: not entered yet, an error on the lease)."""

    well_id: UUID
    gas_well_id: str | None
    api_number: str
    beginning_stock: int
    liquid_production: int
    liquid_dispositions: tuple[Disposition, ...]
    ending_stock: int
    gas_production: int
    gas_dispositions: tuple[Disposition, ...]
    remarks: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "well_id": str(self.well_id),
            "gas_well_id": self.gas_well_id,
            "api_number": format_api_number(self.api_number) if self.api_number else None,
            "beginning_stock": self.beginning_stock,
            "liquid_production": self.liquid_production,
            "liquid_dispositions": [_disposition(d) for d in self.liquid_dispositions],
            "ending_stock": self.ending_stock,
            "gas_production": self.gas_production,
            "gas_dispositions": [_disposition(d) for d in self.gas_dispositions],
            "remarks": list(self.remarks),
        }


def _disposition(d: Disposition) -> dict[str, Any]:
    return {"code": d.code, "volume": d.volume, "authority": d.authority, "description": d.description}


@dataclass(frozen=True, slots=True)
class LeaseFigures:
    """The lease line's whole-number figures, as ``build_line`` computed them."""

    beginning_stock: int
    liquid_production: int
    liquid_dispositions: tuple[Disposition, ...]
    gas_production: int
    gas_dispositions: tuple[Disposition, ...]
    remarks: tuple[str, ...] = ()


def gas_wells_of(lease: LeaseFacts) -> list[WellFacts]:
    """The lease's gas wells that report (not plugged or abandoned), by gas well id then API number."""
    wells = [w for w in lease.wells if w.status not in NOT_PRODUCING]
    return sorted(wells, key=lambda w: (w.gas_well_id or "~", w.api_number))


def reports_per_gas_well(lease: LeaseFacts) -> bool:
    return lease.lease_type == "gas" and len(gas_wells_of(lease)) > 1


def gas_well_lines(
    lease: LeaseFacts, month: LeaseMonth | None, figures: LeaseFigures, issue: IssueSink
) -> tuple[GasWellLine, ...]:
    """The gas lease's line split into one line per gas well; () for an oil lease or a single gas well."""
    if not reports_per_gas_well(lease):
        return ()
    wells = gas_wells_of(lease)
    for well in wells:
        if not well.gas_well_id:
            issue(
                "error",
                "gas-well-id-missing",
                f"well {format_api_number(well.api_number)} has no RRC gas well ID. Each gas well on a lease with "
                "several gas wells is reported on its own line under its gas well ID: enter it in the well "
                "registry (the well's 'Gas well ID', up to 6 digits or capital letters, from the RRC's G-1/G-10).",
                "gas_well_id",
            )
    liquid_weights, gas_weights = _weights(wells, month, figures, issue)
    keys = [w.well_id for w in wells]
    beginning = _split(figures.beginning_stock, liquid_weights, keys)
    production = _split(figures.liquid_production, liquid_weights, keys)
    gas_production = _split(figures.gas_production, gas_weights, keys)
    liquid = [_split(d.volume, liquid_weights, keys) for d in figures.liquid_dispositions]
    gas = [_split(d.volume, gas_weights, keys) for d in figures.gas_dispositions]
    lines = []
    for i, well in enumerate(wells):
        liquid_dispositions = _per_well(figures.liquid_dispositions, liquid, i)
        gas_dispositions = _per_well(figures.gas_dispositions, gas, i)
        ending = beginning[i] + production[i] - sum(d.volume for d in liquid_dispositions)
        lines.append(
            GasWellLine(
                well_id=well.well_id,
                gas_well_id=well.gas_well_id,
                api_number=well.api_number,
                beginning_stock=beginning[i],
                liquid_production=production[i],
                liquid_dispositions=liquid_dispositions,
                ending_stock=ending,
                gas_production=gas_production[i],
                gas_dispositions=gas_dispositions,
                remarks=tuple(r for r in figures.remarks if _remark_applies(r, gas_dispositions)),
            )
        )
    _check_endings(lines, issue)
    return tuple(lines)


def _weights(
    wells: Sequence[WellFacts], month: LeaseMonth | None, figures: LeaseFigures, issue: IssueSink
) -> tuple[list[Decimal], list[Decimal]]:
    volumes = {v.well_id: v for v in (month.wells if month else ())}
    liquid = [volumes[w.well_id].liquid_bbl if w.well_id in volumes else Decimal(0) for w in wells]
    gas = [volumes[w.well_id].gas_mcf if w.well_id in volumes else Decimal(0) for w in wells]
    has_liquid, has_gas = sum(liquid) > 0, sum(gas) > 0
    if not has_liquid and has_gas:
        liquid = gas
    elif has_liquid and not has_gas:
        gas = liquid
    elif not has_liquid and not has_gas:
        anything = figures.liquid_production or figures.gas_production or figures.beginning_stock
        if anything:
            issue(
                "warning",
                "gas-wells-split-equally",
                f"no readings by well this month to allocate the lease's volumes to its {len(wells)} gas wells; "
                "they are split equally. Record the wells' daily readings so each gas well line is right.",
                "wells",
            )
        liquid = gas = [Decimal(1)] * len(wells)
    return liquid, gas


def _split(units: int, weights: list[Decimal], keys: list[UUID]) -> list[int]:
    if units == 0:
        return [0] * len(weights)
    if units < 0:
        return [-part for part in split_units(-units, weights, keys=keys)]
    return split_units(units, weights, keys=keys)


def _per_well(dispositions: Sequence[Disposition], parts: list[list[int]], i: int) -> tuple[Disposition, ...]:
    return tuple(
        Disposition(d.code, share[i], d.authority, d.description)
        for d, share in zip(dispositions, parts, strict=True)
        if share[i] != 0
    )


def _remark_applies(remark: str, gas_dispositions: Sequence[Disposition]) -> bool:
    """A 10/11 authority remark (``10 AR``) goes on the wells that flared or vented; other remarks on all."""
    code = remark.split(" ", 1)[0]
    if code in ("10", "11") and len(remark) == 5:
        return any(d.code == code for d in gas_dispositions)
    return True


def _check_endings(lines: Sequence[GasWellLine], issue: IssueSink) -> None:
    for line in lines:
        if line.ending_stock < 0:
            issue(
                "warning",
                "gas-well-negative-stock",
                f"gas well {line.gas_well_id or format_api_number(line.api_number)}: its share of the condensate "
                f"comes to an ending stock of {fmt(line.ending_stock)} BBL; the wells' readings do not match "
                "where the condensate was disposed of. Check the wells' readings.",
                "wells",
            )
