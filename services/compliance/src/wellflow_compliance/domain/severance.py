"""Severance tax of one lease and month, from its sales and its Form PR line, shaped like the Comptroller's
reports (docs/compliance.md#severance-tax; the statute and its numbers are in ``wellflow_texas.severance``).

- Crude oil (oil lease), report 10-158: the barrels sold on the month's run tickets (codes 00/01/02), valued
  at what the purchaser paid, ticket by ticket (net barrels x the ticket's price, fractions kept). A ticket
  without a price is valued at the price the accountant entered for the month; an entered gross value
  stands for the whole month's sales when no ticket carries a price. Without tickets, the Form PR's 00/01/02
  barrels are the sold barrels. Every line says which source it used (``value_source``).
- Crude special, report 10-165: Form PR liquid codes 03 (used on the lease), 05 (lost), 07 (other: stock
  adjustments, theft) and 09 (scrubber oil to a gas plant), at the month's price for the lease (the sales'
  value per barrel, else the price entered), with the cleanup fee. 04, 06 and 08 are not taxed here
  (``wellflow_texas.severance.CRUDE_UNTAXED_CODES`` says why).
- Natural gas, report 10-159: condensate sold (a gas lease's liquid, 4.6%, no floor, no fee) and condensate
  used or unaccounted for (03, 07, 09; 05 lost was never saved); gas sold (02, 03, 07) at gross receipts less
  marketing costs; lease use (01) and taxable flare (10/11: gas-well gas always, casinghead gas without an
  authority) at the month's gas price; gas lift, repressure and storage (05, 06, 08) are exempt; and the
  regulatory fee on all gas produced and saved (``gas_fee`` line).
- Reliefs granted for the month set the rate, exempt or credit per product (``wellflow_texas.reliefs``).
- ``borne_by_owners``: the tax on sold volumes (crude, condensate sold, gas sold) is what revenue owners
  share; the tax on volumes nobody paid for (crude special, lease use, flare) is the operator's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from wellflow_texas.reliefs import ReliefGrant, relief_effect
from wellflow_texas.severance import (
    CRUDE_SALE_CODES,
    CRUDE_SPECIAL_CODES,
    GAS_FLARE_CODES,
    GAS_LEASE_USE_CODES,
    GAS_SALE_CODES,
    NO_RELIEF,
    Relief,
    SeveranceTax,
    cents,
    condensate_tax,
    flare_taxable,
    gas_fee_line,
    gas_saved,
    gas_tax,
    oil_tax,
    value_paid,
)

CONDENSATE_SPECIAL_CODES = frozenset({"03", "07", "09"})  # used, unaccounted for, delivered; 05 lost: not saved
ZERO = Decimal("0")


@dataclass(frozen=True, slots=True)
class ProductPrice:
    """What the accountant entered for one product: a price per unit, or the gross value, and for gas the
    marketing costs. A fallback for oil (run tickets carry the purchaser's price), the source for gas."""

    price: Decimal | None = None
    gross_value: Decimal | None = None
    marketing_costs: Decimal = Decimal("0")
    origin: str = "entered"
    """Whose price: ``entered`` (compliance's severance page), ``purchaser_statement``, ``accounting`` (the
    lease's price in accounting) or ``accounting_month`` (accounting's price for every lease); see valuation.py."""


@dataclass(frozen=True, slots=True)
class TicketSale:
    """One run ticket of the lease and month: net barrels and the purchaser's price, when on the ticket."""

    net_bbl: Decimal
    price_per_bbl: Decimal | None = None


@dataclass(frozen=True, slots=True)
class TaxLine:
    tax: SeveranceTax
    gross_value: Decimal
    marketing_costs: Decimal
    relief: str | None
    value_source: str
    borne_by_owners: bool

    @property
    def product(self) -> str:
        return self.tax.product

    @property
    def commodity(self) -> str:
        return self.tax.commodity


@dataclass
class LeaseTax:
    lines: list[TaxLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Valued:
    barrels: Decimal
    value: Decimal
    source: str


def _liquid_by_code(line: dict[str, Any] | None) -> dict[str, Decimal]:
    """Barrels by disposition code as measured (fractions kept); a line stored before it carried its measured
    dispositions gives its whole Form PR barrels."""
    by_code: dict[str, Decimal] = {}
    measured = (line.get("measured") or {}).get("liquid") if line else None
    if measured is not None:
        for code, volume in measured:
            by_code[code] = by_code.get(code, ZERO) + Decimal(volume)
        return by_code
    for d in line["liquid_dispositions"] if line else ():
        by_code[d["code"]] = by_code.get(d["code"], ZERO) + Decimal(d["volume"])
    return by_code


def _gas_entries(line: dict[str, Any] | None) -> list[tuple[str, Decimal, str | None]]:
    """(code, MCF as measured, authority) of the month's gas dispositions (whole MCF for an older line)."""
    measured = (line.get("measured") or {}).get("gas") if line else None
    if measured is not None:
        return [(code, Decimal(volume), authority) for code, volume, authority in measured]
    return [(d["code"], Decimal(d["volume"]), d.get("authority")) for d in (line["gas_dispositions"] if line else ())]


def _value_sales(
    tickets: Sequence[TicketSale], form_pr_sold: Decimal, entered: ProductPrice | None, label: str, warnings: list[str]
) -> _Valued | None:
    """The month's sold liquid, valued from the tickets' prices, the entered price as the fallback."""
    priced = [(t.net_bbl, t.price_per_bbl) for t in tickets if t.price_per_bbl is not None]
    unpriced = sum((t.net_bbl for t in tickets if t.price_per_bbl is None), ZERO) if tickets else form_pr_sold
    barrels = sum((b for b, _ in priced), ZERO) + unpriced
    if barrels <= 0:
        return None
    if not priced and entered is not None and entered.gross_value is not None:
        return _Valued(barrels, cents(entered.gross_value), f"{entered.origin}_gross_value")
    sources = ["run_tickets"] if priced else []
    value = value_paid(priced)
    if unpriced > 0:
        if entered is None or entered.price is None:
            warnings.append(
                f"{unpriced} BBL of {label} sold without a price (no price on the run ticket, none entered): "
                "enter the month's price to tax them."
            )
            barrels -= unpriced
        else:
            value = cents(value + value_paid([(unpriced, entered.price)]))
            sources.append(f"{entered.origin}_price")
    if barrels <= 0:
        return None
    return _Valued(barrels, value, "+".join(sources))


def _month_price(sold: _Valued | None, entered: ProductPrice | None) -> Decimal | None:
    """The lease's price for the month: what the sales brought per barrel, else the price entered."""
    if sold is not None and sold.barrels > 0:
        return sold.value / sold.barrels
    return entered.price if entered is not None else None


def _relief(grants: Sequence[ReliefGrant], month: date, product: str) -> tuple[Relief, str | None]:
    for grant in grants:
        if grant.covers(month):
            effect = relief_effect(grant, product)
            if effect is not None:
                return effect, grant.code
    return NO_RELIEF, None


@dataclass(frozen=True, slots=True)
class _LiquidRule:
    """What differs between crude (oil lease, 10-158/10-165) and condensate (gas lease, 10-159): the product,
    the codes taxed at the month's price, the words for them, and the tax on sold and on special barrels."""

    product: str
    special_codes: frozenset[str]
    special_words: str
    sold_tax: Callable[..., SeveranceTax]
    special_tax: Callable[..., SeveranceTax]


_CRUDE = _LiquidRule(
    "oil", CRUDE_SPECIAL_CODES, "used, lost or unaccounted for", oil_tax, partial(oil_tax, special=True)
)
_CONDENSATE = _LiquidRule(
    "condensate", CONDENSATE_SPECIAL_CODES, "used or unaccounted for", condensate_tax, condensate_tax
)


def _liquid(
    rule: _LiquidRule,
    lease: LeaseTax,
    month: date,
    by_code: dict[str, Decimal],
    tickets: Sequence[TicketSale],
    entered: ProductPrice | None,
    grants: Sequence[ReliefGrant],
) -> None:
    """The lease's sold liquid at what it brought, and its special barrels at the month's price."""
    relief, code = _relief(grants, month, rule.product)
    form_pr_sold = sum((v for c, v in by_code.items() if c in CRUDE_SALE_CODES), ZERO)
    sold = _value_sales(tickets, form_pr_sold, entered, rule.product, lease.warnings)
    if sold is not None:
        tax = rule.sold_tax(sold.barrels, sold.value, relief=relief)
        lease.lines.append(TaxLine(tax, sold.value, ZERO, code, sold.source, True))
    special = sum((v for c, v in by_code.items() if c in rule.special_codes), ZERO)
    if special > 0:
        price = _month_price(sold, entered)
        if price is None:
            lease.warnings.append(f"{special} BBL of {rule.product} {rule.special_words}: no price for the month.")
            return
        value = cents(special * price)
        tax = rule.special_tax(special, value, relief=relief)
        lease.lines.append(TaxLine(tax, value, ZERO, code, "month_price", False))


def _gas(
    lease: LeaseTax,
    lease_type: str,
    month: date,
    entries: list[tuple[str, Decimal, str | None]],
    entered: ProductPrice | None,
    grants: Sequence[ReliefGrant],
) -> None:
    relief, code = _relief(grants, month, "gas")
    sold = sum((v for c, v, _ in entries if c in GAS_SALE_CODES), ZERO)
    lease_use = sum((v for c, v, _ in entries if c in GAS_LEASE_USE_CODES), ZERO)
    flares = [(v, a) for c, v, a in entries if c in GAS_FLARE_CODES]
    flared = sum((v for v, a in flares if flare_taxable(lease_type, a)), ZERO)
    if lease_type == "oil" and flared > 0:
        lease.warnings.append(
            f"{flared} MCF of casinghead gas flared or vented without an authority is taxed: 201.053(2) exempts "
            "only gas lawfully flared. Add the authority (AR, AE, EP, EX) if it was."
        )
    unit_price: Decimal | None = None
    if entered is not None and (entered.price is not None or entered.gross_value is not None):
        kind = "gross_value" if entered.gross_value is not None else "price"
        source = f"{entered.origin}_{kind}"
        gross = cents(entered.gross_value if entered.gross_value is not None else sold * (entered.price or ZERO))
        costs = cents(entered.marketing_costs)
        if sold > 0 or gross > 0:
            lease.lines.append(
                TaxLine(gas_tax(sold, gross, costs, relief=relief, fee_mcf=ZERO), gross, costs, code, source, True)
            )
        unit_price = entered.price if entered.price is not None else (gross / sold if sold > 0 else None)
    elif sold > 0:
        lease.warnings.append(f"{sold} MCF of gas sold without a price or gross receipts entered: not taxed yet.")
    for commodity, volume in (("lease_use", lease_use), ("flare", flared)):
        if volume <= 0:
            continue
        if unit_price is None:
            lease.warnings.append(f"{volume} MCF of {commodity.replace('_', ' ')} gas: no gas price for the month.")
            continue
        value = cents(volume * unit_price)
        tax = gas_tax(volume, value, relief=relief, commodity=commodity, fee_mcf=ZERO)  # type: ignore[arg-type]
        lease.lines.append(TaxLine(tax, value, ZERO, code, "month_price", False))
    saved = gas_saved((c, v) for c, v, _ in entries)
    if saved > 0:
        lease.lines.append(TaxLine(gas_fee_line(saved), ZERO, ZERO, None, "form_pr", False))


def compute_lease_tax(
    *,
    lease_type: str,
    month: date,
    line: dict[str, Any] | None,
    tickets: Sequence[TicketSale] = (),
    liquid_price: ProductPrice | None = None,
    gas_price: ProductPrice | None = None,
    grants: Iterable[ReliefGrant] = (),
) -> LeaseTax:
    """The tax lines of a lease and month (Form PR ``line`` as stored); what cannot be valued is a warning,
    never a guess."""
    grants = list(grants)
    lease = LeaseTax()
    by_code = _liquid_by_code(line)
    if lease_type == "oil":
        _liquid(_CRUDE, lease, month, by_code, tickets, liquid_price, grants)
    else:
        _liquid(_CONDENSATE, lease, month, by_code, tickets, liquid_price, grants)
    _gas(lease, lease_type, month, _gas_entries(line), gas_price, grants)
    return lease


def legacy_report(line: dict[str, Any]) -> str:
    """The report of a line stored before lines carried it: gas and condensate 10-159, oil 10-158."""
    return "10-158" if line["product"] == "oil" else "10-159"


def obligation_of(line: dict[str, Any]) -> str:
    """The filing obligation (calendar) a stored tax line is paid with: the gas report's lines (gas,
    condensate, lease use, flare, the gas fee) with ``gas_tax``, the crude reports' with ``oil_tax``."""
    return "gas_tax" if line.get("report", legacy_report(line)) == "10-159" else "oil_tax"
