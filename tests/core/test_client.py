"""The client address behind proxies (issue 10, finding 2): from a configured number of trusted proxies,
through django-ipware; never an error whatever the header holds; a spoofed entry never earns a fresh
rate limit."""

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from safeguarding.core.client import UNKNOWN, client_address, lockout_address

factory = RequestFactory()
PROXY = "10.0.0.1"


def _address(forwarded: str | None, *, proxies: int, remote: str = PROXY) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(factory.get("/", **extra))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, PROXY),  # no proxy configured: the header is never read
        (0, "81.2.69.160", PROXY),
        (1, "81.2.69.160", "81.2.69.160"),  # one proxy appended the client
        (1, "81.2.69.99, 81.2.69.160", "81.2.69.160"),  # the left entry was typed by the client
        (1, "1.1.1.1, 2.2.2.2, 81.2.69.160", "81.2.69.160"),
        (2, "81.2.69.160, 10.0.0.7", "81.2.69.160"),  # two proxies: the client is second from the right
        (2, "9.9.9.9, 81.2.69.160, 10.0.0.7", "81.2.69.160"),
        (1, None, PROXY),  # no header: the proxy's address, never an error
        (1, "", PROXY),
        (1, "not an address", PROXY),
        # Not something our proxy could have appended; django-ipware skips what is not an address.
        (1, "81.2.69.160, not an address", "81.2.69.160"),
        (2, "81.2.69.160", PROXY),  # too short for the configured proxies
    ],
)
def test_the_client_address_comes_only_from_what_the_trusted_proxies_appended(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert _address(forwarded, proxies=proxies) == expected


def test_ipv6_addresses_count_by_their_64_bit_block(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = _address("2a00:1450:4009:81a::200e", proxies=1)
    assert first == _address("2a00:1450:4009:81a:ffff::1", proxies=1) == "2a00:1450:4009:81a::"


def test_no_remote_address_at_all_is_unknown_not_an_error(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert _address(None, proxies=0, remote="") == UNKNOWN


@pytest.mark.django_db
def test_a_sign_in_with_no_address_is_recorded_without_one(client, settings):
    """django-axes keeps the address in an address column, which PostgreSQL checks: a request built in
    code (force_login) has none, and "unknown" there was an error on every such sign-in."""
    from axes.models import AccessLog

    from tests.accounts.factories import UserFactory

    settings.TRUSTED_PROXY_COUNT = 0
    assert lockout_address(factory.get("/", REMOTE_ADDR="")) is None
    assert lockout_address(factory.get("/", REMOTE_ADDR="81.2.69.160")) == "81.2.69.160"
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")
    assert AccessLog.objects.get().ip_address is None


@hypothesis_settings(max_examples=300, deadline=None)
@given(header=st.text(max_size=300), proxies=st.integers(min_value=0, max_value=4))
def test_any_header_gives_an_address_and_never_raises(header, proxies):
    from django.conf import settings

    old = settings.TRUSTED_PROXY_COUNT
    settings.TRUSTED_PROXY_COUNT = proxies
    try:
        assert client_address(factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header))
    finally:
        settings.TRUSTED_PROXY_COUNT = old


@pytest.mark.django_db
def test_spoofed_headers_do_not_earn_fresh_receipt_code_guesses(client, settings):
    """The attack: one new spoofed X-Forwarded-For value for each guess gave a fresh limit each time
    (12 guesses accepted against 10 an hour). Behind one proxy, each guess's spoofed entry is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow_up": "10/h"}
    statuses = []
    for guess in range(12):
        spoofed = f"1.2.3.{guess}, 81.2.69.160"
        client.get("/report/follow-up/", HTTP_X_FORWARDED_FOR=spoofed, REMOTE_ADDR=PROXY)
        response = client.post(
            "/report/follow-up/",
            {
                "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
                "reference": "C-2026-000001",
                "receipt_code": f"WRONG{guess:011d}",
            },
            HTTP_X_FORWARDED_FOR=spoofed,
            REMOTE_ADDR=PROXY,
        )
        statuses.append(response.status_code)
    assert statuses.count(429) >= 2
    assert 500 not in statuses


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["81.2.69.160, 10.0.0.2", "", "not-an-address", None])
def test_public_forms_never_fail_whatever_the_header(client, settings, header):
    """The attack: a header of two addresses, none, or a non-address gave a 500 on these pages."""
    settings.TRUSTED_PROXY_COUNT = 1
    extra = {"REMOTE_ADDR": PROXY}
    if header is not None:
        extra["HTTP_X_FORWARDED_FOR"] = header
    for path in ("/report/follow-up/", "/report/danger/"):
        client.get(path, **extra)
        response = client.post(path, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}, **extra)
        assert response.status_code < 500, (path, header, response.status_code)
