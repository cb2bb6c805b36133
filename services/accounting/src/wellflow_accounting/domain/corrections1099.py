"""Corrected 1099s: what to send when a return already filed no longer matches the owner's year (Pub 1220,
"Guidelines for Filing Corrected Returns"; docs/1099.md):

- Type 1 (an amount or code was wrong, or a return was filed that should not have been): one B record with the
  corrected return indicator "G" carrying every field as it should be (zero amounts for a return not due).
- Type 2 (the payee's TIN or name was wrong): two records: "G" with the return exactly as filed but every
  amount zero, then "C" with the correct TIN, name and amounts.
- A return due now that was never filed is not a correction: it is a (late) original, sent in a file of
  originals.
- An address alone is not corrected with the IRS (the recipient's copy carries the new one).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from .form1099 import Form
from .pub1220 import PayeeReturn, cents


@dataclass(frozen=True)
class CorrectionPlan:
    corrections: list[PayeeReturn]  # the B records of a corrections file, in order
    late_originals: list[PayeeReturn]
    unchanged: int


def _same_amounts(a: Mapping[str, Decimal], b: Mapping[str, Decimal]) -> bool:
    codes = set(a) | set(b)
    return all(cents(a.get(code, Decimal(0))) == cents(b.get(code, Decimal(0))) for code in codes)


def plan_corrections(
    filed: Mapping[tuple[Hashable, Form], PayeeReturn], current: Mapping[tuple[Hashable, Form], PayeeReturn]
) -> CorrectionPlan:
    """Compare the returns as last filed with the returns due now, keyed by (owner, form)."""
    corrections: list[PayeeReturn] = []
    late: list[PayeeReturn] = []
    unchanged = 0
    for key in sorted(set(filed) | set(current), key=lambda k: (str(k[0]), k[1].value)):
        was, now = filed.get(key), current.get(key)
        if was is None and now is not None:
            late.append(now)
        elif was is not None and now is None:
            corrections.append(replace(was, amounts={}, corrected="G"))
        elif was is not None and now is not None:
            if (was.tin, was.name) != (now.tin, now.name):
                corrections.append(replace(was, amounts={}, corrected="G"))
                corrections.append(replace(now, corrected="C"))
            elif not _same_amounts(was.amounts, now.amounts):
                corrections.append(replace(now, corrected="G"))
            else:
                unchanged += 1
    return CorrectionPlan(corrections, late, unchanged)
