"""Building one lease's Form PR line: the figures as reported and every problem with them.

See ``form_pr`` for the rounding rule. Problems are collected through an ``IssueSink`` that prefixes the
lease, so each message names the lease a clerk must look at.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from wellflow_texas.apportion import largest_remainder
from wellflow_texas.form_pr import (
    FLARE_AUTHORITIES,
    FLARE_VENT_CODES,
    GAS_DISPOSITION_CODES,
    format_api_number,
    is_valid_district,
    is_valid_lease_number,
    products_for,
)

from .form_pr import (
    PRODUCT_LABELS,
    Adjustment,
    Disposition,
    FormPrLine,
    Issue,
    LeaseFacts,
    LeaseMonth,
    LeaseType,
    RecordedGas,
    Severity,
    fmt,
    lease_identifier,
    whole,
)
from .form_pr_details import check_product_codes, with_authority_remarks
from .form_pr_gas_wells import LeaseFigures, gas_well_lines
from .form_pr_liquids import liquids_of

IssueSink = Callable[..., None]


def whole_parts(values: list[Decimal]) -> list[int]:
    """Whole numbers adding up to the half-up rounded total, each within one of its value (largest remainder,
    ties to the first)."""
    return largest_remainder(values, whole(sum(values, Decimal("0"))))


def build_line(
    lease: LeaseFacts,
    month: LeaseMonth | None,
    *,
    previous_ending: int | None,
    adjustments: Iterable[Adjustment] = (),
    run_ticket_bbl: dict[str, Decimal] | None = None,
) -> FormPrLine:
    """One lease's line for the month, with everything a clerk must fix (errors) or know (warnings)."""
    issues: list[Issue] = []
    lease_type: LeaseType = lease.lease_type
    liquid_product, gas_product = products_for(lease_type)
    liquid_label, gas_label = PRODUCT_LABELS[liquid_product], PRODUCT_LABELS[gas_product]
    who = _who(lease)

    def issue(severity: Severity, code: str, message: str, fld: str | None = None) -> None:
        issues.append(Issue(severity, code, f"{who}: {message}", lease.lease_id, fld))

    _check_identification(lease, month, issue)
    kind, identifier = lease_identifier(lease)
    liquid_by_code, gas_entries, authority_for, remarks = _collect(month, adjustments)
    check_product_codes((liquid_product, liquid_by_code), (gas_product, gas_entries), issue)
    beginning = _beginning(month, previous_ending)
    liquids = liquids_of(month, beginning, liquid_by_code, run_ticket_bbl, liquid_label, issue)
    gas_dispositions, gas_production = _gas(month, gas_entries, authority_for, gas_label, issue)
    remarks = with_authority_remarks(remarks, gas_dispositions)
    liquid_figures = (beginning, liquids.production, tuple(liquids.dispositions))
    figures = LeaseFigures(*liquid_figures, gas_production, tuple(gas_dispositions), tuple(remarks))
    gas_wells = gas_well_lines(lease, month, figures, issue)
    return FormPrLine(
        lease_id=lease.lease_id,
        lease_name=lease.name,
        lease_type=lease_type,
        rrc_district=lease.rrc_district,
        identifier_kind=kind,
        identifier=identifier,
        liquid_product=liquid_product,
        gas_product=gas_product,
        beginning_stock=beginning,
        liquid_production=liquids.production,
        liquid_dispositions=tuple(liquids.dispositions),
        ending_stock=liquids.ending,
        gas_production=gas_production,
        gas_dispositions=tuple(gas_dispositions),
        remarks=tuple(remarks),
        issues=tuple(issues),
        source_revision=month.revision if month else None,
        api_numbers=tuple(sorted(format_api_number(w.api_number) for w in lease.wells if w.api_number)),
        liquid_basis=liquids.basis,
        liquid_readings=liquids.readings,
        liquid_variance=liquids.variance,
        gas_wells=gas_wells,
        purchasers=lease.purchasers,
        measured_liquid=tuple(sorted(liquid_by_code.items())),
        measured_gas=_measured_gas(gas_entries, authority_for),
    )


def _beginning(month: LeaseMonth | None, previous_ending: int | None) -> int:
    """Last month's reported ending stock; for a lease's first month the tanks' opening stock, or 0."""
    if previous_ending is not None:
        return previous_ending
    if month is not None and month.beginning_stock_bbl is not None:
        return whole(month.beginning_stock_bbl)
    return 0


def _measured_gas(
    gas_entries: list[RecordedGas], authority_for: dict[str, str]
) -> tuple[tuple[str, Decimal, str | None], ...]:
    """Each gas disposition as measured, with the flare/vent authority the office gave where none was recorded."""
    grouped: dict[tuple[str, str | None], Decimal] = defaultdict(Decimal)
    for entry in gas_entries:
        authority = entry.authority or (authority_for.get(entry.code) if entry.code in FLARE_VENT_CODES else None)
        grouped[(entry.code, authority)] += entry.mcf
    keys = sorted(grouped, key=lambda k: (k[0], k[1] or ""))
    return tuple((code, grouped[(code, authority)], authority) for code, authority in keys)


