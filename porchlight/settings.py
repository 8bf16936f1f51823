"""One settings module, configured by environment variables.

Zero-config first run: with nothing set, Porchlight uses an embedded SQLite database and the demo secret.
Production (DEBUG off) refuses to start with the demo secret key.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEMO_SECRET_KEY = "porchlight-demo-secret-key-do-not-use-in-production"  # noqa: S105 - a known, public demo value

DEBUG: bool = env.bool("DEBUG", default=True)
SECRET_KEY: str = env.str("SECRET_KEY", default=DEMO_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the public demo key. Set SECRET_KEY to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))') before running in production."
    )
if not DEBUG and len(SECRET_KEY) < 40:
    raise ImproperlyConfigured("SECRET_KEY must be at least 40 characters long in production.")

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
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME: int = env.int("AXES_COOLOFF_HOURS", default=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "porchlight" / "locale"]
USE_I18N = True
TIME_ZONE: str = env.str("TIME_ZONE", default="America/New_York")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated request gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Porchlight API",
    "DESCRIPTION": "Residents, conversations and referrals for city outreach teams.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
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
CONTACT_COOLDOWN_DAYS: int = env.int("CONTACT_COOLDOWN_DAYS", default=14)
# Field outreach rules: how many attempts at one target, and how long before revisiting after no answer.
OUTREACH_MAX_ATTEMPTS: int = env.int("OUTREACH_MAX_ATTEMPTS", default=3)
OUTREACH_REVISIT_HOURS: int = env.int("OUTREACH_REVISIT_HOURS", default=48)

# Closed-loop referrals and case follow-up: the referring worker checks in with the resident this many days
# after a referral (an automatic task in their queue).
REFERRAL_CHECK_IN_DAYS: int = env.int("REFERRAL_CHECK_IN_DAYS", default=14)

# Public pages never show a count below this many residents.
PUBLIC_SUPPRESSION_THRESHOLD: int = env.int("PUBLIC_SUPPRESSION_THRESHOLD", default=5)

# CSV imports of addresses and residents (docs/imports.md). Limits a city may raise for one big load; the
# batch size is the rows per staging load / write statement; a job whose heartbeat is older than the lease is
# taken for dead and resumed (`manage.py import_jobs --resume`, docs/decisions/0009-imports-in-the-worker.md).
PORCHLIGHT_IMPORT_MAX_BYTES: int = env.int("PORCHLIGHT_IMPORT_MAX_BYTES", default=100 * 1024 * 1024)
PORCHLIGHT_IMPORT_MAX_ROWS: int = env.int("PORCHLIGHT_IMPORT_MAX_ROWS", default=1_000_000)
PORCHLIGHT_IMPORT_ERRORS_SHOWN: int = env.int("PORCHLIGHT_IMPORT_ERRORS_SHOWN", default=200)
PORCHLIGHT_IMPORT_BATCH_SIZE: int = env.int("PORCHLIGHT_IMPORT_BATCH_SIZE", default=5000)
PORCHLIGHT_IMPORT_LEASE_SECONDS: int = env.int("PORCHLIGHT_IMPORT_LEASE_SECONDS", default=120)
for _name in ("MAX_BYTES", "MAX_ROWS", "ERRORS_SHOWN", "BATCH_SIZE", "LEASE_SECONDS"):
    if globals()[f"PORCHLIGHT_IMPORT_{_name}"] < 1:
        raise ImproperlyConfigured(f"PORCHLIGHT_IMPORT_{_name} must be a whole number of at least 1.")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
