"""Texas severance (production) taxes and regulatory fees.

Sources (Texas Comptroller, "Crude Oil Production Tax" and "Natural Gas Production Tax" pages; statutes):

- Crude oil, Tax Code 202.052: the greater of 4.6% of market value or 4.6 cents per barrel. Enhanced oil
  recovery projects (202.054): 2.3%. Oil-field cleanup regulatory fee, Natural Resources Code 81.111:
  5/8 cent ($0.00625) per barrel; no exemption reduces it. Due the 25th of the month after production.
- Natural gas, Tax Code 201.052: 7.5% of market value, market value = gross receipts less the producer's
  actual marketing costs (201.101: compressing, dehydrating, sweetening, delivering). Regulatory fee,
  Natural Resources Code 81.117: 1/15 cent ($0.000667) per MCF. Due the 20th of the second month.
- Condensate is a liquid hydrocarbon taxed under the crude oil chapter (202): 4.6% (with the same per-barrel
  floor and cleanup fee).

Rounding (Comptroller instructions): barrels are rounded up to whole barrels; dollar amounts to cents, half up.
MCF are reported to the whole MCF, also rounded up (stated choice: the Comptroller's gas report takes whole
MCF; rounding up matches the oil rule and never under-reports).

Reliefs (the low-producing credits, high-cost gas, the inactive-well exemption) change the rate for a lease
and period; they are data with effective dates, applied by the caller through ``rate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Literal

OIL_RATE = Decimal("0.046")  # Tax Code 202.052(a)
OIL_MINIMUM_PER_BBL = Decimal("0.046")  # Tax Code 202.052(a): 4.6 cents per barrel when greater
ENHANCED_RECOVERY_OIL_RATE = Decimal("0.023")  # Tax Code 202.054
OIL_CLEANUP_FEE_PER_BBL = Decimal("0.00625")  # Natural Resources Code 81.111: 5/8 cent per barrel
GAS_RATE = Decimal("0.075")  # Tax Code 201.052(a)
GAS_REGULATORY_FEE_PER_MCF = Decimal("0.000667")  # Natural Resources Code 81.117: 1/15 cent per MCF
CONDENSATE_RATE = Decimal("0.046")  # Tax Code 202.052(a); condensate is taxed as oil

CENT = Decimal("0.01")
WHOLE = Decimal("1")

Product = Literal["oil", "condensate", "gas"]


def cents(amount: Decimal) -> Decimal:
    """Dollars rounded to cents, half up (Comptroller)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def whole_units(volume: Decimal) -> Decimal:
    """Barrels (and MCF) rounded up to whole units (Comptroller)."""
    return volume.quantize(WHOLE, rounding=ROUND_CEILING)


@dataclass(frozen=True, slots=True)
class SeveranceTax:
    product: Product
    volume: Decimal
    market_value: Decimal
    rate: Decimal
    tax: Decimal
    regulatory_fee: Decimal
    minimum_applied: bool = False

    @property
    def total(self) -> Decimal:
        return self.tax + self.regulatory_fee


def _require(volume: Decimal, value: Decimal) -> None:
    if not isinstance(volume, Decimal) or not isinstance(value, Decimal):
        raise TypeError("volumes and money are Decimal")
    if volume < 0 or value < 0:
        raise ValueError("volume and value must not be negative")


def oil_tax(
    barrels: Decimal,
    market_value: Decimal,
    *,
    enhanced_recovery: bool = False,
    rate: Decimal | None = None,
    product: Literal["oil", "condensate"] = "oil",
) -> SeveranceTax:
    """Crude oil (or condensate) production tax and cleanup fee for one lease and month.

    ``market_value`` is the value of the barrels at the lease. ``rate`` overrides the statutory rate when a
    relief applies; the 4.6-cent floor applies to the full rate only (a reduced rate is a credit against it).
    """
    _require(barrels, market_value)
    volume = whole_units(barrels)
    value = cents(market_value)
    if rate is None:
        rate = ENHANCED_RECOVERY_OIL_RATE if enhanced_recovery else OIL_RATE
        floor_applies = not enhanced_recovery
    else:
        floor_applies = False
    by_value = cents(value * rate)
    by_volume = cents(volume * OIL_MINIMUM_PER_BBL) if floor_applies else Decimal("0.00")
    tax = max(by_value, by_volume)
    return SeveranceTax(
        product=product,
        volume=volume,
        market_value=value,
        rate=rate,
        tax=tax,
        regulatory_fee=cents(volume * OIL_CLEANUP_FEE_PER_BBL),
        minimum_applied=by_volume > by_value,
    )


def condensate_tax(barrels: Decimal, market_value: Decimal, *, rate: Decimal | None = None) -> SeveranceTax:
    return oil_tax(barrels, market_value, rate=rate, product="condensate")


def gas_tax(
    mcf: Decimal, gross_receipts: Decimal, marketing_costs: Decimal = Decimal("0"), *, rate: Decimal | None = None
) -> SeveranceTax:
    """Natural gas production tax and regulatory fee: ``rate`` (7.5% unless a relief applies) of market value,
    which is gross receipts less the producer's actual marketing costs (never below zero)."""
    _require(mcf, gross_receipts)
    if not isinstance(marketing_costs, Decimal):
        raise TypeError("volumes and money are Decimal")
    if marketing_costs < 0:
        raise ValueError("marketing costs must not be negative")
    volume = whole_units(mcf)
    value = cents(max(gross_receipts - marketing_costs, Decimal("0")))
    applied = GAS_RATE if rate is None else rate
    return SeveranceTax(
        product="gas",
        volume=volume,
        market_value=value,
        rate=applied,
        tax=cents(value * applied),
        regulatory_fee=cents(volume * GAS_REGULATORY_FEE_PER_MCF),
    )
