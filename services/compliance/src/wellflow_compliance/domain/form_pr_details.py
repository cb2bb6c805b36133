"""Form PR details checked on every line: the disposition codes each product may use, and the 10/11 authority
written into the remarks (sources in ``wellflow_texas.form_pr``)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from wellflow_texas.form_pr import (
    FLARE_AUTHORITIES,
    FLARE_VENT_CODES,
    GAS_DISPOSITION_CODES,
    LIQUID_DISPOSITION_CODES,
    authority_remark,
    code_allowed,
)

from .form_pr import PRODUCT_LABELS, Disposition, RecordedGas

IssueSink = Callable[..., None]


def check_product_codes(
    liquid: tuple[str, dict[str, Decimal]], gas: tuple[str, list[RecordedGas]], issue: IssueSink
) -> None:
    """Each disposition code against the codes the Form PR allows for its product (wellflow_texas.form_pr:
    09 is scrubber oil for oil only and lease separation shrinkage for gas well gas only). Codes that are no
    Form PR code at all are reported by the liquid and gas checks."""
    liquid_product, liquid_by_code = liquid
    gas_product, gas_entries = gas
    bad = [(liquid_product, code, "liquid_dispositions") for code in sorted(liquid_by_code)]
    bad += [(gas_product, code, "gas_dispositions") for code in sorted({e.code for e in gas_entries})]
    for product, code, fld in bad:
        known = LIQUID_DISPOSITION_CODES if fld == "liquid_dispositions" else GAS_DISPOSITION_CODES
        if code in known and not code_allowed(product, code):
            issue(
                "error",
                "disposition-code-not-for-product",
                f"disposition code {code} ({known[code]}) is not allowed for {PRODUCT_LABELS[product]} on the "
                f"Form PR. Record the volume under a code the RRC allows for {PRODUCT_LABELS[product]}.",
                fld,
            )


def with_authority_remarks(remarks: list[str], gas_dispositions: list[Disposition]) -> list[str]:
    """Each 10 (flared) / 11 (vented) disposition's authority in the remarks, e.g. ``10 AR`` (RRC, 2021: the
    two-letter authority codes go in the form's REMARKS field), once each, before the office's own remarks."""
    entries = [
        authority_remark(d.code, d.authority)
        for d in gas_dispositions
        if d.code in FLARE_VENT_CODES and d.authority in FLARE_AUTHORITIES
    ]
    automatic = list(dict.fromkeys(entries))
    return automatic + [r for r in remarks if r not in automatic]
