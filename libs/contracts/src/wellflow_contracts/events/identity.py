"""Integration events published by the identity service.

Member events of one person in one organization share an aggregate key
(``identity.member:<organization>:<user>``, set by the producer), so joined, role changed and deactivated
arrive in the order they happened.
"""

from __future__ import annotations

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
