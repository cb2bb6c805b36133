"""Arps modified hyperbolic decline: the model, its cumulative and EUR, a fit to daily history, forecasts.

Convention (stated once, used everywhere in WellFlow):

- ``DeclineParameters.di`` and ``DeclineParameters.dterm`` are NOMINAL annual declines (1/yr): the
  instantaneous ``-d ln q / dt`` at t = 0 (``di``) and at which the curve turns exponential (``dterm``).
  A year is 365.25 days, so the daily nominal decline is ``di / 365.25``.
- Rate: ``q = qi / (1 + b D t)^(1/b)`` (``q = qi e^(-D t)`` for b = 0; b = 1 is harmonic) while the
  instantaneous decline ``D / (1 + b D t)`` is above ``dterm``; exponential at ``dterm`` after. If ``di`` is
  already at or below ``dterm`` the whole curve is exponential at ``dterm`` (decline = max(hyperbolic, dterm)).
- Operators usually quote declines as effective percentages: ``Di`` as SECANT effective
  (``1 - q(1 yr) / qi``) and ``Dterm`` as TANGENT effective (``1 - e^(-dterm)``). That is petbox-dca's
  ``MH`` convention and the one that reproduces the worked check in docs/domain.md#decline-curves
  (qi 100 bbl/d, Di 70 %/yr, b 1.2, Dterm 8 %/yr, limit 2 bbl/d -> EUR 68,494 bbl);
  ``DeclineParameters.from_effective`` converts from it, and the ``di_secant_effective`` /
  ``dterm_tangent_effective`` properties convert back.

The model itself is petbox-dca's ``MH`` (rate and cumulative). The fit uses our own closed form of the same
curve in log space (it must also handle b = 0 and parameters petbox validates away mid-optimization); the
unit tests check that both agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from petbox import dca
from scipy.optimize import least_squares

from .errors import DeclineFitError

DAYS_PER_YEAR = 365.25
B_MAX = 2.0
DI_MAX = 20.0  # nominal 1/yr; a steeper initial decline is not a producing well's history
_B_EXPONENTIAL = 1e-6  # below this b the hyperbolic is exponential to float precision
_TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class DeclineParameters:
    """qi in units/day at t = 0; di and dterm nominal annual (1/yr); b dimensionless (0 to 2)."""

    qi: float
    di: float
    b: float
    dterm: float

    def __post_init__(self) -> None:
        for name in ("qi", "di", "b", "dterm"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"decline parameter {name} must be a finite number")
        if self.qi < 0:
            raise ValueError("decline parameter qi must not be negative")
        if self.di < 0 or self.dterm < 0:
            raise ValueError("decline rates di and dterm must not be negative")
        if not 0 <= self.b <= B_MAX:
            raise ValueError(f"decline exponent b must be between 0 and {B_MAX}")

    @classmethod
    def from_effective(cls, qi: float, di_secant: float, b: float, dterm_tangent: float) -> DeclineParameters:
        """Build from operator-quoted declines: Di secant effective, Dterm tangent effective (fractions per year)."""
        if not 0 < di_secant < 1 or not 0 <= dterm_tangent < 1:
            raise ValueError("effective declines are fractions per year between 0 and 1")
        di = -math.log1p(-di_secant) if b < _B_EXPONENTIAL else ((1 - di_secant) ** (-b) - 1) / b
        return cls(qi=qi, di=di, b=b, dterm=-math.log1p(-dterm_tangent))

    @property
    def di_secant_effective(self) -> float:
        """Di as operators quote it: the fraction of the rate lost in the first year of the hyperbolic."""
        if self.b < _B_EXPONENTIAL:
            return -math.expm1(-self.di)
        return float(1 - (1 + self.b * self.di) ** (-1 / self.b))

    @property
    def dterm_tangent_effective(self) -> float:
        """Dterm as operators quote it: the fraction lost per year once the curve is exponential."""
        return -math.expm1(-self.dterm)

    @property
    def switch_days(self) -> float:
        """Days from t = 0 until the decline falls to dterm (0 if it starts there, inf if never)."""
        return _switch_days(self.di / DAYS_PER_YEAR, self.b, self.dterm / DAYS_PER_YEAR)


def _switch_days(d: float, b: float, dt: float) -> float:
    if d <= dt:
        return 0.0
    if b < _B_EXPONENTIAL or dt <= 0:
        return math.inf
    return (d / dt - 1) / (b * d)


def _petbox_model(params: DeclineParameters) -> dca.MH | None:
    """petbox's MH for a truly hyperbolic curve above dterm; None when the curve is a plain exponential."""
    if params.b < _B_EXPONENTIAL or params.di <= params.dterm or params.qi == 0:
        return None
    d = params.di / DAYS_PER_YEAR
    di_secant = 1 - (1 + params.b * d * DAYS_PER_YEAR) ** (-1 / params.b)
    dterm_tangent = params.dterm_tangent_effective
    if dca.MH.nominal_from_secant(di_secant, params.b) <= dca.MH.nominal_from_tangent(dterm_tangent):
        return None  # di is dterm to within rounding: the curve is exponential at dterm (petbox would refuse it)
    return dca.MH(qi=params.qi, Di=di_secant, bi=params.b, Dterm=dterm_tangent)


