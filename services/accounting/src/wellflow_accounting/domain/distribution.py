"""Revenue distribution: the value of a lease's sales, and each owner's share of it to the cent.

docs/domain.md (owner revenue): gross = volume sold x price x decimal; tax = the lease's severance tax x decimal
(owners bear tax ratably; the tax is the compliance service's figure for the lease-month and product, exactly);
net = gross - tax - the owner's share of the deductions the lease allows, +/- adjustments. Each of gross, tax
and deductions is allocated among the deck's owners by largest remainder (``money.allocate``), so each column
of owners adds up exactly to the lease's figure and net adds up exactly to the lease's distributable total
(gross - tax - deductions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from wellflow_texas import payment_law

from .decks import DeckLine, InterestType
from .money import ZERO, Weights, cents


class Product(StrEnum):
    OIL = "oil"
    GAS = "gas"
    CONDENSATE = "condensate"


@dataclass(frozen=True, slots=True)
class PurchaserStatement:
    """What a purchaser reported paying for a lease's product in a month."""

    volume: Decimal
    price: Decimal
    gross_value: Decimal
    deductions: Decimal


@dataclass(frozen=True, slots=True)
class Sale:
    """One lease's product in one month, valued: what its owners share."""

    lease_id: UUID
    product: Product
    volume: Decimal
    price: Decimal
    gross_value: Decimal
    severance_tax: Decimal
    deductions: Decimal
    tax_source: str  # "compliance" (the compliance service's figure) or "pending" (none yet: tax 0, not final)
    price_source: str  # "entered" or "purchaser_statement"

    @property
    def distributable(self) -> Decimal:
        return self.gross_value - self.severance_tax - self.deductions


def value_sale(
    lease_id: UUID,
    product: Product,
    *,
    volume: Decimal,
    price: Decimal | None,
    statement: PurchaserStatement | None = None,
    compliance_tax: Decimal | None = None,
) -> Sale | None:
    """A sale valued from the purchaser's statement when there is one, else volume x the entered price.
    None when nothing was sold or no price is known (the run reports the lease as unpriced).

    The tax is compliance's, never computed here: compliance has the sales' own prices, the Form PR volumes
    and the reliefs granted, which accounting has not, so a figure computed here could differ from the return
    filed. Without compliance's figure the tax is "pending" (0 in the draft, and the run cannot be finalized)."""
    if statement is not None:
        volume, unit_price = statement.volume, statement.price
        gross, deductions, price_source = (
            cents(statement.gross_value),
            cents(statement.deductions),
            "purchaser_statement",
        )
    else:
        if price is None:
            return None
        unit_price, gross, deductions, price_source = price, cents(volume * price), ZERO, "entered"
    if volume <= 0 and gross == 0:
        return None
    if compliance_tax is not None:
        tax, tax_source = cents(compliance_tax), "compliance"
    else:
        tax, tax_source = ZERO, "pending"
    return Sale(lease_id, product, volume, unit_price, gross, tax, deductions, tax_source, price_source)


@dataclass(frozen=True, slots=True)
class OwnerShare:
    partner_id: UUID
    interest_type: InterestType
    decimal: Decimal
    gross: Decimal
    tax: Decimal
    deductions: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.tax - self.deductions


def distribute(sale: Sale, deck: Sequence[DeckLine]) -> list[OwnerShare]:
    """Each owner's gross, tax and deductions shares; each column sums exactly to the sale's figure.

    A cost-free line (a cost-free royalty) bears no deductions: the lease's deductions are split among the other
    lines in proportion to their decimals, so they still add up exactly to the sale's. A deck whose every line
    is cost-free has no one to bear them, and they are split among all."""
    weights = {(line.partner_id, line.interest_type): line.decimal for line in deck}
    split = Weights.of(weights)
    bearing = {(line.partner_id, line.interest_type): line.decimal for line in deck if not line.cost_free}
    deduction_split = Weights.of(bearing) if bearing and sum(bearing.values()) > 0 else split
    gross, tax, deductions = (
        split.split(sale.gross_value),
        split.split(sale.severance_tax),
        deduction_split.split(sale.deductions),
    )
    return [
        OwnerShare(key[0], key[1], weights[key], gross[key], tax[key], deductions.get(key, ZERO))
        for key in sorted(weights, key=str)
    ]


@dataclass(frozen=True, slots=True)
class Adjustment:
    """The difference one owner is due after a finalized month changed (a late correction)."""

    partner_id: UUID
    interest_type: InterestType
    decimal: Decimal
    gross: Decimal
    tax: Decimal
    deductions: Decimal

    @property
    def net(self) -> Decimal:
        return self.gross - self.tax - self.deductions


