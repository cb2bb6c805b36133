"""Identity's unit of work: one transaction and the repositories on it."""

from __future__ import annotations

from uuid import UUID

from wellflow_servicekit.database import TENANT_SETTING, UnitOfWork
from wellflow_servicekit.repository import repository

from .repositories import (
    SqlApiKeys,
    SqlAuditLog,
    SqlInvitations,
    SqlOrganizations,
    SqlPasswordResets,
    SqlPeople,
    SqlRefreshTokens,
    SqlSignInLimits,
)
from .repositories.common import set_local


class SqlIdentityWork(UnitOfWork):
    people = repository(SqlPeople)
    organizations = repository(SqlOrganizations)
    refresh_tokens = repository(SqlRefreshTokens)
    invitations = repository(SqlInvitations)
    api_keys = repository(SqlApiKeys)
    audit = repository(SqlAuditLog)
    sign_in_limits = repository(SqlSignInLimits)
    password_resets = repository(SqlPasswordResets)

    async def use_tenant(self, organization_id: UUID) -> None:
        """Confine the rest of this transaction to ``organization_id``, once a row found through a narrow
        lookup policy has told which tenant the request is about."""
        await set_local(self.connection, TENANT_SETTING, str(organization_id))
        self.tenant_id = organization_id
