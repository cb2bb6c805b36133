"""AFEs: create with estimate lines, move along the lifecycle (who and when for each step), record each
working-interest partner's election, accumulate actuals from JIB costs carrying the AFE number, and raise an
alert and ``afe_overrun_detected`` when actuals pass the approved estimate by the agreement's percentage."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from wellflow_contracts.events.accounting import AfeOverrunDetected, AfeStatusChanged
from wellflow_contracts.ids import uuid7
from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.problems import Conflict, NotFound

from ..adapters.tables import afe_elections, afe_history, afe_lines, afes, agreements, alerts, costs, wells
from ..domain import afe as rules
from ..domain.decks import DeckKind
from ..domain.money import ZERO
from .context import Accounting, Actor, fetch_all, fetch_one, fetch_page, invalid
from .creates import create_once
from .decks import decks_in_effect, lease_row

DEFAULT_OVERRUN_PERCENT = Decimal("10.00")  # used when the lease has no operating agreement on file


def afe_key(afe_id: UUID) -> str:
    return f"accounting.afe:{afe_id}"


async def _afe(uow: UnitOfWork, afe_id: UUID, *, lock: bool = False) -> dict[str, Any]:
    query = select(afes).where(afes.c.id == afe_id)
    if lock:
        query = query.with_for_update()
    row = (await uow.connection.execute(query)).mappings().first()
    if row is None:
        raise NotFound(f"No AFE {afe_id}.")
    return dict(row)


async def create_afe(acc: Accounting, actor: Actor, data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The new draft AFE and True, or the AFE with this client-chosen id and False (a retried request)."""
    now = acc.clock()
    row = {
        "organization_id": actor.organization_id,
        "id": data.get("id") or uuid7(),
        "afe_number": data["afe_number"],
        "title": data["title"],
        "lease_id": data["lease_id"],
        "well_id": data.get("well_id"),
        "parent_afe_id": data.get("parent_afe_id"),
        "status": rules.AfeStatus.DRAFT.value,
        "overrun_percent": data.get("overrun_percent"),
        "description": data.get("description"),
        "created_by": actor.id,
        "created_at": now,
        "updated_at": now,
    }
    request = {key: row[key] for key in ("afe_number", "title", "lease_id", "well_id", "parent_afe_id", "description")}
    if row["overrun_percent"] is not None:  # else the agreement's, whatever it was then
        request["overrun_percent"] = row["overrun_percent"]
    request["lines"] = [
        {key: line.get(key) for key in ("kind", "category", "description", "amount")} for line in data["lines"]
    ]
    try:
        async with acc.uow(actor) as uow:

            async def check() -> None:
                await _check_new_afe(uow, data)
                if row["overrun_percent"] is None:
                    overrun = await uow.connection.scalar(
                        select(agreements.c.afe_overrun_percent).where(agreements.c.lease_id == data["lease_id"])
                    )
                    row["overrun_percent"] = overrun if overrun is not None else DEFAULT_OVERRUN_PERCENT

            async def detail(stored: dict[str, Any]) -> dict[str, Any]:
                return await _detail(uow, stored)

            afe, new = await create_once(uow, afes, row, request=request, noun="AFE", prepare=check, answer=detail)
            if not new:
                return afe, False
            await _write_lines(uow, actor, afe["id"], data["lines"])
            await uow.connection.execute(
                insert(afe_history).values(
                    organization_id=actor.organization_id,
                    id=uuid7(),
                    afe_id=afe["id"],
                    from_status=None,
                    to_status="draft",
                    changed_by=actor.id,
                    changed_at=now,
                    note="created",
                )
            )
            _record_status(uow, actor, afe, None, "draft", "created")
            return await _detail(uow, afe), True
    except IntegrityError:
        raise Conflict(
            "Another AFE has this number.",
            slug="duplicate-afe",
            errors=[{"field": "body.afe_number", "message": "already used"}],
        ) from None


async def _check_new_afe(uow: UnitOfWork, data: Mapping[str, Any]) -> None:
    await lease_row(uow, data["lease_id"])
    if data.get("well_id") is not None:
        well_lease = await uow.connection.scalar(select(wells.c.lease_id).where(wells.c.id == data["well_id"]))
        if well_lease != data["lease_id"]:
            raise invalid("body.well_id", "no such well on this lease")
    if data.get("parent_afe_id") is not None:
        parent = (
            (await uow.connection.execute(select(afes).where(afes.c.id == data["parent_afe_id"]))).mappings().first()
        )
        if parent is None:
            raise invalid("body.parent_afe_id", "no such AFE")
        if parent["lease_id"] != data["lease_id"] or parent["parent_afe_id"] is not None:
            raise invalid("body.parent_afe_id", "a supplement belongs to an original AFE of the same lease")


