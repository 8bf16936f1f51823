"""One settings module, configured by environment variables.

Zero-config first run: with nothing set, Porchlight uses an embedded SQLite database and the demo secret.
Production (DEBUG off) refuses to start with the demo secret key or a short one (docs/deploy.md).
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from porchlight.environment import env_bool, env_int

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEMO_SECRET_KEY = "porchlight-demo-secret-key-do-not-use-in-production"  # noqa: S105 - a known, public demo value

DEBUG: bool = env_bool("DEBUG", default=True)
SECRET_KEY: str = env.str("SECRET_KEY", default=DEMO_SECRET_KEY).strip()
_NEW_SECRET_HINT = "(python -c 'import secrets; print(secrets.token_urlsafe(50))')"  # noqa: S105 - not a secret
if not DEBUG and DEMO_SECRET_KEY in SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is (or contains) the public demo key. Set SECRET_KEY to a long random "
        f"value {_NEW_SECRET_HINT} before running in production."
    )
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        f"SECRET_KEY must be at least 50 characters long in production {_NEW_SECRET_HINT}."
    )

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "porchlight.accounts.admin_site.PorchlightAdminConfig",  # django.contrib.admin, administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",  # the database task backend's queue (TASKS_BACKEND=database)
    "porchlight.accounts",
    "porchlight.places",
    "porchlight.people",
    "porchlight.directory",
    "porchlight.outreach",
    "porchlight.cases",
    "porchlight.insights",
    "porchlight.api",
    "porchlight.web",
    "porchlight.demo",
]

MIDDLEWARE = [
    "porchlight.web.middleware.RequestIdMiddleware",
    "porchlight.web.middleware.HealthCheckMiddleware",  # before host checks and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "porchlight.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "porchlight.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' documented placement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "porchlight.urls"
WSGI_APPLICATION = "porchlight.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "porchlight.web.context_processors.navigation",
            ],
        },
    },
]

# SQLite by default (no server to install); DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'porchlight.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dashboard read while a worker writes; a busy timeout instead of "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Argon2 first: new and upgraded passwords are hashed with it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock an account+address pair out after repeated failures, for an hour.
AXES_FAILURE_LIMIT: int = env_int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME: int = env_int("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12

# --- Production hardening (docs/deploy.md): on by default when DEBUG is off, each switchable by env. ---
# Browsers reach Porchlight only over HTTPS; /healthz answers plain HTTP for load balancers and containers.
SECURE_SSL_REDIRECT: bool = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy that ends TLS: the header it sets, e.g. X-Forwarded-Proto (its value must be "https").
# Only set this when the proxy overwrites that header on every request; otherwise clients could spoof it.
_proxy_ssl_header: str = env.str("SECURE_PROXY_SSL_HEADER", default="").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
SECURE_HSTS_SECONDS: int = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD: bool = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE: bool = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE: bool = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (porchlight/web/middleware.py): scripts and styles only from our origin or with the
# per-request nonce; no inline handlers, no style= attributes, no eval. Report-only lets a city try it first.
CSP_REPORT_ONLY: bool = env_bool("CSP_REPORT_ONLY", default=False)
# Browser features: the field app's location pin may ask for this origin's geolocation; nothing else.
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=()"
)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "porchlight" / "locale"]
USE_I18N = True
TIME_ZONE: str = env.str("TIME_ZONE", default="America/New_York")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Where people reach this Porchlight: the start of every link in email (referral updates, overdue tasks).
PORCHLIGHT_BASE_URL: str = env.str("PORCHLIGHT_BASE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="Porchlight <porchlight@localhost>")

# The API (docs/api.md): bounded pages, a JSON parser with size and depth limits, a rate limit on reads per
# token counted in the shared "throttle" cache: a database table (created by the api app's migration), so
# every web process and machine counts the same requests. The default cache stays per process (derived data).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "porchlight_throttle_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},  # one entry per token and scope: never cull live counters
    },
}
API_READ_RATE: str = env.str("API_READ_RATE", default="120/minute")
API_EXPORT_RATE: str = env.str("API_EXPORT_RATE", default="10/hour")
for _name, _rate in (("API_READ_RATE", API_READ_RATE), ("API_EXPORT_RATE", API_EXPORT_RATE)):
    _count, _slash, _period = _rate.partition("/")  # not `_`: that is gettext_lazy here
    if not _count.isdigit() or int(_count) < 1 or _period not in {"second", "minute", "hour", "day"}:
        raise ImproperlyConfigured(f"{_name} must look like 120/minute (per second, minute, hour or day).")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated request gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "porchlight.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["porchlight.api.throttling.ReadThrottle"],
    "EXCEPTION_HANDLER": "porchlight.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "porchlight.api.pagination.BoundedPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Porchlight API",
    "DESCRIPTION": "Residents, conversations and referrals for city outreach teams.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every endpoint and field: signed-in users and tokens only (docs/api.md).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {"LanguageEnum": "porchlight.people.models.Language"},
}

# City specifics (the adapter): which city this deployment serves.
PORCHLIGHT_CITY: dict[str, str] = {
    "name": env.str("PORCHLIGHT_CITY_NAME", default="Charlotte"),
    "state": env.str("PORCHLIGHT_CITY_STATE", default="NC"),
    "phone_region": env.str("PORCHLIGHT_PHONE_REGION", default="US"),
}
# Contact coordination across campaigns and departments: a resident or door contacted by anyone in the last
# N days is held out of new target lists, so one household is not visited by three city units in one week.
CONTACT_COOLDOWN_DAYS: int = env_int("CONTACT_COOLDOWN_DAYS", default=14)
# Field outreach rules: how many attempts at one target, and how long before revisiting after no answer.
OUTREACH_MAX_ATTEMPTS: int = env_int("OUTREACH_MAX_ATTEMPTS", default=3)
OUTREACH_REVISIT_HOURS: int = env_int("OUTREACH_REVISIT_HOURS", default=48)

# Closed-loop referrals and case follow-up: the referring worker checks in with the resident this many days
# after a referral (an automatic task in their queue).
REFERRAL_CHECK_IN_DAYS: int = env_int("REFERRAL_CHECK_IN_DAYS", default=14)
# Need-to-know: "team" (default) shows staff the referrals they or their team made or own; "all" shows every
# referral to everyone who refers or manages referrals. Administrators always see all (docs/referrals.md).
REFERRAL_VISIBILITY: str = env.str("REFERRAL_VISIBILITY", default="team")
if REFERRAL_VISIBILITY not in {"team", "all"}:
    raise ImproperlyConfigured("REFERRAL_VISIBILITY must be 'team' or 'all'.")

# Public pages never show a count below this many residents.
PUBLIC_SUPPRESSION_THRESHOLD: int = env_int("PUBLIC_SUPPRESSION_THRESHOLD", default=5)

# CSV imports of addresses and residents (docs/imports.md). Limits a city may raise for one big load; the
# batch size is the rows per staging load / write statement; a job whose heartbeat is older than the lease is
# taken for dead and resumed (`manage.py import_jobs --resume`, docs/decisions/0009-imports-in-the-worker.md).
PORCHLIGHT_IMPORT_MAX_BYTES: int = env_int("PORCHLIGHT_IMPORT_MAX_BYTES", default=104_857_600, minimum=1)
PORCHLIGHT_IMPORT_MAX_ROWS: int = env_int("PORCHLIGHT_IMPORT_MAX_ROWS", default=1_000_000, minimum=1)
PORCHLIGHT_IMPORT_ERRORS_SHOWN: int = env_int("PORCHLIGHT_IMPORT_ERRORS_SHOWN", default=200, minimum=1)
PORCHLIGHT_IMPORT_BATCH_SIZE: int = env_int("PORCHLIGHT_IMPORT_BATCH_SIZE", default=5000, minimum=1)
PORCHLIGHT_IMPORT_LEASE_SECONDS: int = env_int("PORCHLIGHT_IMPORT_LEASE_SECONDS", default=120, minimum=1)

# Theme coding (docs/themes.md). The model: "tfidf" (built in, the default) or "minilm" (sentence embeddings
# from the optional `embeddings` extra; falls back to tfidf with a warning when the extra is missing).
PORCHLIGHT_THEME_MODEL: str = env.str("PORCHLIGHT_THEME_MODEL", default="tfidf")
if PORCHLIGHT_THEME_MODEL not in {"tfidf", "minilm"}:
    raise ImproperlyConfigured("PORCHLIGHT_THEME_MODEL must be 'tfidf' or 'minilm'.")
# Background work (coding new notes, coding runs): "immediate" runs it right after the transaction commits, in
# the same process; "database" queues it for `manage.py db_worker` (docs/decisions/0003-background-coding.md).
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND: str = env.str("TASKS_BACKEND", default="immediate")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Accounts: second factor, password reset (docs/security.md).
# Users who can see residents or what they said sign in with a TOTP code. On by default in production; off
# with DEBUG so that the demo stays one command. `manage.py check --deploy` refuses it off.
PORCHLIGHT_REQUIRE_2FA: bool = env_bool("PORCHLIGHT_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = f"Porchlight {PORCHLIGHT_CITY['name']}"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # administrators never see a user's TOTP key or QR code
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2  # a reset link works for two hours

# Logs go to stdout (the container runtime or journald keeps them): JSON lines in production, one object per
# line with the request id (porchlight/ui/logs.py); plain text while DEBUG is on. LOG_FORMAT overrides both.
LOG_FORMAT: str = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOG_LEVEL: str = env.str("LOG_LEVEL", default="WARNING" if DEBUG else "INFO").upper()
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'plain'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "porchlight.ui.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "porchlight.ui.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    # Django's own loggers write through the same handler, once (not also through its DEBUG-only console).
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
