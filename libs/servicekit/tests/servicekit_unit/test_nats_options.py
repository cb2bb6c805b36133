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
