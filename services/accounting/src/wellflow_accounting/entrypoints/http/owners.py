"""Partners and owners, ownership decks with the decimal helper, and title holds."""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from wellflow_servicekit.http import created_or_replayed

from ...app import decks as deck_uc
from ...app import partners as partner_uc
from ...app.context import invalid
from ...domain import decks as deck_rules
from ...domain.decks import DeckKind
from ...domain.partners import PartnerKind, PartnerRole
from .. import schemas
from ..deps import NO_NUL, AccountingDep, Limit, Offset, Reader, Writer

# ---------------------------------------------------------------- partners

partners_router = APIRouter(prefix="/api/v1/partners", tags=["partners"])


@partners_router.post("", status_code=201, response_model=schemas.PartnerRead)
async def create_partner(body: schemas.PartnerCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    data = body.model_dump(exclude_none=True)
    data["roles"] = [r.value for r in body.roles]
    return schemas.PartnerRead.of(created_or_replayed(response, await partner_uc.create_partner(acc, actor, data)))


@partners_router.get("", response_model=schemas.Page[schemas.PartnerRead])
async def list_partners(
    actor: Reader,
    acc: AccountingDep,
    role: PartnerRole | None = None,
    kind: PartnerKind | None = None,
    status: Literal["active", "inactive"] | None = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=NO_NUL, description="text in the name or owner number")
    ] = None,
    sort: Annotated[str, Query(description="name, created_at, owner_number; '-' for descending")] = "name",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    page = await partner_uc.list_partners(
        acc, actor, role=role, kind=kind, status=status, q=q, sort=sort, limit=limit, offset=offset
    )
    return {**page, "items": [schemas.PartnerRead.of(row) for row in page["items"]]}


@partners_router.get("/{partner_id}", response_model=schemas.PartnerRead)
async def get_partner(partner_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return schemas.PartnerRead.of(await partner_uc.get_partner(acc, actor, partner_id))


@partners_router.patch("/{partner_id}", response_model=schemas.PartnerRead)
async def update_partner(partner_id: UUID, body: schemas.PartnerUpdate, actor: Writer, acc: AccountingDep) -> Any:
    changes = body.model_dump(exclude_unset=True)
    if "roles" in changes and changes["roles"] is not None:
        changes["roles"] = sorted({r.value if hasattr(r, "value") else r for r in changes["roles"]})
    for required in ("name", "kind", "roles", "payment_method", "status", "second_b_notice", "exempt_from_1099"):
        if required in changes and changes[required] is None:
            raise invalid(f"body.{required}", "may not be empty")
    return schemas.PartnerRead.of(await partner_uc.update_partner(acc, actor, partner_id, changes))


@partners_router.delete("/{partner_id}", status_code=204)
async def delete_partner(partner_id: UUID, actor: Writer, acc: AccountingDep) -> Response:
    """Delete a partner nothing refers to; one with history answers 409 (make it inactive)."""
    await partner_uc.delete_partner(acc, actor, partner_id)
    return Response(status_code=204)


# ---------------------------------------------------------------- ownership decks

decks_router = APIRouter(prefix="/api/v1/ownership-decks", tags=["ownership decks"])


@decks_router.post("", status_code=201, response_model=schemas.DeckRead)
async def create_deck(body: schemas.DeckCreate, actor: Writer, acc: AccountingDep, response: Response) -> Any:
    """A revenue deck (royalty, ORRI, working-interest NRI) or a cost deck (working interests) for a lease,
    from a date; its decimals must sum to exactly 1.00000000 and it may not overlap another deck of the lease."""
    return created_or_replayed(response, await deck_uc.create_deck(acc, actor, body.model_dump()))


@decks_router.get("", response_model=schemas.Page[schemas.DeckRead])
async def list_decks(
    actor: Reader,
    acc: AccountingDep,
    lease_id: UUID | None = None,
    kind: DeckKind | None = None,
    partner_id: UUID | None = None,
    on: Annotated[date | None, Query(description="decks in effect on this day")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await deck_uc.list_decks(
        acc, actor, lease_id=lease_id, kind=kind, partner_id=partner_id, on=on, limit=limit, offset=offset
    )


@decks_router.post("/decimal-helper", response_model=schemas.DecimalHelperRead)
async def decimal_helper(body: schemas.DecimalHelperCreate, actor: Reader) -> Any:
    """A royalty owner's decimal from tracts, or a working interest's NRI from the lease's burdens."""
    try:
        if body.tracts:
            tracts = [deck_rules.Tract(t.net_mineral_acres, t.unit_acres, t.royalty_rate) for t in body.tracts]
            return {
                "decimal": deck_rules.royalty_decimal(tracts),
                "formula": "sum over tracts of (net mineral acres / unit acres) x royalty rate",
            }
        if body.working_interest is not None:
            return {
                "decimal": deck_rules.net_revenue_interest(
                    body.working_interest, body.royalty, body.orri, body.other_burdens
                ),
                "formula": "working interest x (1 - royalty - ORRI - other burdens)",
            }
    except ValueError as exc:
        raise invalid("body", str(exc)) from None
    raise invalid("body", "give tracts, or a working_interest with the lease's burdens")


@decks_router.get("/{deck_id}", response_model=schemas.DeckRead)
async def get_deck(deck_id: UUID, actor: Reader, acc: AccountingDep) -> Any:
    return await deck_uc.get_deck(acc, actor, deck_id)


@decks_router.patch("/{deck_id}", response_model=schemas.DeckRead)
async def end_deck(deck_id: UUID, body: schemas.DeckUpdate, actor: Writer, acc: AccountingDep) -> Any:
    return await deck_uc.end_deck(acc, actor, deck_id, body.effective_to)


holds_router = APIRouter(prefix="/api/v1/title-holds", tags=["ownership decks"])


@holds_router.put("/{partner_id}/{lease_id}", response_model=schemas.TitleHoldRead)
async def set_title_hold(
    partner_id: UUID, lease_id: UUID, body: schemas.TitleHoldUpdate, actor: Writer, acc: AccountingDep
) -> Any:
    """Pay, or suspend with a reason, one owner's revenue from one lease (idempotent)."""
    return await deck_uc.set_title_hold(acc, actor, partner_id, lease_id, body.status, body.reason)


@holds_router.get("", response_model=schemas.Page[schemas.TitleHoldRead])
async def list_title_holds(
    actor: Reader,
    acc: AccountingDep,
    partner_id: UUID | None = None,
    lease_id: UUID | None = None,
    status: Literal["pay", "suspend"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    return await deck_uc.list_title_holds(
        acc, actor, partner_id=partner_id, lease_id=lease_id, status=status, limit=limit, offset=offset
    )
