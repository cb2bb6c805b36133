"""Members of an organization (list, change role, deactivate, a new sign-in link) and invitations (create, list,
accept, withdraw, send again)."""

from . import accept, invitations, invite, queries, roles, sign_in_link

__all__ = ["accept", "invitations", "invite", "queries", "roles", "sign_in_link"]
