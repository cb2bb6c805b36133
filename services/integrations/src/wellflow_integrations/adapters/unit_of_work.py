"""The integrations unit of work: one transaction under the caller's tenant, with its repositories."""

from __future__ import annotations

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import repository

from .repositories.deliveries import SqlDeliveries
from .repositories.endpoints import SqlEndpoints, SqlTenants
from .repositories.feeds import SqlFeeds


class SqlIntegrationsWork(UnitOfWork):
    feeds = repository(SqlFeeds)
    endpoints = repository(SqlEndpoints)
    deliveries = repository(SqlDeliveries)
    tenants = repository(SqlTenants)
