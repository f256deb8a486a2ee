"""The embedded default: SQLite, local files and a generated secret key, all in var/.

For running on your own machine only. Never use these settings for a public service.
"""

import base64
import secrets

from config.env import env_bool

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret_key() -> str:
    """A random key made once per checkout and kept in var/, so sessions survive restarts."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def _local_field_keys() -> tuple[list[str], str]:
    """Field encryption keys made once per checkout and kept in var/ (mode 0600), like the secret key.

    var/field_keys holds one "<key-id>:<base64 key>" a line, the current key first;
    var/field_index_key holds the blind index key. Losing these files loses the encrypted data.
    """
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    keys_path, index_path = VAR_DIR / "field_keys", VAR_DIR / "field_index_key"
    if not keys_path.exists():
        secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
        keys_path.write_text(f"local1:{secret}\n")
        keys_path.chmod(0o600)
    if not index_path.exists():
        index_path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        index_path.chmod(0o600)
    keys = [line.strip() for line in keys_path.read_text().splitlines() if line.strip()]
    return keys, index_path.read_text().strip()


SECRET_KEY = _local_secret_key()
FIELD_ENCRYPTION_KEYS, FIELD_BLIND_INDEX_KEY = _local_field_keys()
DEBUG = env_bool("DEBUG", default=False)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
