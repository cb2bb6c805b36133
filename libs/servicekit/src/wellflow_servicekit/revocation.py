"""Refusing the access tokens of someone whose access changed, within seconds and in every service.

An access token lives 15 minutes and carries its holder's role. When identity deactivates a member, changes
their role or revokes an API key it publishes ``identity.access_revoked.v1`` naming the tokens' subjects
(``sub``) and the instant of the change. Every service process keeps what it heard in a ``RevocationList``
(in memory: there are few such events and they only matter until the tokens they revoke expire), and
``auth.get_principal`` refuses a token whose organization and subject are listed and that was issued (``iat``)
at or before the instant of the change. Identity writes ``iat`` to the millisecond (a JSON number may have a
fraction, RFC 7519 NumericDate), so the token a member gets by refreshing right after the change, in the same
second, is accepted; a token with a whole-second ``iat`` from the second of the change is refused. A member
whose role changed refreshes and gets a token with the new role; a deactivated member's refresh is refused by
identity.

``RevocationFeed`` fills the list: an ordered, ephemeral JetStream consumer per process (each replica must
hear every event, so not the shared durable consumers of ``consumers.py``), which starts
``REVOCATION_HORIZON_SECONDS`` in the past, so a process that starts (or restarts) learns the revocations
of tokens that may still be alive. ``ServiceRuntime`` wires both once for every service.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from nats.js.api import ConsumerConfig, DeliverPolicy

from wellflow_contracts import MalformedEnvelope, UnknownEventType, decode
from wellflow_contracts.events.identity import AccessRevoked
from wellflow_contracts.subjects import DEFAULT_ROOT, event_subject, stream_name

if TYPE_CHECKING:
    from faststream.nats import NatsBroker
    from nats.aio.msg import Msg

    from wellflow_servicekit.auth import Principal

log = logging.getLogger(__name__)

# Tokens live at most an hour (identity's ACCESS_TOKEN_TTL_SECONDS is capped there), plus verification leeway.
REVOCATION_HORIZON_SECONDS = 3600.0 + 60.0


class RevocationList:
    """(organization, subject) -> the instant up to which tokens are refused; entries older than ``horizon`` go."""

    def __init__(
        self,
        *,
        horizon: float = REVOCATION_HORIZON_SECONDS,
        max_entries: int = 200_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.horizon = horizon
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[tuple[UUID, str], float] = {}

    def revoke(self, organization_id: UUID, subjects: Iterable[str], revoked_at: float) -> None:
        """Refuse the subjects' tokens issued at or before ``revoked_at`` (epoch seconds)."""
        if revoked_at < self._clock() - self.horizon:
            return  # every token this could refuse has expired
        if len(self._entries) >= self.max_entries:
            self.purge()
        for subject in subjects:
            key = (organization_id, subject)
            self._entries[key] = max(revoked_at, self._entries.get(key, revoked_at))

    def refuses(self, principal: Principal) -> bool:
        through = self._entries.get((principal.organization_id, principal.subject))
        if through is None:
            return False
        return principal.issued_at is None or principal.issued_at <= through

    def purge(self) -> None:
        oldest = self._clock() - self.horizon
        self._entries = {key: through for key, through in self._entries.items() if through >= oldest}

    def __len__(self) -> int:
        return len(self._entries)


class RevocationFeed:
    """Feeds a ``RevocationList`` from ``identity.access_revoked.v1`` events, in this process only."""

    def __init__(
        self,
        broker: NatsBroker,
        revocations: RevocationList,
        *,
        subject_root: str = DEFAULT_ROOT,
        retry_seconds: float = 5.0,
    ) -> None:
        self.broker = broker
        self.revocations = revocations
        self.root = subject_root
        self.subject = f"{subject_root}.evt.*.{AccessRevoked.event_type()}"
        self.retry_seconds = retry_seconds
        self.applied = 0
        self._subscription: Any = None
        self._retry: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Subscribe now, or keep trying in the background (the stream may not exist yet) without failing start-up."""
        if not await self._subscribe():
            self._retry = asyncio.create_task(self._keep_trying(), name="revocation-feed-retry")

    async def stop(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._retry
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
            self._subscription = None

    @property
    def subscribed(self) -> bool:
        return self._subscription is not None

    async def _keep_trying(self) -> None:
        while not await self._subscribe():  # noqa: ASYNC110 - polling NATS, nothing to wait on
            await asyncio.sleep(self.retry_seconds)

    async def _subscribe(self) -> bool:
        js = self.broker.config.connection_state.stream
        since = datetime.now(UTC) - timedelta(seconds=self.revocations.horizon)
        config = _NamedByInbox(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since)
        try:
            self._subscription = await js.subscribe(
                self.subject, stream=stream_name(self.root), ordered_consumer=True, config=config, cb=self._on_message
            )
        except Exception as exc:
            log.warning("cannot follow token revocations on %s yet (%s); retrying", self.subject, exc)
            return False
        log.info("following token revocations on %s", self.subject)
        return True

    async def _on_message(self, msg: Msg) -> None:
        try:
            event = decode(dict(msg.headers or {}), msg.data)
        except (MalformedEnvelope, UnknownEventType) as exc:
            log.warning("unreadable revocation on %s: %s", msg.subject, exc)
            return
        if not isinstance(event, AccessRevoked) or msg.subject != event_subject(event.tenant_id, event.type, self.root):
            log.warning("ignoring %s on %s: not a revocation of that subject's organization", event.type, msg.subject)
            return
        self.revocations.revoke(event.tenant_id, event.subjects, event.revoked_at.timestamp())
        self.applied += 1


class _NamedByInbox(ConsumerConfig):
    """The ordered consumer's configuration, named after the inbox it delivers to (new at every (re)creation).

    A named consumer is created through ``$JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>``, the form whose
    filter the server checks against the subject: a service's NATS user may create consumers of any name on
    identity's revocation events and nothing else (deploy/nats/accounts.conf). Unnamed, nats-py would use the
    unfiltered form, which the accounts refuse. A name derived from the delivery inbox changes each time
    nats-py recreates the ordered consumer after a gap, so a recreation never collides with the old one."""

    @property
    def name(self) -> str | None:
        return f"revocations-{self.deliver_subject.rsplit('.', 1)[-1]}" if self.deliver_subject else None

    @name.setter
    def name(self, value: str | None) -> None:
        """Ignored: the name follows the inbox."""
