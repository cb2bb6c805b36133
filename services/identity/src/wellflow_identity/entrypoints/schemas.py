"""Request and response bodies of identity's HTTP API.

Resources read ``XCreate`` / ``XUpdate`` / ``XRead`` (lists are ``wellflow_servicekit.pages.Page[XRead]``);
the bodies of commands that create nothing lasting are named after the command (``SignIn``,
``RefreshRequest``, ``SwitchOrganization``, ``InvitationAccept``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from ..domain.people import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_problem

RoleName = Literal["owner", "manager", "pumper", "accountant", "auditor"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RrcOperatorNumber = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]
Password = Annotated[str, Field(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganizationCreate(Strict):
    name: Name
    rrc_operator_number: RrcOperatorNumber | None = Field(default=None, description="Texas RRC operator number")
    tax_id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None


class UserCreate(Strict):
    email: EmailStr
    password: Password
    full_name: Name

    @model_validator(mode="after")
    def _password_is_not_the_email(self) -> UserCreate:
        problem = password_problem(self.password, self.email)
        if problem:
            raise ValueError(f"password {problem}")
        return self


class SignUpCreate(Strict):
    organization: OrganizationCreate
    user: UserCreate


class SignIn(Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
    organization_id: UUID | None = None


class RefreshRequest(Strict):
    refresh_token: Annotated[str, Field(min_length=1, max_length=256)]


class SwitchOrganization(Strict):
    organization_id: UUID


class OrganizationChoiceRead(BaseModel):
    organization_id: UUID
    name: str
    role: RoleName


class TokenPairRead(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth token type
    expires_in: int
    organization_id: UUID
    role: RoleName
    user_id: UUID
    organizations: list[OrganizationChoiceRead] = []
    permissions: dict[str, list[str]] = Field(
        default={}, description="What the role may do: resource -> actions (read, write, delete), as /me reports"
    )


class AccessTokenRead(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth token type
    expires_in: int
    organization_id: UUID
    role: RoleName


class MeRead(BaseModel):
    kind: Literal["user", "api_key"]
    organization_id: UUID
    role: str
    user_id: UUID | None = None
    email: str | None = None
    full_name: str | None = None
    api_key_id: str | None = None
    organizations: list[OrganizationChoiceRead] = []
    permissions: dict[str, list[str]] = Field(
        default={}, description="What the role may do: resource -> actions (read, write, delete)"
    )


class MemberRead(BaseModel):
    user_id: UUID
    email: str
    full_name: str
    role: RoleName
    status: Literal["active", "deactivated"]
    joined_at: datetime


class MemberUpdate(Strict):
    role: RoleName


class InvitationCreate(Strict):
    email: EmailStr
    role: RoleName


class InvitationRead(BaseModel):
    id: UUID
    email: str
    role: RoleName
    state: Literal["pending", "accepted", "expired", "revoked"]
    invited_by: UUID | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None = None
    last_sent_at: datetime | None = Field(default=None, description="when it last went out (made or sent again)")
    delivery: Literal["mailed", "not_mailed", "mail_failed", "queued"] | None = Field(
        default=None,
        description="how it last went out: mailed; not_mailed (no mail server: the link is for the owner to pass "
        "on); mail_failed (the mail server refused it or was unreachable: send it again); queued (handed to the "
        "notifications service, which mails it: its deliveries show how that went)",
    )
    send_count: int = 1


class NewInvitationRead(InvitationRead):
    token: str | None = Field(
        description="Single-use invitation token, only when it was not mailed (the owner passes the link on); "
        "shown once"
    )


class InvitationAccept(Strict):
    token: Annotated[str, Field(min_length=1, max_length=256)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)] | None = None
    full_name: Name | None = None


class ApiKeyCreate(Strict):
    name: Name
    role: RoleName


class ApiKeyRead(BaseModel):
    id: UUID
    name: str
    role: RoleName
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewApiKeyRead(ApiKeyRead):
    key: str = Field(description="The key, `wfk_<id>_<secret>`; shown this once and never again")


class AuditEntryRead(BaseModel):
    id: UUID
    occurred_at: datetime
    actor_kind: str
    actor_id: str | None
    action: str
    subject_id: str | None
    details: dict[str, Any]
