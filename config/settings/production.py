"""Production settings: every secret and host comes from the environment, with no default.

A missing DJANGO_SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, SITE_URL, TOOLKIT_FIELD_KEYS or
TOOLKIT_BLIND_INDEX_KEY stops start-up with a clear message.
"""

from config.env import env_bool, env_int, env_required, env_str

from .base import *  # noqa: F403

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
env_required("DATABASE_URL")  # base.py reads it; here it is also required, so SQLite is never a default.
ALLOWED_HOSTS = [host.strip() for host in env_required("ALLOWED_HOSTS").split(",") if host.strip()]
DEBUG = False
DEMO_DATA_ALLOWED = False
SITE_URL = env_required("SITE_URL").rstrip("/")
# Keys for personal data encrypted at rest (docs/decisions/0012): comma-separated "<key-id>:<base64>",
# the current key first. Never defaulted; a malformed key stops the first use with a clear message.
FIELD_ENCRYPTION_KEYS = [key.strip() for key in env_required("TOOLKIT_FIELD_KEYS").split(",") if key.strip()]
FIELD_BLIND_INDEX_KEY = env_required("TOOLKIT_BLIND_INDEX_KEY")

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
