"""The documents unit of work: one transaction under the caller's tenant, with its repositories."""

from __future__ import annotations

from wellflow_servicekit.database import UnitOfWork
from wellflow_servicekit.repository import repository

from .repositories.documents import SqlDocuments, SqlVersions
from .repositories.storage import SqlBlobs, SqlReminders, SqlTenants, SqlUploads


class SqlDocumentsWork(UnitOfWork):
    documents = repository(SqlDocuments)
    versions = repository(SqlVersions)
    blobs = repository(SqlBlobs)
    uploads = repository(SqlUploads)
    reminders = repository(SqlReminders)
    tenants = repository(SqlTenants)
