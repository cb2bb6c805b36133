"""Severance tax of one lease and month from its Form PR volumes and the prices an accountant entered.

Taxable volumes (stated in docs/compliance.md):
- Oil and condensate: the barrels sold in the month, i.e. the Form PR liquid dispositions to purchasers
  (00 pipeline, 01 truck, 02 tank car or barge). Oil still in the tanks is taxed when it is sold.
- Gas: the MCF delivered off the lease for sale (02 transmission line, 03 processing plant, 07 carbon
  black). Gas used on the lease (01 fuel, 05 gas lift, 06 repressuring), flared or vented, stored or lost to
  separation shrinkage is not a sale (Tax Code 201.053 exempts lease use, repressuring, and vented or
  flared gas).
Value: volume x the price entered, to cents half up, unless the accountant entered the gross value itself
(actual receipts). Gas market value = gross receipts less the actual marketing costs entered.
Rates come from ``wellflow_texas.severance`` and, where a relief is granted for the month, from
``wellflow_texas.reliefs``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from wellflow_texas.reliefs import ReliefGrant, relief_rate
from wellflow_texas.severance import SeveranceTax, cents, condensate_tax, gas_tax, oil_tax

TAXABLE_LIQUID_CODES = frozenset({"00", "01", "02"})
TAXABLE_GAS_CODES = frozenset({"02", "03", "07"})


@dataclass(frozen=True, slots=True)
class ProductPrice:
    """What the accountant entered for one product: a price per unit, or the gross value, and for gas the
    marketing costs."""

    price: Decimal | None = None
    gross_value: Decimal | None = None
    marketing_costs: Decimal = Decimal("0")


@dataclass(frozen=True, slots=True)
class TaxLine:
    product: str
    volume: Decimal
    gross_value: Decimal
    marketing_costs: Decimal
    tax: SeveranceTax
    relief: str | None


def taxable_volumes(line: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """(liquid BBL sold, gas MCF sold) from a Form PR line (as stored)."""
    liquid = sum(
        (Decimal(d["volume"]) for d in line["liquid_dispositions"] if d["code"] in TAXABLE_LIQUID_CODES), Decimal(0)
    )
    gas = sum((Decimal(d["volume"]) for d in line["gas_dispositions"] if d["code"] in TAXABLE_GAS_CODES), Decimal(0))
    return liquid, gas


def _gross(volume: Decimal, entered: ProductPrice) -> Decimal:
    if entered.gross_value is not None:
        return cents(entered.gross_value)
    return cents(volume * (entered.price or Decimal("0")))


def _grant_for(grants: Iterable[ReliefGrant], month: date, product: str) -> tuple[Decimal | None, str | None]:
    for grant in grants:
        if grant.covers(month):
            rate = relief_rate(grant, product)
            if rate is not None:
                return rate, grant.code
    return None, None


def compute_lease_tax(
    *,
    lease_type: str,
    month: date,
    liquid_sold: Decimal,
    gas_sold: Decimal,
    liquid_price: ProductPrice | None,
    gas_price: ProductPrice | None,
    grants: Iterable[ReliefGrant] = (),
) -> list[TaxLine]:
    """The tax lines of a lease and month; a product without a price entered is left out (not guessed)."""
    grants = list(grants)
    lines: list[TaxLine] = []
    if liquid_price is not None:
        product = "oil" if lease_type == "oil" else "condensate"
        gross = _gross(liquid_sold, liquid_price)
        rate, relief = _grant_for(grants, month, product)
        if product == "oil":
            enhanced = relief == "enhanced_recovery"
            tax = oil_tax(liquid_sold, gross, enhanced_recovery=enhanced, rate=None if enhanced else rate)
        else:
            tax = condensate_tax(liquid_sold, gross, rate=rate)
        lines.append(TaxLine(product, liquid_sold, gross, Decimal("0.00"), tax, relief))
    if gas_price is not None:
        gross = _gross(gas_sold, gas_price)
        rate, relief = _grant_for(grants, month, "gas")
        costs = cents(gas_price.marketing_costs)
        tax = gas_tax(gas_sold, gross, costs, rate=rate)
        lines.append(TaxLine("gas", gas_sold, gross, costs, tax, relief))
    return lines
