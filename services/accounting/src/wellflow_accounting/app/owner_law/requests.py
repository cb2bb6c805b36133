"""Owners' written requests for information (Nat. Res. Code 91.504 and 91.507): recorded with the day the payor
received them, tracked to the 60th day after, and answered from WellFlow's data: the owner's decimal, the
property with its RRC identification and county, and volumes, prices and values by sales month (the owner
statement's lines, across every finalized run of the period)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from wellflow_contracts.ids import uuid7
from wellflow_servicekit.errors import Conflict, NotFound
from wellflow_texas.payment_law import information_answer_due

from ...domain.operator import OperatorContact, statement_file_name
from ..context import Accounting, Actor, check_month, invalid
from ..operator import current_contact
from ..ports import AccountingWork
from ..statements import _owner, _stub_line

KIND_TEXT = {
    "deductions": "91.504(a): an explanation of deductions from or adjustments to payments",
    "heating_value": "91.504(b): the heating value of the gas (a copy of the Form G-1 or a statement)",
    "lease_identification": "91.504(c): lease, property or well identification for the preceding year",
    "payment_information": "91.507: the check-stub information of 91.502 and 91.503",
}
HEATING_VALUE_NOTE = (
    "WellFlow does not hold gas heating values (BTU): attach a copy of the Form G-1 filed with the Railroad "
    "Commission, as 91.504(b)(1) allows."
)


def _read(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    open_ = row["answered_on"] is None
    return {
        **row,
        "overdue": open_ and today > row["due_on"],
        "days_left": (row["due_on"] - today).days if open_ else None,
    }


async def record_request(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """Record a request (an id chosen by the client makes a retry harmless); its deadline is 60 days after receipt."""
    today = acc.clock().date()
    if data["received_on"] > today:
        raise invalid("body.received_on", "a request cannot be received in the future")
    for name in ("period_from", "period_to"):
        if data.get(name) is not None:
            check_month(data[name], f"body.{name}")
    if data.get("period_from") and data.get("period_to") and data["period_from"] > data["period_to"]:
        raise invalid("body.period_to", "the period ends before it starts")
    row = {
        **{
            k: data.get(k)
            for k in ("partner_id", "lease_id", "kind", "received_on", "asked", "period_from", "period_to")
        },
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "due_on": information_answer_due(data["received_on"]),
        "created_by": actor.id,
        "created_at": acc.clock(),
    }
    request = {key: value for key, value in data.items() if key != "id"}
    async with acc.uow(actor) as uow:
        if await uow.partners.get(data["partner_id"]) is None:
            raise invalid("body.partner_id", "no such owner")
        if data.get("lease_id") is not None and not await uow.leases.exists(data["lease_id"]):
            raise invalid("body.lease_id", "no such lease")
        stored, created = await uow.information_requests.add(row, request)
    return _read(stored, today), created


async def _request_row(uow: AccountingWork, request_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    row = await uow.information_requests.get(request_id, lock=lock)
    if row is None:
        raise NotFound(f"No information request {request_id}.")
    return row


async def get_request(acc: Accounting, actor: Actor, request_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return _read(await _request_row(uow, request_id), acc.clock().date())


async def list_requests(
    acc: Accounting,
    actor: Actor,
    *,
    partner_id: UUID | None,
    open_only: bool,
    overdue: bool,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """By deadline; ``overdue``: unanswered past the 60th day; ``open_only``: unanswered."""
    today = acc.clock().date()
    async with acc.uow(actor) as uow:
        page = await uow.information_requests.page_of_requests(
            partner_id=partner_id,
            open_only=open_only,
            overdue_on=today if overdue else None,
            limit=limit,
            offset=offset,
        )
    return {**page, "items": [_read(row, today) for row in page["items"]]}


async def record_answer(acc: Accounting, actor: Actor, request_id: UUID, data: Mapping[str, Any]) -> dict[str, Any]:
    """The day the answer went by certified mail. Answering twice with the same day is harmless; another day
    is a conflict (the first answer stands)."""
    today = acc.clock().date()
    async with acc.uow(actor) as uow:
        row = await _request_row(uow, request_id, lock=True)
        if data["answered_on"] < row["received_on"]:
            raise invalid("body.answered_on", "an answer cannot precede the request")
        if data["answered_on"] > today:
            raise invalid("body.answered_on", "an answer cannot be sent in the future")
        if row["answered_on"] is not None:
            if row["answered_on"] != data["answered_on"]:
                raise Conflict(f"The request was answered on {row['answered_on']}.", slug="already-answered")
            return _read(row, today)
        values = {"answered_on": data["answered_on"], "answer_note": data.get("note"), "answered_by": actor.id}
        return _read(await uow.information_requests.answer(request_id, values), today)


def _period(row: Mapping[str, Any]) -> tuple[date, date]:
    """The sales months the answer covers: as asked, else the calendar year before receipt (91.504(c))."""
    received: date = row["received_on"]
    start = row["period_from"] or date(received.year - 1, 1, 1)
    end = row["period_to"] or (date(received.year - 1, 12, 1) if row["period_from"] is None else received)
    return start, end


async def answer_document(acc: Accounting, actor: Actor, request_id: UUID) -> tuple[dict[str, Any], OperatorContact]:
    """The answer: the owner's statement lines for the period (decimal, property with county, volumes, prices,
    values, taxes, deductions, net), the properties' identification, and the operator's contact."""
    async with acc.uow(actor) as uow:
        row = await _request_row(uow, request_id)
        owner = await uow.partners.get(row["partner_id"])
        if owner is None:
            raise NotFound(f"No owner {row['partner_id']}.")
        start, end = _period(row)
        lines = await uow.information_requests.owner_months(row["partner_id"], row["lease_id"], start, end)
        leases = await uow.leases.many({line["lease_id"] for line in lines} | ({row["lease_id"]} - {None}))
        operator = await current_contact(uow)
    stub = [_stub_line(line, leases.get(line["lease_id"])) for line in lines]
    properties = [
        {
            "lease_id": lease_id,
            "name": lease["name"],
            "rrc_district": lease["rrc_district"],
            "rrc_lease_number": lease["rrc_lease_number"],
            "county_state": f"{lease.get('county') or 'unknown county'}, TX",
            "owner_decimals": sorted({str(line["decimal"]) for line in lines if line["lease_id"] == lease_id}),
        }
        for lease_id, lease in sorted(leases.items(), key=lambda item: item[1]["name"])
    ]
    label = f"{end:%m/%Y}"
    document = {
        "request": _read(row, acc.clock().date()),
        "asked_under": KIND_TEXT[row["kind"]],
        "period": {"from": start, "to": end},
        "owner": _owner(owner),
        "operator": operator.answer(),
        "properties": properties,
        "lines": stub,
        "note": HEATING_VALUE_NOTE if row["kind"] == "heating_value" else None,
        "status": "answer",
        "file_name": statement_file_name(operator, "owner", owner["owner_number"], "information-answer", label),
    }
    return document, operator
