"""In-memory repositories of accounting, each implementing the Protocol of ``app/ports.py`` its SQL twin
implements, and ``FakeAccountingWork`` with all of them: the use cases run on them without PostgreSQL (the
integration tests keep proving the SQL). Rows are confined to the unit of work's tenant, as row-level
security confines the SQL ones.

A few questions only SQL answers well (what changed since finalized runs distributed, a run's statement
lines) are left to the integration tests: those methods raise ``NotImplementedError``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from wellflow_accounting.app.context import MAX_PAGE
from wellflow_accounting.app.ports import DuplicateKey
from wellflow_accounting.domain.decks import DeckKind, DeckLine, Period
from wellflow_servicekit.kernel import check_same_request, clamp_limit
from wellflow_servicekit.repository import repository, without_tenant
from wellflow_servicekit.testing import FakeUnitOfWork, InMemoryRepository

Row = dict[str, Any]


def _copy(row: Mapping[str, Any]) -> Row:
    return without_tenant(row)


class Fake(InMemoryRepository):
    """What the in-memory repositories share: rows by key, pages, idempotent creates, unique keys."""

    unique: tuple[str, ...] = ()  # a column no two rows of a tenant may share (besides the id)

    def rows(self, **equal: Any) -> list[Row]:
        return [_copy(r) for r in self.visible() if all(r.get(k) == v for k, v in equal.items())]

    def page(self, items: list[Row], limit: int, offset: int) -> dict[str, Any]:
        limit = clamp_limit(limit, MAX_PAGE)
        return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}

    def _check_unique(self, row: Mapping[str, Any], key: Any) -> None:
        for column in self.unique:
            if row.get(column) is not None and any(
                other.get(column) == row[column]
                for k, other in self._rows.items()
                if k != key and other in self._mine()
            ):
                raise DuplicateKey(column)

    def _mine(self) -> list[Row]:
        return list(self.visible())

    def keep(self, key: Any, row: Mapping[str, Any]) -> None:
        self._check_unique(row, key)
        self.put_row(key, {k: v for k, v in row.items() if k != "organization_id"})

    async def create_once(
        self,
        values: dict[str, Any],
        request: Mapping[str, Any],
        noun: str,
        prepare: Callable[[], Awaitable[None]] | None = None,
        answer: Callable[[Row], Awaitable[Row]] | None = None,
    ) -> tuple[Row, bool]:
        stored = self.get_row(values["id"])
        if stored is None:
            if prepare is not None:
                await prepare()
            self.keep(values["id"], values)
            return _public(_copy(self.get_row(values["id"]) or {})), True
        resource = await answer(_public(_copy(stored))) if answer is not None else _public(_copy(stored))
        check_same_request(resource, request, noun=noun)
        return resource, False


# ---------------------------------------------------------------- copies of other services' data


class InMemoryLeases(Fake):
    store_name = "leases"

    async def upsert(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["id"])
        if stored is None or stored["updated_at"] <= values["updated_at"]:
            self.keep(values["id"], values)

    async def get(self, lease_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(lease_id)
        return _copy(row) if row is not None else None

    async def exists(self, lease_id: UUID) -> bool:
        return self.get_row(lease_id) is not None

    async def many(self, lease_ids: set[UUID]) -> dict[UUID, Row]:
        return {r["id"]: r for r in self.rows() if r["id"] in lease_ids}

    async def names(self) -> dict[UUID, str]:
        return {r["id"]: r["name"] for r in self.rows()}

    async def lease_types(self) -> dict[UUID, str]:
        return {r["id"]: r["lease_type"] for r in self.rows()}

    async def identifiers(self) -> list[Row]:
        return [{k: r[k] for k in ("id", "name", "rrc_lease_number")} for r in self.rows()]


class InMemoryWells(Fake):
    store_name = "wells"

    async def upsert(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["id"])
        if stored is None or stored["updated_at"] <= values["updated_at"]:
            self.keep(values["id"], values)

    async def set_status(self, well_id: UUID, status: str, at: datetime) -> None:
        stored = self.get_row(well_id)
        if stored is not None and stored["updated_at"] <= at:
            self.keep(well_id, {**stored, "status": status, "updated_at": at})

    async def add_status(self, tenant: UUID, well_id: UUID, effective_date: date, status: str) -> None:
        history = self.uow.database.stores.setdefault("well_status_history", {})
        seq = sum(1 for k in history if k[:2] == (well_id, effective_date))
        history[(well_id, effective_date, seq)] = {"organization_id": tenant, "status": status}

    async def lease_of(self, well_id: UUID) -> UUID | None:
        row = self.get_row(well_id)
        return row["lease_id"] if row is not None else None

    async def identifiers(self) -> list[Row]:
        return [{"id": r["id"], "api_number": r["api_number"]} for r in self.rows()]

    async def on_lease(self, lease_id: UUID) -> list[Row]:
        return sorted(
            ({"id": r["id"], "name": r["name"]} for r in self.rows(lease_id=lease_id)), key=lambda r: r["name"]
        )

    async def status_history(self, well_id: UUID) -> list[tuple[date, str]]:
        history = self.uow.database.stores.get("well_status_history", {})
        mine = [
            (k[1], k[2], v["status"])
            for k, v in history.items()
            if k[0] == well_id and v["organization_id"] == self.uow.tenant_id
        ]
        return [(day, status) for day, _, status in sorted(mine)]


class InMemoryVolumes(Fake):
    store_name = "lease_months"

    async def upsert_month(self, values: dict[str, Any]) -> None:
        key = (values["lease_id"], values["month"])
        stored = self.get_row(key)
        if stored is None or stored["revision"] < values["revision"]:
            self.keep(key, values)

    async def add_run_ticket(self, values: dict[str, Any]) -> None:
        raise NotImplementedError("run tickets are proven by the integration tests")

    async def upsert_severance_tax(self, values: dict[str, Any], now: datetime) -> None:
        raise NotImplementedError("severance taxes are proven by the integration tests")

    async def months(self, month: date, lease_ids: set[UUID] | None = None) -> dict[UUID, Row]:
        rows = self.rows(month=month)
        return {r["lease_id"]: r for r in rows if lease_ids is None or r["lease_id"] in lease_ids}

    async def ticket_barrels(self, month: date, lease_ids: set[UUID] | None = None) -> dict[UUID, Decimal]:
        return {}

    async def severance_taxes(self, month: date) -> list[Row]:
        return []


# ---------------------------------------------------------------- partners, decks, title holds


class InMemoryPartners(Fake):
    store_name = "partners"
    unique = ("owner_number",)

    async def add(self, row: dict[str, Any], request: Mapping[str, Any]) -> tuple[Row, bool]:
        return await self.create_once(row, request, "partner")

    async def get(self, partner_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(partner_id)
        return _copy(row) if row is not None else None

    async def exists(self, partner_id: UUID) -> bool:
        return self.get_row(partner_id) is not None

    async def update(self, partner_id: UUID, changes: Mapping[str, Any]) -> Row:
        self.keep(partner_id, {**(self.get_row(partner_id) or {}), **changes})
        return _copy(self.get_row(partner_id) or {})

    async def many(self, partner_ids: set[UUID]) -> dict[UUID, Row]:
        return {r["id"]: r for r in self.rows() if r["id"] in partner_ids}

    async def page_of_partners(
        self,
        *,
        role: str | None,
        kind: str | None,
        status: str | None,
        q: str | None,
        sort: str,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (role is None or role in r["roles"])
            and (kind is None or r["kind"] == kind)
            and (status is None or r["status"] == status)
            and (not q or q.lower() in r["name"].lower() or q.lower() in (r.get("owner_number") or "").lower())
        ]
        field = sort.lstrip("-")
        rows.sort(key=lambda r: (r.get(field) is None, r.get(field) or "", str(r["id"])), reverse=sort.startswith("-"))
        return self.page(rows, limit, offset)

    async def references(self, partner_id: UUID) -> list[str]:
        stores = self.uow.database.stores
        used = []
        if any(line.partner_id == partner_id for deck in stores.get("decks", {}).values() for line in deck["_lines"]):
            used.append("ownership decks")
        return used

    async def delete(self, partner_id: UUID) -> None:
        self.delete_row(partner_id)


class InMemoryDecks(Fake):
    """Decks keep their lines with them (``_lines``: ``DeckLine``s)."""

    store_name = "decks"

    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        return await self.create_once({**row, "_lines": []}, request, "ownership deck", prepare, answer)

    async def add_lines(self, organization_id: UUID, deck_id: UUID, lines: list[DeckLine]) -> None:
        stored = self.get_row(deck_id) or {}
        self.keep(deck_id, {**stored, "_lines": [*stored.get("_lines", []), *lines]})

    async def lines(self, deck_id: UUID) -> list[Row]:
        stored = self.get_row(deck_id) or {}
        lines = sorted(stored.get("_lines", []), key=lambda line: (line.interest_type.value, str(line.partner_id)))
        return [
            {"partner_id": line.partner_id, "interest_type": line.interest_type.value, "decimal": line.decimal}
            for line in lines
        ]

    async def get(self, deck_id: UUID) -> Row | None:
        row = self.get_row(deck_id)
        return _public(_copy(row)) if row is not None else None

    async def periods(self, lease_id: UUID, kind: DeckKind, *, excluding: UUID | None = None) -> list[Period]:
        return [
            Period(r["effective_from"], r["effective_to"])
            for r in self.rows(lease_id=lease_id, kind=kind.value)
            if r["id"] != excluding
        ]

    async def set_end(self, deck_id: UUID, effective_to: date | None) -> Row:
        self.keep(deck_id, {**(self.get_row(deck_id) or {}), "effective_to": effective_to})
        return (await self.get(deck_id)) or {}

    async def page_of_decks(
        self,
        *,
        lease_id: UUID | None,
        kind: str | None,
        partner_id: UUID | None,
        on: date | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (lease_id is None or r["lease_id"] == lease_id)
            and (kind is None or r["kind"] == kind)
            and (partner_id is None or any(line.partner_id == partner_id for line in r["_lines"]))
            and (on is None or _in_effect(r, on))
        ]
        rows.sort(key=lambda r: (str(r["lease_id"]), r["kind"], r["effective_from"], str(r["id"])))
        return self.page([_public(r) for r in rows], limit, offset)

    async def in_effect(self, kind: DeckKind, day: date) -> dict[UUID, list[DeckLine]]:
        result: dict[UUID, list[DeckLine]] = {}
        for r in self.rows(kind=kind.value):
            if _in_effect(r, day):
                result.setdefault(r["lease_id"], []).extend(r["_lines"])
        return result


def _in_effect(deck: Mapping[str, Any], day: date) -> bool:
    return bool(deck["effective_from"] <= day and (deck["effective_to"] is None or deck["effective_to"] > day))


class InMemoryTitleHolds(Fake):
    store_name = "title_holds"

    async def put(self, values: dict[str, Any]) -> Row:
        key = (values["partner_id"], values["lease_id"])
        self.put_row(key, {k: v for k, v in values.items() if k != "organization_id"})
        return _copy(self.get_row(key) or {})

    async def page_of_holds(
        self, *, partner_id: UUID | None, lease_id: UUID | None, status: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (partner_id is None or r["partner_id"] == partner_id)
            and (lease_id is None or r["lease_id"] == lease_id)
            and (status is None or r["status"] == status)
        ]
        return self.page(sorted(rows, key=lambda r: (str(r["partner_id"]), str(r["lease_id"]))), limit, offset)

    async def suspended(self) -> dict[tuple[UUID, UUID], str]:
        return {(r["partner_id"], r["lease_id"]): r["reason"] for r in self.rows(status="suspend")}


# ---------------------------------------------------------------- prices, runs, suspense


class InMemoryPrices(Fake):
    store_name = "prices"

    async def put(self, row: dict[str, Any]) -> Row:
        key = (row["month"], row["product"], row["lease_id"])
        stored = self.get_row(key)
        kept = {k: stored[k] for k in ("id",)} if stored is not None else {}
        self.put_row(key, {**{k: v for k, v in row.items() if k != "organization_id"}, **kept})
        return _copy(self.get_row(key) or {})

    async def for_month(self, month: date) -> list[Row]:
        return self.rows(month=month)

    async def page_of_prices(
        self,
        *,
        month: date | None,
        product: str | None,
        lease_id: UUID | None,
        source: str | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (month is None or r["month"] == month)
            and (product is None or r["product"] == product)
            and (lease_id is None or r["lease_id"] == lease_id)
            and (source is None or r["source"] == source)
        ]
        return self.page(rows, limit, offset)


class InMemoryDistributionRuns(Fake):
    """Runs with their sales and settlements; owner lines are kept as written."""

    store_name = "distribution_runs"

    async def lock(self, organization_id: UUID) -> None:
        return None  # one test, one task: nothing runs beside it

    async def for_month(self, month: date) -> Row | None:
        found = self.rows(month=month)
        return found[0] if found else None

    async def finalized_for_month(self, month: date) -> Row | None:
        found = self.rows(month=month, status="finalized")
        return found[0] if found else None

    async def status_of_month(self, month: date) -> str | None:
        run = await self.for_month(month)
        return run["status"] if run is not None else None

    async def delete(self, run_id: UUID) -> None:
        self.delete_row(run_id)

    async def add(
        self,
        run: dict[str, Any],
        sales: list[dict[str, Any]],
        lines: list[dict[str, Any]],
        settlements: list[dict[str, Any]],
    ) -> None:
        row = {**run, "finalized_by": None, "finalized_at": None}
        row |= {"_sales": [_copy(s) for s in sales], "_lines": [_copy(x) for x in lines]}
        self.keep(run["id"], {**row, "_settlements": [_copy(s) for s in settlements]})

    def _run(self, run_id: UUID) -> Row | None:
        return self.get_row(run_id)

    async def get(self, run_id: UUID, *, lock: bool = False) -> Row | None:
        row = self._run(run_id)
        return {k: v for k, v in _copy(row).items() if not k.startswith("_")} if row is not None else None

    async def sales(self, run_id: UUID) -> list[Row]:
        row = self._run(run_id) or {}
        key = lambda s: (s["is_adjustment"], s["month"], str(s["lease_id"]), s["product"])  # noqa: E731
        return sorted(row.get("_sales", []), key=key)

    async def page_of_runs(self, *, status: str | None, limit: int, offset: int) -> dict[str, Any]:
        rows = [
            r for r in [await self.get(x["id"]) for x in self.rows()] if r and (status is None or r["status"] == status)
        ]
        return self.page(sorted(rows, key=lambda r: r["month"], reverse=True), limit, offset)

    async def finalized_since(self, moment: datetime) -> int:
        return sum(1 for r in self.rows(status="finalized") if r["finalized_at"] > moment)

    async def settlements(self, run_id: UUID) -> list[Row]:
        return list((self._run(run_id) or {}).get("_settlements", []))

    async def finalize(self, run_id: UUID, by: str, at: datetime) -> None:
        row = self._run(run_id) or {}
        self.keep(run_id, {**row, "status": "finalized", "finalized_by": by, "finalized_at": at})

    async def lease_ids(self, run_id: UUID) -> list[UUID]:
        return sorted({s["lease_id"] for s in (self._run(run_id) or {}).get("_sales", [])}, key=str)

    async def finalized_months_before(self, month: date) -> list[date]:
        return [r["month"] for r in self.rows(status="finalized") if r["month"] < month]

    async def changed_since_distributed(self, months: list[date]) -> list[Row]:
        raise NotImplementedError("late corrections are proven by the integration tests")

    async def distributed_sales(self, lease_id: UUID, month: date) -> tuple[list[Row], dict[str, Any]]:
        raise NotImplementedError("late corrections are proven by the integration tests")

    async def distributed_shares(self, lease_id: UUID, month: date) -> list[Row]:
        raise NotImplementedError("late corrections are proven by the integration tests")

    async def settlement_of(self, run_id: UUID, partner_id: UUID) -> Row | None:
        found = [s for s in await self.settlements(run_id) if s["partner_id"] == partner_id]
        return found[0] if found else None

    async def statement_lines(self, run_id: UUID, partner_id: UUID) -> list[Row]:
        raise NotImplementedError("statement lines are proven by the integration tests")

    async def page_of_settlements(self, run_id: UUID, *, paid_only: bool, limit: int, offset: int) -> dict[str, Any]:
        rows = [s for s in await self.settlements_with_names(run_id) if not paid_only or s["paid"] != 0]
        return self.page(rows, limit, offset)

    async def settlements_with_names(self, run_id: UUID) -> list[Row]:
        partners = self.uow.database.stores.get("partners", {})
        named = [{**s, "name": partners[s["partner_id"]]["name"]} for s in await self.settlements(run_id)]
        return sorted(named, key=lambda s: (s["name"], str(s["partner_id"])))


class InMemorySuspense(Fake):
    store_name = "suspense_entries"

    async def balances(self) -> list[Row]:
        totals: dict[tuple[Any, Any, Any], Decimal] = {}
        for r in self.rows():
            key = (r["partner_id"], r["lease_id"], r["reason"])
            totals[key] = totals.get(key, Decimal(0)) + r["amount"]
        return [
            {"partner_id": p, "lease_id": lease, "reason": why, "balance": b} for (p, lease, why), b in totals.items()
        ]

    async def add(self, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            self.keep(entry["id"], entry)

    async def page_of_balances(
        self, *, partner_id: UUID | None, reason: str | None, lease_id: UUID | None, limit: int, offset: int
    ) -> dict[str, Any]:
        rows = [
            r
            for r in await self.balances()
            if r["balance"] != 0
            and (partner_id is None or r["partner_id"] == partner_id)
            and (reason is None or r["reason"] == reason)
            and (lease_id is None or r["lease_id"] == lease_id)
        ]
        return self.page(rows, limit, offset)


# ---------------------------------------------------------------- joint interest billing


class InMemoryAgreements(Fake):
    store_name = "agreements"
    unique = ("lease_id",)

    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        return await self.create_once(row, request, "operating agreement", prepare, answer)

    async def get(self, agreement_id: UUID) -> Row | None:
        row = self.get_row(agreement_id)
        return _copy(row) if row is not None else None

    async def update(self, agreement_id: UUID, changes: Mapping[str, Any]) -> None:
        self.keep(agreement_id, {**(self.get_row(agreement_id) or {}), **changes})

    async def adjustments(self, agreement_id: UUID) -> list[Row]:
        stored = (self.get_row(agreement_id) or {}).get("_adjustments", {})
        return [{"year": year, "percent": stored[year]} for year in sorted(stored)]

    async def page_of_agreements(self, *, lease_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        rows = [r for r in self.rows() if lease_id is None or r["lease_id"] == lease_id]
        return self.page(sorted(rows, key=lambda r: (r["name"], str(r["id"]))), limit, offset)

    async def put_adjustment(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["agreement_id"]) or {}
        adjustments = {**stored.get("_adjustments", {}), values["year"]: values["percent"]}
        self.keep(values["agreement_id"], {**stored, "_adjustments": adjustments})

    async def every(self) -> list[Row]:
        return sorted(self.rows(), key=lambda r: str(r["id"]))

    async def every_adjustment(self) -> dict[UUID, dict[int, Decimal]]:
        return {r["id"]: dict(r.get("_adjustments", {})) for r in self.rows()}

    async def overrun_percent_for_lease(self, lease_id: UUID) -> Decimal | None:
        found = self.rows(lease_id=lease_id)
        return found[0]["afe_overrun_percent"] if found else None


class InMemoryCosts(Fake):
    store_name = "costs"

    async def add(
        self, row: dict[str, Any], request: Mapping[str, Any], *, prepare: Callable[[], Awaitable[None]]
    ) -> tuple[Row, bool]:
        return await self.create_once({"jib_run_id": None, **row}, request, "cost", prepare)

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.keep(row["id"], {"jib_run_id": None, **row})

    async def unbilled_before(self, end: date) -> list[Row]:
        rows = [r for r in self.rows(jib_run_id=None) if r["incurred_on"] < end]
        return sorted(rows, key=lambda r: str(r["id"]))

    async def actuals(self, numbers: Iterable[str]) -> dict[str, dict[str, Decimal]]:
        wanted = set(numbers)
        result: dict[str, dict[str, Decimal]] = {}
        for r in self.rows():
            if r.get("afe_number") in wanted:
                by_category = result.setdefault(r["afe_number"], {})
                by_category[r["category"]] = by_category.get(r["category"], Decimal(0)) + r["amount"]
        return result

    async def page_of_costs(
        self,
        *,
        lease_id: UUID | None,
        category: str | None,
        afe_number: str | None,
        billed: bool | None,
        date_from: date | None,
        date_to: date | None,
        limit: int,
        offset: int,
    ) -> dict[str, Any]:
        rows = [
            r
            for r in self.rows()
            if (lease_id is None or r["lease_id"] == lease_id)
            and (category is None or r["category"] == category)
            and (afe_number is None or r.get("afe_number") == afe_number)
            and (billed is None or (r["jib_run_id"] is not None) == billed)
            and (date_from is None or r["incurred_on"] >= date_from)
            and (date_to is None or r["incurred_on"] <= date_to)
        ]
        return self.page(sorted(rows, key=lambda r: (r["incurred_on"], str(r["id"]))), limit, offset)


class InMemoryJibRuns(Fake):
    """JIB runs are proven by the integration tests; only the month's lock is answered here."""

    store_name = "jib_runs"

    async def lock(self, organization_id: UUID) -> None:
        return None

    async def for_month(self, month: date) -> Row | None:
        found = self.rows(month=month)
        return found[0] if found else None

    async def issued_for_month(self, month: date) -> Row | None:
        found = self.rows(month=month, status="issued")
        return found[0] if found else None

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(f"JibRuns.{name} is proven by the integration tests")


