"""Checking a reading before it is stored, with the domain's rules (``domain.readings.check_reading``):
errors refuse it (422, hours below 24 without a downtime reason among them); warnings about implausible
volumes (above the organization's limits, or far above the well's own recent days: ``reading_rules.well_jumps``)
or a well that is not producing need the client's ``confirm: true``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wellflow_servicekit.errors import UnprocessableContent

from ..domain.reading_rules import RecentDays, well_jumps
from ..domain.readings import PlausibilityLimits, check_reading
from .organization import OrganizationSettings

PRODUCING = "producing"
NEEDS_CONFIRMATION = frozenset({"above_plausibility_limit", "above_well_average", "well_not_producing"})


def limits_of(settings: OrganizationSettings) -> PlausibilityLimits:
    return PlausibilityLimits(
        oil_bbl=settings.max_oil_bbl, gas_mcf=settings.max_gas_mcf, water_bbl=settings.max_water_bbl
    )


def check(
    values: dict[str, Any],
    settings: OrganizationSettings,
    *,
    well_status: str | None,
    confirm: bool,
    recent: RecentDays | None = None,
) -> list[dict[str, str]]:
    """The warnings to report with the stored reading; raises 422 on errors or unconfirmed warnings."""
    numbers = {
        k: values.get(k)
        for k in (
            "oil_bbl",
            "gas_mcf",
            "water_bbl",
            "hours_on",
            "tubing_pressure_psi",
            "casing_pressure_psi",
            "line_pressure_psi",
        )
    }
    numbers["choke_64ths"] = values.get("choke_size_64ths")
    numbers["downtime_reason"] = values.get("downtime_reason")
    typed = {k: Decimal(v) if isinstance(v, int | str) and k != "downtime_reason" else v for k, v in numbers.items()}
    errors, warnings = check_reading(typed, limits_of(settings))
    if errors:
        first = errors[0]
        raise UnprocessableContent(
            first.message,
            slug="validation-error",
            errors=[{"field": f"body.{_api_field(e.field)}", "message": e.message} for e in errors],
        )
    found = [{"field": _api_field(w.field), "code": w.code, "message": w.message} for w in warnings]
    flagged = {w["field"] for w in found}
    found += [
        {"field": field, "code": "above_well_average", "message": f"{message}: confirm it"}
        for field, message in well_jumps(typed, recent)
        if field not in flagged  # above the organization's limit already asks about it
    ]
    produced = any(Decimal(values.get(f) or 0) > 0 for f in ("oil_bbl", "gas_mcf"))
    if well_status is not None and well_status != PRODUCING and produced:
        found.append(
            {
                "field": "well_id",
                "code": "well_not_producing",
                "message": f"The well is {well_status.replace('_', ' ')}, yet the reading has production: confirm it",
            }
        )
    blocking = [w for w in found if w["code"] in NEEDS_CONFIRMATION]
    if blocking and not confirm:
        raise UnprocessableContent(
            "The reading has values outside the plausible range; check them and send it again with confirm: true.",
            slug="confirmation-required",
            code="confirmation_required",
            warnings=blocking,
            errors=[{"field": f"body.{w['field']}", "message": w["message"]} for w in blocking],
        )
    return found


def _api_field(field: str) -> str:
    return "choke_size_64ths" if field == "choke_64ths" else field
