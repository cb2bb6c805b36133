"""Roles a membership or an API key can hold, and the rule that an organization keeps an owner.

The permission matrix itself lives in ``wellflow_servicekit.permissions``; the domain only needs the
role names and the last-owner rule.
"""

from __future__ import annotations

from .errors import InvalidRole, LastOwnerError

OWNER = "owner"
ROLES = ("owner", "manager", "pumper", "accountant", "auditor")


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidRole(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def check_role_change(*, is_active_owner: bool, new_role: str, other_active_owners: int) -> None:
    """An organization always keeps at least one active owner: the last one cannot be demoted."""
    check_role(new_role)
    if is_active_owner and new_role != OWNER and other_active_owners == 0:
        raise LastOwnerError("the last owner of an organization cannot be demoted; make someone else owner first")


def check_deactivation(*, is_active_owner: bool, other_active_owners: int) -> None:
    if is_active_owner and other_active_owners == 0:
        raise LastOwnerError("the last owner of an organization cannot be deactivated; make someone else owner first")
