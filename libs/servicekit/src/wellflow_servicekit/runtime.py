"""Running a WellFlow process's event loop.

uvloop (libuv) roughly halves the loop's own overhead per socket operation, which is most of what an
event-driven service does; uvicorn picks it up by itself. Commands and benchmarks use ``run``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    try:
        import uvloop
    except ImportError:  # Windows, or a platform without wheels: the standard loop works too
        return asyncio.run(main)
    return uvloop.run(main)
