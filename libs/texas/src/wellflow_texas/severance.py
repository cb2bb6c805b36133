"""Texas severance (production) taxes and regulatory fees, shaped like the Comptroller's reports.

Statutes (text read at statutes.capitol.texas.gov through texas.public.law / casetext, 2024):

- Crude oil, Tax Code 202.052(a): the greater of 4.6% of the market value of the oil or 4.6 cents a barrel of
  42 standard gallons. Market value (202.053) is what the oil actually brought, bonuses and premiums included:
  for sold oil the value actually paid, i.e. the sum over the sales of net barrels x the purchaser's price,
  with the barrels as measured (fractions kept). The barrel count is rounded UP to whole barrels only for the
  per-barrel figures: the 4.6-cent floor and the cleanup fee (Comptroller's crude oil report instructions).
- Enhanced recovery, Tax Code 202.052(b): oil from a new or expanded enhanced recovery project that qualifies
  under 202.054 is taxed at 2.3% of market value. (b) has no per-barrel alternative, so there is no floor.
- Oil-field cleanup regulatory fee on oil, Natural Resources Code 81.116(a): five-eighths of one cent on each
  barrel of crude petroleum; 81.116(d): the exemptions and reductions of 202.052, 202.054, 202.056, 202.057,
  202.059 and 202.060 do not affect it. Crude oil report (10-158 / 10-162); crude used on the lease, lost,
  stolen or otherwise unaccounted for goes on the special report (10-165), taxable and with the fee too. Due
  the 25th of the month after production (``calendar.oil_tax_due``).
- Natural gas, Tax Code 201.052(a): 7.5% of the market value of gas produced and saved; market value is gross
  receipts less the producer's actual marketing costs (201.101), never below zero.
- Condensate, Tax Code 201.055: 4.6% of market value, a tax of the gas production chapter: on the natural gas
  report (10-159 / 10-163), due with gas; no per-barrel floor (that is 202.052's) and no cleanup fee (81.116
  is on crude petroleum).
- Gas not taxed, Tax Code 201.053, and nothing else: gas (1) injected into the earth in Texas unless sold for
  that purpose, (2) produced from oil wells with oil and lawfully vented or flared, (3) used for lifting oil
  unless sold for that purpose, (4) from a well qualifying under 202.056 or 202.060.
- Gas regulatory fee, Natural Resources Code 81.117(a) and 34 TAC 3.732(c)-(d): 1/15 cent ($0.000667) per MCF
  on all gas produced and saved; 81.117(d) / 3.732(f): 201.053, 201.057, 201.058 and 202.060 do not reduce it.
  "Saved" leaves out gas flared or vented and the lease separation shrinkage (it never exists as gas to use or
  sell); gas used on the lease, for lift, injected or stored was saved. MCF are rounded up to whole MCF.
  Due with the gas tax: the 20th of the second month after production (``calendar.gas_tax_due``).

Rounding: dollars to cents, half up, once per figure; barrels and MCF up to whole units for per-unit figures.
Reliefs (``reliefs``) either set another rate (enhanced recovery, high-cost gas), exempt the production
(inactive or orphaned wells: rate 0) or credit a share of the tax otherwise due (low-producing leases and
wells); none of them reduces a regulatory fee.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Literal

OIL_RATE = Decimal("0.046")  # Tax Code 202.052(a)
OIL_MINIMUM_PER_BBL = Decimal("0.046")  # Tax Code 202.052(a): 4.6 cents per barrel when that is greater
ENHANCED_RECOVERY_OIL_RATE = Decimal("0.023")  # Tax Code 202.052(b), project qualified under 202.054
OIL_CLEANUP_FEE_PER_BBL = Decimal("0.00625")  # Natural Resources Code 81.116(a): 5/8 cent per barrel
GAS_RATE = Decimal("0.075")  # Tax Code 201.052(a)
CONDENSATE_RATE = Decimal("0.046")  # Tax Code 201.055: condensate, under the gas production tax
GAS_REGULATORY_FEE_PER_MCF = Decimal("0.000667")  # Natural Resources Code 81.117(a); 34 TAC 3.732(c)

# Form PR liquid disposition codes (RRC Form PR instructions) as the oil tax sees them.
CRUDE_SALE_CODES = frozenset({"00", "01", "02"})  # pipeline, truck, tank car/barge: sold, crude oil report
# Crude special report (10-165), taxable at market value with the cleanup fee: 03 used on the lease, 05 lost,
# 07 other (stock adjustments, theft: "unaccounted for"), 09 scrubber oil delivered to a gas plant without a
# run ticket. Decision (docs/domain.md#severance): all crude extracted is taxable (202.051).
CRUDE_SPECIAL_CODES = frozenset({"03", "05", "07", "09"})
# Not taxed at this disposition (docs/domain.md#severance): 04 circulating oil goes back into a well and is
# taxed when recovered and sold; 06 tank-cleaning BS&W is sediment and water, not crude; 08 skim oil leaves
# with the saltwater and is taxed when the skimming facility sells it (OPEN: confirm with the Comptroller).
CRUDE_UNTAXED_CODES = frozenset({"04", "06", "08"})

# Form PR gas disposition codes as the gas tax sees them.
GAS_SALE_CODES = frozenset({"02", "03", "07"})  # transmission line, processing plant, carbon black
GAS_LEASE_USE_CODES = frozenset({"01"})  # lease fuel: taxable, the gas report's Lease Use commodity
GAS_FLARE_CODES = frozenset({"04", "10", "11"})  # flared / vented (04 before 2021)
# 201.053(3) gas lift; 201.053(1) injected: 06 repressure, 08 underground storage (gas put back into the
# earth in Texas; taxed when withdrawn and sold). Exempt unless sold for that purpose.
GAS_EXEMPT_USE_CODES = frozenset({"05", "06", "08"})
GAS_NOT_SAVED_CODES = frozenset({"04", "10", "11", "09"})  # flared, vented, lease separation shrinkage
LAWFUL_FLARE_AUTHORITIES = frozenset({"AR", "AE", "EP", "EX"})  # Form PR remarks (16 TAC 3.32)

CENT = Decimal("0.01")
WHOLE = Decimal("1")
ZERO = Decimal("0.00")

Product = Literal["oil", "condensate", "gas"]
Commodity = Literal["crude", "crude_special", "gas", "condensate", "lease_use", "flare", "gas_fee"]
Report = Literal["10-158", "10-165", "10-159"]  # crude oil, crude oil special, natural gas

REPORT_OF: dict[str, Report] = {
    "crude": "10-158",
    "crude_special": "10-165",
    "gas": "10-159",
    "condensate": "10-159",
    "lease_use": "10-159",
    "flare": "10-159",
    "gas_fee": "10-159",
}


def cents(amount: Decimal) -> Decimal:
    """Dollars rounded to cents, half up (Comptroller)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def whole_units(volume: Decimal) -> Decimal:
    """Barrels (and MCF) rounded up to whole units, for per-unit figures only (Comptroller)."""
    return volume.quantize(WHOLE, rounding=ROUND_CEILING)


