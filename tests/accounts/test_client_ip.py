"""The audit log's client address: X-Forwarded-For only as far as trusted proxies wrote it."""

import pytest
from django.test import RequestFactory

from kredin.audit import client_ip


def _request(forwarded: str = "", remote: str = "10.0.0.5"):
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.KREDIN_TRUSTED_PROXY_COUNT = 0

    assert client_ip(_request(forwarded="198.51.100.7")) == "10.0.0.5"


def test_with_one_proxy_the_address_it_added_is_the_client(settings):
    settings.KREDIN_TRUSTED_PROXY_COUNT = 1

    # The client claimed 6.6.6.6 itself; the proxy appended what it really saw.
    assert client_ip(_request(forwarded="6.6.6.6, 198.51.100.7")) == "198.51.100.7"


def test_with_two_proxies_the_second_from_the_right_is_the_client(settings):
    settings.KREDIN_TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request(forwarded="6.6.6.6, 198.51.100.7, 10.1.1.1")) == "198.51.100.7"


def test_fewer_hops_than_proxies_falls_back_to_the_connection(settings):
    settings.KREDIN_TRUSTED_PROXY_COUNT = 2

    assert client_ip(_request(forwarded="198.51.100.7")) == "10.0.0.5"


@pytest.mark.parametrize("garbage", ["not-an-ip", "1.2.3.4.5", "<script>", "999.1.1.1"])
def test_an_invalid_address_is_not_recorded(settings, garbage):
    settings.KREDIN_TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(forwarded=garbage)) is None


def test_ipv6_is_kept_in_canonical_form(settings):
    settings.KREDIN_TRUSTED_PROXY_COUNT = 1

    assert client_ip(_request(forwarded="2001:DB8:0:0::1")) == "2001:db8::1"
