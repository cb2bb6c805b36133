"""The wells service's unit of work: one transaction under the caller's tenant, with its repositories."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import repository

from .repositories.batteries import SqlBatteries
from .repositories.fields import SqlFields
from .repositories.leases import SqlLeases
from .repositories.operations import SqlEquipment, SqlPermits, SqlWellTests
from .repositories.wells import SqlWells


class SqlWellsWork(UnitOfWork):
    fields = repository(SqlFields)
    leases = repository(SqlLeases)
    wells = repository(SqlWells)
    batteries = repository(SqlBatteries)
    well_tests = repository(SqlWellTests)
    equipment = repository(SqlEquipment)
    permits = repository(SqlPermits)

    def savepoint(self) -> AbstractAsyncContextManager[Any]:
        return self.connection.begin_nested()
