"""Production alerts: what the daily check reads of one day, and the stored alerts (one per kind, day and
subject: ``dedup_key``)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from wellflow_servicekit.repository import Repository, Row

from ..tables import alerts

_PRODUCING_WELLS = text(
    """
    SELECT w.id, w.name, w.lease_id FROM wells w
     WHERE coalesce((SELECT h.to_status FROM well_status_history h
                      WHERE h.well_id = w.id AND h.effective_date <= :day
                      ORDER BY h.effective_date DESC, h.occurred_at DESC LIMIT 1), w.status) = 'producing'
    """
)
_HISTORY = text(
    """
    SELECT well_id, production_date, oil_bbl, hours_on FROM readings
     WHERE production_date BETWEEN :since AND :day AND well_id = ANY(CAST(:wells AS uuid[]))
     ORDER BY well_id, production_date
    """
)
_TANKS = text(
    """
    SELECT DISTINCT ON (tk.id) tk.id, tk.number, tk.capacity_bbl, b.name AS battery, b.lease_id, tk.battery_id,
           tg.barrels
      FROM tanks tk JOIN batteries b ON b.id = tk.battery_id
      JOIN tank_gauges tg ON tg.tank_id = tk.id AND tg.gauge_date = :day
     WHERE tk.active AND tk.product = 'oil'
     ORDER BY tk.id, tg.gauged_at DESC, tg.id DESC
    """
)
_READINGS = text(
    """
    SELECT r.well_id, r.production_date, r.id AS reading_id, r.hours_on, r.downtime_reason,
           dr.label AS downtime_reason_label, r.comments
      FROM readings r
      LEFT JOIN downtime_reasons dr ON dr.organization_id = r.organization_id AND dr.code = r.downtime_reason
     WHERE (r.well_id, r.production_date) IN
           (SELECT * FROM unnest(CAST(:wells AS uuid[]), CAST(:days AS date[])))
    """
)
_LEASE_MONTHS = text(
    """
    SELECT lm.lease_id, l.name, lm.beginning_oil_stock_bbl, lm.liquid_bbl, lm.oil_disposed_bbl
      FROM lease_months lm LEFT JOIN leases l ON l.id = lm.lease_id WHERE lm.month = :month
    """
)


class SqlAlerts(Repository):
    async def producing_wells(self, day: date) -> list[Row]:
        """Every well producing on ``day`` (its effective-dated status): id, name, lease_id."""
        return await self.all(_PRODUCING_WELLS, {"day": day})

    async def daily_history(self, wells: list[UUID], since: date, day: date) -> list[Row]:
        """The wells' oil and hours on each day from ``since`` to ``day``, by well and day."""
        return await self.all(_HISTORY, {"since": since, "day": day, "wells": wells})

    async def gauged_oil_tanks(self, day: date) -> list[Row]:
        """Every active oil tank gauged on ``day``, with its last gauge of the day."""
        return await self.all(_TANKS, {"day": day})

    async def lease_months(self, month: date) -> list[Row]:
        return await self.all(_LEASE_MONTHS, {"month": month})

    async def add(self, row: Row) -> bool:
        """False when the alert (its ``dedup_key``) was raised already."""
        inserted = await self.execute(pg_insert(alerts).values(row).on_conflict_do_nothing().returning(alerts.c.id))
        return inserted.first() is not None

    async def latest_first(
        self,
        *,
        kind: str | None,
        well_id: UUID | None,
        lease_id: UUID | None,
        day_from: date | None,
        day_to: date | None,
        acknowledged: bool | None,
        offset: int,
        limit: int,
        kinds: tuple[str, ...] | None = None,
    ) -> list[Row]:
        query = select(alerts).order_by(alerts.c.day.desc(), alerts.c.id.desc()).offset(offset).limit(limit + 1)
        for column, value in ((alerts.c.kind, kind), (alerts.c.well_id, well_id), (alerts.c.lease_id, lease_id)):
            if value is not None:
                query = query.where(column == value)
        if kinds:
            query = query.where(alerts.c.kind.in_(kinds))
        if day_from is not None:
            query = query.where(alerts.c.day >= day_from)
        if day_to is not None:
            query = query.where(alerts.c.day <= day_to)
        if acknowledged is not None:
            query = query.where(
                alerts.c.acknowledged_at.is_not(None) if acknowledged else alerts.c.acknowledged_at.is_(None)
            )
        return await self.all(query)

    async def acknowledge(self, alert_id: UUID, at: datetime, by: str, note: str | None) -> Row | None:
        """The acknowledged alert, or None when there is none not acknowledged yet."""
        return await self.optional(
            update(alerts)
            .where(alerts.c.id == alert_id, alerts.c.acknowledged_at.is_(None))
            .values(acknowledged_at=at, acknowledged_by=by, acknowledgement_note=note)
            .returning(alerts)
        )

    async def readings_of(self, pairs: list[tuple[UUID, date]]) -> list[Row]:
        """The readings of these (well, day) pairs: hours on, the downtime reason (code and label), comments."""
        if not pairs:
            return []
        return await self.all(_READINGS, {"wells": [w for w, _ in pairs], "days": [d for _, d in pairs]})

    async def get(self, alert_id: UUID) -> Row | None:
        return await self.optional(select(alerts).where(alerts.c.id == alert_id))
