"""The operator's profile: accounting's copy of identity's ``identity.organization_updated.v1`` (the consumer
runs ``on_organization_updated`` in its unit of work, so the copy and the inbox row commit together), and the
contact every statement prints from it."""

from __future__ import annotations

import base64
import logging

from wellflow_contracts.events.identity import OrganizationUpdated

from ..domain.operator import OperatorContact, operator_contact
from .ports import AccountingWork

log = logging.getLogger(__name__)


async def on_organization_updated(uow: AccountingWork, event: OrganizationUpdated) -> None:
    """Replace the copy with the snapshot, unless the copy is already this version or newer."""
    address = event.mailing_address
    logo = event.logo
    kept = await uow.operator.save(
        {
            "version": event.version,
            "name": event.name,
            "legal_name": event.legal_name,
            "address_line1": address.line1 if address else None,
            "address_line2": address.line2 if address else None,
            "city": address.city if address else None,
            "state": address.state if address else None,
            "postal_code": address.postal_code if address else None,
            "phone": event.phone,
            "email": event.email,
            "rrc_operator_number": event.rrc_operator_number,
            "logo": base64.b64decode(logo.data_base64) if logo else None,
            "logo_content_type": logo.content_type if logo else None,
            "updated_at": event.occurred_at,
        }
    )
    if not kept:
        log.info("operator profile version %s ignored: a newer one is held", event.version)


async def current_contact(uow: AccountingWork) -> OperatorContact:
    return operator_contact(await uow.operator.get())
