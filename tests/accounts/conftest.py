"""Helpers for the sign-in tests: CSRF tokens from real pages, and codes from a device's key."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import html


def csrf_post(client: Client, url: str, data: dict, *, page: str | None = None, **kwargs):
    """POST `data` as the form on `page` (default: `url`) would, with its CSRF token."""
    form_page = client.get(page or url)
    token = html(form_page).select_one("input[name=csrfmiddlewaretoken]")["value"]
    return client.post(url, {"csrfmiddlewaretoken": token, **data}, **kwargs)


def wrong_code_for(device: TOTPDevice) -> str:
    """A 6-digit code the device will not accept now, even allowing for clock drift."""
    near = {code_for(device, offset=step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(123456, 999999) if f"{n:06d}" not in near)


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    """The 6-digit code the person's authenticator app would show now (or `offset` steps away)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.fixture(autouse=True)
def _clean_axes_cache():
    # axes uses Django's cache as well as the database; start each test with no memory of failures.
    from django.core.cache import cache

    cache.clear()