async def _write_lines(uow: UnitOfWork, actor: Actor, afe_id: UUID, lines: list[Mapping[str, Any]]) -> None:
    await uow.connection.execute(afe_lines.delete().where(afe_lines.c.afe_id == afe_id))
    if lines:
        await uow.connection.execute(
            insert(afe_lines),
            [
                {
                    "organization_id": actor.organization_id,
                    "afe_id": afe_id,
                    "line_no": index + 1,
                    "kind": line["kind"],
                    "category": line["category"],
                    "description": line.get("description"),
                    "amount": line["amount"],
                }
                for index, line in enumerate(lines)
            ],
        )


def _record_status(
    uow: UnitOfWork, actor: Actor, row: Mapping[str, Any], old: str | None, new: str, note: str | None
) -> None:
    uow.record(
        AfeStatusChanged(
            tenant_id=actor.organization_id,
            afe_id=row["id"],
            afe_number=row["afe_number"],
            lease_id=row["lease_id"],
            well_id=row["well_id"],
            from_status=old,
            to_status=new,
            changed_by=actor.id,
            note=note,
        ),
        aggregate_key=afe_key(row["id"]),
    )


async def update_estimate(acc: Accounting, actor: Actor, afe_id: UUID, lines: list[Mapping[str, Any]]) -> dict:
    async with acc.uow(actor) as uow:
        row = await _afe(uow, afe_id, lock=True)
        if row["status"] not in rules.EDITABLE:
            raise Conflict(
                f"The estimate of a {row['status']} AFE is fixed; revise it in draft or issue a supplemental AFE.",
                slug="afe-not-editable",
            )
        await _write_lines(uow, actor, afe_id, lines)
        return await _detail(uow, row)


async def transition(acc: Accounting, actor: Actor, afe_id: UUID, to_status: str, note: str | None) -> dict:
    async with acc.uow(actor) as uow:
        row = await _afe(uow, afe_id, lock=True)
        try:
            new = rules.check_transition(row["status"], to_status)
        except rules.IllegalAfeTransition as exc:
            raise Conflict(str(exc), slug="illegal-transition", allowed=exc.allowed) from None
        if new is rules.AfeStatus.PENDING_APPROVAL:
            total = await uow.connection.scalar(select(func.count()).where(afe_lines.c.afe_id == afe_id))
            if not total:
                raise invalid("body.status", "an AFE goes to approval with at least one estimate line")
        now = acc.clock()
        previous = row["status"]
        row = await fetch_one(
            uow, update(afes).where(afes.c.id == afe_id).values(status=new.value, updated_at=now).returning(afes)
        )
        await uow.connection.execute(
            insert(afe_history).values(
                organization_id=actor.organization_id,
                id=uuid7(),
                afe_id=afe_id,
                from_status=previous,
                to_status=new.value,
                changed_by=actor.id,
                changed_at=now,
                note=note,
            )
        )
        _record_status(uow, actor, row, previous, new.value, note)
        return await _detail(uow, row)


async def elect(acc: Accounting, actor: Actor, afe_id: UUID, partner_id: UUID, election: str, decided_on: date):
    """A working-interest partner's consent or non-consent (recorded again replaces it)."""
    async with acc.uow(actor) as uow:
        row = await _afe(uow, afe_id, lock=True)
        if row["status"] in (rules.AfeStatus.CLOSED, rules.AfeStatus.REJECTED):
            raise Conflict(f"Elections are closed on a {row['status']} AFE.", slug="afe-closed")
        decks = await decks_in_effect(uow, DeckKind.COST, decided_on)
        partners = {line.partner_id for line in decks.get(row["lease_id"], [])}
        if partner_id not in partners:
            raise invalid("body.partner_id", "not a working-interest partner in the lease's cost deck on that date")
        statement = pg_insert(afe_elections).values(
            organization_id=actor.organization_id,
            afe_id=afe_id,
            partner_id=partner_id,
            election=election,
            decided_on=decided_on,
            recorded_by=actor.id,
            recorded_at=acc.clock(),
        )
        statement = statement.on_conflict_do_update(
            index_elements=["organization_id", "afe_id", "partner_id"],
            set_={k: statement.excluded[k] for k in ("election", "decided_on", "recorded_by", "recorded_at")},
        )
        await uow.connection.execute(statement)
        return await _detail(uow, row)


