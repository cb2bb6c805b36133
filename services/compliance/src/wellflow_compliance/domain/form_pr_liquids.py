"""A Form PR line's oil or condensate: the dispositions by code, production and ending stock by the inventory
method (net standard barrels, gauged at month end) or, without month-end gauges, by the readings; the checks on
them. The method and its rounding are in ``form_pr``'s docstring."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from wellflow_texas.apportion import largest_remainder
from wellflow_texas.form_pr import H8_THRESHOLD_BBL, LIQUID_DISPOSITION_CODES

from .form_pr import VARIANCE_MINIMUM_BBL, VARIANCE_PERCENT, Disposition, LeaseMonth, fmt, whole

IssueSink = Callable[..., None]


def _liquid_dispositions(liquid_by_code: dict[str, Decimal], liquid_label: str, issue: IssueSink) -> list[Disposition]:
    """Each code's whole barrels, with the code, sign and Form H-8 checks (a code adding up to 0 is left out)."""
    liquid_dispositions: list[Disposition] = []
    for code in sorted(liquid_by_code):
        volume = whole(liquid_by_code[code])
        if code not in LIQUID_DISPOSITION_CODES:
            issue(
                "error",
                "unknown-disposition-code",
                f"{liquid_label} disposition code {code!r} is not a Form PR code (00-09).",
                "liquid_dispositions",
            )
        if volume < 0:
            issue(
                "error",
                "negative-disposition",
                f"{liquid_label} disposition {code} adds up to {fmt(volume)} BBL; adjustments took back more "
                "than was recorded.",
                "liquid_dispositions",
            )
        if volume == 0:
            continue
        if code == "05" and volume >= H8_THRESHOLD_BBL:
            issue(
                "warning",
                "h8-required",
                f"{fmt(volume)} BBL lost (code 05): a loss of {H8_THRESHOLD_BBL} BBL or more needs Form H-8.",
                "liquid_dispositions",
            )
        liquid_dispositions.append(Disposition(code, volume, None, LIQUID_DISPOSITION_CODES.get(code, "")))
    return liquid_dispositions


def _foot_at_zero(liquid_by_code: dict[str, Decimal], target: int) -> list[Disposition] | None:
    """The dispositions rounded together to ``target`` whole barrels (largest remainder), when each code can
    stay within a barrel of its measured value; None when it cannot (the shortfall is not rounding)."""
    codes = sorted(code for code, bbl in liquid_by_code.items() if bbl != 0)
    values = [liquid_by_code[code] for code in codes]
    floor = sum(math.floor(v) for v in values)
    ceiling = sum(math.ceil(v) for v in values)
    if any(v < 0 for v in values) or not floor <= target <= ceiling:
        return None
    parts = largest_remainder(values, target)
    return [
        Disposition(code, volume, None, LIQUID_DISPOSITION_CODES.get(code, ""))
        for code, volume in zip(codes, parts, strict=True)
        if volume != 0
    ]


def _within_a_barrel(month: LeaseMonth, beginning: int, liquid_by_code: dict[str, Decimal]) -> bool:
    """The measured (unrounded) production is not below zero by more than rounding can explain."""
    assert month.ending_stock_bbl is not None
    measured = month.ending_stock_bbl - Decimal(beginning) + sum(liquid_by_code.values(), Decimal(0))
    return measured > -1


def _measured_variance(readings: Decimal, production: int, liquid_label: str, issue: IssueSink) -> Decimal:
    """Readings - gauge-derived production, with a warning above the tolerance (form_pr.VARIANCE_*)."""
    variance = readings - production
    limit = max(VARIANCE_MINIMUM_BBL, Decimal(production) * VARIANCE_PERCENT / 100)
    if abs(variance) > limit:
        issue(
            "warning",
            "measured-variance",
            f"the pumpers' readings total {fmt(readings)} BBL of {liquid_label}, but the tank gauges and run "
            f"tickets show {fmt(production)} BBL produced ({fmt(variance)} BBL difference, more than "
            f"{fmt(limit.quantize(Decimal('0.1')))} BBL). The report uses the measured production; check the "
            "readings, the gauges and the tickets.",
            "liquid_production",
        )
    return variance


def _flag_uncorrected(month: LeaseMonth, liquid_label: str, issue: IssueSink) -> None:
    if month.uncorrected_gauges:
        issue(
            "warning",
            "stock-not-corrected",
            f"{liquid_label} stock includes gauges not corrected to 60 F (their gross barrels are used): "
            f"{'; '.join(month.uncorrected_gauges)}. Record the tank's temperature with each gauge.",
            "ending_stock",
        )


def _check_run_tickets(month: LeaseMonth | None, run_ticket_bbl: dict[str, Decimal], issue: IssueSink) -> None:
    for code, bbl in sorted(run_ticket_bbl.items()):
        recorded = month_code_total(month, code)
        if whole(bbl) != whole(recorded):
            issue(
                "warning",
                "run-tickets-differ",
                f"run tickets with code {code} total {fmt(whole(bbl))} BBL but production's lease totals show "
                f"{fmt(whole(recorded))} BBL; production may not have recomputed the month yet.",
                "liquid_dispositions",
            )


