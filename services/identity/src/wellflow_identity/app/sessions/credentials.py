"""Checking a password, with the lockout back-off of failed sign-ins (see ``domain.lockout``)."""

from __future__ import annotations

from datetime import timedelta

from wellflow_servicekit.errors import TooManyRequests

from ..context import Identity
from ..ports import Row
from .session import bad_credentials


async def check_password(ctx: Identity, user: Row | None, email: str, password: str) -> None:
    """Raise 429 while the account must wait, 401 when the password is wrong (counting the failure)."""
    now = ctx.clock()
    if user is not None:
        wait = ctx.lockout.retry_after(user["failed_attempts"], user["last_failed_at"], now)
        if wait > 0:
            ctx.on_sign_in("throttled")
            raise TooManyRequests(
                "Too many failed sign-ins for this account; wait before trying again.",
                retry_after=wait,
                slug="sign-in-throttled",
            )
    ok = await ctx.passwords.verify(user["password_hash"] if user is not None else None, password)
    ctx.on_sign_in("succeeded" if ok else "failed")
    if ok:
        return
    await _count_failure(ctx, user, email)
    raise bad_credentials()


async def _count_failure(ctx: Identity, user: Row | None, email: str) -> None:
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        if user is None:
            await uow.people.record_account_event(
                "sign_in.failed", now=now, user_id=None, email=email, reason="unknown"
            )
            return
        forget_before = now - timedelta(seconds=ctx.lockout.lock_seconds)
        failures = await uow.people.record_failure(user["id"], now=now, forget_before=forget_before)
        await uow.people.record_account_event(
            "sign_in.failed", now=now, user_id=user["id"], email=email, failures=failures
        )
        if ctx.lockout.is_locked(failures):
            await uow.people.record_account_event("account.locked", now=now, user_id=user["id"], email=email)
