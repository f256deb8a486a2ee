"""Encryption at rest for personal data: the one helper every app uses (docs/decisions/0012).

Values are sealed with AES-256-GCM (authenticated: any change to a stored value is detected) under a
fresh random 96-bit nonce each time. A stored token says which key sealed it, so keys can be rotated:

    v1:<key-id>:<base64url(nonce | ciphertext | tag)>

The associated data binds each token to its purpose ("concerns.concern.narrative"), so a token copied
into another column does not decrypt there. Keys come from settings (FIELD_ENCRYPTION_KEYS, newest
first), which read them from the environment or a key file, never from the database.

`blind_index` gives a keyed hash (HMAC-SHA256, with its own key) for exact-match lookups on values that
are stored encrypted, and for secrets that are only ever compared (receipt codes).
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Lookup

TOKEN_VERSION = "v1"  # noqa: S105  (the token format version, not a secret)  # nosec B105
NONCE_BYTES = 12
KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class DecryptionError(Exception):
    """A stored token could not be opened: altered, sealed for another purpose, or under an unknown key.

    The message never contains the token or any part of the value.
    """


@dataclass(frozen=True)
class FieldKey:
    key_id: str
    secret: bytes = b""

    def __repr__(self) -> str:  # never print a key
        return f"FieldKey({self.key_id!r})"


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def key_generate(key_id: str) -> str:
    """A new key, written as "<key-id>:<base64url of 32 random bytes>" for settings or the environment."""
    if not _KEY_ID.match(key_id):
        raise ValueError("A key id is 1 to 32 letters, digits, hyphens or underscores.")
    return f"{key_id}:{_b64encode(os.urandom(KEY_BYTES))}"


def _key_parse(spec: str, position: int) -> FieldKey:
    key_id, sep, encoded = spec.strip().partition(":")
    if not sep or not _KEY_ID.match(key_id):
        raise ImproperlyConfigured(
            f"Field encryption key {position} must be written as <key-id>:<base64 key>; "
            "key ids are 1 to 32 letters, digits, hyphens or underscores."
        )
    try:
        secret = _b64decode(encoded)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"Field encryption key {key_id!r} must be {KEY_BYTES} random bytes in base64 "
            "(make one with `manage.py field_key_generate`)."
        )
    return FieldKey(key_id, secret)


@lru_cache(maxsize=8)
def _keys_parse(specs: tuple[str, ...]) -> tuple[FieldKey, ...]:
    if not specs:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: personal data cannot be stored without a key. "
            "Set TOOLKIT_FIELD_KEYS (production) or see docs/decisions/0012-encryption-at-rest.md."
        )
    keys = tuple(_key_parse(spec, n) for n, spec in enumerate(specs, start=1))
    ids = [key.key_id for key in keys]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured("Two field encryption keys share a key id; each id must be unique.")
    return keys


def field_keys() -> tuple[FieldKey, ...]:
    """The configured keys, the current (sealing) key first."""
    return _keys_parse(tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ()))


def current_key_id() -> str:
    return field_keys()[0].key_id


def _associated_data(key_id: str, purpose: str) -> bytes:
    return f"{TOKEN_VERSION}|{key_id}|{purpose}".encode()


def encrypt_text(value: str, *, purpose: str) -> str:
    """Seal `value` under the current key for `purpose`; returns the token to store."""
    if not purpose:
        raise ValueError("Every encrypted value needs a purpose.")
    key = field_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key.secret).encrypt(nonce, value.encode("utf-8"), _associated_data(key.key_id, purpose))
    return f"{TOKEN_VERSION}:{key.key_id}:{_b64encode(nonce + sealed)}"


def token_key_id(token: str) -> str | None:
    """The id of the key that sealed `token`, or None if it is not a token of ours."""
    version, sep, rest = token.partition(":")
    key_id, sep2, _ = rest.partition(":")
    return key_id if version == TOKEN_VERSION and sep and sep2 else None


def decrypt_text(token: str, *, purpose: str) -> str:
    """Open a token made by `encrypt_text` for the same purpose; DecryptionError on any mismatch."""
    key_id = token_key_id(token) if isinstance(token, str) else None
    if key_id is None:
        raise DecryptionError("The stored value is not an encrypted token.")
    key = next((k for k in field_keys() if k.key_id == key_id), None)
    if key is None:
        raise DecryptionError(f"The stored value was sealed with key {key_id!r}, which is not configured.")
    try:
        raw = _b64decode(token.split(":", 2)[2])
    except (binascii.Error, ValueError, UnicodeEncodeError) as error:
        raise DecryptionError("The stored value is damaged.") from error
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("The stored value is damaged.")
    try:
        plain = AESGCM(key.secret).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(key_id, purpose)
        )
    except InvalidTag as error:
        raise DecryptionError(
            "The stored value failed its integrity check: altered, or sealed for another purpose."
        ) from error
    return plain.decode("utf-8")


def _blind_index_key() -> bytes:
    spec = getattr(settings, "FIELD_BLIND_INDEX_KEY", "") or ""
    try:
        secret = _b64decode(spec.strip())
    except (binascii.Error, ValueError, UnicodeEncodeError):
        secret = b""
    if len(secret) < KEY_BYTES:
        raise ImproperlyConfigured(
            "FIELD_BLIND_INDEX_KEY must be at least 32 random bytes in base64 "
            "(TOOLKIT_BLIND_INDEX_KEY in production)."
        )
    return secret


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash of an (already normalised) value: equal inputs give equal indexes, per purpose.

    Without the key nobody can test guesses against the index, so it may be stored beside the
    encrypted value and used for exact lookups.
    """
    message = purpose.encode() + b"\x00" + value.encode("utf-8")
    return hmac.new(_blind_index_key(), message, hashlib.sha256).hexdigest()


def blind_index_matches(value: str, stored: str, *, purpose: str) -> bool:
    """Whether `value` hashes to `stored`, compared in constant time."""
    return hmac.compare_digest(blind_index(value, purpose=purpose), stored or "")


class EncryptedTextField(models.TextField):
    """Text stored encrypted: sealed on save, opened on load, with purpose "<app>.<model>.<field>".

    Only `isnull` lookups work: each value has a fresh nonce, so equality in SQL means nothing. Use a
    separate blind index column for exact matches.
    """

    description = "Text, encrypted at rest"

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.purpose = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name != "isnull":
            return None  # Django then raises "Unsupported lookup" rather than silently matching nothing
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_text(str(value), purpose=self.purpose)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return decrypt_text(value, purpose=self.purpose)


def encrypted_fields() -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with encrypted fields, and those fields: what key rotation walks."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found
