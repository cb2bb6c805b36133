"""The notifications unit of work: one transaction under the caller's tenant, with its repositories."""

from __future__ import annotations

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import repository

from .repositories.deliveries import SqlDeliveries
from .repositories.in_app import SqlInApp
from .repositories.preferences import SqlPreferences, SqlSuppressions
from .repositories.roster import SqlRoster, SqlTenants


class SqlNotificationsWork(UnitOfWork):
    roster = repository(SqlRoster)
    preferences = repository(SqlPreferences)
    suppressions = repository(SqlSuppressions)
    in_app = repository(SqlInApp)
    deliveries = repository(SqlDeliveries)
    tenants = repository(SqlTenants)
