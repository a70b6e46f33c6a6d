"""Django's settings, from the environment through :mod:`chiso.environment`, which lists every
variable with its default and meaning (docs/settings.md is made from it). A variable that
cannot be used stops the start with a message naming it."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from chiso import environment

DEMO = environment.flag("CHISO_DEMO")
DATA_DIR = Path(environment.value("CHISO_DATA_DIR")).resolve()
# required and strong (Django's own test of a weak key, security.W009, made stricter), refused
# at start rather than warned about: sessions, CSRF tokens and password-reset links are only
# as strong as this key
SECRET_KEY = environment.secret_key(DEMO)
DEBUG = environment.flag("CHISO_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in environment.value("CHISO_ALLOWED_HOSTS").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_htmx",  # its vendored htmx, served as a static file (script-src 'self')
    "axes",
    "chiso.web.core",
    "chiso.web.accounts",
    "chiso.web.cycles",
    "chiso.web.portal",
    "chiso.web.plans",
    "chiso.web.archive",
    "chiso.web.service_index",
    "chiso.web.notifications",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the person and their roles in one query
    "chiso.web.accounts.signed_in.Authentication",
    "django.contrib.messages.middleware.MessageMiddleware",
    # a one-time password is changed before anything else (after the session, the user and
    # the messages it leaves one in)
    "chiso.web.accounts.middleware.OneTimePassword",
    # before any view or check reads the body (CSRF reads the form in process_view): no
    # middleware above reads it, and this one refuses a body larger than the largest upload
    "chiso.web.body_limit.BodyLimit",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "chiso.web.headers.SecurityHeaders",
    "chiso.web.api.core.JsonErrors",
]
if environment.flag("CHISO_SERVER_TIMING"):
    # outermost, so it counts every middleware's time too
    MIDDLEWARE.insert(0, "chiso.web.server_timing.ServerTiming")
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
        environment.value("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'chiso.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # one-time passwords only (random, 96 bits, changed at first sign-in): see its docstring
    "chiso.web.accounts.hashers.OneTimePasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 24 * 3600  # a reset link works for a day, and once
LOGIN_REDIRECT_URL = "cycles:home"
LOGOUT_REDIRECT_URL = "cycles:home"

# login throttling: five failures lock the user name from that address for 15 minutes
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # reads from the cache first
SESSION_COOKIE_SECURE = not environment.flag("CHISO_INSECURE_COOKIES")
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
SECURE_HSTS_SECONDS = environment.integer("CHISO_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if environment.flag("CHISO_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# the library's catalogue (messages, reports) and the project templates' one; each app has its own
LOCALE_PATHS = [Path(__file__).parent / "locale", Path(__file__).parents[1] / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_THOUSAND_SEPARATOR = False
# dates and times as the project writes them: dd/mm/yyyy in Vietnamese, ISO in English, both
# with a 24-hour clock in TIME_ZONE (chiso.web.core.formats)
FORMAT_MODULE_PATH = ["chiso.web.core.formats"]

# evidence: stored under DATA_DIR/evidence with generated names, served only by a view that
# checks permissions; never under a static or media URL
EVIDENCE_ROOT = DATA_DIR / "evidence"
EVIDENCE_MAX_BYTES = environment.integer("CHISO_EVIDENCE_MAX_BYTES", minimum=1)
# a request body above EVIDENCE_MAX_BYTES + 1 MiB is refused before it is read
# (chiso.web.body_limit); within it, Django keeps a form's fields or a JSON body up to 5 MiB and
# an uploaded file up to 2.5 MiB in memory, a larger file in a temporary file; a form takes
# one file, so five is plenty
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**19
DATA_UPLOAD_MAX_NUMBER_FILES = 5

STATIC_URL = "/static/"  # served by chiso.web.assets from the packages (scripts, Swagger UI)
STATICFILES_DIRS = [Path(__file__).parent / "static"]

# CHISO_REDIS_URL (redis://127.0.0.1:6379/0) shares the cache between server processes, so a
# publication reaches every process at once; without it each process keeps its own
REDIS_URL = environment.value("CHISO_REDIS_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        # pages are kept whole in the cache (the cycle's, each sheet's, every public page in
        # two languages, a comparison per set of provinces): Django's default of 300 entries
        # culls a third of them whenever it fills, and a busy site then makes its pages again
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
# mail (password resets, notifications): through the SMTP server named in the environment;
# with none (the demo), printed on the server's standard output
EMAIL_HOST = environment.value("CHISO_EMAIL_HOST").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = environment.integer("CHISO_EMAIL_PORT", minimum=1)
EMAIL_HOST_USER = environment.value("CHISO_EMAIL_USER")
EMAIL_HOST_PASSWORD = environment.value("CHISO_EMAIL_PASSWORD")
EMAIL_USE_TLS = environment.flag("CHISO_EMAIL_TLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = environment.value("CHISO_EMAIL_FROM")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = environment.value("CHISO_SITE_URL").rstrip("/")

# requests per API token (chiso.web.api.core.TokenRateThrottle)
CHISO_API_RATE = environment.rate("CHISO_API_RATE")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
