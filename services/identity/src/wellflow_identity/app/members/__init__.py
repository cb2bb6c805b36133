"""Members of an organization (list, change role, deactivate) and invitations (create, list, accept)."""

from . import accept, invite, queries, roles

__all__ = ["accept", "invite", "queries", "roles"]
