"""Integration events published by the identity service.

Member events of one person in one organization share an aggregate key
(``identity.member:<organization>:<user>``, set by the producer), so joined, role changed and deactivated
arrive in the order they happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from wellflow_contracts.base import IntegrationEvent


class OrganizationCreated(IntegrationEvent):
    """An operator company signed up; ``tenant_id`` is the new organization."""

    type: Literal["identity.organization_created.v1"] = "identity.organization_created.v1"
    organization_id: UUID
    name: str
    rrc_operator_number: str | None = Field(default=None, description="Texas RRC operator number, 6 digits")
    created_by_user_id: UUID

    aggregate_field = "organization_id"


class MemberJoined(IntegrationEvent):
    """A user became a member of the organization with a role (sign-up owner or accepted invitation)."""

    type: Literal["identity.member_joined.v1"] = "identity.member_joined.v1"
    user_id: UUID
    role: str
    invited_by_user_id: UUID | None = None


class MemberRoleChanged(IntegrationEvent):
    """A member's role in the organization changed."""

    type: Literal["identity.member_role_changed.v1"] = "identity.member_role_changed.v1"
    user_id: UUID
    from_role: str
    to_role: str
    changed_by: str = Field(description="user id or API key id of whoever made the change")


class MemberDeactivated(IntegrationEvent):
    """A member lost access to the organization; their sessions were revoked."""

    type: Literal["identity.member_deactivated.v1"] = "identity.member_deactivated.v1"
    user_id: UUID
    role: str
    deactivated_by: str = Field(description="user id or API key id of whoever deactivated the member")


class AccessRevoked(IntegrationEvent):
    """Access tokens issued to ``subjects`` at or before ``revoked_at`` must no longer be accepted.

    Identity publishes it when a member is deactivated or their role changes (``subjects``: the member's user id,
    plus the ids of the API keys revoked with them) and when an API key is revoked (its id). Every service
    refuses such tokens within seconds (servicekit's ``revocation``); their holders refresh, which gives a
    member their current role, or sign in again.
    """

    type: Literal["identity.access_revoked.v1"] = "identity.access_revoked.v1"
    subjects: list[str] = Field(description="`sub` claims whose tokens are revoked: user ids and API key ids")
    reason: str = Field(
        description="member_deactivated, member_role_changed, api_key_revoked or password_reset (the member chose a "
        "new password from a link: every session of theirs ends)"
    )
    revoked_at: datetime = Field(description="tokens issued (iat) at or before this instant are refused")
    user_id: UUID | None = Field(default=None, description="the member whose access changed, if any")
