"""All of identity's SQL: one repository per area, on one unit of work's connection (SQLAlchemy Core).

Tenant rows are confined by row-level security: the unit of work sets the tenant, or
``SqlIdentityWork.use_tenant`` does once a row found through one of the narrow lookup policies (see
``tables``) has told which tenant it is.
"""

from .api_keys import SqlApiKeys
from .audit import SqlAuditLog
from .invitations import SqlInvitations
from .organizations import SqlOrganizations
from .password_resets import SqlPasswordResets
from .people import SqlPeople
from .refresh_tokens import SqlRefreshTokens
from .sign_in_limits import SqlSignInLimits
from .signing_keys import SqlSigningKeys

__all__ = [
    "SqlApiKeys",
    "SqlAuditLog",
    "SqlInvitations",
    "SqlOrganizations",
    "SqlPasswordResets",
    "SqlPeople",
    "SqlRefreshTokens",
    "SqlSignInLimits",
    "SqlSigningKeys",
]
