"""Roles, the last-owner rule, secret formats and the password policy."""

from __future__ import annotations

from uuid import uuid4

import pytest

from wellflow_identity.domain.errors import InvalidRole, LastOwnerError
from wellflow_identity.domain.people import normalize_email, password_problem
from wellflow_identity.domain.roles import ROLES, check_deactivation, check_role, check_role_change
from wellflow_identity.domain.secrets import hash_secret, new_api_key, new_secret, parse_api_key, same_hash
from wellflow_servicekit.permissions import Role


def test_the_domain_knows_exactly_the_roles_of_the_permission_matrix():
    assert set(ROLES) == {role.value for role in Role}
    with pytest.raises(InvalidRole):
        check_role("admin")


def test_the_last_active_owner_cannot_be_demoted_or_deactivated():
    with pytest.raises(LastOwnerError):
        check_role_change(is_active_owner=True, new_role="manager", other_active_owners=0)
    with pytest.raises(LastOwnerError):
        check_deactivation(is_active_owner=True, other_active_owners=0)
    check_role_change(is_active_owner=True, new_role="manager", other_active_owners=1)
    check_role_change(is_active_owner=True, new_role="owner", other_active_owners=0)
    check_role_change(is_active_owner=False, new_role="pumper", other_active_owners=0)
    check_deactivation(is_active_owner=False, other_active_owners=0)


def test_an_api_key_carries_its_id_and_only_the_hash_of_its_secret_is_kept():
    key_id = uuid4()
    key, stored = new_api_key(key_id)
    parsed = parse_api_key(key)
    assert parsed is not None and parsed[0] == key_id
    assert same_hash(parsed[1], stored) and parsed[1] not in stored
    assert parse_api_key(key + "x") is None
    assert parse_api_key("wfk_" + "g" * 32 + "_" + "a" * 43) is None


def test_refresh_tokens_are_random_and_stored_as_sha256():
    first, second = new_secret("wfr_"), new_secret("wfr_")
    assert first != second and first.startswith("wfr_") and len(first) == 47
    assert len(hash_secret(first)) == 64 and not same_hash(first, hash_secret(second))


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "must be at least 12 characters"),
        ("x" * 257, "must be at most 256 characters"),
        ("Pat@Example.com", "must not be your email address"),
        ("correct horse battery staple", None),
    ],
)
def test_password_policy(password, problem):
    assert password_problem(password, "pat@example.com") == problem


def test_emails_are_compared_case_folded_and_trimmed():
    assert normalize_email("  Pat@Example.COM ") == "pat@example.com"
