"""The organization's profile (GET and PATCH /organizations/current): read by every member, changed by its
owner, audited, and published whole as ``identity.organization_updated.v1`` through the outbox so accounting and
compliance print it on statements and reports from their own copies."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wellflow_contracts.events.identity import MailingAddress, OrganizationLogo, OrganizationUpdated
from wellflow_servicekit.errors import NotFound

from ..domain.profile import Logo, mask_tax_id
from .access import confirm
from .context import Caller, Identity
from .ports import IdentityWork, Row

ADDRESS_PARTS = ("address_line1", "address_line2", "city", "state", "postal_code")
ADDRESS_KEYS = {"address_line1": "line1", "address_line2": "line2"}
# What a statement or a report needs and the office should fill in (a name always exists).
NEEDED = ("legal_name", "mailing_address", "phone", "rrc_operator_number")


def _logo(row: Row) -> Logo | None:
    return Logo(row["logo_content_type"], bytes(row["logo"])) if row.get("logo") is not None else None


def _address(row: Row) -> dict[str, Any] | None:
    parts = {ADDRESS_KEYS.get(name, name): row.get(name) for name in ADDRESS_PARTS}
    return parts if any(parts.values()) else None


def _complete_address(row: Row) -> MailingAddress | None:
    parts = _address(row)
    if parts is None or not all(parts[key] for key in ("line1", "city", "state", "postal_code")):
        return None
    return MailingAddress(**parts)


def missing_fields(row: Row) -> list[str]:
    """The profile fields statements and reports need that are not set (shown to the office as "not set")."""
    present = {
        "legal_name": row.get("legal_name"),
        "mailing_address": _complete_address(row),
        "phone": row.get("phone"),
        "rrc_operator_number": row.get("rrc_operator_number"),
    }
    return [name for name in NEEDED if not present[name]]


def profile_answer(row: Row) -> dict[str, Any]:
    logo = _logo(row)
    return {
        "organization_id": row["organization_id"],
        "name": row["name"],
        "legal_name": row.get("legal_name"),
        "mailing_address": _address(row),
        "phone": row.get("phone"),
        "email": row.get("email"),
        "rrc_operator_number": row.get("rrc_operator_number"),
        "tax_id": mask_tax_id(row.get("tax_id")),
        "logo": logo.data_url if logo else None,
        "logo_sha256": logo.sha256 if logo else None,
        "version": row.get("profile_version") or 1,
        "missing": missing_fields(row),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def profile_event(row: Row, by: str | None) -> OrganizationUpdated:
    """The whole profile as it stands in ``row`` (a snapshot: the consumer replaces its copy)."""
    logo = _logo(row)
    return OrganizationUpdated(
        tenant_id=row["organization_id"],
        organization_id=row["organization_id"],
        version=row.get("profile_version") or 1,
        name=row["name"],
        legal_name=row.get("legal_name"),
        mailing_address=_complete_address(row),
        phone=row.get("phone"),
        email=row.get("email"),
        rrc_operator_number=row.get("rrc_operator_number"),
        logo=OrganizationLogo(content_type=logo.content_type, data_base64=logo.data_base64, sha256=logo.sha256)
        if logo
        else None,
        updated_by=by,
    )


async def _row(uow: IdentityWork, organization_id: UUID) -> Row:
    row = await uow.organizations.get(organization_id)
    if row is None:
        raise NotFound("Your organization no longer exists.")
    return row


async def get_profile(ctx: Identity, actor: Caller) -> dict[str, Any]:
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        return profile_answer(await _row(uow, actor.organization_id))


async def update_profile(ctx: Identity, actor: Caller, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` (column -> value, already validated; None clears an optional field) as the owner.

    The audit entry names the fields changed, never their values (a tax id stays out of the trail). Nothing
    changed publishes nothing, except for a profile never published (organizations from before profiles)."""
    now = ctx.clock()
    async with ctx.database.unit_of_work(actor.organization_id) as uow:
        await confirm(ctx, uow, actor, "organization", "write", lock=True)
        before = await _row(uow, actor.organization_id)
        changed = {key: value for key, value in changes.items() if before.get(key) != value}
        # An organization from before profiles existed has never published one: its first save does, as is.
        if changed or before.get("profile_published_at") is None:
            await uow.organizations.update_profile(
                actor.organization_id, now, by=actor.id, **changed, profile_published_at=now
            )
            fields = sorted({"mailing_address" if key in ADDRESS_PARTS else key for key in changed})
            fields = sorted({"logo" if key == "logo_content_type" else key for key in fields})
            await uow.audit.record(
                "organization.updated", now=now, actor_kind=actor.kind, actor_id=actor.id, fields=fields
            )
            after = await _row(uow, actor.organization_id)
            uow.record(profile_event(after, actor.id))
            return profile_answer(after)
    return profile_answer(before)
