"""Tank gauging and run tickets: gauge to inches, strapping tables to barrels, net barrels at 60 F, stock.

Strapping tables follow the wells service's rules (services/wells domain/strapping.py; re-implemented
here because services never import each other): rows of (level in inches, barrels), starting at level 0,
levels strictly increasing, barrels never decreasing nor negative; a level between rows is interpolated on
the straight line and rounded half up to 0.01 bbl; a level above the last row is an overfull gauge.

Net volume of a run ticket (API MPMS Chapter 11.1-2004 / ASTM D1250-04, generalized crude oils, Tables
5A/6A, at atmospheric pressure so CPL = 1):

- observed API gravity -> observed density ``rho = 141.5 * 999.016 / (API + 131.5)`` kg/m3 (water at 60 F);
- CTL (Table 6A): the temperature is converted from ITS-90 to the IPTS-68 basis of the correlation
  (11.1.5.3, coefficients a1..a8), the density at 60 F is shifted by delta60 = 0.01374979547 F to ``rho*``,
  ``alpha60 = (K0 / rho* + K1) / rho* + K2`` with the crude-oil constants K0 = 341.0957, K1 = 0, K2 = 0, and
  ``CTL = exp(-alpha60 dT (1 + 0.8 alpha60 (dT + delta60)))`` with ``dT = T* - 60.0068749``. Without the
  two 2004 shifts this is the 1980 equation ``exp(-alpha60 dT (1 + 0.8 alpha60 dT))``; the two agree to
  about one unit of the 5th decimal (tested);
- Table 5A: the density at 60 F solves ``rho_obs = rho60 * CTL(rho60, T)`` (iterated to 1e-9 kg/m3). A
  reading taken with a glass hydrometer (calibrated at 60 F) is first corrected for the thermal expansion of
  the glass, as 11.1-2004 does for Table 5A: ``rho_obs x (1 - 0.00001278 dt - 0.0000000062 dt^2)`` with
  ``dt = T - 60`` F (``hydrometer_correction``; no effect at 60 F). We could not read the standard's own text:
  the coefficients are those of public implementations of 11.1-2004 (a secondary source), so the correction
  is an explicit option (``glass_hydrometer``): off for a density meter or a reading already corrected;
- CTL rounded to 5 decimals, API gravity at 60 F to 0.1; net = gross x CTL x (1 - BS&W / 100) to 0.01 bbl.
  Inputs are used as given (the standard expects API and temperature to 0.1).

Tank stock (``tank_volume``) uses the same functions: the gauge's gross barrels x the CTL at the tank's
temperature for the oil's gravity at 60 F, less the BS&W when sampled. A run ticket's two gauges are each
corrected at their own tank temperature (``run_ticket_volume``): net = (opening gross x CTL(opening) - closing
gross x CTL(closing)) x (1 - BS&W / 100), so a ticket takes from stock exactly what the two gauges' nets differ
by (to the rounding of each to 0.01 bbl).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from .errors import GaugeError

BARRELS = Decimal("0.01")
CTL_PLACES = Decimal("0.00001")
API_PLACES = Decimal("0.1")

# API MPMS Chapter 11.1-2004 / ASTM D1250-04, generalized crude oil (Tables 5A/6A) [A]
CRUDE_K0 = 341.0957
CRUDE_K1 = 0.0
CRUDE_K2 = 0.0
WATER_DENSITY_60F = 999.016  # kg/m3
DELTA_60_F = 0.01374979547  # the 60 F base on IPTS-68 vs ITS-90
SHIFTED_BASE_F = 60.0068749
ITS90_TO_IPTS68 = (-0.148759, -0.267408, 1.080760, 1.269056, -4.089591, -1.871251, 7.438081, -3.536296)
API_GRAVITY_RANGE = (Decimal(0), Decimal(100))
TEMPERATURE_RANGE_F = (Decimal(-58), Decimal(302))
BASE_TEMPERATURE_F = 60.0
# Glass hydrometer correction (API MPMS 11.1-2004, for Table 5A readings; soda-lime glass calibrated at 60 F)
HYDROMETER_GLASS_A = 0.00001278
HYDROMETER_GLASS_B = 0.0000000062


def gauge_inches(feet: int, inches: int, quarters: int) -> Decimal:
    """A gauge written as feet, inches and quarter-inches, as total inches (quarters exact)."""
    for name, value in (("feet", feet), ("inches", inches), ("quarters", quarters)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise GaugeError(f"{name} must be a whole number", field=name)
    if feet < 0:
        raise GaugeError("feet must not be negative", field="feet")
    if not 0 <= inches < 12:
        raise GaugeError("inches must be 0 to 11", field="inches")
    if not 0 <= quarters < 4:
        raise GaugeError("quarter-inches must be 0 to 3", field="quarters")
    return Decimal(feet * 12 + inches) + Decimal(quarters) / 4


def check_strapping(strapping: Sequence[tuple[Decimal, Decimal]]) -> tuple[tuple[Decimal, Decimal], ...]:
    """Validate a strapping table as the wells service does and return it as a tuple of Decimal rows."""
    table = tuple((Decimal(str(level)), Decimal(str(bbl))) for level, bbl in strapping)
    if len(table) < 2:
        raise GaugeError("a strapping table needs at least two rows", field="strapping")
    if table[0][0] != 0:
        raise GaugeError("a strapping table starts at level 0", field="strapping")
    for (level_a, bbl_a), (level_b, bbl_b) in pairwise(table):
        if level_b <= level_a:
            raise GaugeError("strapping levels must increase row by row", field="strapping")
        if bbl_b < bbl_a or bbl_a < 0:
            raise GaugeError("strapping volumes must not decrease or be negative", field="strapping")
    return table


def barrels_at(strapping: Sequence[tuple[Decimal, Decimal]], level_inches: Decimal) -> Decimal:
    """Barrels in the tank at ``level_inches``, interpolated in the strapping table, to 0.01 bbl."""
    table = check_strapping(strapping)
    if not isinstance(level_inches, Decimal) or not level_inches.is_finite():
        raise GaugeError("the gauge level must be a finite Decimal number of inches", field="level")
    if level_inches < 0:
        raise GaugeError("the gauge level must not be negative", field="feet")
    top = table[-1][0]
    if level_inches > top:
        raise GaugeError(f"gauge {level_inches} in is above the top of the strapping table ({top} in)", field="feet")
    for (level_a, bbl_a), (level_b, bbl_b) in pairwise(table):
        if level_a <= level_inches <= level_b:
            # multiply before dividing so exact cases stay exact
            volume = bbl_a + (bbl_b - bbl_a) * (level_inches - level_a) / (level_b - level_a)
            return volume.quantize(BARRELS, rounding=ROUND_HALF_UP)
    raise AssertionError("unreachable: the level lies within the table")  # pragma: no cover


@dataclass(frozen=True)
class RunTicketVolume:
    """Gross observed barrels, gravity corrected to 60 F, the CTL factor, and net standard barrels."""

    gross_bbl: Decimal
    api_gravity_60: Decimal
    ctl: Decimal
    net_bbl: Decimal
    gross_standard_bbl: Decimal  # gross x CTL, before BS&W comes off


def _require_range(value: Decimal, low: Decimal, high: Decimal, name: str, unit: str) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise GaugeError(f"{name} must be a finite Decimal", field=name)
    if not low <= value <= high:
        raise GaugeError(f"{name} {value} {unit} is outside {low} to {high} {unit}", field=name)


def density_from_api(api_gravity: float) -> float:
    """kg/m3 at the same temperature as the gravity."""
    return 141.5 * WATER_DENSITY_60F / (api_gravity + 131.5)


def api_from_density(density: float) -> float:
    return 141.5 * WATER_DENSITY_60F / density - 131.5


def ipts68_fahrenheit(temperature_f: float) -> float:
    """11.1.5.3: a temperature on the ITS-90 scale expressed on the IPTS-68 scale the correlation was built on."""
    celsius = (temperature_f - 32) / 1.8
    tau = celsius / 630
    shift = 0.0
    for coefficient in reversed(ITS90_TO_IPTS68):
        shift = (shift + coefficient) * tau
    return 1.8 * (celsius - shift) + 32


def crude_ctl(density_60: float, temperature_f: float) -> float:
    """Table 6A (11.1-2004): the volume at ``temperature_f`` times CTL is the volume at 60 F (unrounded)."""
    k0, k1, k2 = CRUDE_K0, CRUDE_K1, CRUDE_K2
    a = DELTA_60_F / 2 * ((k0 / density_60 + k1) / density_60 + k2)
    b = (2 * k0 + k1 * density_60) / (k0 + (k1 + k2 * density_60) * density_60)
    shifted = density_60 * (1 + (math.exp(a * (1 + 0.8 * a)) - 1) / (1 + a * (1 + 1.6 * a) * b))
    alpha = (k0 / shifted + k1) / shifted + k2
    delta = ipts68_fahrenheit(temperature_f) - SHIFTED_BASE_F
    return math.exp(-alpha * delta * (1 + 0.8 * alpha * (delta + DELTA_60_F)))


def crude_ctl_1980(density_60: float, temperature_f: float) -> float:
    """The 1980 form of Table 6A (no temperature-scale shifts), kept as a cross-check of ``crude_ctl``."""
    alpha = CRUDE_K0 / density_60**2 + CRUDE_K1 / density_60
    delta = temperature_f - BASE_TEMPERATURE_F
    return math.exp(-alpha * delta * (1 + 0.8 * alpha * delta))


def density_at_60(observed_density: float, temperature_f: float) -> float:
    """Table 5A: the density at 60 F that the observed density at ``temperature_f`` corresponds to."""
    density = observed_density
    for _ in range(100):
        following = observed_density / crude_ctl(density, temperature_f)
        if abs(following - density) < 1e-9:
            return following
        density = following
    raise GaugeError(
        "the gravity correction to 60 F did not converge", field="observed_gravity_api"
    )  # pragma: no cover


def hydrometer_correction(temperature_f: float) -> float:
    """The factor on a glass hydrometer's density reading at ``temperature_f`` for the glass's expansion."""
    dt = temperature_f - BASE_TEMPERATURE_F
    return 1 - HYDROMETER_GLASS_A * dt - HYDROMETER_GLASS_B * dt * dt


def _rho60(observed_gravity_api: Decimal, observed_temperature_f: Decimal, glass_hydrometer: bool) -> float:
    _require_range(observed_gravity_api, *API_GRAVITY_RANGE, "observed_gravity_api", "API")
    _require_range(observed_temperature_f, *TEMPERATURE_RANGE_F, "observed_temperature_f", "F")
    temperature = float(observed_temperature_f)
    observed = density_from_api(float(observed_gravity_api))
    if glass_hydrometer:
        observed *= hydrometer_correction(temperature)
    return density_at_60(observed, temperature)


def _api(rho60: float) -> Decimal:
    return Decimal(repr(api_from_density(rho60))).quantize(API_PLACES, rounding=ROUND_HALF_UP)


def api_gravity_at_60(
    observed_gravity_api: Decimal, observed_temperature_f: Decimal, *, glass_hydrometer: bool = False
) -> Decimal:
    """Table 5A: observed API gravity at the observed temperature, corrected to 60 F, to 0.1 API
    (``glass_hydrometer``: the reading is a glass hydrometer's, corrected for the glass first)."""
    return _api(_rho60(observed_gravity_api, observed_temperature_f, glass_hydrometer))


def ctl_at(api_gravity_60: Decimal, temperature_f: Decimal, field: str = "temperature_f") -> Decimal:
    """Table 6A's CTL, to 5 decimals, for oil of ``api_gravity_60`` (at 60 F) at ``temperature_f``."""
    _require_range(api_gravity_60, *API_GRAVITY_RANGE, "api_gravity_60", "API")
    _require_range(temperature_f, *TEMPERATURE_RANGE_F, field, "F")
    ctl = crude_ctl(density_from_api(float(api_gravity_60)), float(temperature_f))
    return Decimal(repr(ctl)).quantize(CTL_PLACES, rounding=ROUND_HALF_UP)


def _bsw_factor(bsw_percent: Decimal | None) -> Decimal:
    if bsw_percent is None:
        return Decimal(1)
    _require_range(bsw_percent, Decimal(0), Decimal(100), "bsw_percent", "%")
    return 1 - bsw_percent / 100


@dataclass(frozen=True)
class TankVolume:
    """A tank's contents at one gauge: gross observed barrels, the CTL (None: not corrected) and net barrels."""

    gross_bbl: Decimal
    ctl: Decimal | None
    net_bbl: Decimal


def tank_volume(
    gross_bbl: Decimal, api_gravity_60: Decimal | None, temperature_f: Decimal | None, bsw_percent: Decimal | None
) -> TankVolume:
    """Net standard barrels in a tank: gross x CTL(gravity at 60 F, tank temperature) x (1 - BS&W / 100).

    Without a temperature or a gravity there is no CTL: the net is gross (less BS&W when sampled), marked
    uncorrected by ``ctl`` None; the caller records why."""
    if not isinstance(gross_bbl, Decimal) or not gross_bbl.is_finite() or gross_bbl < 0:
        raise GaugeError("gross barrels must be a Decimal, not negative", field="gross_bbl")
    factor = _bsw_factor(bsw_percent)
    ctl = None if api_gravity_60 is None or temperature_f is None else ctl_at(api_gravity_60, temperature_f)
    net = gross_bbl * (ctl if ctl is not None else Decimal(1)) * factor
    return TankVolume(gross_bbl, ctl, net.quantize(BARRELS, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class TicketVolume:
    """A run ticket measured from its two gauges, each corrected at its own tank temperature."""

    gross_bbl: Decimal
    api_gravity_60: Decimal
    ctl_opening: Decimal
    ctl_closing: Decimal
    ctl: Decimal  # the ticket's effective CTL: gross standard / gross (= both CTLs when they are equal)
    gross_standard_bbl: Decimal
    net_bbl: Decimal


def run_ticket_volume(
    opening_bbl: Decimal,
    closing_bbl: Decimal,
    sample: tuple[Decimal, Decimal],
    tank_temperatures_f: tuple[Decimal, Decimal],
    bsw_percent: Decimal,
    *,
    glass_hydrometer: bool = False,
) -> TicketVolume:
    """Net barrels at 60 F a ticket took: (opening x CTL(opening) - closing x CTL(closing)) x (1 - BS&W / 100).

    ``sample`` is the observed gravity and the sample's temperature (Table 5A gives the gravity at 60 F);
    ``tank_temperatures_f`` the tank's temperature at the opening and the closing gauge."""
    for name, value in (("opening_bbl", opening_bbl), ("closing_bbl", closing_bbl)):
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            raise GaugeError("gross barrels must be a Decimal, not negative", field=name)
    if closing_bbl > opening_bbl:
        raise GaugeError("the closing gauge is above the opening gauge", field="closing_gauge")
    rho60 = _rho60(sample[0], sample[1], glass_hydrometer)
    api60 = _api(rho60)
    factor = _bsw_factor(bsw_percent)
    opening_t, closing_t = tank_temperatures_f
    _require_range(opening_t, *TEMPERATURE_RANGE_F, "opening_temperature_f", "F")
    _require_range(closing_t, *TEMPERATURE_RANGE_F, "closing_temperature_f", "F")
    ctl_open, ctl_close = (
        Decimal(repr(crude_ctl(rho60, float(t)))).quantize(CTL_PLACES, rounding=ROUND_HALF_UP)
        for t in (opening_t, closing_t)
    )
    gross = opening_bbl - closing_bbl
    gross_standard = opening_bbl * ctl_open - closing_bbl * ctl_close
    effective = (gross_standard / gross).quantize(CTL_PLACES, rounding=ROUND_HALF_UP) if gross else ctl_open
    return TicketVolume(
        gross_bbl=gross,
        api_gravity_60=api60,
        ctl_opening=ctl_open,
        ctl_closing=ctl_close,
        ctl=effective,
        gross_standard_bbl=gross_standard.quantize(BARRELS, rounding=ROUND_HALF_UP),
        net_bbl=(gross_standard * factor).quantize(BARRELS, rounding=ROUND_HALF_UP),
    )


def net_standard_volume(
    gross_bbl: Decimal, observed_gravity_api: Decimal, observed_temperature_f: Decimal, bsw_percent: Decimal
) -> RunTicketVolume:
    """Net barrels at 60 F of a run ticket: gross x CTL x (1 - BS&W / 100), to 0.01 bbl."""
    if not isinstance(gross_bbl, Decimal) or not gross_bbl.is_finite() or gross_bbl < 0:
        raise GaugeError("gross barrels must be a Decimal, not negative", field="gross_bbl")
    _require_range(observed_gravity_api, *API_GRAVITY_RANGE, "observed_gravity_api", "API")
    _require_range(observed_temperature_f, *TEMPERATURE_RANGE_F, "observed_temperature_f", "F")
    _require_range(bsw_percent, Decimal(0), Decimal(100), "bsw_percent", "%")
    temperature = float(observed_temperature_f)
    rho60 = density_at_60(density_from_api(float(observed_gravity_api)), temperature)
    api60 = Decimal(repr(api_from_density(rho60))).quantize(API_PLACES, rounding=ROUND_HALF_UP)
    ctl = Decimal(repr(crude_ctl(rho60, temperature))).quantize(CTL_PLACES, rounding=ROUND_HALF_UP)
    gross_standard = gross_bbl * ctl
    net = gross_standard * (1 - bsw_percent / 100)
    return RunTicketVolume(
        gross_bbl=gross_bbl,
        api_gravity_60=api60,
        ctl=ctl,
        net_bbl=net.quantize(BARRELS, rounding=ROUND_HALF_UP),
        gross_standard_bbl=gross_standard.quantize(BARRELS, rounding=ROUND_HALF_UP),
    )


def month_stock(beginning_bbl: Decimal, production_bbl: Decimal, disposed_bbl: Decimal) -> Decimal:
    """Ending stock of a lease-month: beginning + production - disposed (Form PR's liquid balance)."""
    return beginning_bbl + production_bbl - disposed_bbl


def implies_negative_stock(beginning_bbl: Decimal, production_bbl: Decimal, disposed_bbl: Decimal) -> bool:
    """True when more left the tanks than was there plus what was produced: a reading or ticket is wrong."""
    return month_stock(beginning_bbl, production_bbl, disposed_bbl) < 0
