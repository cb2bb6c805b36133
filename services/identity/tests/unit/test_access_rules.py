"""The rules of getting back in, without a database: how often a link may be asked for, an invitation's state,
the links in the mail, and a mail server identity cannot reach (reported, not raised past the use case)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest

from wellflow_identity.adapters.smtp import SmtpMailer
from wellflow_identity.app.mail import Mail, MailNotSent, console_link, deliver
from wellflow_identity.domain.invitations import invitation_state
from wellflow_identity.domain.lockout import ResetLimits, SignInLimits

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def test_an_email_gets_three_links_then_waits_then_is_locked_for_a_quarter_hour():
    limits = ResetLimits()
    counters = {"account": (0, None), "address": (0, None)}
    waits = []
    for _ in range(6):
        waits.append(limits.wait(counters, NOW))
        counters = {kind: (limits.charged(kind, *counters[kind], NOW), NOW) for kind in counters}
    assert waits == [0, 0, 0, 30, 60, 900]
    assert limits.wait(counters, NOW + timedelta(minutes=15)) == 0  # forgotten after the lock period


def test_link_requests_are_counted_apart_from_sign_ins():
    reset, sign_in = ResetLimits.keys("lee@example.com", "10.0.0.1"), SignInLimits.keys("lee@example.com", "10.0.0.1")
    assert not set(reset.values()) & set(sign_in.values())
    assert "lee@example.com" not in "".join(reset.values())  # only hashes


@pytest.mark.parametrize(
    ("accepted", "revoked", "expires_in", "state"),
    [
        (None, None, 60, "pending"),
        (None, None, -1, "expired"),
        (NOW, None, -1, "accepted"),
        (None, NOW, 60, "revoked"),
        (NOW, NOW, 60, "accepted"),
    ],
)
def test_an_invitations_state(accepted, revoked, expires_in, state):
    expires_at = NOW + timedelta(seconds=expires_in)
    assert invitation_state(accepted_at=accepted, revoked_at=revoked, expires_at=expires_at, now=NOW) == state


def test_links_point_at_the_consoles_page_with_the_token_escaped():
    assert (
        console_link("https://wf.example.com/", "reset", "wfp_a+b/c")
        == "https://wf.example.com/#/reset?token=wfp_a%2Bb%2Fc"
    )


async def test_an_unreachable_mail_server_is_reported_as_mail_failed():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailer = SmtpMailer("127.0.0.1", port, sender="no-reply@example.com", security="none", timeout=2)
    mail = Mail(to="lee@example.com", subject="Choose a new WellFlow password", text="...")
    with pytest.raises(MailNotSent):
        await mailer.send(mail)
    assert await deliver(mailer, mail) == "mail_failed"
