"""Integration events published by the production service (daily field data and what is computed from it).

Ordering keys: readings and their corrections share ``production.well:<well_id>``; run tickets and lease-month
totals share ``production.lease:<lease_id>``, so a consumer sees a lease's totals in the order they were
computed. ``LeaseMonthUpdated`` is the whole picture of one lease and month after a change (not a diff) and
carries a ``revision`` that grows with every change: a consumer keeps the highest revision it has seen and
ignores older ones, which makes redelivery and replay harmless.

Volumes are Decimal: oil, condensate and water in barrels, gas in thousand cubic feet (MCF). Run-ticket
barrels and the ``*_net_stock_bbl`` figures are net standard barrels (corrected to 60 F per API MPMS 11.1,
less BS&W where measured); daily readings are the pumpers' figures as entered.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from wellflow_contracts.base import IntegrationEvent

GasDispositionCode = Literal["01", "02", "03", "05", "06", "07", "08", "09", "10", "11"]
FlareAuthority = Literal["AR", "AE", "EP", "EX"]


class ReadingVolumes(BaseModel):
    """What a pumper measured at one well for one day."""

    oil_bbl: Decimal
    gas_mcf: Decimal
    water_bbl: Decimal
    hours_on: Decimal = Field(description="0..24")
    downtime_reason: str | None = Field(default=None, description="reason code when the well was down")
    tubing_pressure_psi: Decimal | None = None
    casing_pressure_psi: Decimal | None = None
    line_pressure_psi: Decimal | None = None
    choke_size_64ths: Decimal | None = None
    comments: str | None = None


class ReadingRecorded(IntegrationEvent):
    """A daily well reading was recorded (the first version of that well's day)."""

    type: Literal["production.reading_recorded.v1"] = "production.reading_recorded.v1"
    reading_id: UUID
    well_id: UUID
    api_number: str
    lease_id: UUID
    production_date: date
    version: int = Field(description="1 for a new reading; corrections raise it")
    values: ReadingVolumes
    recorded_by: str
    measured_at: datetime | None = None
    device_id: str | None = None

    aggregate_field = "well_id"


class ReadingCorrected(IntegrationEvent):
    """A past reading was changed; the previous values are kept, with who changed them and why."""

    type: Literal["production.reading_corrected.v1"] = "production.reading_corrected.v1"
    reading_id: UUID
    well_id: UUID
    api_number: str
    lease_id: UUID
    production_date: date
    version: int = Field(description="the version after the correction")
    previous: ReadingVolumes
    values: ReadingVolumes
    reason: str
    corrected_by: str
    deleted: bool = Field(default=False, description="true when the reading was removed (values are then zero)")

    aggregate_field = "well_id"


class ReadingsImported(IntegrationEvent):
    """One summary per CSV import of daily readings (the readings themselves are not announced one by one;
    the lease-month totals they change are, as ``LeaseMonthUpdated``)."""

    type: Literal["production.readings_imported.v1"] = "production.readings_imported.v1"
    import_id: UUID
    file_name: str | None = None
    mode: Literal["good_lines", "all_or_nothing"]
    rows_total: int
    rows_imported: int
    rows_rejected: int
    first_date: date | None = None
    last_date: date | None = None
    well_count: int
    lease_ids: list[UUID]
    imported_by: str

    aggregate_field = "import_id"


class RunTicketRecorded(IntegrationEvent):
    """A purchaser's hauler (or a LACT unit) took oil from a battery tank: the oil leaves stock and is sold."""

    type: Literal["production.run_ticket_recorded.v1"] = "production.run_ticket_recorded.v1"
    ticket_id: UUID
    ticket_number: str
    lease_id: UUID
    battery_id: UUID
    tank_id: UUID
    taken_at: datetime
    production_month: date = Field(description="first day of the month the oil is disposed in")
    disposition_code: Literal["00", "01", "02"] = Field(description="Form PR: 00 pipeline, 01 truck, 02 tank car/barge")
    gross_bbl: Decimal = Field(description="opening minus closing gauge through the tank's strapping table")
    net_bbl: Decimal = Field(
        description="net standard volume: each gauge corrected to 60 F at its own tank temperature, BS&W removed"
    )
    observed_gravity_api: Decimal = Field(description="the sample's gravity as read")
    observed_temperature_f: Decimal = Field(description="the sample's temperature when its gravity was read")
    bsw_percent: Decimal
    purchaser: str
    price_per_bbl: Decimal | None = Field(
        default=None, description="purchaser's price per net barrel, when on the ticket"
    )
    seal_numbers: list[str] = Field(default_factory=list)
    recorded_by: str
    opening_temperature_f: Decimal | None = Field(
        default=None, description="the tank's temperature at the opening gauge (None from older producers)"
    )
    closing_temperature_f: Decimal | None = Field(
        default=None, description="the tank's temperature at the closing gauge"
    )
    api_gravity_60: Decimal | None = Field(
        default=None, description="the sample's gravity corrected to 60 F (API MPMS 11.1 Table 5A)"
    )

    aggregate_field = "lease_id"


class RunTicketRejected(IntegrationEvent):
    """The purchaser refused a load after its run ticket was recorded (e.g. BS&W over the contract's limit): the
    oil never left the tank. The ticket no longer counts as a disposition; the dispute over it stays open until
    ``production.run_ticket_rejection_resolved.v1``."""

    type: Literal["production.run_ticket_rejected.v1"] = "production.run_ticket_rejected.v1"
    ticket_id: UUID
    ticket_number: str
    purchaser: str
    hauler: str | None = None
    lease_id: UUID
    tank_id: UUID
    production_month: date
    gross_bbl: Decimal
    net_bbl: Decimal
    reason: str
    photo_document_id: str | None = Field(default=None, description="an opaque document id of the evidence")
    rejected_at: datetime
    recorded_by: str

    aggregate_field = "lease_id"


class RunTicketRejectionResolved(IntegrationEvent):
    """The dispute over a refused load was settled: who settled it and why."""

    type: Literal["production.run_ticket_rejection_resolved.v1"] = "production.run_ticket_rejection_resolved.v1"
    ticket_id: UUID
    lease_id: UUID
    resolution: str
    resolved_by: str
    resolved_at: datetime

    aggregate_field = "lease_id"


class GasDisposition(BaseModel):
    code: GasDispositionCode = Field(description="Form PR gas disposition code")
    mcf: Decimal
    authority: FlareAuthority | None = Field(default=None, description="required for 10 flared and 11 vented")


class OilDisposition(BaseModel):
    code: str = Field(description="Form PR oil/condensate disposition code, e.g. 00 pipeline, 01 truck")
    bbl: Decimal


class WellMonthVolumes(BaseModel):
    well_id: UUID
    api_number: str
    oil_bbl: Decimal
    gas_mcf: Decimal
    water_bbl: Decimal
    production_days: int


class StockGauge(BaseModel):
    """A gauge in the month's beginning or ending stock whose net is not corrected to 60 F."""

    tank_id: UUID
    tank_number: str = ""
    gauge_date: date
    stock: Literal["beginning", "ending"]
    basis: str = Field(description="why it is uncorrected: no_temperature, no_gravity or legacy (before measurement)")


class LeaseMonthUpdated(IntegrationEvent):
    """The lease's totals for one month after a change (reading, correction, import, gauge, run ticket or gas
    disposition). Oil leases report ``oil_bbl`` and ``casinghead_gas_mcf``; gas leases report
    ``gas_well_gas_mcf`` and ``condensate_bbl`` (the other pair is zero). ``gas_mcf`` is the lease's gas either
    way, and ``liquid_bbl`` its oil or condensate."""

    type: Literal["production.lease_month_updated.v1"] = "production.lease_month_updated.v1"
    lease_id: UUID
    month: date = Field(description="first day of the production month")
    revision: int = Field(description="grows with every change to this lease and month; keep the highest")
    lease_type: Literal["oil", "gas"]
    oil_bbl: Decimal
    condensate_bbl: Decimal
    casinghead_gas_mcf: Decimal
    gas_well_gas_mcf: Decimal
    water_bbl: Decimal
    liquid_bbl: Decimal
    gas_mcf: Decimal
    production_days: int = Field(description="days in the month on which at least one well produced")
    beginning_oil_stock_bbl: Decimal | None = Field(
        default=None,
        description="oil or condensate on hand at the start of the month from tank gauges: GROSS observed barrels "
        "(strapping table); see beginning_net_stock_bbl for the Form PR's basis",
    )
    ending_oil_stock_bbl: Decimal | None = Field(
        default=None, description="on hand at month end from gauges: GROSS observed barrels"
    )
    oil_dispositions: list[OilDisposition] = Field(default_factory=list, description="from run tickets, by code")
    oil_disposed_bbl: Decimal = Field(description="net barrels on the month's run tickets")
    gas_dispositions: list[GasDisposition] = Field(default_factory=list)
    gas_disposition_mismatch_mcf: Decimal = Field(
        description="gas production minus the recorded gas dispositions (0 when they add up)"
    )
    wells: list[WellMonthVolumes] = Field(default_factory=list)
    beginning_net_stock_bbl: Decimal | None = Field(
        default=None,
        description="net standard barrels (60 F, less BS&W) in the oil tanks at the start of the month: the sum "
        "over oil tanks of the last gauge's net before the month (None: no tank was ever gauged)",
    )
    ending_net_stock_bbl: Decimal | None = Field(
        default=None, description="the same at the end of the month (each oil tank's last gauge up to its last day)"
    )
    month_end_gauged: bool = Field(
        default=False,
        description="every oil tank of the lease has its last gauge dated the month's last day, so ending stock "
        "is the tanks' month-end contents (false: no tanks, or a tank not gauged at month end)",
    )
    uncorrected_stock_gauges: list[StockGauge] = Field(
        default_factory=list,
        description="gauges in the beginning or ending stock whose net is not temperature-corrected",
    )

    aggregate_field = "lease_id"


AlertKind = Literal[
    "missing_reading",
    "zero_hours",
    "below_expectation",
    "tank_high",
    "negative_stock",
    "tank_balance_gap",
    "tank_gauge_stale",
]


class AlertRaised(IntegrationEvent):
    """Something a manager should look at: a producing well without a reading or with zero hours, a well
        producing below its expectation, a tank near full, readings that imply negative stock, a tank gauged off its
    balance (``tank_balance_gap``), or a producing tank whose gauge has not moved (``tank_gauge_stale``)."""

    type: Literal["production.alert_raised.v1"] = "production.alert_raised.v1"
    alert_id: UUID
    kind: AlertKind
    day: date
    well_id: UUID | None = None
    lease_id: UUID | None = None
    battery_id: UUID | None = None
    tank_id: UUID | None = None
    message: str
    details: dict[str, str] = Field(default_factory=dict)

    aggregate_field = "alert_id"
