"""client_ip: whose address a request is, with and without a reverse proxy in front."""

import pytest
from django.test import RequestFactory

from wuxiao.lib.http import client_ip


def request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_header_is_ignored(settings):
    settings.WUXIAO_TRUSTED_PROXIES = 0
    assert client_ip(request("203.0.113.7", forwarded="10.9.9.9")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("10.9.9.9, 203.0.113.7", "203.0.113.7"),  # the client forged the left part
        ("2001:db8::1", "2001:db8::1"),
        ("", "127.0.0.1"),
        ("not-an-address", "127.0.0.1"),
    ],
)
def test_behind_one_proxy_the_last_hop_is_the_client(settings, forwarded, expected):
    settings.WUXIAO_TRUSTED_PROXIES = 1
    assert client_ip(request("127.0.0.1", forwarded=forwarded)) == expected


def test_behind_one_proxy_without_the_header(settings):
    settings.WUXIAO_TRUSTED_PROXIES = 1
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"


def test_behind_two_proxies(settings):
    settings.WUXIAO_TRUSTED_PROXIES = 2
    assert client_ip(request("10.0.0.2", forwarded="1.1.1.1, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"
    assert client_ip(request("10.0.0.2", forwarded="203.0.113.7")) == "10.0.0.2"
