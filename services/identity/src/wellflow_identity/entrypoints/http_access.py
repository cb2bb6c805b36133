"""The routes that bring people back in: "Forgot password?", following the link, an owner's "Send a new sign-in
link", and withdrawing or sending again an invitation. Parse, call one use case, shape the answer."""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency closures in `permitted`.

import logging
from typing import Any
from uuid import UUID

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse

from ..app import members, sessions
from ..app.context import Caller, Identity
from ..app.mail import Mail, deliver
from . import access_schemas, schemas
from .http import NO_STORE, IdentityDep, client_address, permitted

log = logging.getLogger(__name__)

REQUESTED = "If an account uses this email, a link to choose a new password is on its way; it works once."

recovery = APIRouter(prefix="/api/v1/auth", tags=["auth"])


async def _deliver_later(identity: Identity, mail: Mail) -> None:
    await deliver(identity.mailer, mail)


@recovery.post("/password-reset", status_code=202, response_model=access_schemas.PasswordResetRequested)
async def request_password_reset(
    body: access_schemas.PasswordResetRequest, identity: IdentityDep, request: Request, background: BackgroundTasks
) -> Any:
    """The same answer whether or not the email has an account; the mail goes out after it."""
    mail = await sessions.password_reset.request_reset(identity, email=body.email, address=client_address(request))
    if mail is not None:
        background.add_task(_deliver_later, identity, mail)
    return {"detail": REQUESTED, "mail_configured": identity.mailer.delivers}


@recovery.post("/password-reset/confirm", response_model=access_schemas.PasswordChanged)
async def confirm_password_reset(body: access_schemas.PasswordResetConfirm, identity: IdentityDep) -> JSONResponse:
    changed = await sessions.password_reset.confirm_reset(identity, token=body.token, password=body.password)
    answer = access_schemas.PasswordChanged.model_validate(changed)
    return JSONResponse(answer.model_dump(mode="json"), headers=NO_STORE)


team = APIRouter(prefix="/api/v1")


@team.post(
    "/members/{user_id}/sign-in-link", status_code=201, response_model=access_schemas.SignInLinkRead, tags=["members"]
)
async def make_sign_in_link(
    user_id: UUID, identity: IdentityDep, actor: Caller = permitted("members", "write")
) -> JSONResponse:
    link = await members.sign_in_link.make_sign_in_link(identity, actor, user_id)
    answer = access_schemas.SignInLinkRead.model_validate(link, from_attributes=True)
    return JSONResponse(answer.model_dump(mode="json"), status_code=201, headers=NO_STORE)


@team.delete("/invitations/{invitation_id}", response_model=schemas.InvitationRead, tags=["invitations"])
async def revoke_invitation(
    invitation_id: UUID, identity: IdentityDep, actor: Caller = permitted("members", "write")
) -> Any:
    return await members.invitations.revoke_invitation(identity, actor, invitation_id)


@team.post("/invitations/{invitation_id}/resend", response_model=schemas.NewInvitationRead, tags=["invitations"])
async def resend_invitation(
    invitation_id: UUID, identity: IdentityDep, actor: Caller = permitted("members", "write")
) -> Any:
    invitation, token = await members.invitations.resend_invitation(identity, actor, invitation_id)
    return {**invitation, "token": token if invitation["delivery"] == "not_mailed" else None}


routers = [recovery, team]
