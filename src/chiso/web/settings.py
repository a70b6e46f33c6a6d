"""Settings from the environment, with safe defaults.

CHISO_SECRET_KEY      required, except in demo mode (CHISO_DEMO=1), which makes a random one
DATABASE_URL          default: SQLite in CHISO_DATA_DIR (postgresql://… for a real server)
CHISO_DATA_DIR        default: ./chiso-data (database, uploaded evidence: outside any web root)
CHISO_ALLOWED_HOSTS   default: 127.0.0.1,localhost
CHISO_DEBUG           default: off
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

DEMO = os.environ.get("CHISO_DEMO") == "1"
DATA_DIR = Path(os.environ.get("CHISO_DATA_DIR", "chiso-data")).resolve()
SECRET_KEY = os.environ.get("CHISO_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEMO:
        raise ImproperlyConfigured("CHISO_SECRET_KEY must be set (or CHISO_DEMO=1 for the demo)")
    SECRET_KEY = secrets.token_urlsafe(50)
# Django's own test of a weak key (security.W009), refused at start rather than warned about:
# sessions, CSRF tokens and password-reset links are only as strong as this key
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "CHISO_SECRET_KEY is too weak: at least 50 characters, at least 5 different ones "
        "(for instance: python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )
DEBUG = os.environ.get("CHISO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("CHISO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "axes",
    "chiso.web.core",
    "chiso.web.accounts",
    "chiso.web.cycles",
    "chiso.web.portal",
    "chiso.web.plans",
    "chiso.web.archive",
    "chiso.web.service_index",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "chiso.web.headers.SecurityHeaders",
    "chiso.web.api.core.JsonErrors",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
ROOT_URLCONF = "chiso.web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ]
        },
    }
]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'chiso.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cycles:home"
LOGOUT_REDIRECT_URL = "cycles:home"

# login throttling: five failures lock the user name from that address for 15 minutes
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # reads from the cache first
SESSION_COOKIE_SECURE = os.environ.get("CHISO_INSECURE_COOKIES") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Over https (directly, or behind a proxy that says so in X-Forwarded-Proto when
# CHISO_TLS_PROXY=1), plain http is redirected and browsers are told to use https only (HSTS,
# sent by Django only on https answers). CHISO_INSECURE_COOKIES=1 (the demo, plain http on this
# machine) turns both off, as it does the cookies' https-only flag.
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("CHISO_HSTS_SECONDS", 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if os.environ.get("CHISO_TLS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# the library's catalogue (messages, reports) and the project templates' one; each app has its own
LOCALE_PATHS = [Path(__file__).parent / "locale", Path(__file__).parents[1] / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_THOUSAND_SEPARATOR = False

# evidence: stored under DATA_DIR/evidence with generated names, served only by a view that
# checks permissions; never under a static or media URL
EVIDENCE_ROOT = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = int(os.environ.get("CHISO_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

STATIC_URL = "/static/"  # served by chiso.web.assets from the packages (scripts, Swagger UI)
STATICFILES_DIRS = [Path(__file__).parent / "static"]

# CHISO_REDIS_URL (redis://127.0.0.1:6379/0) shares the cache between server processes, so a
# publication reaches every process at once; without it each process keeps its own
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CHISO_REDIS_URL"],
    }
    if os.environ.get("CHISO_REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
