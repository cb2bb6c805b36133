"""Production's copy of a well, as a reading needs it (written by the wells-event consumers: ``assets``)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import select, true

from wellflow_servicekit.repository import Repository, Row

from ..tables import production_settings, wells
from .organization import SETTING_NAMES
from .sql import status_on

_SETTING_COLUMNS = [production_settings.c[name].label(f"setting_{name}") for name in SETTING_NAMES]


class SqlWells(Repository):
    async def get(self, well_id: UUID, day: date | None = None) -> Row | None:
        """The well's local copy; with ``day``, also its status that day (``status_on_day``) and the
        organization's settings (``setting_*``, NULL until set), in the same query: a reading is recorded in as
        few round trips as it can be."""
        if day is None:
            query = select(wells)
        else:
            query = select(wells, status_on(day).label("status_on_day"), *_SETTING_COLUMNS).select_from(
                wells.outerjoin(production_settings, true())
            )
        return await self.optional(query.where(wells.c.id == well_id))