async def _actuals(uow: UnitOfWork, numbers: Iterable[str]) -> dict[str, dict[str, Decimal]]:
    rows = await uow.connection.execute(
        select(costs.c.afe_number, costs.c.category, func.sum(costs.c.amount).label("amount"))
        .where(costs.c.afe_number.in_(list(numbers)))
        .group_by(costs.c.afe_number, costs.c.category)
    )
    result: dict[str, dict[str, Decimal]] = {}
    for r in rows:
        result.setdefault(r.afe_number, {})[r.category] = r.amount
    return result


async def _approved_total(uow: UnitOfWork, afe_id: UUID) -> Decimal:
    """The original's estimate plus every approved supplement's."""
    ids = select(afes.c.id).where(
        or_(
            afes.c.id == afe_id,
            and_(afes.c.parent_afe_id == afe_id, afes.c.status.in_([s.value for s in rules.COUNTS_AS_APPROVED])),
        )
    )
    total = await uow.connection.scalar(select(func.sum(afe_lines.c.amount)).where(afe_lines.c.afe_id.in_(ids)))
    return total or ZERO


async def _detail(uow: UnitOfWork, row: Mapping[str, Any]) -> dict[str, Any]:
    afe_id = row["id"]
    lines = await fetch_all(uow, select(afe_lines).where(afe_lines.c.afe_id == afe_id).order_by(afe_lines.c.line_no))
    elections = await fetch_all(
        uow, select(afe_elections).where(afe_elections.c.afe_id == afe_id).order_by(afe_elections.c.partner_id)
    )
    history = await fetch_all(
        uow,
        select(afe_history).where(afe_history.c.afe_id == afe_id).order_by(afe_history.c.changed_at, afe_history.c.id),
    )
    supplements = [r.id for r in await uow.connection.execute(select(afes.c.id).where(afes.c.parent_afe_id == afe_id))]
    estimate = sum((line["amount"] for line in lines), ZERO)
    numbers = [row["afe_number"]]
    actual = sum((await _actuals(uow, numbers)).get(row["afe_number"], {}).values(), ZERO)
    return {
        **row,
        "lines": lines,
        "elections": elections,
        "history": history,
        "supplement_ids": supplements,
        "estimate": estimate,
        "approved_total": await _approved_total(uow, afe_id),
        "actual": actual,
    }


