"""Decline forecasts per well: fit an Arps modified hyperbolic to the well's daily history (domain.decline)
and answer its parameters, the fit's error, a forecast series and the EUR to the economic limit.

The history's daily rate is the day's volume over the hours the well was on (volume x 24 / hours on), so
a half-day of downtime does not look like decline; days with no hours or no volume are left out.
The fit runs in a worker thread: scipy's optimizer would otherwise hold the event loop for its duration.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal
from uuid import UUID

from wellflow_servicekit.errors import NotFound, UnprocessableContent
from wellflow_servicekit.kernel import Actor, jsonable

from ..domain.decline import eur, fit_decline, forecast, remaining_reserves
from ..domain.errors import DeclineFitError
from .common import Production
from .organization import load_settings

Product = Literal["oil", "gas"]


def _dec(value: float, places: str = "0.01") -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _fit(points: list[tuple[Any, Any]], days: int, limit: Decimal) -> dict[str, Any]:
    """The fitted decline, its error, the forecast after the last day and the reserves (in a worker thread)."""
    fit = fit_decline([d for d, _ in points], [r for _, r in points])
    last_day = points[-1][0]
    series = forecast(fit, last_day + timedelta(days=1), days)
    p = fit.parameters
    return {
        "t0": fit.t0,
        "qi": _dec(p.qi),
        "di": _dec(p.di, "0.0001"),
        "b": _dec(p.b, "0.0001"),
        "dterm": _dec(p.dterm, "0.0001"),
        "di_secant_effective": _dec(p.di_secant_effective, "0.0001"),
        "dterm_tangent_effective": _dec(p.dterm_tangent_effective, "0.0001"),
        "rmse": _dec(fit.rmse, "0.001"),
        "r_squared": _dec(fit.r_squared, "0.0001"),
        "points": fit.points,
        "eur": _dec(eur(p, float(limit))),
        "remaining": remaining_reserves(fit, last_day, limit),
        "forecast": [{"day": day, "rate": value} for day, value in series],
    }


async def well_forecast(
    production: Production,
    actor: Actor,
    well_id: UUID,
    *,
    product: Product,
    days: int,
    economic_limit: Decimal | None,
) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        well = await uow.series.well(well_id)
        if well is None:
            raise NotFound(f"No well {well_id}.")
        history = await uow.series.well_history(well_id, product)
        settings = await load_settings(uow)
    limit = (
        economic_limit
        if economic_limit is not None
        else (settings.economic_limit_oil_bbl_per_day if product == "oil" else settings.economic_limit_gas_mcf_per_day)
    )
    points = [(day, volume * 24 / hours) for day, volume, hours in history if hours and hours > 0 and volume > 0]
    cumulative = sum((volume for _, volume, _ in history), Decimal(0))
    if not points:
        raise UnprocessableContent(
            f"Well {well_id} has no {product} production to fit a decline to.", slug="decline-fit-failed"
        )

    try:
        result = await asyncio.to_thread(_fit, points, days, limit)
    except DeclineFitError as exc:
        raise UnprocessableContent(
            exc.message, slug="decline-fit-failed", errors=[{"field": "history", "message": exc.message}]
        ) from None
    unit = "bbl" if product == "oil" else "mcf"
    return jsonable(
        {
            "well_id": well_id,
            "api_number": well["api_number"],
            "product": product,
            "unit": f"{unit}/day",
            "model": "arps_modified_hyperbolic",
            "decline_convention": "nominal decline per year (Di, Dterm); t = 0 at the peak day (t0)",
            "parameters": {
                k: result[k] for k in ("qi", "di", "b", "dterm", "di_secant_effective", "dterm_tangent_effective")
            },
            "t0": result["t0"],
            "fit": {k: result[k] for k in ("rmse", "r_squared", "points")},
            "economic_limit": limit,
            "eur": result["eur"],
            "cumulative_to_date": cumulative,
            "remaining_reserves": result["remaining"],
            "forecast": result["forecast"],
        }
    )
