"""The one encryption helper: sealed values open only unaltered, for their purpose, under a known key."""

import base64
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from safeguarding.concerns.models import Concern, ConcernPerson
from safeguarding.core.crypto import (
    DecryptionError,
    blind_index,
    blind_index_matches,
    decrypt_text,
    encrypt_text,
    key_generate,
)
from tests.concerns.factories import ConcernFactory

PURPOSE = "concerns.concern.narrative"
ROOT = Path(__file__).resolve().parents[2]


def _flip(token: str, position: int) -> str:
    prefix, payload = token.rsplit(":", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    raw[position] ^= 0x01
    return f"{prefix}:{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"


@pytest.mark.parametrize("value", ["", "Plain words.", "Ünïcödé — 🚗 QX71 ZKV\nline two", "x" * 20000])
def test_round_trip(value):
    token = encrypt_text(value, purpose=PURPOSE)
    assert decrypt_text(token, purpose=PURPOSE) == value


def test_token_names_its_key_and_hides_the_value():
    first = encrypt_text("Zephyrine Quillbrook", purpose=PURPOSE)
    second = encrypt_text("Zephyrine Quillbrook", purpose=PURPOSE)
    assert first.startswith("v1:test1:")
    assert "Zephyrine" not in first
    assert first != second  # a fresh nonce every time: equal values do not look equal


def test_every_flipped_byte_is_detected_not_decrypted_to_garbage():
    token = encrypt_text("Meet at the lodge", purpose=PURPOSE)
    length = len(base64.urlsafe_b64decode(token.rsplit(":", 1)[1] + "=="))
    for position in range(length):  # nonce, ciphertext and tag alike
        with pytest.raises(DecryptionError):
            decrypt_text(_flip(token, position), purpose=PURPOSE)


def test_wrong_purpose_is_refused():
    token = encrypt_text("secret", purpose=PURPOSE)
    with pytest.raises(DecryptionError):
        decrypt_text(token, purpose="concerns.concern.where_and_when")


@pytest.mark.parametrize(
    "token",
    ["", "plain text", "v1:test1:", "v1:test1:AAAA", "v1:test1:!!!!", "v2:test1:AAAA", "v1:unknown:AAAAAAAA"],
)
def test_damaged_or_foreign_tokens_are_refused(token):
    with pytest.raises(DecryptionError):
        decrypt_text(token, purpose=PURPOSE)


def test_a_different_key_with_the_same_id_is_refused(settings):
    token = encrypt_text("secret", purpose=PURPOSE)
    settings.FIELD_ENCRYPTION_KEYS = [key_generate("test1")]
    with pytest.raises(DecryptionError):
        decrypt_text(token, purpose=PURPOSE)


def test_the_key_tag_is_authenticated_too(settings):
    """Relabelling a token with another configured key's id does not open it."""
    token = encrypt_text("secret", purpose=PURPOSE)
    settings.FIELD_ENCRYPTION_KEYS = [*settings.FIELD_ENCRYPTION_KEYS, key_generate("other")]
    with pytest.raises(DecryptionError):
        decrypt_text(token.replace("v1:test1:", "v1:other:"), purpose=PURPOSE)


@pytest.mark.parametrize(
    "keys",
    [[], ["no-colon"], ["bad id!:" + "A" * 43], ["short:AAAA"], [key_generate("same"), key_generate("same")]],
)
def test_missing_or_malformed_keys_stop_with_a_clear_message(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    with pytest.raises(ImproperlyConfigured) as caught:
        encrypt_text("x", purpose=PURPOSE)
    assert "AAAA" not in str(caught.value)


def test_blind_index_is_keyed_per_purpose_and_compared_safely(settings):
    index = blind_index("+447700900417", purpose="phone")
    assert index == blind_index("+447700900417", purpose="phone")
    assert index != blind_index("+447700900417", purpose="vehicle")
    assert blind_index_matches("+447700900417", index, purpose="phone")
    assert not blind_index_matches("+447700900418", index, purpose="phone")
    settings.FIELD_BLIND_INDEX_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert blind_index("+447700900417", purpose="phone") != index
    settings.FIELD_BLIND_INDEX_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        blind_index("x", purpose="phone")


# --- Rotation -------------------------------------------------------------------------------------


def _raw_tokens() -> list[str]:
    tokens = []
    with connection.cursor() as cursor:
        for model, columns in [(Concern, ["narrative", "where_and_when"]), (ConcernPerson, ["name"])]:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608 (names from the models)
            tokens.extend(value for row in cursor.fetchall() for value in row)
    return tokens


def _submit(n: int) -> Concern:
    return ConcernFactory(
        narrative=f"Narrative number {n}", people=[{"role": "at_risk", "name": f"Person {n}"}]
    )


@pytest.mark.django_db
def test_rotation_re_encrypts_under_the_new_key_and_old_values_read_meanwhile(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    pks = [_submit(n).pk for n in range(5)]
    assert all(token.startswith("v1:test1:") for token in _raw_tokens())

    # A new key goes first; the old one stays until rotation has finished.
    settings.FIELD_ENCRYPTION_KEYS = [key_generate("test2"), old_key]
    newer = _submit(99)
    assert Concern.objects.get(pk=pks[0]).narrative == "Narrative number 0"
    assert {t.split(":")[1] for t in _raw_tokens()} == {"test1", "test2"}

    out = StringIO()
    call_command("rotate_field_keys", "--batch-size", "2", stdout=out)
    assert "concerns.Concern: 5 rows re-encrypted (45 values)." in out.getvalue()  # 9 encrypted fields each
    assert "concerns.ConcernPerson: 5 rows re-encrypted (25 values)." in out.getvalue()
    assert all(token.startswith("v1:test2:") for token in _raw_tokens())

    # The old key can now go: everything still reads.
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    assert [Concern.objects.get(pk=pk).narrative for pk in pks] == [f"Narrative number {n}" for n in range(5)]
    assert ConcernPerson.objects.get(concern=newer).name == "Person 99"

    again = StringIO()
    call_command("rotate_field_keys", stdout=again)
    assert "Done: 0 rows and 0 values" in again.getvalue()


@pytest.mark.django_db
def test_rotation_reports_values_no_key_can_open(settings):
    _submit(1)
    settings.FIELD_ENCRYPTION_KEYS = [key_generate("test3")]  # the old key lost
    with pytest.raises(Exception, match="could not be decrypted"):
        call_command("rotate_field_keys", stdout=StringIO())


# --- Settings -------------------------------------------------------------------------------------


def _production_check(**env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "DJANGO_SECRET_KEY": "k" * 10 + "Q7vX2pLr9sT4wY6zB1nM3cF5hJ8dG0aE-_qRtUiOpAsDfGhJkLzXcVbNm",
        "ALLOWED_HOSTS": "toolkit.example.org",
        "DATABASE_URL": "postgres://toolkit@127.0.0.1:5432/toolkit",
        "SITE_URL": "https://toolkit.example.org",
        "TOOLKIT_FIELD_KEYS": key_generate("prod1"),
        "TOOLKIT_BLIND_INDEX_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }
    clean = {k: v for k, v in os.environ.items() if k not in base}
    clean.update(base, **env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", ["TOOLKIT_FIELD_KEYS", "TOOLKIT_BLIND_INDEX_KEY"])
def test_production_refuses_to_start_without_the_field_keys(missing):
    result = _production_check(**{missing: ""})
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr


def test_production_starts_with_the_field_keys():
    result = _production_check()
    assert result.returncode == 0, result.stderr
