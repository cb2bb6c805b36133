"""What each recipient statement shows (one per owner and form due): the payer, the TINs (the recipient's
truncated to its last four digits, as IRS rules allow on a recipient's statement), the boxes, and how the gross
relates to what was paid. Plain data for ``adapters/documents_1099.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...domain.operator import OperatorContact


def _payer_lines(operator: OperatorContact) -> list[str]:
    return [
        operator.name or "operator name not set",
        operator.address or "mailing address not set",
        operator.phone or "telephone not set",
    ]


def _recipient_lines(partner: Mapping[str, Any]) -> list[str]:
    place = " ".join(p for p in (partner.get("city"), partner.get("state"), partner.get("postal_code")) if p)
    lines = [partner["name"], partner.get("address_line1"), partner.get("address_line2"), place]
    return [line for line in lines if line]


def statement_pages(year: dict[str, Any], *, corrected: bool = False) -> list[dict[str, Any]]:
    operator: OperatorContact = year["operator"]
    tin = year.get("payer_tin")
    recon = year["reconciliation"]
    reconciliation = [
        ("Gross reported (all boxes but withholding)", recon["gross"]),
        ("less severance and production taxes", recon["severance_tax"]),
        ("less deductions", recon["deductions"]),
        ("less JIB balances netted", recon["jib_netted"]),
        ("less federal backup withholding", recon["backup_withholding"]),
        ("plus late-payment interest (reported on Form 1099-INT)", recon["interest_form_1099_int"]),
        (f"Net paid to you in {year['year']} ({recon['payments']} payments)", recon["net_paid"]),
    ]
    pages = []
    for form in year["forms_due"]:
        pages.append(
            {
                "form": form,
                "year": year["year"],
                "corrected": corrected,
                "payer": _payer_lines(operator),
                "payer_tin": f"{tin[:2]}-{tin[2:]}" if tin else None,
                "recipient_tin": year["tax_id"],
                "recipient": _recipient_lines(year["recipient"]),
                "account": year["owner_number"],
                "boxes": [(b["label"], b["amount"]) for b in year["boxes"] if b["form"] == form],
                "reconciliation": reconciliation,
                "contact": f"{operator.name or 'the operator'}, {operator.phone or 'telephone not set'}",
            }
        )
    return pages