@dataclass(frozen=True, slots=True)
class Liquids:
    """The line's oil or condensate: how production was measured, and the readings' variance from it."""

    dispositions: list[Disposition]
    production: int
    ending: int
    basis: Literal["gauged", "readings"]
    readings: Decimal | None
    variance: Decimal | None


def liquids_of(
    month: LeaseMonth | None,
    beginning: int,
    liquid_by_code: dict[str, Decimal],
    run_ticket_bbl: dict[str, Decimal] | None,
    liquid_label: str,
    issue: IssueSink,
) -> Liquids:
    """Oil or condensate by the inventory method when the tanks were gauged at month end, else by the readings
    (form_pr's docstring)."""
    dispositions = _liquid_dispositions(liquid_by_code, liquid_label, issue)
    if run_ticket_bbl:
        _check_run_tickets(month, run_ticket_bbl, issue)
    if month is not None and month.month_end_gauged and month.ending_stock_bbl is not None:
        _flag_uncorrected(month, liquid_label, issue)
        return _from_inventory(month, beginning, liquid_by_code, dispositions, liquid_label, issue)
    return _from_readings(month, beginning, dispositions, liquid_label, issue)


def _from_inventory(
    month: LeaseMonth,
    beginning: int,
    liquid_by_code: dict[str, Decimal],
    dispositions: list[Disposition],
    liquid_label: str,
    issue: IssueSink,
) -> Liquids:
    """Ending stock = the gauged net stock, whole; production = ending - beginning + dispositions."""
    assert month.ending_stock_bbl is not None
    ending = whole(month.ending_stock_bbl)
    disposed = sum(d.volume for d in dispositions)
    production = ending - beginning + disposed
    if production < 0:
        footed = _foot_at_zero(liquid_by_code, beginning - ending)
        if footed is not None:
            dispositions, production = footed, 0
        elif production == -1 and _within_a_barrel(month, beginning, liquid_by_code):
            # nothing produced and stock moved across a half barrel: whole numbers cannot show both the
            # gauged stock and a production of at least 0; the stock is carried (under a barrel off the tanks)
            production, ending = 0, ending + 1
            issue(
                "warning",
                "stock-rounded",
                f"nothing was produced and the tanks' {liquid_label} stock of "
                f"{fmt(month.ending_stock_bbl)} BBL rounds to a barrel less than last month's reported stock; "
                f"ending stock is reported as {fmt(ending)} BBL (under a barrel from the tanks) so production "
                "is not negative.",
                "ending_stock",
            )
        else:
            issue(
                "error",
                "negative-production",
                f"{liquid_label}: the tanks were gauged at {fmt(ending)} BBL at month end, but beginning stock "
                f"{fmt(beginning)} - dispositions {fmt(disposed)} leaves only {fmt(beginning - disposed)} BBL, so "
                f"the month would have produced {fmt(production)} BBL. A run ticket or a tank gauge is wrong; "
                "correct it in production.",
                "liquid_production",
            )
            return Liquids(dispositions, production, ending, "gauged", month.liquid_bbl, None)
    variance = _measured_variance(month.liquid_bbl, production, liquid_label, issue)
    return Liquids(dispositions, production, ending, "gauged", month.liquid_bbl, variance)


def _from_readings(
    month: LeaseMonth | None, beginning: int, dispositions: list[Disposition], liquid_label: str, issue: IssueSink
) -> Liquids:
    """No month-end gauge: production = the readings, whole; ending stock derived (flagged)."""
    readings = month.liquid_bbl if month else Decimal("0")
    production = whole(readings)
    disposed = sum(d.volume for d in dispositions)
    ending = beginning + production - disposed
    if ending < 0:
        issue(
            "error",
            "negative-ending-stock",
            f"{liquid_label} does not balance: beginning stock {fmt(beginning)} + production "
            f"{fmt(production)} - dispositions {fmt(disposed)} = {fmt(ending)} BBL; more was "
            "disposed of than was on hand. Check the run tickets and readings.",
            "ending_stock",
        )
    if month is not None and (readings or dispositions or beginning or month.ending_stock_bbl is not None):
        issue(
            "warning",
            "no-month-end-gauge",
            f"not every {liquid_label} tank was gauged on the month's last day, so production is the pumpers' "
            f"readings ({fmt(production)} BBL) and ending stock ({fmt(ending)} BBL) is derived, not measured. "
            "Gauge each tank at month end, with its temperature.",
            "ending_stock",
        )
    return Liquids(dispositions, production, ending, "readings", month.liquid_bbl if month else None, None)


def month_code_total(month: LeaseMonth | None, code: str) -> Decimal:
    if month is None:
        return Decimal("0")
    return sum((bbl for c, bbl in month.liquid_dispositions if c == code), Decimal("0"))
