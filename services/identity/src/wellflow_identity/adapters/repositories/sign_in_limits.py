"""The counters of password checks (global rows keyed by hashes: ``domain.lockout.SignInLimits``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from wellflow_servicekit.repository import Repository

from ..tables import sign_in_limits


class SqlSignInLimits(Repository):
    async def lock(self, keys: list[str]) -> dict[str, tuple[int, datetime | None]]:
        """The counters of ``keys`` (made when missing), locked until the transaction ends, in key order so two
        checks never wait on each other crosswise: concurrent attempts are counted one after the other."""
        ordered = sorted(set(keys))
        await self.execute(
            insert(sign_in_limits).values([{"key": key, "failures": 0} for key in ordered]).on_conflict_do_nothing()
        )
        rows = await self.all(
            select(sign_in_limits)
            .where(sign_in_limits.c.key.in_(ordered))
            .order_by(sign_in_limits.c.key)
            .with_for_update()
        )
        return {row["key"]: (int(row["failures"]), row["last_failed_at"]) for row in rows}

    async def put(self, key: str, failures: int, last_failed_at: datetime | None) -> None:
        await self.execute(
            update(sign_in_limits)
            .where(sign_in_limits.c.key == key)
            .values(failures=max(0, failures), last_failed_at=last_failed_at if failures > 0 else None)
        )

    async def purge(self, before: datetime) -> int:
        """Forget counters whose last failure is older than ``before`` (or that have none)."""
        result = await self.execute(
            delete(sign_in_limits).where(
                (sign_in_limits.c.last_failed_at < before) | sign_in_limits.c.last_failed_at.is_(None)
            )
        )
        return int(result.rowcount)
