"""Settings for the test suite: the local defaults, made fast and deterministic.

DATABASE_URL still chooses the database, so CI runs the same tests on PostgreSQL.
"""

import os
import secrets
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

# A fresh key for each test run: nothing signed in one run is trusted in another.
SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests need no collectstatic run; the manifest storage would demand one.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Serve static files straight from the finders: no collectstatic run before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Uploads in tests go to throw-away folders, never var/ (a restore run by a test names its own).
PRIVATE_FILES_ROOT = Path(
    os.environ.get("PRIVATE_FILES_ROOT") or tempfile.mkdtemp(prefix="toolkit-test-private-")
)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="toolkit-test-media-"))
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": None},
}
# Live-server threads must not keep connections open, or the test database cannot be dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Fixed, public test keys for encrypted fields: never used by any deployment.
FIELD_ENCRYPTION_KEYS = ["test1:dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcyEhISE"]
FIELD_BLIND_INDEX_KEY = "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0zMi1ieXRlcw"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not the in-memory default: live-server threads then open their own connections
    # instead of sharing the test thread's one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="toolkit-test-db-")) / "test.sqlite3")
    }
# One process runs the tests: a local memory cache is enough, and each test starts with it empty.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every request asks whether content changed, so a test sees its own edits at once.
PAGE_CACHE_VERSION_SECONDS = 0
SILENCED_SYSTEM_CHECKS = ["axes.W006", "django_ratelimit.W001", "django_ratelimit.E003"]