class InMemoryJibPayments(Fake):
    store_name = "jib_payments"

    async def add(
        self, row: dict[str, Any], request: Mapping[str, Any], *, prepare: Callable[[], Awaitable[None]]
    ) -> tuple[Row, bool]:
        return await self.create_once(row, request, "payment", prepare)

    async def page_of_payments(self, *, partner_id: UUID | None, limit: int, offset: int) -> dict[str, Any]:
        rows = [r for r in self.rows() if partner_id is None or r["partner_id"] == partner_id]
        return self.page(sorted(rows, key=lambda r: (r["received_on"], str(r["id"])), reverse=True), limit, offset)

    async def received_before(self, end: date) -> list[Row]:
        return [
            {k: r[k] for k in ("partner_id", "received_on", "amount")} for r in self.rows() if r["received_on"] < end
        ]


# ---------------------------------------------------------------- AFEs and alerts


class InMemoryAfes(Fake):
    """AFEs keep their estimate lines, elections and history with them."""

    store_name = "afes"
    unique = ("afe_number",)

    async def add(
        self,
        row: dict[str, Any],
        request: Mapping[str, Any],
        *,
        prepare: Callable[[], Awaitable[None]],
        answer: Callable[[Row], Awaitable[Row]],
    ) -> tuple[Row, bool]:
        afe, new = await self.create_once(
            {"last_alerted_actual": None, **row, "_lines": [], "_elections": {}, "_history": []},
            request,
            "AFE",
            prepare,
            answer,
        )
        return _public(afe), new

    async def get(self, afe_id: UUID, *, lock: bool = False) -> Row | None:
        row = self.get_row(afe_id)
        return _public(_copy(row)) if row is not None else None

    async def with_numbers(self, numbers: set[str], *, lock: bool = False) -> list[Row]:
        return [_public(r) for r in self.rows() if r["afe_number"] in numbers]

    def _change(self, afe_id: UUID, **changes: Any) -> None:
        self.keep(afe_id, {**(self.get_row(afe_id) or {}), **changes})

    async def replace_lines(self, organization_id: UUID, afe_id: UUID, lines: list[Mapping[str, Any]]) -> None:
        numbered = [
            {"afe_id": afe_id, "line_no": index + 1, "description": None, **dict(line)}
            for index, line in enumerate(lines)
        ]
        self._change(afe_id, _lines=numbered)

    async def count_lines(self, afe_id: UUID) -> int:
        return len((self.get_row(afe_id) or {}).get("_lines", []))

    async def add_history(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["afe_id"]) or {}
        self._change(values["afe_id"], _history=[*stored.get("_history", []), _copy(values)])

    async def set_status(self, afe_id: UUID, status: str, at: datetime) -> Row:
        self._change(afe_id, status=status, updated_at=at)
        return (await self.get(afe_id)) or {}

    async def put_election(self, values: dict[str, Any]) -> None:
        stored = self.get_row(values["afe_id"]) or {}
        self._change(values["afe_id"], _elections={**stored.get("_elections", {}), values["partner_id"]: _copy(values)})

    async def lines(self, afe_id: UUID) -> list[Row]:
        return list((self.get_row(afe_id) or {}).get("_lines", []))

    async def elections(self, afe_id: UUID) -> list[Row]:
        elections = (self.get_row(afe_id) or {}).get("_elections", {})
        return [elections[p] for p in sorted(elections, key=str)]

    async def history(self, afe_id: UUID) -> list[Row]:
        return list((self.get_row(afe_id) or {}).get("_history", []))

    async def supplements(self, afe_id: UUID, *, statuses: list[str] | None = None) -> list[Row]:
        return [
            {"id": r["id"], "afe_number": r["afe_number"]}
            for r in self.rows(parent_afe_id=afe_id)
            if statuses is None or r["status"] in statuses
        ]

    async def approved_total(self, afe_id: UUID, statuses: list[str]) -> Decimal | None:
        family = [afe_id] + [r["id"] for r in await self.supplements(afe_id, statuses=statuses)]
        amounts = [line["amount"] for member in family for line in await self.lines(member)]
        return sum(amounts, Decimal(0)) if amounts else None

    async def estimates_by_category(self, afe_ids: list[UUID]) -> dict[str, Decimal]:
        result: dict[str, Decimal] = {}
        for afe_id in afe_ids:
            for line in await self.lines(afe_id):
                result[line["category"]] = result.get(line["category"], Decimal(0)) + line["amount"]
        return result

    async def numbers(self, afe_ids: list[UUID]) -> list[str]:
        return [r["afe_number"] for r in self.rows() if r["id"] in afe_ids]

    async def mark_alerted(self, afe_id: UUID, actual: Decimal) -> None:
        self._change(afe_id, last_alerted_actual=actual)

    async def page_of_afes(
        self, *, status: str | None, lease_id: UUID | None, q: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        rows = [
            _public(r)
            for r in self.rows()
            if (status is None or r["status"] == status)
            and (lease_id is None or r["lease_id"] == lease_id)
            and (not q or q.lower() in r["afe_number"].lower() or q.lower() in r["title"].lower())
        ]
        return self.page(sorted(rows, key=lambda r: r["afe_number"]), limit, offset)


def _public(row: Row) -> Row:
    return {k: v for k, v in row.items() if not k.startswith("_")}


class InMemoryAlerts(Fake):
    store_name = "alerts"

    async def add(self, values: dict[str, Any]) -> None:
        self.keep(values["id"], {"acknowledged_by": None, "acknowledged_at": None, **values})

    async def get(self, alert_id: UUID) -> Row | None:
        row = self.get_row(alert_id)
        return _copy(row) if row is not None else None

    async def acknowledge(self, alert_id: UUID, by: str, at: datetime) -> Row:
        self.keep(alert_id, {**(self.get_row(alert_id) or {}), "acknowledged_by": by, "acknowledged_at": at})
        return (await self.get(alert_id)) or {}

    async def page_of_alerts(self, *, open_only: bool, limit: int, offset: int) -> dict[str, Any]:
        rows = [r for r in self.rows() if not open_only or r["acknowledged_at"] is None]
        return self.page(sorted(rows, key=lambda r: (r["raised_at"], str(r["id"])), reverse=True), limit, offset)


class FakeAccountingWork(FakeUnitOfWork):
    leases = repository(InMemoryLeases)
    wells = repository(InMemoryWells)
    volumes = repository(InMemoryVolumes)
    partners = repository(InMemoryPartners)
    decks = repository(InMemoryDecks)
    title_holds = repository(InMemoryTitleHolds)
    prices = repository(InMemoryPrices)
    runs = repository(InMemoryDistributionRuns)
    suspense = repository(InMemorySuspense)
    agreements = repository(InMemoryAgreements)
    costs = repository(InMemoryCosts)
    jib_runs = repository(InMemoryJibRuns)
    payments = repository(InMemoryJibPayments)
    afes = repository(InMemoryAfes)
    alerts = repository(InMemoryAlerts)
