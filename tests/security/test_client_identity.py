"""Which address and login name a lockout (or a rate limit) counts, with and without a reverse proxy."""

import pytest

from config.security import client_ip, login_username


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "192.0.2.10"),
        (0, "203.0.113.5", "192.0.2.10"),  # no proxy: a forged header is ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client forged the left part
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "192.0.2.10"),  # fewer entries than proxies: not trusted
        (1, " , ", "192.0.2.10"),
    ],
)
def test_client_ip(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [("editor", "editor"), ("x" * 20000, "x" * 255), ("a\x00b", "ab"), ("é" * 300, "é" * 255)],
)
def test_login_username_fits_the_lockout_table(rf, typed, recorded):
    assert login_username(rf.post("/"), {"username": typed}) == recorded
    assert login_username(rf.post("/", {"username": typed}), None) == recorded


def test_login_username_absent(rf):
    assert login_username(rf.post("/"), {}) is None
