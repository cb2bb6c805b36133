"""Identifiers and enumerations from docs/domain.md#identifiers and the seed's data model, in one place.

Sources: API well number structure and Texas county codes (docs/domain.md#api-well-number), RRC districts
(docs/domain.md#rrc-districts) [A/B]. Well type, purpose and status, permit type and status: the seed's
``well_type``, ``well_purpose``, ``well_status``, ``permit_type`` and ``permit_status`` enums.
"""

from __future__ import annotations

from enum import StrEnum

# RRC districts (14) [A]
RRC_DISTRICTS: tuple[str, ...] = ("01", "02", "03", "04", "05", "06", "6E", "7B", "7C", "08", "8A", "8B", "09", "10")

# API number rules (D12A state codes, Texas county codes): wellflow_texas.api_number, the one parser.


class WellType(StrEnum):
    OIL = "oil"
    GAS = "gas"
    OIL_GAS = "oil_gas"
    INJECTION = "injection"
    DISPOSAL = "disposal"
    WATER_SUPPLY = "water_supply"
    OBSERVATION = "observation"
    DRY_HOLE = "dry_hole"


class WellPurpose(StrEnum):
    EXPLORATION = "exploration"
    APPRAISAL = "appraisal"
    DEVELOPMENT = "development"
    INJECTION = "injection"
    DISPOSAL = "disposal"
    OBSERVATION = "observation"


class LeaseType(StrEnum):
    """RRC reports oil leases and gas wells differently (a gas well is identified by its gas well id)."""

    OIL = "oil"
    GAS = "gas"


class LeaseStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    HELD_BY_PRODUCTION = "held_by_production"


def normalize_district(value: str) -> str:
    """'8a', '8A', '08', '8' -> the RRC spelling; ValueError naming the 14 districts otherwise."""
    text = value.strip().upper()
    if len(text) == 1 and text.isdigit():
        text = "0" + text
    if text not in RRC_DISTRICTS:
        raise ValueError(f"unknown RRC district {value!r}; one of {', '.join(RRC_DISTRICTS)}")
    return text


class PermitType(StrEnum):
    DRILLING = "drilling"
    COMPLETION = "completion"
    WORKOVER = "workover"
    INJECTION = "injection"
    DISPOSAL = "disposal"
    FACILITY = "facility"
    PIPELINE = "pipeline"
    ENVIRONMENTAL = "environmental"


class PermitStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    DENIED = "denied"
    EXPIRED = "expired"
    RENEWED = "renewed"


# permits in force: the ones an "expiring soon" list is about
PERMITS_IN_FORCE = (PermitStatus.APPROVED, PermitStatus.RENEWED)

# a well test needs a hole in the ground that can flow
TESTABLE_STATUSES = frozenset({"completing", "producing", "shut_in", "temporarily_abandoned"})
