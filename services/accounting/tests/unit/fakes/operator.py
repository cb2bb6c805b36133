"""The copy of the operator's profile."""

from __future__ import annotations

from typing import Any

from .base import Fake, Row, _copy


class InMemoryOperatorProfile(Fake):
    store_name = "operator_profiles"

    async def get(self) -> Row | None:
        row = self.get_row(self.organization_id)
        return _copy(row) if row is not None else None

    async def save(self, values: dict[str, Any]) -> bool:
        held = self.get_row(self.organization_id)
        if held is not None and held["version"] >= values["version"]:
            return False
        self.keep(self.organization_id, values)
        return True
