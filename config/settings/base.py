"""Settings shared by every way of running the toolkit.

Sections: paths, applications, requests, database, templates, static and uploads, security headers,
API, background tasks, logging. Nothing here is a secret; secrets are read in local.py (generated)
and production.py (required from the environment).
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from config.env import env_int, env_list, env_str

# --- Paths -----------------------------------------------------------------------------------------
BASE_DIR = Path(__file__).resolve().parents[2]
# Local state of the embedded default (SQLite database, generated key, uploads). Git-ignored.
VAR_DIR = Path(env_str("TOOLKIT_VAR_DIR", str(BASE_DIR / "var")))
CONTENT_DIR = BASE_DIR / "content"

# --- Applications ----------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_ratelimit",
    "safeguarding.core",
    "safeguarding.partnership",
    "safeguarding.reviews",
    "safeguarding.accounts",
    "safeguarding.audit",
    "safeguarding.tracker",
    "safeguarding.concerns",
    "safeguarding.linking",
    "safeguarding.insight",
    "safeguarding.statistics",
    "safeguarding.learning",
    "safeguarding.administration",
    "safeguarding.workspace",
    "safeguarding.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "safeguarding.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which reads the form: an oversized body is refused unread.
    "safeguarding.core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The signed-in user is the actor of audit events written by model signals (audit.watch).
    "safeguarding.audit.watch.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth, django-otp and messages: ends sessions SESSION_ABSOLUTE_SECONDS after sign-in.
    "safeguarding.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Our page on a 405, which Django sends with no page of its own.
    "safeguarding.core.views.BrandedErrorPagesMiddleware",
    # Last, as django-axes requires: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# A form sent without its session gets a page that says what was lost and how to start again.
CSRF_FAILURE_VIEW = "safeguarding.core.views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# --- Database --------------------------------------------------------------------------------------
# DATABASE_URL chooses the database: postgres://... in production and CI; SQLite in var/ otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# Connections are kept between requests (conn_max_age); the health check at the start of each request
# replaces one the database closed meanwhile (a PostgreSQL restart), so only requests in flight at the
# moment of a restart fail, and they get the retry page (core.views.error_500, docs/decisions/0018).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler costs more than it saves on the short queries of a web page
    # (measured on the dashboards: p95 633 ms with it, 174 ms without; bench/tracker.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections are kept as for PostgreSQL: opening one costs a file open and three PRAGMAs, a
    # quarter of a search page's time (bench/public.py).
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the task worker writes; IMMEDIATE avoids
        # "database is locked" errors when two writers upgrade a read lock at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# --- Cache and rate limits -------------------------------------------------------------------------
# Shared between the server's processes: REDIS_URL (production) in Redis; without it, the database
# table toolkit_cache (`manage.py createcachetable` makes it). It holds rate-limit counters
# (django-ratelimit hashes its keys) and the public pages' content version: no personal data.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "toolkit_cache"}
    }
# Public pages and pieces of them are kept in each process's memory (safeguarding.core.page_cache,
# docs/decisions/0021): at most PAGE_CACHE_ENTRIES values, each for PAGE_CACHE_SECONDS at most (0 turns
# this off). Each process asks every PAGE_CACHE_VERSION_SECONDS whether content has changed, so a change
# shows on every page within that time.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_ENTRIES = env_int("PAGE_CACHE_ENTRIES", 2000)
PAGE_CACHE_VERSION_SECONDS = 1.0
# Rate limits on the forms anyone can use, per client address, and on the API, per token
# (django-ratelimit "N/period" strings), counted by core.ratelimit.rate_limit (docs/decisions/0020).
# Counting in the database cache is read-then-write, so requests racing each other can be undercounted:
# a limit on a laptop is approximate; with REDIS_URL it is exact.
RATE_LIMITS = {
    # Each page of the /report/ journey and of /refer/ is a POST; a whole report takes about 15.
    "report_step": env_str("RATE_LIMIT_REPORT_STEP", "300/h"),
    # Sending a finished report or referral.
    "report_submit": env_str("RATE_LIMIT_REPORT_SUBMIT", "30/h"),
    # Reference and receipt code attempts at /report/follow-up/: wrong guesses run out fast.
    "follow_up": env_str("RATE_LIMIT_FOLLOW_UP", "10/h"),
    # Concerns sent through the API, per agency token.
    "api_concerns": env_str("RATE_LIMIT_API_CONCERNS", "600/h"),
    # Sign-in attempts for one account from browsers it has never fully signed in from
    # (accounts.devices); its owner's own browser is never held back by this.
    "sign_in_account": env_str("RATE_LIMIT_SIGN_IN_ACCOUNT", "30/15m"),
}
# How many reverse proxies stand in front of the server, each appending to X-Forwarded-For (0: none,
# the header is ignored). The client address is read from that header only through them
# (safeguarding.core.client, django-ipware).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# How long a sent report's receipt code is shown again on reloading the confirmation page in the same
# browser (never after Exit this page, which forgets it).
REPORT_RECEIPT_SHOW_SECONDS = env_int("REPORT_RECEIPT_SHOW_SECONDS", 15 * 60)

# --- Templates -------------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguarding.partnership.context_processors.partnership",
            ],
        },
    },
]

# --- Static files and uploads ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "dist"]
# Evidence files: outside MEDIA_ROOT, with no URL, so only a view that checks permission serves them.
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_FILES_ROOT, "base_url": None, "file_permissions_mode": 0o600},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Largest request body Django will read into memory; uploads above it stream to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest request body a page takes (core.middleware.RequestBodyLimitMiddleware): the longest report or
# referral is a few hundred kilobytes. Upload pages take the upload cap plus room for the form
# (core.uploads.UPLOAD_REQUEST_MAX_BYTES); the JSON API bounds its own body.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 1024 * 1024)

# --- Security headers ------------------------------------------------------------------------------
# A strict policy: everything from our own origin, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "media-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Browser features the toolkit never uses, switched off for every page.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

# --- Staff accounts and sign-in ---------------------------------------------------------------------
# Staff pages live under /staff/; the Django admin is at /staff/admin/, not the guessable /admin/.
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-in while a username is locked out
    "django.contrib.auth.backends.ModelBackend",  # refuses inactive users, on sign-in and on every request
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock an account out from one address after 5 failures in a row there, for 15 minutes (django-axes).
# Per account *and* address: locking by account alone let anyone lock any member of staff out with
# five wrong passwords (issue 10, finding 1). Guessing spread over many addresses meets the softer
# per-account limit RATE_LIMITS["sign_in_account"], which the owner's own browser passes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The same client address as the rate limits: behind trusted proxies, from X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "safeguarding.core.client.lockout_address"
# django-ratelimit lists only memcached and django-redis as supported; Django's own Redis cache
# increments atomically too, so its "not officially supported" warning is silenced.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "django_ratelimit.W001"]
if not REDIS_URL:
    # django-ratelimit refuses the database cache because its increments are not atomic; accepted for
    # the embedded default only (see "Cache and rate limits" above).
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# axes keeps the POST data of failed attempts: never the password (always masked) nor a code.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
# Sessions end after 30 idle minutes (each request renews), and 10 hours after sign-in whatever
# happens (accounts.middleware), and at sign-out or when the account is deactivated.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
# Staff sessions are renewed on every request by accounts.middleware; public visitors' sessions only
# when they change (each answer of the report journey), which saves a database write per page.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Safeguarding Partnership Toolkit")
# After each wrong code a device refuses every code for 1, 2, 4, 8... seconds (django-otp), so codes
# cannot be guessed even by signing in again and again; wrong codes also count towards the axes lockout.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# --- API -------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding Partnership Toolkit API",
    "DESCRIPTION": (
        "Open, read-only access to published reviews, their recommendations and themes; and, for agency "
        "systems holding an API token, sending safeguarding concerns (POST /api/v1/concerns/)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Background tasks ------------------------------------------------------------------------------
# django-tasks with its database backend: the same API as Django 6's built-in tasks, and a real
# worker (`manage.py db_worker`) that needs nothing but the database. See docs/decisions/0004.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- E-mail ----------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "toolkit@localhost")
# The address people use to reach the site, for links in e-mails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Notifications ---------------------------------------------------------------------------------
# Each team a new concern is routed to is e-mailed at once (concerns/notifications.py, decision 0018).
# The scheduler's sweep retries routes still not notified a minute after routing, for this many hours;
# after that the concern is simply in the team's queue, without a late "it has arrived" e-mail.
CONCERN_NOTIFY_SWEEP_HOURS = env_int("CONCERN_NOTIFY_SWEEP_HOURS", 72)

# --- Triage clocks (safeguarding/concerns/clocks.py, decisions 0014 and 0030) ---------------------
# An urgent concern, or one where someone was reported in immediate danger, must have a decision
# within this many hours, counted round the clock (nights, weekends and bank holidays included).
TOOLKIT_URGENT_DECISION_HOURS = env_int("TOOLKIT_URGENT_DECISION_HOURS", 4)

# --- Linking (safeguarding/linking, decision 0022) -------------------------------------------------
# Two or more people at risk linked to the same person, vehicle, phone, place or account within this
# many days raise an alert for the exploitation team (548 days: eighteen months).
LINKING_ALERT_WINDOW_DAYS = env_int("LINKING_ALERT_WINDOW_DAYS", 548)
# A name or place key shared by more concerns than this is too common to find candidates by (a
# first name, a city-centre postcode): comparing every pair would link everyone to everyone.
LINKING_KEY_MAX_CONCERNS = env_int("LINKING_KEY_MAX_CONCERNS", 200)

# --- Learning across reviews (safeguarding/learning, decision 0036) -------------------------------------
# Similar recommendations in other reviews are shown only when their similarity score (0 to 100: the
# cosine similarity of the two texts' TF-IDF vectors) is at least this; and at most this many of them.
LEARNING_SIMILARITY_THRESHOLD_PERCENT = env_int("LEARNING_SIMILARITY_THRESHOLD_PERCENT", 20)
LEARNING_SIMILAR_LIMIT = env_int("LEARNING_SIMILAR_LIMIT", 3)

# --- Demo data -------------------------------------------------------------------------------------
# `manage.py load_demo` creates fictional training data and accounts; production switches it off.
DEMO_DATA_ALLOWED = True

# --- Logging ---------------------------------------------------------------------------------------
# Request bodies and query strings are never logged: they may hold personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"withhold_messages": {"()": "safeguarding.core.logging.WithholdExceptionMessages"}},
    # Tracebacks keep where an error happened but not its message, which may quote personal data.
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["withhold_messages"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
        # WeasyPrint and fontTools log every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Concerns and encryption -----------------------------------------------------------------------
# Personal fields of concerns are encrypted at rest (safeguarding/core/crypto.py, docs/decisions/0012).
# FIELD_ENCRYPTION_KEYS: "<key-id>:<base64 of 32 bytes>" entries, the current key first, older keys after
# it until `manage.py rotate_field_keys` has moved every value on. FIELD_BLIND_INDEX_KEY keys the hashes
# used for exact lookups and receipt codes. No defaults here: local.py generates keys into var/,
# production.py requires them from the environment, test.py fixes them. Never stored in the database.
FIELD_ENCRYPTION_KEYS: list[str] = []
FIELD_BLIND_INDEX_KEY = ""
# Backups (`manage.py backup`, docs/decisions/0027) are encrypted with TOOLKIT_BACKUP_KEY: "<key-id>:<base64
# of 32 bytes>" entries, the first for new backups, older ones after it to restore older backups. Never a
# default, in any settings: without it `backup` and `restore` refuse to run. Never one of the field keys.
BACKUP_KEYS = [key.strip() for key in env_str("TOOLKIT_BACKUP_KEY", "").split(",") if key.strip()]
# Concern references read "C-2026-000123": this prefix, the year received, a number counting up.
CONCERN_REFERENCE_PREFIX = "C"

# --- Public statistics (safeguarding/statistics, docs/decisions/0035) ---------------------------------
# Counts from 1 to STATISTICS_THRESHOLD - 1 are published as "fewer than N"; STATISTICS_ROUNDING, when set
# (for example 5), rounds every published figure to the nearest multiple of it.
STATISTICS_THRESHOLD = env_int("STATISTICS_THRESHOLD", 5)
STATISTICS_ROUNDING = env_int("STATISTICS_ROUNDING", 0) or None
