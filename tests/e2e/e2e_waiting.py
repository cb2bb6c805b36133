"""Answers for ``wellflow_servicekit.testing.until`` (the one poll-until helper): ``NotYet`` is a falsy answer
that says why, and ``tolerant`` turns a failing check into one (a module beside the tests; the folder is no
package, so the name is unique)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx


class NotYet:
    """A falsy answer for ``until`` that remembers why (shown as the last answer when the wait times out)."""

    def __init__(self, why: object) -> None:
        self.why = why

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"not yet: {self.why!r}"


def tolerant(check: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
    """``check`` for ``until`` when a failed answer only means "not yet": a service restarting (an HTTP
    error) or an assertion not yet true counts as a falsy answer, and the wait goes on."""

    async def attempt() -> Any:
        try:
            return await check()
        except (httpx.HTTPError, AssertionError) as exc:
            return NotYet(exc)

    return attempt
