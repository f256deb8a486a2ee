"""The embedded default: SQLite, local files and a generated secret key, all in var/.

For running on your own machine only. Never use these settings for a public service.
"""

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


SECRET_KEY = _local_secret_key()
DEBUG = env_bool("DEBUG", default=False)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
