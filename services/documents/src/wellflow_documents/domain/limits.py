"""How large an organization's uploads may be: by plan, with an override per organization."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

MIB = 1024 * 1024


def upload_limit(
    organization_id: UUID,
    *,
    plans: Mapping[str, int],
    default_plan: str,
    organization_plans: Mapping[str, str],
    overrides: Mapping[str, int],
) -> int:
    """The largest file in bytes ``organization_id`` may upload: its own override, else its plan's, else the
    default plan's."""
    key = str(organization_id)
    if key in overrides:
        return overrides[key]
    return plans.get(organization_plans.get(key, default_plan), plans[default_plan])