async def get_afe(acc: Accounting, actor: Actor, afe_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        return await _detail(uow, await _afe(uow, afe_id))


async def list_afes(
    acc: Accounting,
    actor: Actor,
    *,
    status: str | None = None,
    lease_id: UUID | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    conditions = []
    if status is not None:
        conditions.append(afes.c.status == status)
    if lease_id is not None:
        conditions.append(afes.c.lease_id == lease_id)
    if q:
        conditions.append(or_(afes.c.afe_number.ilike(f"%{q}%"), afes.c.title.ilike(f"%{q}%")))
    query = (
        select(afes, func.count().over().label("_total")).where(and_(true(), *conditions)).order_by(afes.c.afe_number)
    )
    return await fetch_page(acc, actor, query, limit, offset)


async def estimate_vs_actual(acc: Accounting, actor: Actor, afe_id: UUID) -> dict[str, Any]:
    """Per cost category: the estimate (the AFE's and its approved supplements') and the actual costs."""
    async with acc.uow(actor) as uow:
        row = await _afe(uow, afe_id)
        family = [afe_id] + [
            r.id
            for r in await uow.connection.execute(
                select(afes.c.id).where(
                    afes.c.parent_afe_id == afe_id,
                    afes.c.status.in_([s.value for s in rules.COUNTS_AS_APPROVED]),
                )
            )
        ]
        estimates = {
            r.category: r.amount
            for r in await uow.connection.execute(
                select(afe_lines.c.category, func.sum(afe_lines.c.amount).label("amount"))
                .where(afe_lines.c.afe_id.in_(family))
                .group_by(afe_lines.c.category)
            )
        }
        numbers = [row["afe_number"]] + [
            r.afe_number
            for r in await uow.connection.execute(select(afes.c.afe_number).where(afes.c.id.in_(family[1:])))
        ]
        actual_by_number = await _actuals(uow, numbers)
    actuals: dict[str, Decimal] = {}
    for by_category in actual_by_number.values():
        for category, amount in by_category.items():
            actuals[category] = actuals.get(category, ZERO) + amount
    categories = sorted(set(estimates) | set(actuals))
    lines = [
        {
            "category": c,
            "estimate": estimates.get(c, ZERO),
            "actual": actuals.get(c, ZERO),
            "variance": actuals.get(c, ZERO) - estimates.get(c, ZERO),
        }
        for c in categories
    ]
    estimate, actual = sum(estimates.values(), ZERO), sum(actuals.values(), ZERO)
    return {
        "afe_id": afe_id,
        "afe_number": row["afe_number"],
        "lines": lines,
        "estimate": estimate,
        "actual": actual,
        "variance": actual - estimate,
        "overrun_percent": str(rules.overrun_percent(estimate, actual)),
        "threshold_percent": row["overrun_percent"],
    }


async def chargeable_afes(uow: UnitOfWork, numbers: set[str]) -> dict[str, dict[str, Any]]:
    rows = await fetch_all(uow, select(afes).where(afes.c.afe_number.in_(numbers)))
    return {r["afe_number"]: r for r in rows}


async def check_overruns(acc: Accounting, uow: UnitOfWork, actor: Actor, numbers: set[str]) -> None:
    """After costs were charged: an AFE (or a supplement's original) whose actuals passed its approved total
    by more than its percentage raises an alert and an event, once per new high of actuals."""
    if not numbers:
        return
    rows = await fetch_all(uow, select(afes).where(afes.c.afe_number.in_(numbers)).with_for_update())
    originals = {r["parent_afe_id"] or r["id"] for r in rows}
    for afe_id in sorted(originals, key=str):
        original = await _afe(uow, afe_id, lock=True)
        family_numbers = [original["afe_number"]] + [
            r.afe_number
            for r in await uow.connection.execute(select(afes.c.afe_number).where(afes.c.parent_afe_id == afe_id))
        ]
        actual = sum(
            (sum(v.values(), ZERO) for v in (await _actuals(uow, family_numbers)).values()),
            ZERO,
        )
        approved = await _approved_total(uow, afe_id)
        threshold = original["overrun_percent"]
        already = original["last_alerted_actual"]
        if not rules.is_overrun(approved, actual, threshold) or (already is not None and actual <= already):
            continue
        percent = rules.overrun_percent(approved, actual)
        message = (
            f"AFE {original['afe_number']} actuals {actual} are {percent}% over the approved {approved} "
            f"(threshold {threshold}%): notify the partners and issue a supplemental AFE."
        )
        await uow.connection.execute(
            insert(alerts).values(
                organization_id=actor.organization_id,
                id=uuid7(),
                kind="afe_overrun",
                afe_id=afe_id,
                message=message,
                details={"approved": str(approved), "actual": str(actual), "percent": str(percent)},
                raised_at=acc.clock(),
            )
        )
        await uow.connection.execute(update(afes).where(afes.c.id == afe_id).values(last_alerted_actual=actual))
        uow.record(
            AfeOverrunDetected(
                tenant_id=actor.organization_id,
                afe_id=afe_id,
                afe_number=original["afe_number"],
                approved_estimate=approved,
                actual=actual,
                overrun_percent=percent,
                threshold_percent=threshold,
            ),
            aggregate_key=afe_key(afe_id),
        )


async def list_alerts(acc: Accounting, actor: Actor, *, open_only: bool, limit: int, offset: int) -> dict[str, Any]:
    query = select(alerts, func.count().over().label("_total"))
    if open_only:
        query = query.where(alerts.c.acknowledged_at.is_(None))
    query = query.order_by(alerts.c.raised_at.desc(), alerts.c.id)
    return await fetch_page(acc, actor, query, limit, offset)


async def acknowledge_alert(acc: Accounting, actor: Actor, alert_id: UUID) -> dict[str, Any]:
    async with acc.uow(actor) as uow:
        row = (await uow.connection.execute(select(alerts).where(alerts.c.id == alert_id))).mappings().first()
        if row is None:
            raise NotFound(f"No alert {alert_id}.")
        if row["acknowledged_at"] is not None:
            return dict(row)
        return await fetch_one(
            uow,
            update(alerts)
            .where(alerts.c.id == alert_id)
            .values(acknowledged_by=actor.id, acknowledged_at=acc.clock())
            .returning(alerts),
        )