@dataclass(frozen=True, slots=True)
class Relief:
    """What a relief does to a tax: another ``rate`` (None: the statute's), an exemption, or a credit of a
    share of the tax otherwise due. The regulatory fees never change."""

    rate: Decimal | None = None
    exempt: bool = False
    credit_share: Decimal = Decimal("0")
    no_floor: bool = False


NO_RELIEF = Relief()


@dataclass(frozen=True, slots=True)
class SeveranceTax:
    """One commodity of one lease and month, as a line of the Comptroller's report."""

    product: Product
    volume: Decimal  # whole units (rounded up): what the per-unit figures use
    market_value: Decimal
    rate: Decimal
    tax: Decimal
    regulatory_fee: Decimal
    minimum_applied: bool = False
    commodity: Commodity = "crude"
    measured_volume: Decimal = Decimal("0")  # as measured, fractions kept
    credit: Decimal = ZERO  # relief credit taken off the tax otherwise due

    @property
    def total(self) -> Decimal:
        return self.tax + self.regulatory_fee

    @property
    def report(self) -> Report:
        return REPORT_OF[self.commodity]


def _require(*values: Decimal) -> None:
    for value in values:
        if not isinstance(value, Decimal):
            raise TypeError("volumes and money are Decimal")
        if value < 0:
            raise ValueError("volumes and values must not be negative")


