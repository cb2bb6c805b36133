"""What valued downtime reads: the readings with hours lost, the wells' history before a period, their well tests,
and production's copy of accounting's prices (written by the ``accounting.price_recorded.v1`` consumer)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository, Row

from ..tables import prices

_DOWNTIME = text(
    """
    SELECT r.well_id, w.name AS well, r.lease_id, l.name AS lease, r.production_date, r.hours_on,
           coalesce(r.downtime_reason, 'unspecified') AS reason
      FROM readings r JOIN wells w ON w.id = r.well_id LEFT JOIN leases l ON l.id = r.lease_id
     WHERE r.production_date BETWEEN :first AND :last AND r.hours_on < 24
       AND (CAST(:lease AS uuid) IS NULL OR r.lease_id = CAST(:lease AS uuid))
       AND (CAST(:well AS uuid) IS NULL OR r.well_id = CAST(:well AS uuid))
     ORDER BY r.production_date, r.well_id
    """
)
_HISTORY = text(
    """
    SELECT well_id, production_date, oil_bbl, gas_mcf, hours_on FROM readings
     WHERE well_id = ANY(CAST(:wells AS uuid[])) AND production_date >= :since AND production_date < :before
     ORDER BY well_id, production_date
    """
)
_TESTS = text(
    """
    SELECT well_id, test_date, oil_bbl_per_day, gas_mcf_per_day FROM well_tests
     WHERE well_id = ANY(CAST(:wells AS uuid[])) AND test_date <= :last
     ORDER BY well_id, test_date
    """
)
_PRICES = text(
    """
    SELECT lease_key, month, product, price FROM prices WHERE month <= :last ORDER BY month
    """
)


class SqlDeferred(Repository):
    async def downtime(self, first: date, last: date, lease_id: UUID | None, well_id: UUID | None) -> list[Row]:
        """Readings from ``first`` to ``last`` with fewer than 24 hours on, with well, lease and reason."""
        return await self.all(_DOWNTIME, {"first": first, "last": last, "lease": lease_id, "well": well_id})

    async def history(self, well_ids: list[UUID], since: date, before: date) -> list[Row]:
        return await self.all(_HISTORY, {"wells": well_ids, "since": since, "before": before})

    async def well_tests(self, well_ids: list[UUID], last: date) -> list[Row]:
        return await self.all(_TESTS, {"wells": well_ids, "last": last})

    async def prices(self, last: date) -> list[Row]:
        """Every kept price for a month up to ``last``'s (lease_key '*': every lease)."""
        return await self.all(_PRICES, {"last": last})

    async def save_price(self, row: Row) -> None:
        """Keep the newest recorded price per lease (or '*'), month and product."""
        statement = pg_insert(prices).values(row)
        await self.execute(
            statement.on_conflict_do_update(
                index_elements=["organization_id", "lease_key", "month", "product"],
                set_={k: statement.excluded[k] for k in ("price", "price_id", "recorded_at")},
                where=prices.c.recorded_at <= statement.excluded.recorded_at,
            )
        )
