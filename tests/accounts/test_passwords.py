"""Passwords are hashed with Argon2 everywhere but the test suite (which uses a fast hasher)."""

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from config.settings import base
from safeguarding.accounts.models import User


def test_argon2_is_the_first_hasher_in_the_real_settings():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_password_is_stored_as_an_argon2_hash():
    user = User.objects.create_user("hashme", password="a-long-enough-passphrase")
    assert user.password.startswith("argon2$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.check_password("a-long-enough-passphrase")
    assert "a-long-enough-passphrase" not in user.password


def test_short_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with (
        override_settings(AUTH_PASSWORD_VALIDATORS=base.AUTH_PASSWORD_VALIDATORS),
        pytest.raises(ValidationError),
    ):
        validate_password("short1")
