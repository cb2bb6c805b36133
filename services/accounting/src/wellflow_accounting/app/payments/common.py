"""What the payment use cases share: the run as the API answers it and the ordering key."""

from __future__ import annotations

from typing import Any
from uuid import UUID


def payment_run_key(run_id: UUID) -> str:
    return f"accounting.payment_run:{run_id}"


def public_run(run: dict[str, Any]) -> dict[str, Any]:
    """The run without its file's bytes (downloaded on their own) and without the tenant column."""
    answer = {k: v for k, v in run.items() if k not in ("ach_file", "organization_id")}
    answer["has_ach_file"] = run.get("ach_file") is not None
    return answer
