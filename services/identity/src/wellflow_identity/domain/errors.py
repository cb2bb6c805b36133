"""Rule violations the domain reports; the app layer turns them into problem responses."""

from __future__ import annotations


class DomainError(Exception):
    """A request that breaks one of identity's rules."""


class LastOwnerError(DomainError):
    """The change would leave the organization without an active owner."""


class InvalidRole(DomainError):
    """Not one of owner, manager, pumper, accountant, auditor."""


class EmailTaken(DomainError):
    """One account per mailbox: another person already signed up with this email."""
