"""An organization's production settings (plausibility limits, alert thresholds, economic limits) and its
downtime reason codes (a default list every organization has, plus its own additions)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wellflow_servicekit.errors import Conflict
from wellflow_servicekit.kernel import Actor, invalid

from .common import Production
from .ports import ProductionWork

# The codes every organization starts with; an organization adds its own beside them (not instead).
DEFAULT_DOWNTIME_REASONS: dict[str, str] = {
    "mechanical": "Mechanical failure (pump, rods, tubing)",
    "electrical": "Power outage or electrical failure",
    "weather": "Weather",
    "workover": "Workover or well service",
    "facility": "Facility down (tank full, separator, treater)",
    "pipeline": "Pipeline or purchaser curtailment",
    "testing": "Well test or pressure test",
    "regulatory": "Regulatory shut-in",
    "economic": "Shut in for economics",
    "other": "Other (explain in the comments)",
}


@dataclass(frozen=True)
class OrganizationSettings:
    """Limits a pumper must confirm past, and what the alert check compares against."""

    max_oil_bbl: Decimal = Decimal("1000")
    max_gas_mcf: Decimal = Decimal("10000")
    max_water_bbl: Decimal = Decimal("5000")
    below_expectation_percent: Decimal = Decimal("30")
    tank_high_percent: Decimal = Decimal("90")
    trailing_days: int = 30
    economic_limit_oil_bbl_per_day: Decimal = Decimal("2")
    economic_limit_gas_mcf_per_day: Decimal = Decimal("10")
    # the tank balance (domain.tank_ledger; docs/production.md "Tank balance")
    tank_gap_floor_bbl: Decimal = Decimal("5")
    tank_gap_capacity_percent: Decimal = Decimal("1")
    tank_stale_days: int = 3
    # deferred dollars (domain.deferred): the operator's net revenue interest; None: valued at 8/8ths
    net_revenue_interest: Decimal | None = None
    route_by_dollars_at_risk: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


SETTING_NAMES = tuple(OrganizationSettings.__dataclass_fields__)


async def load_settings(uow: ProductionWork) -> OrganizationSettings:
    row = await uow.organization.settings()
    if row is None:
        return OrganizationSettings()
    return OrganizationSettings(**{name: row[name] for name in SETTING_NAMES})


async def get_settings(production: Production, actor: Actor) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        return (await load_settings(uow)).as_dict()


async def update_settings(production: Production, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        merged = {**(await load_settings(uow)).as_dict(), **{k: v for k, v in changes.items() if v is not None}}
        row = {
            **merged,
            "organization_id": actor.organization_id,
            "updated_at": production.clock(),
            "updated_by": actor.id,
        }
        await uow.organization.save_settings(row)
    return merged


async def reason_codes(uow: ProductionWork) -> dict[str, str]:
    """Every code a reading may carry in this organization: the defaults and its active additions."""
    return {**DEFAULT_DOWNTIME_REASONS, **(await uow.organization.active_reasons())}


async def list_reasons(production: Production, actor: Actor) -> list[dict[str, Any]]:
    async with production.uow(actor) as uow:
        own = await uow.organization.own_reason_codes()
        codes = await reason_codes(uow)
    return [{"code": code, "label": label, "default": code not in own} for code, label in codes.items()]


async def add_reason(production: Production, actor: Actor, code: str, label: str) -> dict[str, Any]:
    if code in DEFAULT_DOWNTIME_REASONS:
        raise Conflict(f"{code!r} is already a default reason code.", slug="duplicate-reason-code")
    if not code.replace("_", "").replace("-", "").isalnum() or code != code.lower():
        raise invalid("body.code", "a reason code is lowercase letters, digits, '-' or '_'")
    async with production.uow(actor) as uow:
        added = await uow.organization.add_reason(
            {
                "organization_id": actor.organization_id,
                "code": code,
                "label": label,
                "active": True,
                "created_at": production.clock(),
            }
        )
        if not added:
            raise Conflict(f"The reason code {code!r} already exists.", slug="duplicate-reason-code")
    return {"code": code, "label": label, "default": False}
