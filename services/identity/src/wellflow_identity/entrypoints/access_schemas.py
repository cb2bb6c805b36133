"""Bodies of the routes that bring people back in: a link to choose a new password (asked for, or made by an
owner) and following it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from ..domain.people import MAX_PASSWORD_LENGTH
from .schemas import Strict


class PasswordResetRequest(Strict):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]


class PasswordResetRequested(BaseModel):
    detail: str
    mail_configured: bool = Field(
        description="False when this WellFlow sends no mail: no link will arrive; ask your company's owner for a "
        "sign-in link from the Members page"
    )


class PasswordResetConfirm(Strict):
    token: Annotated[str, Field(min_length=1, max_length=256)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class PasswordChanged(BaseModel):
    user_id: UUID
    email: str


class SignInLinkRead(BaseModel):
    user_id: UUID
    email: str
    expires_at: datetime
    delivery: Literal["mailed", "not_mailed", "mail_failed"] = Field(
        description="mailed to the member; not_mailed: no mail server, the token is for the owner to pass on; "
        "mail_failed: the mail server refused it or was unreachable (make another)"
    )
    token: str | None = Field(description="only when not mailed: shown once, for the owner to pass on")
