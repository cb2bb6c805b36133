"""Choosing a new password from a link: asked for by the person ("Forgot password?") or made by an owner
(``members/sign_in_link.py``), then followed.

Asking answers the same whatever the email: every request is charged to the reset counters of its email and
address (``domain.lockout.ResetLimits``) before anything is looked up, a link is made only for a registered
email, and the mail goes out after the answer (so its time says nothing either). The link is a 256-bit token
stored as its SHA-256, single use, ``PASSWORD_RESET_TTL_SECONDS`` long; a newer link spends the older ones.

Following it sets the password (argon2id, off the event loop, between transactions), spends the person's links,
revokes their sessions (refresh tokens) in every organization they belong to and publishes
``identity.access_revoked.v1`` for each, as deactivation does, so no old session or access token survives.
The account's sign-in counters no longer count failures made before the new password (``credentials``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from wellflow_contracts.events.identity import AccessRevoked
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound, Problem, TooManyRequests, UnprocessableContent

from ...domain.people import normalize_email, password_problem
from ...domain.secrets import PASSWORD_RESET_PREFIX, hash_secret, new_secret
from ..context import Identity
from ..mail import Mail, console_link, password_link_mail
from ..ports import IdentityWork, Row
from .session import member_aggregate

THROTTLED = "Too many requests for a new password; wait before asking again."


@dataclass(frozen=True)
class PasswordLink:
    token: str
    expires_at: datetime


async def new_link(ctx: Identity, uow: IdentityWork, user_id: UUID, *, made_by: UUID | None) -> PasswordLink:
    """A fresh link for ``user_id``, spending their older ones (inside the caller's transaction)."""
    now = ctx.clock()
    token = new_secret(PASSWORD_RESET_PREFIX)
    expires_at = now + timedelta(seconds=ctx.settings.password_reset_ttl_seconds)
    await uow.password_resets.spend_all_of(user_id, now)
    await uow.password_resets.add(
        id=uuid7(),
        user_id=user_id,
        token_hash=hash_secret(token),
        made_by=made_by,
        created_at=now,
        expires_at=expires_at,
    )
    return PasswordLink(token=token, expires_at=expires_at)


def link_mail(ctx: Identity, person: Row, link: PasswordLink, *, made_by: str | None = None) -> Mail:
    url = console_link(ctx.settings.console_url, "reset", link.token)
    return password_link_mail(
        to=person["email"], full_name=person["full_name"], link=url, expires_at=link.expires_at, made_by=made_by
    )


async def request_reset(ctx: Identity, *, email: str, address: str) -> Mail | None:
    """The mail to send once the answer is out, or None for an unknown email; 429 while the counters say wait."""
    email = normalize_email(email)
    await _charge(ctx, email, address)
    async with ctx.database.unit_of_work(None) as uow:
        person = await uow.people.find_by_email(email)
        if person is None:
            await uow.people.record_account_event(
                "password_reset.requested", now=ctx.clock(), user_id=None, email=email
            )
            return None
        link = await new_link(ctx, uow, person["id"], made_by=None)
        await uow.people.record_account_event(
            "password_reset.requested", now=ctx.clock(), user_id=person["id"], email=email
        )
    return link_mail(ctx, person, link)


async def _charge(ctx: Identity, email: str, address: str) -> None:
    keys = ctx.reset_limits.keys(email, address)
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        rows = await uow.sign_in_limits.lock(list(keys.values()))
        counters = {kind: rows[key] for kind, key in keys.items()}
        wait = ctx.reset_limits.wait(counters, now)
        if wait > 0:
            raise TooManyRequests(THROTTLED, retry_after=wait, slug="password-reset-throttled")
        for kind, key in keys.items():
            await uow.sign_in_limits.put(key, ctx.reset_limits.charged(kind, *counters[kind], now), now)


async def confirm_reset(ctx: Identity, *, token: str, password: str) -> Row:
    """Set the new password from a live link; the person (id, email) whose password it is."""
    async with ctx.database.unit_of_work(None) as uow:
        link = await _live_link(uow, token, ctx.clock())
        person = await uow.people.get(link["user_id"])
    assert person is not None
    if problem := password_problem(password, person["email"]):
        raise UnprocessableContent(
            "The new password cannot be used.",
            slug="validation-error",
            errors=[{"field": "body.password", "message": problem}],
        )
    password_hash = await ctx.passwords.hash(password)
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        if not await uow.password_resets.claim(link["id"], now):
            raise _spent()
        await uow.people.set_password(person["id"], password_hash, now)
        await uow.password_resets.spend_all_of(person["id"], now)
        await uow.people.record_account_event(
            "password_reset.completed", now=now, user_id=person["id"], email=person["email"]
        )
        await _sign_out_everywhere(uow, person["id"], link["made_by"], now)
    return {"user_id": person["id"], "email": person["email"]}


async def _sign_out_everywhere(uow: IdentityWork, user_id: UUID, made_by: UUID | None, now: datetime) -> None:
    """Revoke the person's sessions and access tokens in each of their organizations, audited in each."""
    for membership in await uow.organizations.memberships_of(user_id, active_only=False):
        organization_id = membership["organization_id"]
        await uow.use_tenant(organization_id)
        revoked = await uow.refresh_tokens.revoke_sessions_of(user_id, now)
        await uow.audit.record(
            "password.reset",
            now=now,
            actor_kind="user",
            actor_id=str(user_id),
            subject_id=str(user_id),
            refresh_tokens_revoked=revoked,
            link_made_by=str(made_by) if made_by else None,
        )
        uow.record(
            AccessRevoked(
                tenant_id=organization_id,
                subjects=[str(user_id)],
                reason="password_reset",
                revoked_at=now,
                user_id=user_id,
            ),
            aggregate_key=member_aggregate(organization_id, user_id),
        )


async def _live_link(uow: IdentityWork, token: str, now: datetime) -> Row:
    link = None
    if token.startswith(PASSWORD_RESET_PREFIX) and len(token) <= 128:
        link = await uow.password_resets.find_by_hash(hash_secret(token))
    if link is None:
        raise NotFound(
            "No link to choose a password matches this token.",
            errors=[{"field": "body.token", "message": "is not a valid link"}],
        )
    if link["used_at"] is not None:
        raise _spent()
    if link["expires_at"] <= now:
        raise Problem("This link has expired; ask for a new one.", status=410, slug="password-link-expired")
    return link


def _spent() -> Conflict:
    return Conflict(
        "This link has been used, or a newer one was sent; ask for a new one if you still need it.",
        slug="password-link-used",
    )
