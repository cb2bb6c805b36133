"""The reading rules as the console applies them before it keeps a reading (``domain.reading_rules.describe``
with the organization's plausibility limits, its downtime reasons and the service's today)."""

from __future__ import annotations

from typing import Any

from wellflow_servicekit.kernel import Actor, jsonable

from ...domain.reading_rules import describe
from ..common import Production
from ..organization import load_settings, reason_codes


async def reading_rules(production: Production, actor: Actor) -> dict[str, Any]:
    async with production.uow(actor) as uow:
        settings = await load_settings(uow)
        reasons = await reason_codes(uow)
    limits = {"oil_bbl": settings.max_oil_bbl, "gas_mcf": settings.max_gas_mcf, "water_bbl": settings.max_water_bbl}
    rules = describe(limits, settings.trailing_days, production.today())
    rules["downtime_reasons"] = [{"code": code, "label": label} for code, label in reasons.items()]
    return jsonable(rules)  # type: ignore[no-any-return]
