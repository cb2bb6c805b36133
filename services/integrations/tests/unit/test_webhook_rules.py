"""Signatures (Standard Webhooks), the SSRF address rules and the retry timing."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from wellflow_integrations.domain.addresses import RefusedUrl, check_addresses, parse_url
from wellflow_integrations.domain.retries import RetryPolicy
from wellflow_integrations.domain.signing import InvalidSignature, new_secret, sign, verify


def test_a_signature_is_hmac_sha256_over_id_timestamp_and_body_and_verifies():
    secret = new_secret()
    body = b'{"type": "wells.well_registered.v1"}'
    headers = sign(secret, "0190aaaa", 1_700_000_000, body)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, b"0190aaaa.1700000000." + body, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"
    verify(secret, headers, body, now=1_700_000_100)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h, b: (h, b + b" "),  # body changed
        lambda h, b: ({**h, "webhook-timestamp": "1700000001"}, b),  # timestamp changed
        lambda h, b: ({**h, "webhook-id": "other"}, b),  # id changed
    ],
)
def test_a_changed_request_does_not_verify(tamper):
    secret = new_secret()
    headers, body = tamper(sign(secret, "0190aaaa", 1_700_000_000, b"{}"), b"{}")
    with pytest.raises(InvalidSignature):
        verify(secret, headers, body, now=1_700_000_000)


def test_an_old_request_is_refused_as_a_replay_and_another_secret_does_not_verify():
    secret = new_secret()
    headers = sign(secret, "id", 1_700_000_000, b"{}")
    with pytest.raises(InvalidSignature, match="tolerance"):
        verify(secret, headers, b"{}", now=1_700_000_000 + 301)
    with pytest.raises(InvalidSignature):
        verify(new_secret(), headers, b"{}", now=1_700_000_000)


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # not https
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
        "https://172.16.0.1/hook",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00:ec2::254]/",
        "https://100.100.100.200/",
        "https://[::ffff:10.0.0.1]/",
        "https://0.0.0.0/",
        "https://localhost/hook",
        "https://2130706433/",  # 127.0.0.1 as one number
        "https://0x7f.1/",
        "https://intranet/hook",  # not a public name
        "https://user:pw@hooks.example.com/",
        "ftp://hooks.example.com/",
    ],
)
def test_urls_on_private_loopback_link_local_or_metadata_addresses_are_refused(url):
    with pytest.raises(RefusedUrl):
        parse_url(url)


def test_a_public_https_url_passes_and_loopback_only_with_the_dev_setting():
    assert parse_url("https://hooks.example.com:8443/in").port == 8443
    parse_url("https://93.184.216.34/in")
    assert parse_url("http://127.0.0.1:9999/in", allow_loopback=True).scheme == "http"
    parse_url("http://localhost:9999/in", allow_loopback=True)
    with pytest.raises(RefusedUrl):
        parse_url("http://10.0.0.1/in", allow_loopback=True)  # the dev setting admits loopback, not private


@pytest.mark.parametrize(
    "addresses", [["93.184.216.34", "10.0.0.1"], ["169.254.169.254"], ["::1"], ["fe80::1"], ["fc00::1"], []]
)
def test_a_name_resolving_to_any_non_public_address_is_refused(addresses):
    with pytest.raises(RefusedUrl):
        check_addresses(addresses)


def test_retries_double_up_to_the_cap_and_stop_after_a_day():
    policy = RetryPolicy(first_delay=10, max_delay=3600, give_up_after=86400)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert policy.delay(20) == 3600
    created = datetime(2026, 1, 1, tzinfo=UTC)
    assert policy.next_attempt(created, 1, created) == created + timedelta(seconds=10)
    late = created + timedelta(hours=23, minutes=30)
    assert policy.next_attempt(created, 15, late) == created + timedelta(days=1)  # not past the day
    assert policy.next_attempt(created, 16, created + timedelta(days=1)) is None
    # a delivery retried for a day is attempted about log2 + hours times, not thousands
    attempts, now = 0, created
    while (next_at := policy.next_attempt(created, attempts + 1, now)) is not None:
        attempts, now = attempts + 1, next_at
    assert 25 < attempts < 40
