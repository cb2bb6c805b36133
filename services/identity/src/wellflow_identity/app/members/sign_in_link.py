"""An owner makes a member a new sign-in link (a link to choose a new password): the pumper locked out at
6 a.m. is back on the route without waiting for mail they may not read on the lease.

With a mail server the link is mailed to the member and the owner never sees it. Without one the owner is
shown it once, to pass on, but only for a member who belongs to no other organization on WellFlow: the password
is the person's, and an owner of one company must not be able to take over an account another company relies
on. An owner cannot make one for themselves (a stolen 15-minute token must not buy a lasting password).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from wellflow_servicekit.errors import Conflict

from ..access import confirm
from ..context import Caller, Identity
from ..mail import Delivery, deliver
from ..sessions.password_reset import link_mail, new_link
from .queries import member_not_found


@dataclass(frozen=True)
class SignInLink:
    user_id: UUID
    email: str
    expires_at: datetime
    delivery: Delivery
    token: str | None
    """Only when nothing was mailed: the owner passes the link on."""


async def make_sign_in_link(ctx: Identity, actor: Caller, user_id: UUID) -> SignInLink:
    org = actor.organization_id
    async with ctx.database.unit_of_work(org) as uow:
        await confirm(ctx, uow, actor, "members", "write", lock=True)
        if user_id == actor.user_id:
            raise Conflict(
                "You cannot make a sign-in link for yourself; sign out and use 'Forgot password?'.",
                slug="own-account",
            )
        member = await uow.organizations.get_member(user_id, lock=True)
        if member is None:
            raise member_not_found()
        if member["status"] != "active":
            raise Conflict(f"{member['full_name']} is deactivated; reactivate them first.", slug="member-not-active")
        elsewhere = [
            m for m in await uow.organizations.memberships_of(user_id, active_only=False) if m["organization_id"] != org
        ]
        if elsewhere and not ctx.mailer.delivers:
            raise Conflict(
                f"{member['full_name']} also belongs to another organization on WellFlow, so a sign-in link can only "
                "be mailed to them, and this WellFlow has no mail server configured. They can ask their other "
                "organization's owner, or your administrator can set up mail.",
                slug="member-of-other-organizations",
            )
        link = await new_link(ctx, uow, user_id, made_by=actor.user_id)
        await uow.audit.record(
            "member.sign_in_link_made",
            now=ctx.clock(),
            actor_kind=actor.kind,
            actor_id=actor.id,
            subject_id=str(user_id),
            mailed=ctx.mailer.delivers,
            expires_at=link.expires_at.isoformat(),
        )
        maker = await uow.organizations.get_member(actor.user_id) if actor.user_id else None
    made_by = maker["full_name"] if maker else "Your company's owner"
    delivery = await deliver(ctx.mailer, link_mail(ctx, member, link, made_by=made_by))
    return SignInLink(
        user_id=user_id,
        email=member["email"],
        expires_at=link.expires_at,
        delivery=delivery,
        token=link.token if delivery == "not_mailed" else None,
    )
