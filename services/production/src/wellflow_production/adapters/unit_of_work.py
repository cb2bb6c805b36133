"""Production's unit of work: one transaction, its outbox, and the repositories use cases reach through it
(``uow.readings.get(...)``)."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import IntegrityError

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import repository

from ..app.ports import ConstraintViolated
from .repositories.alerts import SqlAlerts
from .repositories.allocation import SqlAllocation
from .repositories.assets import SqlAssets
from .repositories.deferred import SqlDeferred
from .repositories.field_data import SqlGasDispositions, SqlRunTickets, SqlTankGauges
from .repositories.idempotency import SqlIdempotency
from .repositories.imports import SqlImports
from .repositories.lease_months import SqlLeaseMonths
from .repositories.organization import SqlOrganization
from .repositories.readings import SqlReadings
from .repositories.recording import SqlRecording
from .repositories.rejections import SqlRejections
from .repositories.routes import SqlRoutes
from .repositories.series import SqlSeries
from .repositories.tank_ledger import SqlTankLedger
from .repositories.wells import SqlWells


class SqlProductionWork(UnitOfWork):
    assets = repository(SqlAssets)
    wells = repository(SqlWells)
    readings = repository(SqlReadings)
    recording = repository(SqlRecording)
    idempotency = repository(SqlIdempotency)
    organization = repository(SqlOrganization)
    lease_months = repository(SqlLeaseMonths)
    tank_gauges = repository(SqlTankGauges)
    run_tickets = repository(SqlRunTickets)
    gas_dispositions = repository(SqlGasDispositions)
    imports = repository(SqlImports)
    alerts = repository(SqlAlerts)
    allocation = repository(SqlAllocation)
    series = repository(SqlSeries)
    routes = repository(SqlRoutes)
    tank_ledger = repository(SqlTankLedger)
    deferred = repository(SqlDeferred)
    rejections = repository(SqlRejections)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """A unique or check constraint broken in the transaction (or at its commit) reaches use cases as
        ``ConstraintViolated``, after the rollback."""
        try:
            await super().__aexit__(exc_type, exc, tb)
        except IntegrityError as error:
            raise ConstraintViolated(str(error)) from error
        if isinstance(exc, IntegrityError):
            raise ConstraintViolated(str(exc)) from exc
