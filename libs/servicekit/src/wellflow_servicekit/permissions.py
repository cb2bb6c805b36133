"""The permission matrix: which role may read or write which resource. Defined here once for every service.

The table is documented in docs/permissions.md, and a unit test walks every cell of it against that
document, so the two cannot drift apart. Roles are per organization (a user may be an owner in one and an
auditor in another); there is no implicit hierarchy beyond what the matrix says.

In a route:

    @router.post("/wells", dependencies=[Depends(require_permission(Resource.WELLS, Action.WRITE))])
    async def register_well(...): ...

    # or, when the handler needs the principal:
    async def list_wells(principal: Annotated[Principal, Depends(require_permission("wells", "read"))]): ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from enum import StrEnum

from wellflow_servicekit.auth import CurrentPrincipal, Principal
from wellflow_servicekit.problems import Forbidden


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    PUMPER = "pumper"
    ACCOUNTANT = "accountant"
    AUDITOR = "auditor"


class Resource(StrEnum):
    ORGANIZATION = "organization"
    MEMBERS = "members"
    API_KEYS = "api_keys"
    AUDIT_LOG = "audit_log"
    WELLS = "wells"
    PRODUCTION = "production"
    COMPLIANCE = "compliance"
    ACCOUNTING = "accounting"
    INTEGRATIONS = "integrations"
    DOCUMENTS = "documents"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"


_R = frozenset({Action.READ})
_RW = frozenset({Action.READ, Action.WRITE})
_NONE: frozenset[Action] = frozenset()

# From the seed: owner everything; manager reads everything and manages wells and production; pumper
# records production and reads wells; accountant does accounting and compliance and reads wells and
# production; auditor reads everything and writes nothing. Two deliberate narrowings: API keys are
# credentials, so only an owner sees or manages them; and every member may read its own organization.
MATRIX: Mapping[Role, Mapping[Resource, frozenset[Action]]] = {
    Role.OWNER: {resource: _RW for resource in Resource},
    Role.MANAGER: {
        Resource.ORGANIZATION: _R,
        Resource.MEMBERS: _R,
        Resource.API_KEYS: _NONE,
        Resource.AUDIT_LOG: _R,
        Resource.WELLS: _RW,
        Resource.PRODUCTION: _RW,
        Resource.COMPLIANCE: _R,
        Resource.ACCOUNTING: _R,
        Resource.INTEGRATIONS: _R,
        Resource.DOCUMENTS: _RW,
    },
    Role.PUMPER: {
        Resource.ORGANIZATION: _R,
        Resource.MEMBERS: _NONE,
        Resource.API_KEYS: _NONE,
        Resource.AUDIT_LOG: _NONE,
        Resource.WELLS: _R,
        Resource.PRODUCTION: _RW,
        Resource.COMPLIANCE: _NONE,
        Resource.ACCOUNTING: _NONE,
        Resource.INTEGRATIONS: _NONE,
        Resource.DOCUMENTS: _RW,
    },
    Role.ACCOUNTANT: {
        Resource.ORGANIZATION: _R,
        Resource.MEMBERS: _NONE,
        Resource.API_KEYS: _NONE,
        Resource.AUDIT_LOG: _NONE,
        Resource.WELLS: _R,
        Resource.PRODUCTION: _R,
        Resource.COMPLIANCE: _RW,
        Resource.ACCOUNTING: _RW,
        Resource.INTEGRATIONS: _NONE,
        Resource.DOCUMENTS: _RW,
    },
    Role.AUDITOR: {
        Resource.ORGANIZATION: _R,
        Resource.MEMBERS: _R,
        Resource.API_KEYS: _NONE,
        Resource.AUDIT_LOG: _R,
        Resource.WELLS: _R,
        Resource.PRODUCTION: _R,
        Resource.COMPLIANCE: _R,
        Resource.ACCOUNTING: _R,
        Resource.INTEGRATIONS: _R,
        Resource.DOCUMENTS: _R,
    },
}


# Deleting recorded data is narrower than writing it: where a resource is listed here, only these roles may
# delete (they need write as well). A pumper records and corrects production but does not delete it.
DELETERS: Mapping[Resource, frozenset[Role]] = {
    Resource.PRODUCTION: frozenset({Role.OWNER, Role.MANAGER}),
    Resource.DOCUMENTS: frozenset({Role.OWNER, Role.MANAGER}),
}


def may_delete(role: str | Role, resource: str | Resource) -> bool:
    """True when ``role`` may delete records of ``resource``: write, and listed in ``DELETERS`` if it is there."""
    if not allowed(role, resource, Action.WRITE):
        return False
    deleters = DELETERS.get(Resource(resource))
    return deleters is None or Role(role) in deleters


def require_delete(resource: str | Resource) -> Callable[..., Awaitable[Principal]]:
    """Dependency factory: the verified principal, or 403 when its role may not delete ``resource`` records."""
    resource = Resource(resource)

    async def check_delete(principal: CurrentPrincipal) -> Principal:
        if not may_delete(principal.role, resource):
            raise Forbidden(
                f"Your role ({principal.role}) may not delete {resource.value.replace('_', ' ')} records.",
                resource=resource.value,
                action="delete",
            )
        return principal

    check_delete.__name__ = f"require_delete_{resource.value}"
    return check_delete


def grants(role: str | Role) -> dict[str, list[str]]:
    """What ``role`` may do, as identity's /api/v1/me reports it: resource -> actions ("read", "write", "delete").

    Clients (the web console) show and hide pages by this, so the matrix above stays the one place it is decided.
    An unknown role may do nothing."""
    try:
        granted = MATRIX[Role(role)]
    except ValueError:
        return {}
    out: dict[str, list[str]] = {}
    for resource, actions in granted.items():
        listed = sorted(action.value for action in actions)
        if may_delete(role, resource):
            listed.append("delete")
        out[resource.value] = listed
    return out


def allowed(role: str | Role, resource: str | Resource, action: str | Action) -> bool:
    """True when ``role`` may ``action`` the ``resource``; unknown roles, resources or actions may nothing."""
    try:
        return Action(action) in MATRIX[Role(role)][Resource(resource)]
    except (ValueError, KeyError):
        return False


def require_permission(resource: str | Resource, action: str | Action) -> Callable[..., Awaitable[Principal]]:
    """Dependency factory: the verified principal, or 403 when its role may not ``action`` the ``resource``."""
    resource, action = Resource(resource), Action(action)  # a typo fails at import, not per request

    async def check_permission(principal: CurrentPrincipal) -> Principal:
        if not allowed(principal.role, resource, action):
            raise Forbidden(
                f"Your role ({principal.role}) may not {action.value} {resource.value.replace('_', ' ')}.",
                resource=resource.value,
                action=action.value,
            )
        return principal

    check_permission.__name__ = f"require_{action.value}_{resource.value}"
    return check_permission
