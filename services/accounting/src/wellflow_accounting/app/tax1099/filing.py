"""The IRS files (Publication 1220) of a year: the filer's settings, an original file of every return not yet
filed, a corrections file of every filed return that changed, and the files kept as sent (docs/1099.md)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound, UnprocessableContent
from wellflow_servicekit.kernel import check_same_request

from ...domain.corrections1099 import plan_corrections
from ...domain.form1099 import Form
from ...domain.pub1220 import PayeeReturn, Payer, Transmitter, write_file
from ...domain.tax_identity import TinType
from ..context import Accounting, Actor
from ..ports import AccountingWork
from .queries import check_year
from .years import load_year

SETTINGS_REQUIRED = ("payer_tin", "transmitter_control_code", "contact_name", "contact_phone")
PROFILE_REQUIRED = ("address_line1", "city", "state", "postal_code", "phone")


def payee_json(b: PayeeReturn) -> dict[str, Any]:
    return {
        "form": b.form.value,
        "tin": b.tin,
        "tin_type": b.tin_type.value if b.tin_type else None,
        "name": b.name,
        "address": b.address,
        "city": b.city,
        "state": b.state,
        "zip_code": b.zip_code,
        "account": b.account,
        "amounts": {code: f"{amount:.2f}" for code, amount in b.amounts.items()},
        "corrected": b.corrected,
        "second_tin_notice": b.second_tin_notice,
    }


def payee_from(data: Mapping[str, Any]) -> PayeeReturn:
    fields = {**data, "form": Form(data["form"]), "tin_type": TinType(data["tin_type"]) if data["tin_type"] else None}
    fields["amounts"] = {code: Decimal(v) for code, v in data["amounts"].items()}
    return PayeeReturn(**fields)


def _address(partner: Mapping[str, Any]) -> str:
    return " ".join(p for p in (partner.get("address_line1"), partner.get("address_line2")) if p)


def current_returns(
    owners: Mapping[Any, Any], partners: Mapping[UUID, Mapping[str, Any]]
) -> dict[tuple[Any, Form], PayeeReturn]:
    """Every return due now, keyed by (partner, form); 422 naming each owner with a return due and no TIN."""
    out: dict[tuple[Any, Form], PayeeReturn] = {}
    missing = []
    for pid, owner in owners.items():
        partner = partners[pid]
        if partner.get("exempt_from_1099"):
            continue
        for form in owner.forms_due():
            if not partner.get("tax_id"):
                missing.append(partner)
                break
            amounts = {code: v for code, v in owner.boxes[form].items() if v}
            out[(pid, form)] = PayeeReturn(
                form,
                partner["tax_id"],
                TinType(partner.get("tin_type") or "ssn"),
                partner["name"],
                _address(partner),
                partner.get("city") or "",
                partner.get("state") or "",
                partner.get("postal_code") or "",
                partner.get("owner_number") or "",
                amounts,
                second_tin_notice=bool(partner.get("second_b_notice")),
            )
    if missing:
        raise UnprocessableContent(
            f"{len(missing)} owner(s) with a 1099 due have no TIN: "
            + ", ".join(f"{p['name']} (owner {p.get('owner_number')})" for p in missing[:5])
            + ". Enter each one's SSN or EIN (PATCH /api/v1/partners/{id}), or mark an exempt payee.",
            slug="tin-missing",
            errors=[
                {"field": f"owners[{p.get('owner_number')}].tax_id", "message": f"{p['name']} has no TIN"}
                for p in missing
            ],
            owners_without_tin=[
                {"partner_id": str(p["id"]), "name": p["name"], "owner_number": p.get("owner_number")} for p in missing
            ],
        )
    return out


async def _parties(uow: AccountingWork) -> tuple[Transmitter, Payer]:
    settings = await uow.tax_reporting.filer_settings() or {}
    profile = await uow.operator.get() or {}
    errors = [
        {"field": f"settings.{k}", "message": "required to file"} for k in SETTINGS_REQUIRED if not settings.get(k)
    ]
    errors += [
        {"field": f"operator.{k}", "message": "set it on the Organization page"}
        for k in PROFILE_REQUIRED
        if not profile.get(k)
    ]
    name = profile.get("legal_name") or profile.get("name")
    if not name:
        errors.append({"field": "operator.legal_name", "message": "set it on the Organization page"})
    if errors:
        raise UnprocessableContent(
            "The payer's details are incomplete for an IRS file.", slug="filer-incomplete", errors=errors
        )
    address = " ".join(p for p in (profile["address_line1"], profile.get("address_line2")) if p)
    transmitter = Transmitter(
        settings.get("transmitter_tin") or settings["payer_tin"],
        settings["transmitter_control_code"],
        name,
        address,
        profile["city"],
        profile["state"],
        profile["postal_code"],
        settings["contact_name"],
        settings["contact_phone"],
        settings.get("contact_email") or "",
    )
    payer = Payer(
        settings["payer_tin"],
        name,
        address,
        profile["city"],
        profile["state"],
        profile["postal_code"],
        profile["phone"],
        settings.get("payer_name_control") or "",
    )
    return transmitter, payer


def _to_send(
    kind: str, test: bool, filed: dict[tuple[Any, Form], PayeeReturn], current: dict[tuple[Any, Form], PayeeReturn]
) -> list[tuple[Any, PayeeReturn]]:
    if kind == "original":
        return [(key[0], b) for key, b in current.items() if test or key not in filed]
    plan = plan_corrections(filed, current)
    by_account = {(b.account, b.form): key[0] for key, b in {**filed, **current}.items()}
    return [(by_account[(b.account, b.form)], b) for b in plan.corrections]


def _written(
    year: int, transmitter: Transmitter, payer: Payer, returns: list[PayeeReturn]
) -> tuple[bytes, dict[str, dict[str, str]]]:
    """The file and its totals per form and amount code."""
    try:
        data = write_file(year, transmitter, payer, returns)
    except ValueError as exc:  # an amount beyond Pub 1220's 12 digits of cents
        raise UnprocessableContent(
            f"The IRS file cannot carry this year's amounts: {exc}.", slug="amount-too-large"
        ) from None
    totals: dict[str, dict[str, str]] = {}
    for b in returns:
        for code, amount in b.amounts.items():
            form_totals = totals.setdefault(b.form.value, {})
            form_totals[code] = f"{Decimal(form_totals.get(code, '0')) + amount:.2f}"
    return data, totals


async def create_filing(
    acc: Accounting, actor: Actor, year: int, *, kind: str, test: bool, key: str | None
) -> tuple[dict[str, Any], bool]:
    check_year(year, acc.clock().date(), "body.year")
    request = {"year": year, "kind": kind, "test": test}
    async with acc.uow(actor) as uow:
        await uow.tax_reporting.lock_year(year)
        if key and (stored := await uow.tax_reporting.filing_by_key(key)) is not None:
            check_same_request(stored["request"], request, noun="filing")
            return _listed(stored), False
        transmitter, payer = await _parties(uow)
        owners, partners = await load_year(uow, year)
        current = current_returns(owners, partners)
        filed = {
            (r["partner_id"], Form(r["form"])): payee_from(r["payee"])
            for r in await uow.tax_reporting.filed_returns(year)
        }
        send = _to_send(kind, test, filed, current)
        if not send:
            raise Conflict(
                f"Nothing to send: every {year} return {'is filed' if kind == 'original' else 'is as filed'}.",
                slug="nothing-to-file",
            )
        returns = [b for _, b in send]
        data, totals = _written(year, Transmitter(**{**transmitter.__dict__, "test": test}), payer, returns)
        row = {
            "id": uuid7(),
            "year": year,
            "kind": kind,
            "test": test,
            "payees": len(returns),
            "totals": totals,
            "file": data,
            "request": request,
            "idempotency_key": key,
            "created_by": actor.id,
            "created_at": acc.clock(),
        }
        await uow.tax_reporting.add_filing(
            row,
            [
                {
                    "position": i,
                    "partner_id": pid,
                    "form": b.form.value,
                    "corrected": b.corrected,
                    "payee": payee_json(b),
                }
                for i, (pid, b) in enumerate(send)
            ],
        )
    return _listed(row), True


def _listed(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("file", "request", "organization_id")}


async def list_filings(acc: Accounting, actor: Actor, year: int) -> list[dict[str, Any]]:
    async with acc.uow(actor) as uow:
        return [_listed(r) for r in await uow.tax_reporting.filings(year)]


async def filing_file(acc: Accounting, actor: Actor, filing_id: UUID) -> tuple[dict[str, Any], bytes]:
    async with acc.uow(actor) as uow:
        row = await uow.tax_reporting.filing(filing_id)
    if row is None:
        raise NotFound(f"No 1099 filing {filing_id}.")
    return _listed(row), bytes(row["file"])


async def get_settings(acc: Accounting, actor: Actor) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.tax_reporting.filer_settings() or {}


async def put_settings(acc: Accounting, actor: Actor, values: Mapping[str, Any]) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await uow.tax_reporting.save_filer_settings(
            {**values, "updated_by": actor.id, "updated_at": acc.clock()}
        )
