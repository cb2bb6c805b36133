"""Checking a password under the sign-in limits (``domain.lockout.SignInLimits``).

Every check is charged to its counters BEFORE the password is verified, in one transaction that locks them
(``sign_in_limits.lock``): parallel guesses queue on the lock and each sees the ones before it, so no burst
gets past the limits. A refused attempt is charged nothing and costs no hashing. A right password then clears
the account's counters (and refunds the address's), a full hashing queue refunds every counter.

Known and unknown emails go through exactly the same steps (an unknown email verifies a dummy hash and is
counted under its email's hash), so the status, body, headers and timing of every answer are the same:
nothing tells whether an account exists.
"""

from __future__ import annotations

from datetime import datetime

from wellflow_servicekit.errors import ServiceUnavailable, TooManyRequests

from ..context import Identity
from ..ports import Row
from .session import bad_credentials

THROTTLED = "Too many failed sign-ins; wait before trying again."


async def check_password(ctx: Identity, user: Row | None, email: str, password: str, address: str) -> None:
    """Raise 429 while any counter says wait, 401 when the password is wrong, 503 when hashing is saturated."""
    keys = ctx.limits.keys(email, address)
    now = ctx.clock()
    counted = await _charge(ctx, keys, now, since=user.get("password_changed_at") if user is not None else None)
    try:
        ok = await ctx.passwords.verify(user["password_hash"] if user is not None else None, password)
    except ServiceUnavailable:
        await _settle(ctx, keys, counted, refund=frozenset(keys))
        raise
    ctx.on_sign_in("succeeded" if ok else "failed")
    if ok:
        await _settle(ctx, keys, counted, clear=frozenset({"pair", "account"}), refund=frozenset({"address"}))
        return
    await _record_failure(ctx, user, email, counted, now)
    raise bad_credentials()


async def _charge(ctx: Identity, keys: dict[str, str], now: datetime, *, since: datetime | None) -> dict[str, int]:
    """Each counter after charging this attempt, or 429 (charging nothing) while one says wait.

    Failures against the account made before its password was last set (``since``: a link to choose a new one
    was followed) no longer count, from any address: the new password unlocks the account. The address's own
    counter (password spraying) stays."""
    async with ctx.database.unit_of_work(None) as uow:
        rows = await uow.sign_in_limits.lock(list(keys.values()))
        counters = {kind: _after(rows[key], since) if kind != "address" else rows[key] for kind, key in keys.items()}
        wait = ctx.limits.wait(counters, now)
        if wait > 0:
            ctx.on_sign_in("throttled")
            raise TooManyRequests(THROTTLED, retry_after=wait, slug="sign-in-throttled")
        counted = {kind: ctx.limits.charged(kind, *counters[kind], now) for kind in keys}
        for kind, key in keys.items():
            await uow.sign_in_limits.put(key, counted[kind], now)
    return counted


def _after(counter: tuple[int, datetime | None], since: datetime | None) -> tuple[int, datetime | None]:
    _, last = counter
    if since is not None and last is not None and last < since:
        return 0, None
    return counter


async def _settle(
    ctx: Identity,
    keys: dict[str, str],
    counted: dict[str, int],
    *,
    clear: frozenset[str] = frozenset(),
    refund: frozenset[str] = frozenset(),
) -> None:
    now = ctx.clock()
    async with ctx.database.unit_of_work(None) as uow:
        rows = await uow.sign_in_limits.lock([keys[kind] for kind in clear | refund])
        for kind in clear:
            await uow.sign_in_limits.put(keys[kind], 0, None)
        for kind in refund - clear:
            failures, last = rows[keys[kind]]
            await uow.sign_in_limits.put(keys[kind], failures - 1, last or now)


async def _record_failure(ctx: Identity, user: Row | None, email: str, counted: dict[str, int], now: datetime) -> None:
    user_id = user["id"] if user is not None else None
    async with ctx.database.unit_of_work(None) as uow:
        details = {"failures": counted["pair"]} if user is not None else {"reason": "unknown"}
        await uow.people.record_account_event("sign_in.failed", now=now, user_id=user_id, email=email, **details)
        if user is not None and ctx.limits.pair.is_locked(counted["pair"]):
            await uow.people.record_account_event("account.locked", now=now, user_id=user_id, email=email)
