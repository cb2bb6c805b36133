"""Integration events published by the identity service.

Member events of one person in one organization share an aggregate key
(``identity.member:<organization>:<user>``, set by the producer), so joined, role changed and deactivated
arrive in the order they happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from wellflow_contracts.base import IntegrationEvent


class OrganizationCreated(IntegrationEvent):
    """An operator company signed up; ``tenant_id`` is the new organization."""

    type: Literal["identity.organization_created.v1"] = "identity.organization_created.v1"
    organization_id: UUID
    name: str
    rrc_operator_number: str | None = Field(default=None, description="Texas RRC operator number, 6 digits")
    created_by_user_id: UUID

    aggregate_field = "organization_id"


class MailingAddress(BaseModel):
    """A postal address as it is printed on a statement or an envelope."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    line1: str
    line2: str | None = None
    city: str
    state: str = Field(description="two-letter state code, e.g. TX")
    postal_code: str = Field(description="ZIP or ZIP+4")


class OrganizationLogo(BaseModel):
    """A small image (PNG or JPEG, at most 64 KiB) printed at the top of statements."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    content_type: str = Field(description="image/png or image/jpeg")
    data_base64: str = Field(description="the image file, base64-encoded")
    sha256: str = Field(description="hex digest of the image bytes")


class OrganizationUpdated(IntegrationEvent):
    """The organization's profile as it now stands (a whole snapshot, not the changed fields): published at
    sign-up and after every change by its owner. What statements, check stubs and reports print about the
    operator. ``version`` grows by one with each change: a consumer keeps the highest it has seen, so a late or
    replayed older snapshot never undoes a newer one. A field not set is null (the consumer says "not set").
    """

    type: Literal["identity.organization_updated.v1"] = "identity.organization_updated.v1"
    organization_id: UUID
    version: int = Field(ge=1, description="the profile's version; each change adds one")
    name: str = Field(description="the name people use in WellFlow")
    legal_name: str | None = Field(default=None, description="the company's legal name, as on its P-5")
    mailing_address: MailingAddress | None = None
    phone: str | None = Field(default=None, description="the owner-relations telephone number")
    email: str | None = Field(default=None, description="the owner-relations email address")
    rrc_operator_number: str | None = Field(default=None, description="Texas RRC operator number (Form P-5), 6 digits")
    logo: OrganizationLogo | None = None
    updated_by: str | None = Field(default=None, description="user id of whoever made the change")

    aggregate_field = "organization_id"


class MemberJoined(IntegrationEvent):
    """A user became a member of the organization with a role (sign-up owner or accepted invitation)."""

    type: Literal["identity.member_joined.v1"] = "identity.member_joined.v1"
    user_id: UUID
    role: str
    invited_by_user_id: UUID | None = None
    email: str | None = Field(default=None, description="the member's sign-in email (where notifications mail them)")
    full_name: str | None = Field(default=None, description="the member's name as they gave it")


class MemberInvited(IntegrationEvent):
    """An owner invited a person (or sent the invitation again with a new link): the notifications service mails
    it. The link carries a single-use secret, so it travels only sealed (AES-256-GCM under a key identity and
    notifications share, the associated data ``invitation:<invitation_id>:<send_count>``): the event stream, its
    mirror and outside systems' feeds see the ciphertext only (docs/notifications.md#invitations)."""

    type: Literal["identity.member_invited.v1"] = "identity.member_invited.v1"
    invitation_id: UUID
    email: str = Field(description="where the invitation goes")
    role: str
    organization_name: str
    invited_by_name: str | None = Field(default=None, description="the inviting member's name, when a member")
    expires_at: datetime = Field(description="the link stops working then")
    send_count: int = Field(ge=1, description="1 for the first invitation, one more for each resend")
    sealed_link: str = Field(description="the console link, sealed for notifications: 'v1.' and base64url")

    aggregate_field = "invitation_id"


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
