"""Backup withholding for a payment, as a payment run asks for it (docs/1099.md, "Backup withholding"):

    withheld, reason = await payee_backup_withholding(uow, partner_id, reportable=gross, payable=net_before)

in the payment run's own unit of work. ``reportable`` is the payment's reportable (gross) amount; ``payable`` what
would be paid before withholding (the withholding never exceeds it)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_servicekit.errors import NotFound

from ...domain.tax_identity import TaxIdentity, TinType, backup_withholding_for, backup_withholding_reason
from ..ports import AccountingWork


def identity_of(partner: Mapping[str, Any]) -> TaxIdentity:
    tin_type = partner.get("tin_type")
    return TaxIdentity(
        tin=partner.get("tax_id"),
        tin_type=TinType(tin_type) if tin_type else None,
        b_notice_on=partner.get("b_notice_on"),
        certified_on=partner.get("tin_certified_on"),
        second_b_notice=bool(partner.get("second_b_notice")),
        exempt=bool(partner.get("exempt_from_1099")),
    )


def withholding_status(partner: Mapping[str, Any]) -> str | None:
    """``tin-missing``, ``b-notice`` or None: why payments to this partner are backup-withheld."""
    return backup_withholding_reason(identity_of(partner))


async def payee_backup_withholding(
    uow: AccountingWork, partner_id: UUID, reportable: Decimal, *, payable: Decimal | None = None
) -> tuple[Decimal, str | None]:
    """What to withhold from a payment to ``partner_id`` (24%, IRC 3406) and why, or 0.00 and None."""
    partner = await uow.partners.get(partner_id)
    if partner is None:
        raise NotFound(f"No partner {partner_id}.")
    identity = identity_of(partner)
    return backup_withholding_for(identity, reportable, payable=payable), backup_withholding_reason(identity)
