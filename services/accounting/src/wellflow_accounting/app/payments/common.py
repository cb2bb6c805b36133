"""What the payment use cases share: the run as the API answers it, the interest rates on file, the ordering key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_texas.payment_law import RatePeriod


def payment_run_key(run_id: UUID) -> str:
    return f"accounting.payment_run:{run_id}"


def public_run(run: dict[str, Any]) -> dict[str, Any]:
    """The run without its file's bytes (downloaded on their own) and without the tenant column."""
    answer = {k: v for k, v in run.items() if k not in ("ach_file", "organization_id")}
    answer["has_ach_file"] = run.get("ach_file") is not None
    return answer


def rates_of(settings: dict[str, Any]) -> list[RatePeriod]:
    """The New York Fed's rates on file (``payment_settings.late_interest_rates``)."""
    return [
        RatePeriod(date.fromisoformat(r["effective"]), Decimal(r["annual_rate"]))
        for r in settings.get("late_interest_rates") or []
    ]