def value_paid(sales: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """The value actually paid for a month's sales, (net barrels, price per barrel) each, barrels unrounded;
    to the cent once, on the total (202.053)."""
    total = Decimal("0")
    for barrels, price in sales:
        _require(barrels, price)
        total += barrels * price
    return cents(total)


def _credit(tax: Decimal, relief: Relief) -> tuple[Decimal, Decimal]:
    """(tax after the relief's credit or exemption, the amount taken off)."""
    if relief.exempt:
        return ZERO, tax
    credit = cents(tax * relief.credit_share)
    return tax - credit, credit


def oil_tax(
    barrels: Decimal,
    market_value: Decimal,
    *,
    enhanced_recovery: bool = False,
    relief: Relief = NO_RELIEF,
    special: bool = False,
) -> SeveranceTax:
    """Crude oil tax and cleanup fee (202.052, 81.116) on ``barrels`` (as measured) worth ``market_value``.

    The floor is 4.6 cents x the barrels rounded up, and applies at the 4.6% rate only: enhanced recovery
    (202.052(b)) has none. A credit (202.058) comes off the tax otherwise due, floor included; an exemption
    (202.056, 202.060) takes the whole tax. The fee is on the whole barrels whatever the relief (81.116(d)).
    """
    _require(barrels, market_value)
    whole = whole_units(barrels)
    value = cents(market_value)
    no_floor = enhanced_recovery or relief.no_floor
    rate = relief.rate if relief.rate is not None else (ENHANCED_RECOVERY_OIL_RATE if enhanced_recovery else OIL_RATE)
    by_value = cents(value * rate)
    by_volume = ZERO if no_floor else cents(whole * OIL_MINIMUM_PER_BBL)
    tax, credit = _credit(max(by_value, by_volume), relief)
    return SeveranceTax(
        product="oil",
        volume=whole,
        market_value=value,
        rate=rate,
        tax=tax,
        regulatory_fee=cents(whole * OIL_CLEANUP_FEE_PER_BBL),
        minimum_applied=by_volume > by_value,
        commodity="crude_special" if special else "crude",
        measured_volume=barrels,
        credit=credit,
    )


def condensate_tax(barrels: Decimal, market_value: Decimal, *, relief: Relief = NO_RELIEF) -> SeveranceTax:
    """Condensate from a gas lease (201.055): 4.6% of market value, on the gas report; no floor, no fee."""
    _require(barrels, market_value)
    value = cents(market_value)
    rate = relief.rate if relief.rate is not None else CONDENSATE_RATE
    tax, credit = _credit(cents(value * rate), relief)
    return SeveranceTax(
        product="condensate",
        volume=whole_units(barrels),
        market_value=value,
        rate=rate,
        tax=tax,
        regulatory_fee=ZERO,
        commodity="condensate",
        measured_volume=barrels,
        credit=credit,
    )


def gas_market_value(gross_receipts: Decimal, marketing_costs: Decimal = Decimal("0")) -> Decimal:
    """Gross receipts less the producer's actual marketing costs (201.101), never below zero."""
    _require(gross_receipts, marketing_costs)
    return cents(max(gross_receipts - marketing_costs, Decimal("0")))


def gas_tax(
    mcf: Decimal,
    gross_receipts: Decimal,
    marketing_costs: Decimal = Decimal("0"),
    *,
    relief: Relief = NO_RELIEF,
    commodity: Literal["gas", "lease_use", "flare"] = "gas",
    fee_mcf: Decimal | None = None,
) -> SeveranceTax:
    """Gas production tax (201.052) on ``mcf`` taxable gas: ``rate`` (7.5% unless a relief sets another) of the
    market value. The regulatory fee (81.117) is on ``fee_mcf`` (default ``mcf``): all gas produced and saved,
    which a lease's report computes once (``gas_regulatory_fee``) and passes here as 0 for its other lines."""
    _require(mcf)
    value = gas_market_value(gross_receipts, marketing_costs)
    rate = relief.rate if relief.rate is not None else GAS_RATE
    tax, credit = _credit(cents(value * rate), relief)
    return SeveranceTax(
        product="gas",
        volume=whole_units(mcf),
        market_value=value,
        rate=rate,
        tax=tax,
        regulatory_fee=gas_regulatory_fee(mcf if fee_mcf is None else fee_mcf),
        commodity=commodity,
        measured_volume=mcf,
        credit=credit,
    )


def gas_regulatory_fee(mcf_saved: Decimal) -> Decimal:
    """81.117 / 34 TAC 3.732: $0.000667 per MCF of all gas produced and saved, MCF rounded up, no exemption."""
    _require(mcf_saved)
    return cents(whole_units(mcf_saved) * GAS_REGULATORY_FEE_PER_MCF)


def gas_fee_line(mcf_saved: Decimal) -> SeveranceTax:
    """The lease's gas regulatory fee as a line of its own (no tax): it is due on gas that is not taxed too."""
    return SeveranceTax(
        product="gas",
        volume=whole_units(mcf_saved),
        market_value=ZERO,
        rate=Decimal("0"),
        tax=ZERO,
        regulatory_fee=gas_regulatory_fee(mcf_saved),
        commodity="gas_fee",
        measured_volume=mcf_saved,
    )


def gas_saved(dispositions: Iterable[tuple[str, Decimal]]) -> Decimal:
    """MCF produced and saved: every gas disposition but flared, vented and lease separation shrinkage."""
    return sum((mcf for code, mcf in dispositions if code not in GAS_NOT_SAVED_CODES), Decimal("0"))


def flare_taxable(lease_type: str, authority: str | None) -> bool:
    """201.053(2): casinghead gas (an oil lease's gas) lawfully vented or flared is not taxed; gas-well gas
    flared or vented is. "Lawfully" is read as: the Form PR carries an authority (by rule, by exception,
    exception pending, exempt); without one the flare is not shown to be lawful and is taxed."""
    if lease_type != "oil":
        return True
    return authority not in LAWFUL_FLARE_AUTHORITIES
