"""Operator commands: ``python -m wellflow_identity.entrypoints.cli rotate-keys`` (and ``list-keys``).

Reads the same environment as the service (DATABASE_URL, KEY_ENCRYPTION_KEY, ...). A rotation adds a
new signing key that signs from then on; running processes pick it up within SIGNING_KEY_REFRESH_SECONDS,
and older keys stay in the JWKS for two access-token lifetimes so the tokens they signed still verify.
"""

from __future__ import annotations

import argparse
import sys

from wellflow_servicekit.database import Database
from wellflow_servicekit.kernel import utcnow
from wellflow_servicekit.runtime import run
from wellflow_servicekit.settings import load_settings_or_exit

from ..adapters.keys import KeyCipher, KeyDecryptionError, SigningKeyStore
from ..settings import IdentitySettings


def operator_key_store(settings: IdentitySettings) -> SigningKeyStore:
    """The signing keys for an operator command: one connection, its own engine (disposed after)."""
    database = Database(settings.database_url, service=settings.service_name, pool_size=1, max_overflow=0)
    return SigningKeyStore(
        database,
        KeyCipher(settings.key_encryption_key.get_secret_value()),
        token_ttl_seconds=settings.access_token_ttl_seconds,
        clock=utcnow,
    )


async def rotate_keys(settings: IdentitySettings) -> str:
    store = operator_key_store(settings)
    try:
        await store.start()
        return await store.rotate()
    finally:
        await store.database.dispose()


async def list_keys(settings: IdentitySettings) -> list[str]:
    store = operator_key_store(settings)
    try:
        return [
            f"{row['kid']}  created {row['created_at']:%Y-%m-%d %H:%M:%S}  "
            + (f"retires {row['retire_at']:%Y-%m-%d %H:%M:%S}" if row["retire_at"] else "signing")
            for row in await store.every_key()
        ]
    finally:
        await store.database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wellflow_identity.entrypoints.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("rotate-keys", help="add a new signing key and sign with it from now on")
    commands.add_parser("list-keys", help="show signing keys and when old ones retire")
    args = parser.parse_args(argv)
    settings = load_settings_or_exit(IdentitySettings)
    try:
        if args.command == "rotate-keys":
            kid = run(rotate_keys(settings))
            print(f"new signing key {kid}; older keys stay published for {2 * settings.access_token_ttl_seconds} s")
        else:
            print("\n".join(run(list_keys(settings))))
    except KeyDecryptionError as exc:
        print(f"wellflow identity: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