def _exponential_decline_per_day(params: DeclineParameters) -> float:
    return max(params.di, params.dterm) / DAYS_PER_YEAR


def _as_days(t_days: np.ndarray | Sequence[float] | float) -> np.ndarray:
    t = np.asarray(t_days, dtype=np.float64)
    if np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("times must be finite days from t = 0, not negative")
    return t


def rate(params: DeclineParameters, t_days: np.ndarray | Sequence[float] | float) -> np.ndarray:
    """Rate (units/day) at ``t_days`` days after t = 0, in the shape of ``t_days``."""
    t = _as_days(t_days)
    model = _petbox_model(params)
    if model is None:
        return params.qi * np.exp(-_exponential_decline_per_day(params) * t)
    return np.asarray(model.rate(np.atleast_1d(t)), dtype=np.float64).reshape(t.shape)


def cumulative(params: DeclineParameters, t_days: np.ndarray | Sequence[float] | float) -> np.ndarray:
    """Cumulative volume (units) produced from t = 0 to ``t_days``, in the shape of ``t_days``."""
    t = _as_days(t_days)
    model = _petbox_model(params)
    if model is None:
        d = _exponential_decline_per_day(params)
        if d == 0:
            return params.qi * t
        return params.qi * -np.expm1(-d * t) / d
    return np.asarray(model.cum(np.atleast_1d(t)), dtype=np.float64).reshape(t.shape)


def days_to_limit(params: DeclineParameters, economic_limit: float) -> float:
    """Days from t = 0 until the rate falls to ``economic_limit`` (0 if it starts there, inf if never)."""
    if economic_limit <= 0:
        raise ValueError("the economic limit must be a positive rate")
    if params.qi <= economic_limit:
        return 0.0
    d = params.di / DAYS_PER_YEAR
    dt = params.dterm / DAYS_PER_YEAR
    t_switch = _switch_days(d, params.b, dt)
    if t_switch == 0.0:
        d_exp = _exponential_decline_per_day(params)
        return math.inf if d_exp == 0 else math.log(params.qi / economic_limit) / d_exp
    if params.b < _B_EXPONENTIAL:
        return math.log(params.qi / economic_limit) / d
    t_limit_hyperbolic = float(((params.qi / economic_limit) ** params.b - 1) / (params.b * d))
    if t_limit_hyperbolic <= t_switch:
        return t_limit_hyperbolic
    q_switch = params.qi * (1 + params.b * d * t_switch) ** (-1 / params.b)
    return t_switch + math.log(q_switch / economic_limit) / dt


def eur(params: DeclineParameters, economic_limit: float, *, max_years: float = 100) -> float:
    """Estimated ultimate recovery: cumulative from t = 0 until the rate falls to the limit (capped at max_years)."""
    t_end = min(days_to_limit(params, economic_limit), max_years * DAYS_PER_YEAR)
    if t_end <= 0:
        return 0.0
    return float(cumulative(params, np.array([t_end]))[0])


# --- fitting ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclineFit:
    """A fitted curve; t = 0 is ``t0``. ``rmse`` (units/day) and ``r_squared`` are on rates, not logs."""

    parameters: DeclineParameters
    rmse: float
    r_squared: float
    points: int
    t0: date


def _log_rate(x: np.ndarray, t: np.ndarray, dt: float) -> np.ndarray:
    """ln q of the modified hyperbolic, closed form; x = (ln qi, nominal di per year, b); dt per day."""
    log_qi, di, b = x
    d = di / DAYS_PER_YEAR
    if d <= dt:
        return np.asarray(log_qi - dt * t)
    if b < _B_EXPONENTIAL:
        return np.asarray(log_qi - d * t)
    t_switch = (d / dt - 1) / (b * d) if dt > 0 else math.inf
    hyperbolic: np.ndarray = np.asarray(log_qi - np.log1p(b * d * np.minimum(t, t_switch)) / b)
    if math.isinf(t_switch):
        return hyperbolic
    return np.asarray(hyperbolic - dt * np.maximum(t - t_switch, 0.0))


PEAK_WINDOW_DAYS = 90
_SMOOTHING_DAYS = 7


def _peak_index(values: np.ndarray) -> int:
    """Index of the peak among the first producing days, judged on a 7-point running median (noise-proof)."""
    window = values[:PEAK_WINDOW_DAYS]
    if len(window) < _SMOOTHING_DAYS:
        return int(np.argmax(window))
    half = _SMOOTHING_DAYS // 2
    padded = np.pad(window, half, mode="edge")
    smoothed = np.median(np.lib.stride_tricks.sliding_window_view(padded, _SMOOTHING_DAYS), axis=1)
    return int(np.argmax(smoothed))


