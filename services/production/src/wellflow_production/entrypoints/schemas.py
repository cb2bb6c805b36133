"""Request and response bodies of the production API. Volumes are Decimal (JSON numbers or strings in,
strings out, so no client loses a cent of a barrel to floating point). Names follow XCreate (a new resource),
XUpdate (a change; ``ReadingReplace`` restates a whole reading), XRead (an answer)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from ..domain.csv_rows import EARLIEST_DAY
from ..domain.reading_rules import CORRECTION_REASON_CHARS, FIELDS, MAX_CODE_CHARS, MAX_COMMENT_CHARS
from ..domain.route import MAX_ROUTE_WELLS

# A production day: from 1900 (the CSV import's bound too), so date arithmetic never leaves Python's range.
Day = Annotated[date, Field(ge=EARLIEST_DAY, le=date(9998, 12, 31))]


def _bounded(name: str, description: str | None = None) -> Any:
    """A reading's numeric field with its bounds and places from ``domain.reading_rules.FIELDS`` (served to
    the console by ``GET /api/v1/readings/rules``)."""
    rule = FIELDS[name]
    return Annotated[
        Decimal, Field(ge=rule.minimum, le=rule.maximum, decimal_places=rule.decimals, description=description)
    ]


Volume = _bounded("oil_bbl")
Pressure = _bounded("tubing_pressure_psi")
HoursOn = _bounded("hours_on", "0..24")
Choke = _bounded("choke_size_64ths")
Code = Annotated[str, Field(min_length=1, max_length=MAX_CODE_CHARS)]
Comments = Annotated[str, Field(max_length=MAX_COMMENT_CHARS)]
CorrectionReason = Annotated[
    str,
    Field(
        min_length=CORRECTION_REASON_CHARS[0],
        max_length=CORRECTION_REASON_CHARS[1],
        description="why the reading is corrected",
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Gps(Strict):
    latitude: Annotated[Decimal, Field(ge=-90, le=90, decimal_places=7)]
    longitude: Annotated[Decimal, Field(ge=-180, le=180, decimal_places=7)]


class GpsRead(BaseModel):
    """A reading's position as answered (strings, like every Decimal out). A separate model from ``Gps`` so
    one name never stands for two shapes (FastAPI would publish ``Gps-Input`` and ``Gps-Output``)."""

    latitude: Decimal
    longitude: Decimal


class ReadingValues(Strict):
    oil_bbl: Volume
    gas_mcf: Volume
    water_bbl: Volume
    hours_on: HoursOn
    downtime_reason: Code | None = Field(default=None, description="a code from /api/v1/readings/downtime-reasons")
    tubing_pressure_psi: Pressure | None = None
    casing_pressure_psi: Pressure | None = None
    line_pressure_psi: Pressure | None = None
    choke_size_64ths: Choke | None = None
    comments: Comments | None = None


class ReadingCreate(ReadingValues):
    reading_id: UUID | None = Field(
        default=None, description="client-generated id: a retry with the same id answers the first result"
    )
    well_id: UUID
    production_date: Day
    measured_at: AwareDatetime | None = Field(default=None, description="when the pumper read the gauges")
    device_id: Annotated[str, Field(max_length=200)] | None = None
    gps: Gps | None = None
    photo_ref: Annotated[str, Field(max_length=500)] | None = None
    confirm: bool = Field(default=False, description="true to store values outside the plausible range")


class ReadingUpdate(Strict):
    oil_bbl: Volume | None = None
    gas_mcf: Volume | None = None
    water_bbl: Volume | None = None
    hours_on: HoursOn | None = None
    downtime_reason: Code | None = None
    tubing_pressure_psi: Pressure | None = None
    casing_pressure_psi: Pressure | None = None
    line_pressure_psi: Pressure | None = None
    choke_size_64ths: Choke | None = None
    comments: Comments | None = None
    reason: CorrectionReason
    version: int | None = Field(default=None, description="the version being corrected (or send If-Match)")
    confirm: bool = False


class ReadingReplace(ReadingValues):
    """A correction that restates every value of the day (PUT, the whole-body ``ReadingUpdate``); what is not
    sent becomes empty."""

    reason: CorrectionReason
    version: int | None = Field(default=None, description="the version being corrected (or send If-Match)")
    confirm: bool = False


class ReadingRead(BaseModel):
    reading_id: UUID
    well_id: UUID
    lease_id: UUID
    production_date: Day
    version: int
    oil_bbl: Decimal
    gas_mcf: Decimal
    water_bbl: Decimal
    hours_on: Decimal
    downtime_reason: str | None
    tubing_pressure_psi: Decimal | None
    casing_pressure_psi: Decimal | None
    line_pressure_psi: Decimal | None
    choke_size_64ths: Decimal | None
    comments: str | None
    recorded_by: str
    entered_at: datetime
    measured_at: datetime | None
    device_id: str | None
    gps: GpsRead | None
    photo_ref: str | None
    source: str
    import_id: UUID | None
    updated_at: datetime
    updated_by: str
    warnings: list[dict[str, str]] | None = None


class ReadingPage(BaseModel):
    items: list[ReadingRead]
    next_cursor: str | None
    limit: int


class ReasonCreate(Strict):
    code: Annotated[str, Field(min_length=1, max_length=40)]
    label: Annotated[str, Field(min_length=1, max_length=200)]


class SettingsUpdate(Strict):
    max_oil_bbl: Volume | None = None
    max_gas_mcf: Volume | None = None
    max_water_bbl: Volume | None = None
    below_expectation_percent: Annotated[Decimal, Field(gt=0, le=100)] | None = None
    tank_high_percent: Annotated[Decimal, Field(gt=0, le=100)] | None = None
    trailing_days: Annotated[int, Field(ge=3, le=365)] | None = None
    economic_limit_oil_bbl_per_day: Volume | None = None
    economic_limit_gas_mcf_per_day: Volume | None = None
    tank_gap_floor_bbl: Annotated[Decimal, Field(gt=0, le=1000, description="bbl a tank gap may reach")] | None = None
    tank_gap_capacity_percent: Annotated[Decimal, Field(ge=0, le=100, description="% of capacity")] | None = None
    tank_stale_days: Annotated[int, Field(ge=1, le=60, description="days unmoved")] | None = None
    net_revenue_interest: Annotated[Decimal, Field(gt=0, le=1, max_digits=10, decimal_places=8)] | None = None
    route_by_dollars_at_risk: bool | None = None


class Gauge(Strict):
    feet: Annotated[int, Field(ge=0, le=60)]
    inches: Annotated[int, Field(ge=0, le=11)]
    quarters: Annotated[int, Field(ge=0, le=3, description="quarter inches")] = 0


class TankGaugeCreate(Gauge):
    tank_id: UUID
    gauged_at: AwareDatetime
    gauge_date: Day | None = Field(default=None, description="the production day it closes; default: gauged_at's day")
    bottom_water_inches: Annotated[Decimal, Field(ge=0, le=720)] | None = None
    temperature_f: Annotated[Decimal, Field(ge=-40, le=250)] | None = Field(
        default=None,
        description="the tank's temperature (F); without it the gauge's net is not corrected to 60 F (flagged)",
    )
    bsw_percent: Annotated[Decimal, Field(ge=0, lt=100)] | None = Field(
        default=None, description="BS&W of the tank's sample, when one was taken"
    )
    observed_gravity_api: Annotated[Decimal, Field(gt=0, le=100)] | None = Field(
        default=None, description="the sample's gravity, when taken; otherwise the latest run ticket's at 60 F is used"
    )
    gravity_temperature_f: Annotated[Decimal, Field(ge=-40, le=250)] | None = Field(
        default=None, description="the sample's temperature at its gravity reading; default: temperature_f"
    )
    comments: Annotated[str, Field(max_length=2000)] | None = None


class RunTicketCreate(Strict):
    ticket_number: Annotated[str, Field(min_length=1, max_length=40)]
    purchaser: Annotated[str, Field(min_length=1, max_length=200)]
    hauler: Annotated[str, Field(max_length=200)] | None = None
    driver: Annotated[str, Field(max_length=200)] | None = None
    tank_id: UUID
    taken_at: AwareDatetime
    production_month: Day | None = Field(default=None, description="first day of the month; default: taken_at's")
    disposition_code: Literal["00", "01", "02"] = Field(default="01", description="00 pipeline, 01 truck, 02 tank car")
    opening_gauge: Gauge
    closing_gauge: Gauge
    observed_gravity_api: Annotated[Decimal, Field(gt=0, le=100, description="the sample's gravity as read")]
    observed_temperature_f: Annotated[
        Decimal, Field(ge=0, le=250, description="the sample's temperature at the gravity reading")
    ]
    opening_temperature_f: Annotated[Decimal, Field(ge=0, le=250)] | None = Field(
        default=None, description="the tank's temperature at the opening gauge; default: observed_temperature_f"
    )
    closing_temperature_f: Annotated[Decimal, Field(ge=0, le=250)] | None = Field(
        default=None, description="the tank's temperature at the closing gauge; default: observed_temperature_f"
    )
    hydrometer_correction: bool = Field(
        default=True,
        description="the gravity is a glass hydrometer reading, corrected for the glass (API MPMS 11.1-2004); "
        "false: read with an instrument that needs no correction, or corrected already",
    )
    bsw_percent: Annotated[Decimal, Field(ge=0, lt=100)]
    price_per_bbl: Annotated[Decimal, Field(ge=0, le=100000, decimal_places=4)] | None = Field(
        default=None, description="the purchaser's price per net barrel, when on the ticket"
    )
    seal_numbers: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(default_factory=list, max_length=20)
    comments: Annotated[str, Field(max_length=2000)] | None = None


GasCode = Literal["01", "02", "03", "05", "06", "07", "08", "09", "10", "11"]


class GasDispositionCreate(Strict):
    lease_id: UUID
    month: Day | None = Field(default=None, description="a monthly entry: any day of the month")
    day: Day | None = Field(default=None, description="a daily entry")
    code: GasCode = Field(description="Form PR gas disposition code (10 flared, 11 vented need an authority)")
    mcf: Volume
    authority: Literal["AR", "AE", "EP", "EX"] | None = None
    meter_id: Annotated[str, Field(max_length=100)] | None = None
    purchaser: Annotated[str, Field(max_length=200)] | None = None
    comments: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _one_period(self) -> GasDispositionCreate:
        if (self.month is None) == (self.day is None):
            raise ValueError("give either `day` (a daily entry) or `month` (a monthly entry)")
        if self.code in ("10", "11") and self.authority is None:
            raise ValueError("flared (10) and vented (11) gas needs its authority: AR, AE, EP or EX")
        if self.code not in ("10", "11") and self.authority is not None:
            raise ValueError("only flared (10) and vented (11) gas carries an authority")
        return self


class AlertCheckCreate(Strict):
    day: Day


class AcknowledgementCreate(Strict):
    note: Annotated[str, Field(max_length=1000)] | None = Field(
        default=None,
        description="what was done or found (up to 1,000 characters); kept on the alert; blank is no note",
    )

    @field_validator("note")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None


class RouteAssignmentUpdate(Strict):
    well_ids: list[UUID] = Field(
        min_length=1,
        max_length=MAX_ROUTE_WELLS,
        description="the wells in visiting order (DELETE the route to give the member the default one again)",
    )


def drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


class RejectionCreate(Strict):
    reason: Annotated[str, Field(min_length=1, max_length=500, description="why the purchaser refused the load")]
    photo_document_id: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="the evidence's document id (kept as given)"
    )


class ResolutionCreate(Strict):
    resolution: Annotated[str, Field(min_length=1, max_length=1000, description="how the dispute was settled")]
