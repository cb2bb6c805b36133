"""A year's Forms 1099-MISC and 1099-NEC per owner, from the payments made in the year (cash basis: a payment
counts in the year it is paid, whatever month its sales were; a suspense release counts when it is paid, at its
gross). docs/1099.md has the rules and their sources:

- royalties (royalty and overriding royalty interests): 1099-MISC box 2, gross (before severance tax and
  deductions), due from $10 a year;
- oil and gas payments for a working interest: 1099-NEC box 1 (Instructions for Forms 1099-MISC and 1099-NEC:
  "do not report oil or gas payments for a working interest in box 2"), due from the IRC 6041 threshold;
- rents (box 1) and other income (box 3) of 1099-MISC at the same threshold;
- backup withholding: box 4 of the form the withheld payment is reported on; any withholding makes the form due;
- late-payment interest is reported on Form 1099-INT, not here: it is totalled for the reconciliation only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from wellflow_texas import irs

ZERO = Decimal("0.00")


class Form(StrEnum):
    MISC = "1099-MISC"
    NEC = "1099-NEC"


class IncomeKind(StrEnum):
    ROYALTY = "royalty"  # royalty and overriding royalty interests
    WORKING_INTEREST = "working_interest"
    RENT = "rent"  # lease bonus, delay rentals, shut-in payments
    OTHER_INCOME = "other_income"


# (form, payment amount code): the box numbers of the forms, and Pub 1220's amount codes for them.
BOX_OF: Mapping[IncomeKind, tuple[Form, str]] = {
    IncomeKind.ROYALTY: (Form.MISC, "2"),
    IncomeKind.RENT: (Form.MISC, "1"),
    IncomeKind.OTHER_INCOME: (Form.MISC, "3"),
    IncomeKind.WORKING_INTEREST: (Form.NEC, "1"),
}
WITHHOLDING_BOX = "4"  # federal income tax withheld, on both forms

INTEREST_TYPE_KIND: Mapping[str, IncomeKind] = {
    "royalty": IncomeKind.ROYALTY,
    "orri": IncomeKind.ROYALTY,
    "working_interest": IncomeKind.WORKING_INTEREST,
}


@dataclass(frozen=True)
class PaymentFact:
    """One payment as paid: its gross by kind of income and what was taken from it or added to it.

    net = gross - tax - deductions - netted - backup_withholding + interest."""

    payee_id: Hashable
    payment_id: Hashable
    paid_on: date
    gross: Mapping[IncomeKind, Decimal]
    backup_withholding: Decimal = ZERO
    tax: Decimal = ZERO
    deductions: Decimal = ZERO
    netted: Decimal = ZERO
    interest: Decimal = ZERO
    net: Decimal | None = None  # None: derived from the rest

    @property
    def paid_net(self) -> Decimal:
        if self.net is not None:
            return self.net
        total = sum(self.gross.values(), ZERO)
        return total - self.tax - self.deductions - self.netted - self.backup_withholding + self.interest


@dataclass
class OwnerYear:
    """One owner's year: the two forms' boxes, whether each is due, and how the gross reconciles with the money
    paid."""

    payee_id: Hashable
    year: int
    boxes: dict[Form, dict[str, Decimal]] = field(default_factory=lambda: {Form.MISC: {}, Form.NEC: {}})
    payments: int = 0
    tax: Decimal = ZERO
    deductions: Decimal = ZERO
    netted: Decimal = ZERO
    interest: Decimal = ZERO
    net: Decimal = ZERO
    warnings: list[str] = field(default_factory=list)

    def amount(self, form: Form, code: str) -> Decimal:
        return self.boxes[form].get(code, ZERO)

    @property
    def gross(self) -> Decimal:
        return sum((v for form in self.boxes.values() for c, v in form.items() if c != WITHHOLDING_BOX), ZERO)

    @property
    def withheld(self) -> Decimal:
        return sum((form.get(WITHHOLDING_BOX, ZERO) for form in self.boxes.values()), ZERO)

    def due(self, form: Form) -> bool:
        """Whether the form must be filed (and furnished) for this owner and year."""
        boxes = self.boxes[form]
        if boxes.get(WITHHOLDING_BOX, ZERO) > 0:
            return True
        general = irs.general_threshold(self.year)
        if form is Form.NEC:
            return boxes.get("1", ZERO) >= general
        return (
            boxes.get("2", ZERO) >= irs.ROYALTY_THRESHOLD
            or boxes.get("1", ZERO) >= general
            or boxes.get("3", ZERO) >= general
        )

    def forms_due(self) -> list[Form]:
        return [form for form in (Form.MISC, Form.NEC) if self.due(form)]


def split_withholding(gross: Mapping[IncomeKind, Decimal], withheld: Decimal) -> dict[Form, Decimal]:
    """A payment's withholding on the form(s) its gross is reported on, in proportion to the gross of each form
    (exact to the cent: the cents left by flooring go to the larger share, MISC on a tie)."""
    by_form: dict[Form, Decimal] = defaultdict(lambda: ZERO)
    for kind, amount in gross.items():
        by_form[BOX_OF[kind][0]] += amount
    positive = {form: amount for form, amount in by_form.items() if amount > 0}
    if withheld == 0:
        return {}
    if not positive:
        return {Form.MISC: withheld}
    total = sum(positive.values(), ZERO)
    cents = int(withheld * 100)
    shares = {form: cents * int(amount * 100) // int(total * 100) for form, amount in positive.items()}
    left = cents - sum(shares.values())
    for form in sorted(positive, key=lambda f: (-positive[f], f is not Form.MISC))[: max(left, 0)]:
        shares[form] += 1
    return {form: Decimal(share) / 100 for form, share in shares.items() if share}


def owner_years(facts: Iterable[PaymentFact], year: int) -> dict[Hashable, OwnerYear]:
    """Every owner paid in ``year``, with the year's boxes (payments of other years are left out)."""
    owners: dict[Hashable, OwnerYear] = {}
    for fact in facts:
        if fact.paid_on.year != year:
            continue
        owner = owners.get(fact.payee_id)
        if owner is None:
            owner = owners[fact.payee_id] = OwnerYear(fact.payee_id, year)
        for kind, amount in fact.gross.items():
            form, code = BOX_OF[kind]
            owner.boxes[form][code] = owner.boxes[form].get(code, ZERO) + amount
        for form, withheld in split_withholding(fact.gross, fact.backup_withholding).items():
            owner.boxes[form][WITHHOLDING_BOX] = owner.boxes[form].get(WITHHOLDING_BOX, ZERO) + withheld
        owner.payments += 1
        owner.tax += fact.tax
        owner.deductions += fact.deductions
        owner.netted += fact.netted
        owner.interest += fact.interest
        owner.net += fact.paid_net
    for owner in owners.values():
        _no_negative_boxes(owner)
    return owners


def _no_negative_boxes(owner: OwnerYear) -> None:
    """A box cannot be negative (Pub 1220 amounts are unsigned): a year whose corrections paid back more than
    was paid reports 0.00 and says so."""
    for form, boxes in owner.boxes.items():
        for code, amount in list(boxes.items()):
            if amount < 0:
                owner.warnings.append(f"{form} box {code} totals {amount} for {owner.year}: reported as 0.00")
                boxes[code] = ZERO