def adjustments(paid: Sequence[OwnerShare], corrected: Sequence[OwnerShare]) -> list[Adjustment]:
    """Corrected minus paid, per owner and interest; owners whose figures did not change get no line."""
    before = {(s.partner_id, s.interest_type): s for s in paid}
    after = {(s.partner_id, s.interest_type): s for s in corrected}
    lines = []
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        delta = [
            (new.gross if new else ZERO) - (old.gross if old else ZERO),
            (new.tax if new else ZERO) - (old.tax if old else ZERO),
            (new.deductions if new else ZERO) - (old.deductions if old else ZERO),
        ]
        if any(delta):
            decimal = (new or old).decimal  # type: ignore[union-attr]
            lines.append(Adjustment(key[0], key[1], decimal, *delta))
    return lines


def explain_correction(
    lease_name: str,
    month: date,
    product: Product,
    old: Sale,
    new: Sale,
    *,
    production_revisions: tuple[int, int],
    tax_revisions: tuple[int, int] = (0, 0),
) -> str:
    """A sentence an owner (and the accountant) can read on the statement: what changed and why."""
    causes = []
    if production_revisions[0] != production_revisions[1]:
        causes.append(f"production revision {production_revisions[0]} -> {production_revisions[1]}")
    if tax_revisions[0] != tax_revisions[1]:
        causes.append(f"severance tax revision {tax_revisions[0]} -> {tax_revisions[1]}")
    parts = [f"Correction of {lease_name} {product.value} for {month:%m/%Y}"]
    parts.append(f" ({', '.join(causes)}):" if causes else ":")
    changes = []
    if old.volume != new.volume:
        changes.append(f"volume {old.volume} -> {new.volume}")
    if old.price != new.price:
        changes.append(f"price {old.price} -> {new.price}")
    if old.gross_value != new.gross_value:
        changes.append(f"gross value {old.gross_value} -> {new.gross_value}")
    if old.severance_tax != new.severance_tax:
        changes.append(f"tax {old.severance_tax} -> {new.severance_tax}")
    if old.deductions != new.deductions:
        changes.append(f"deductions {old.deductions} -> {new.deductions}")
    return "".join(parts) + " " + (", ".join(changes) or "no change in value")


# ---------------------------------------------------------------- suspense


class SuspenseReason(StrEnum):
    TITLE_HOLD = "title_hold"
    MINIMUM_PAYMENT = "minimum_payment"


@dataclass(frozen=True, slots=True)
class SuspenseRules:
    """Tex. Nat. Res. Code 91.402(f), with the statute's figures from ``wellflow_texas.payment_law`` (the ones the
    payment runs' ``minimum_payment_decision`` applies): proceeds may be held until they reach $100, and more than
    $10 is paid at least yearly. An organization may pay sooner (a lower minimum), never later."""

    minimum_payment: Decimal = payment_law.ACCUMULATE_UNTIL
    yearly_minimum: Decimal = payment_law.YEARLY_MINIMUM  # "more than": a balance of exactly $10 waits
    yearly_release_month: int = 12  # the month whose run pays every balance above the yearly minimum


@dataclass(frozen=True, slots=True)
class Settlement:
    """What one owner is paid by a run and what moves in or out of the minimum-payment suspense."""

    partner_id: UUID
    earned: Decimal  # net of this run on leases not under a title hold (adjustments included)
    released_title: Decimal  # title-hold suspense released because the hold was lifted
    prior_minimum: Decimal  # minimum-payment suspense balance before the run
    paid: Decimal
    minimum_delta: Decimal  # + held, - released
    reason: str = ""
    title_held: Mapping[UUID, Decimal] = field(default_factory=dict)  # lease -> amount newly held for title


def settle(
    partner_id: UUID,
    *,
    earned: Decimal,
    released_title: Decimal,
    prior_minimum: Decimal,
    month: date,
    rules: SuspenseRules,
    title_held: Mapping[UUID, Decimal] | None = None,
) -> Settlement:
    """Pay the owner everything due when it reaches the minimum payment (or, in the yearly release month, the
    yearly minimum); otherwise hold it all in suspense until it does. A negative total (a correction larger
    than what is due) is carried in suspense and offset against later revenue, never billed to the owner."""
    due = earned + released_title + prior_minimum
    if due >= rules.minimum_payment:
        return Settlement(
            partner_id, earned, released_title, prior_minimum, due, -prior_minimum, "paid", title_held or {}
        )
    if month.month == rules.yearly_release_month and due > rules.yearly_minimum:
        return Settlement(
            partner_id,
            earned,
            released_title,
            prior_minimum,
            due,
            -prior_minimum,
            "paid: yearly release",
            title_held or {},
        )
    reason = "held: below the minimum payment" if due > 0 else "held: nothing due"
    return Settlement(
        partner_id, earned, released_title, prior_minimum, ZERO, due - prior_minimum, reason, title_held or {}
    )
