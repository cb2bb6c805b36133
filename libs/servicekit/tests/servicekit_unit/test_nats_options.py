import pytest

from wellflow_servicekit.broker import create_broker, nats_connect_options


def test_one_server_without_credentials():
    assert nats_connect_options("nats://127.0.0.1:4222") == {"servers": ["nats://127.0.0.1:4222"]}


def test_a_list_of_servers_shares_the_credentials_of_the_first_that_names_them():
    options = nats_connect_options("nats://nats-0:4222, nats://wells:p%40ss@nats-1:4222,nats-2:4222")
    assert options == {
        "servers": ["nats://nats-0:4222", "nats://nats-1:4222", "nats://nats-2:4222"],
        "user": "wells",
        "password": "p@ss",
    }


def test_no_server_is_an_error():
    with pytest.raises(ValueError, match="no NATS server"):
        nats_connect_options(" , ")


def test_the_broker_takes_the_list_and_the_credentials():
    # FastStream refuses credentials both in a URL and as security: the URLs go without them
    create_broker("nats://wells:secret@a:4222,nats://b:4222", service="wells")
    create_broker("nats://127.0.0.1:4222", service="wells")


def test_a_service_receives_its_replies_under_its_own_inbox_prefix():
    """Its NATS user may subscribe to _INBOX_<service>.> only (deploy/nats/accounts.conf): nats-py's shared
    _INBOX would be refused, and would let one service read another's replies."""
    assert create_broker("nats://wells:s@a:4222", service="wells")._connection_kwargs["inbox_prefix"] == "_INBOX_wells"
    broker = create_broker("nats://a:4222", service="wells", inbox_prefix="_INBOX_wells_blue")
    assert broker._connection_kwargs["inbox_prefix"] == "_INBOX_wells_blue"
    assert nats_connect_options("nats://a:4222", inbox_prefix="_INBOX_x")["inbox_prefix"] == "_INBOX_x"


def test_the_inbox_prefix_setting_defaults_to_the_service_and_refuses_wildcards_and_the_shared_inbox():
    from wellflow_servicekit.settings import ConfigurationError, ServiceSettings, load_settings

    values = {
        "service_name": "production",
        "database_url": "postgresql+asyncpg://u:p@h/d",
        "nats_url": "tls://nats:4222",
        "jwks_url": "https://identity/jwks",
        "jwt_issuer": "i",
        "jwt_audience": "a",
    }
    assert load_settings(ServiceSettings, **values).nats_inbox_prefix == "_INBOX_production"
    assert load_settings(ServiceSettings, **values, nats_inbox_prefix="_I.prod").nats_inbox_prefix == "_I.prod"
    for bad in ("_INBOX", "_INBOX_x.>", "a..b", "_INBOX_*"):
        with pytest.raises(ConfigurationError, match="NATS_INBOX_PREFIX"):
            load_settings(ServiceSettings, **values, nats_inbox_prefix=bad)


def test_a_ca_file_makes_a_verifying_tls_context(tmp_path):
    import ssl

    from wellflow_servicekit.broker import nats_tls_context

    assert nats_tls_context(None) is None
    ca = tmp_path / "ca.crt"
    ca.write_text(_SELF_SIGNED_CA)
    context = nats_tls_context(str(ca))
    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    options = nats_connect_options("tls://wells:pw@nats:4222", tls_ca_file=str(ca))
    assert options["tls"] is not None and options["servers"] == ["tls://nats:4222"]
    broker = create_broker("tls://wells:pw@nats:4222", service="wells", tls_ca_file=str(ca))
    assert broker._connection_kwargs["tls"] is not None
    with pytest.raises(FileNotFoundError):
        nats_tls_context(str(tmp_path / "missing.crt"))


def _make_ca() -> str:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


_SELF_SIGNED_CA = _make_ca()