def _producing_days(
    days: Sequence[date], rates: Sequence[Decimal], *, dterm: float, min_points: int
) -> list[tuple[date, float]]:
    """The (day, rate) pairs with production, by day; DeclineFitError when they cannot be fitted."""
    if len(days) != len(rates):
        raise DeclineFitError("days and rates must have the same length", field="rates")
    if not math.isfinite(dterm) or dterm < 0:
        raise DeclineFitError("the terminal decline dterm must be a non-negative number", field="dterm")
    pairs = sorted(
        (day, float(value)) for day, value in zip(days, rates, strict=True) if value is not None and value > 0
    )
    if len(pairs) < min_points:
        raise DeclineFitError(
            f"a decline fit needs at least {min_points} producing days; this history has {len(pairs)}",
            field="rates",
        )
    if len({day for day, _ in pairs}) != len(pairs):
        raise DeclineFitError("the history has two rates for the same day", field="days")
    return pairs


def fit_decline(
    days: Sequence[date], rates: Sequence[Decimal], *, dterm: float = 0.08, min_points: int = 30
) -> DeclineFit:
    """Fit qi, di and b (dterm given, nominal 1/yr) to a daily history, by least squares on ln(rate).

    Days with no production (rate <= 0 or None: downtime, no reading) are skipped so they do not drag the
    curve down. t = 0 is the peak: the highest day (on a 7-day running median) among the first 90
    producing days; the clean-up and ramp-up before it are dropped. Raises DeclineFitError with too few
    producing days after the peak, or when the optimizer does not converge.
    """
    pairs = _producing_days(days, rates, dterm=dterm, min_points=min_points)
    values = np.array([value for _, value in pairs], dtype=np.float64)
    peak = _peak_index(values)
    t0 = pairs[peak][0]
    values = values[peak:]
    t = np.array([(day - t0).days for day, _ in pairs[peak:]], dtype=np.float64)
    if len(values) < min_points:
        raise DeclineFitError(
            f"a decline fit needs at least {min_points} producing days from the peak on {t0}; "
            f"this history has {len(values)}",
            field="rates",
        )
    log_q = np.log(values)
    dt = dterm / DAYS_PER_YEAR
    di_low = dterm + 1e-6
    lower = np.array([log_q.min() - 5.0, di_low, 0.0])
    upper = np.array([log_q.max() + 5.0, DI_MAX, B_MAX])
    log_qi0 = float(np.log(np.median(values[: min(len(values), _SMOOTHING_DAYS)])))

    def residuals(x: np.ndarray) -> np.ndarray:
        return _log_rate(x, t, dt) - log_q

    best = None
    for b0 in (0.3, 1.0, 1.7):
        for di0 in (max(0.3, di_low * 2), 2.0):
            x0 = np.clip(np.array([log_qi0, di0, b0]), lower + 1e-9, upper - 1e-9)
            try:
                result = least_squares(residuals, x0, bounds=(lower, upper), method="trf", x_scale="jac")
            except (ValueError, FloatingPointError) as exc:  # pragma: no cover - defensive
                raise DeclineFitError(f"the decline fit failed: {exc}", field="rates") from exc
            if result.success and np.isfinite(result.cost) and (best is None or result.cost < best.cost):
                best = result
    if best is None:
        raise DeclineFitError("the decline fit did not converge for this history", field="rates")
    log_qi, di, b = (float(v) for v in best.x)
    params = DeclineParameters(qi=math.exp(log_qi), di=di, b=b, dterm=dterm)
    fitted = np.exp(_log_rate(best.x, t, dt))
    rmse = float(np.sqrt(np.mean((fitted - values) ** 2)))
    spread = float(np.sum((values - values.mean()) ** 2))
    r_squared = 1.0 - float(np.sum((fitted - values) ** 2)) / spread if spread > 0 else 1.0
    return DeclineFit(parameters=params, rmse=rmse, r_squared=r_squared, points=len(values), t0=t0)


def _to_decimal(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def forecast(fit: DeclineFit, start: date, days: int) -> list[tuple[date, Decimal]]:
    """Daily forecast rates from ``start`` for ``days`` days, rounded to 0.01; days before t0 are refused."""
    if days < 0:
        raise ValueError("the number of forecast days must not be negative")
    if start < fit.t0:
        raise ValueError(f"a forecast starts on or after the fit's first day {fit.t0}")
    offset = (start - fit.t0).days
    values = rate(fit.parameters, np.arange(offset, offset + days, dtype=np.float64))
    return [(start + timedelta(days=i), _to_decimal(v)) for i, v in enumerate(values)]


def remaining_reserves(fit: DeclineFit, as_of: date, economic_limit: float | Decimal) -> Decimal:
    """Volume still to produce after ``as_of`` until the rate falls to the economic limit (0.01 units)."""
    limit = float(economic_limit)
    t_as_of = max((as_of - fit.t0).days, 0)
    t_end = days_to_limit(fit.parameters, limit)
    t_end = min(t_end, t_as_of + 100 * DAYS_PER_YEAR)
    if t_end <= t_as_of:
        return Decimal("0.00")
    cum = cumulative(fit.parameters, np.array([float(t_as_of), t_end]))
    return _to_decimal(max(cum[1] - cum[0], 0.0))