def _check_identification(lease: LeaseFacts, month: LeaseMonth | None, issue: IssueSink) -> None:
    """District, lease number or how a pending lease is reported, and lease type."""
    if month is not None and month.lease_type != lease.lease_type:
        issue(
            "warning",
            "lease-type-mismatch",
            f"the registry lists it as a {lease.lease_type} lease but production reported it as {month.lease_type}; "
            f"it is reported as {lease.lease_type}. Check the lease type in the well registry.",
            "lease_type",
        )

    kind, identifier = lease_identifier(lease)
    if not is_valid_district(lease.rrc_district):
        issue(
            "error",
            "invalid-district",
            f"RRC district {lease.rrc_district!r} is not one of 01-10, 6E, 7B, 7C, 8A, 8B.",
            "rrc_district",
        )
    if kind in ("lease_number", "gas_well_id"):
        if not is_valid_lease_number(identifier):
            what = "gas well id" if kind == "gas_well_id" else "lease number"
            issue(
                "error",
                "invalid-lease-number",
                f"RRC {what} {identifier!r} is not valid (up to 6 digits or capital letters).",
                "rrc_lease_number",
            )
    elif kind in ("api_number", "permit_number"):
        label = "API number" if kind == "api_number" else "drilling permit number"
        issue(
            "warning",
            "pending-lease",
            f"no RRC lease number yet; reported under {label} {identifier}. Enter the lease number in the well "
            "registry once the RRC assigns it.",
            "rrc_lease_number",
        )
    else:
        issue(
            "error",
            "pending-lease-unidentified",
            "no RRC lease number yet and no well with an API or permit number to report it under. Register the "
            "lease's well (with its API number) or enter the lease number.",
            "rrc_lease_number",
        )

    # A gas lease with several gas wells is reported one line per gas well (form_pr_gas_wells), each under its
    # gas well ID; a well without one is an error raised there.


def _collect(
    month: LeaseMonth | None, adjustments: Iterable[Adjustment]
) -> tuple[dict[str, Decimal], list[RecordedGas], dict[str, str], list[str]]:
    """Production's dispositions with the office's adjustments added: liquids by code, gas entries, the
    authorities the office gave for 10/11, and the remarks."""
    liquid_by_code: dict[str, Decimal] = defaultdict(Decimal)
    for code, bbl in month.liquid_dispositions if month else ():
        liquid_by_code[code] += bbl
    gas_entries: list[RecordedGas] = list(month.gas_dispositions) if month else []
    authority_for: dict[str, str] = {}
    remarks: list[str] = []
    for adj in adjustments:
        if adj.product == "liquid" and adj.code:
            liquid_by_code[adj.code] += adj.volume
        elif adj.product == "gas" and adj.code:
            if adj.volume != 0:
                gas_entries.append(RecordedGas(adj.code, adj.volume, adj.authority))
            elif adj.authority:
                authority_for[adj.code] = adj.authority
        if adj.remark:
            remarks.append(adj.remark)
    return liquid_by_code, gas_entries, authority_for, remarks


def _gas_disposition(
    code: str, authority: str | None, volume: int, gas_label: str, issue: IssueSink
) -> Disposition | None:
    """One gas disposition in whole MCF, with the code, sign and flare/vent authority checks (None: 0 MCF)."""
    if code not in GAS_DISPOSITION_CODES:
        issue(
            "error",
            "unknown-disposition-code",
            f"{gas_label} disposition code {code!r} is not a Form PR gas code (01-03, 05-11; 04 was "
            "replaced in 2021 by 10 flared and 11 vented).",
            "gas_dispositions",
        )
    if volume < 0:
        issue(
            "error",
            "negative-disposition",
            f"{gas_label} disposition {code} adds up to {fmt(volume)} MCF.",
            "gas_dispositions",
        )
    if volume == 0:
        return None
    if code in FLARE_VENT_CODES:
        verb = "flared (code 10)" if code == "10" else "vented (code 11)"
        if authority is None:
            issue(
                "error",
                "flare-authority-missing",
                f"{fmt(volume)} MCF {verb} carries no authority. Add it: AR (by rule), AE (by exception), "
                "EP (exception pending) or EX (exempt).",
                "gas_dispositions",
            )
        elif authority not in FLARE_AUTHORITIES:
            issue(
                "error",
                "flare-authority-invalid",
                f"{fmt(volume)} MCF {verb} has authority {authority!r}; it must be AR, AE, EP or EX.",
                "gas_dispositions",
            )
    elif authority is not None:
        authority = None
    return Disposition(code, volume, authority, GAS_DISPOSITION_CODES.get(code, ""))


def _gas(
    month: LeaseMonth | None,
    gas_entries: list[RecordedGas],
    authority_for: dict[str, str],
    gas_label: str,
    issue: IssueSink,
) -> tuple[list[Disposition], int]:
    """(dispositions, production) of the lease's gas, with the disposition and authority checks."""
    measured = _measured_gas(gas_entries, authority_for)
    rounded = whole_parts([volume for _, volume, _ in measured])
    gas_dispositions: list[Disposition] = []
    for (code, _, authority), volume in zip(measured, rounded, strict=True):
        disposition = _gas_disposition(code, authority, volume, gas_label, issue)
        if disposition is not None:
            gas_dispositions.append(disposition)
    gas_production = whole(month.gas_mcf if month else Decimal("0"))
    gas_disposed = sum(d.volume for d in gas_dispositions)
    if gas_disposed != gas_production:
        difference = gas_production - gas_disposed
        if difference > 0:
            hint = (
                f"{fmt(difference)} MCF have no disposition. Add them (e.g. 01 lease fuel, 10 flared with authority)."
            )
        else:
            hint = f"dispositions exceed production by {fmt(-difference)} MCF. Correct the dispositions or readings."
        issue(
            "error",
            "gas-disposition-mismatch",
            f"{gas_label} dispositions total {fmt(gas_disposed)} MCF but the lease produced {fmt(gas_production)} "
            f"MCF (gas is not stored: they must be equal); {hint}",
            "gas_dispositions",
        )
    return gas_dispositions, gas_production


def _who(lease: LeaseFacts) -> str:
    number = f" ({lease.rrc_district}-{lease.rrc_lease_number})" if lease.rrc_lease_number else ""
    return f"Lease {lease.name}{number}"
