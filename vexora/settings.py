"""Vexora settings: one file, everything from the environment (django-environ) with embedded
defaults that run offline on one machine (SQLite, local-memory cache, console email, local media).
Every variable is listed with its default in `.env.example` and the README.
"""

import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# `make run` / `make test` write a random SECRET_KEY into this git-ignored file on first use.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
environ.Env.read_env(ENV_FILE, overwrite=False)

# --- Core -----------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Keys that were ever printed in this repository, and anything too short to be secret.
KNOWN_INSECURE_KEYS = {"dev-only-insecure-key-change-me-in-production-0123456789", "change-me-in-production"}
SECRET_KEY = env.str("SECRET_KEY", default="")
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default="")


def _secret_refused(key: str) -> bool:
    return key in KNOWN_INSECURE_KEYS or len(key) < 32


if _secret_refused(SECRET_KEY) or (JWT_SIGNING_KEY and _secret_refused(JWT_SIGNING_KEY)):
    if not DEBUG:
        sys.stderr.write(
            "Vexora refuses to start: SECRET_KEY (and JWT_SIGNING_KEY, if set) must be a random secret of at "
            "least 32 characters, not a published example.\n"
            "Run `make setup` to write a random key into .env, or set SECRET_KEY in the environment, e.g.\n"
            "  SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\n"
        )
        raise SystemExit(1)
    # DEBUG only: a throwaway key per process (sessions and tokens end when it restarts).
    SECRET_KEY = get_random_secret_key() if _secret_refused(SECRET_KEY) else SECRET_KEY
    JWT_SIGNING_KEY = "" if JWT_SIGNING_KEY and _secret_refused(JWT_SIGNING_KEY) else JWT_SIGNING_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = [o for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o]

# --- TLS: all on together behind a TLS-terminating proxy that sends X-Forwarded-Proto ---------
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes from inside the network speak plain HTTP
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=BEHIND_TLS_PROXY)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=BEHIND_TLS_PROXY)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=BEHIND_TLS_PROXY)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "vexora.admin_site.VexoraAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_prometheus",
    "vexora",
    "accounts",
    "music",
    "history",
    "moods",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",  # first and last: whole-request latency
    "vexora.requestid.RequestIdMiddleware",  # every answer and log line carries the request id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vexora.i18n.LanguageMiddleware",  # page language; the API answers in English (Content-Language)
    "vexora.api.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLocaleMiddleware",  # the signed-in user's time zone and language
    "vexora.web.MethodNotAllowedPageMiddleware",  # a page, not an empty 405, for GET /logout/ and the like
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Content-Security-Policy (django-csp): our own scripts only; covers from Spotify's image CDN and
# ImageKit; Spotify's embed player in a frame, loaded only when a person presses Play. Inline
# style attributes (bar widths, chart positions) are allowed; inline scripts are not.
CSP_IMG_SOURCES = env.list("CSP_IMG_SOURCES", default=["https://i.scdn.co", "https://ik.imagekit.io"])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *CSP_IMG_SOURCES],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-src": ["https://open.spotify.com"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}


ROOT_URLCONF = "vexora.urls"
WSGI_APPLICATION = "vexora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that accepts connections but never answers must fail a request within seconds (503),
# not hold it: a connect timeout (libpq) and a statement timeout (server side), both configurable.
DB_CONNECT_TIMEOUT = env.int("DB_CONNECT_TIMEOUT", default=3)
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=5000)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    _options.setdefault("options", f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}")
    # A connection that stops answering mid-request: the kernel gives up on unacknowledged data.
    _options.setdefault("tcp_user_timeout", DB_CONNECT_TIMEOUT * 1000)
    _options.setdefault("keepalives", 1)
    _options.setdefault("keepalives_idle", 10)
    _options.setdefault("keepalives_interval", 2)
    _options.setdefault("keepalives_count", 3)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("timeout", DB_CONNECT_TIMEOUT + 2)
    # Writers take the lock when their transaction begins, so concurrent requests wait their turn
    # (up to the timeout) instead of failing with "database is locked" when a read turns into a write.
    _options.setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="vexora"),
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vexora"}}
# This process's own memory: where throttles count while the shared cache is unreachable.
CACHES["process"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "vexora-process"}
CACHE_RETRY_AFTER_SECONDS = env.int("CACHE_RETRY_AFTER_SECONDS", default=30)

# --- Background tasks (Celery) ----------------------------------------------------------------
# Unset broker: tasks run in the calling process (the embedded default needs nothing more).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
# A task taken by a worker that then died outright (kill -9, a lost machine) goes back to the queue
# once it has been unacknowledged for CELERY_VISIBILITY_TIMEOUT seconds; another worker looks for
# such tasks every CELERY_UNACKED_RESTORE_INTERVAL x CELERY_UNACKED_RESTORE_THROTTLE seconds. The
# timeout must exceed the longest task and retry countdown (mail: 80 s); a worker stopped normally
# or a pool process that dies hands its task back at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
}
# A broker that is down fails the request quickly (503) instead of holding it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = {
    "purge-revoked-tokens": {"task": "accounts.tasks.revoked_tokens_purge", "schedule": 3600.0},
    # Opt-in reminders whose local time has come (history.reminders); late by 5 minutes at most.
    "send-reminders": {"task": "history.tasks.reminders_send", "schedule": 300.0},
    # Covers for the tracks recommended in the last day that still show generated artwork.
    "fill-recent-covers": {"task": "music.tasks.covers_fill_recent", "schedule": 900.0},
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Workers log through LOGGING below (JSON lines), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Two queues: "celery" (mail, housekeeping) and "inference" (mood detection when MOOD_INFERENCE is
# "worker"). A worker started without -Q consumes both; `-Q inference` makes a dedicated one.
CELERY_TASK_DEFAULT_QUEUE = "celery"
MOOD_INFERENCE_QUEUE = "inference"
CELERY_TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE,
                                                                    MOOD_INFERENCE_QUEUE))
CELERY_TASK_ROUTES = {"moods.tasks.inference_run": {"queue": MOOD_INFERENCE_QUEUE}}

# --- Where the mood model runs ------------------------------------------------------------------
# inline: in the web process (loaded once per process). worker: on Celery workers consuming the
# "inference" queue (the model loaded once per worker process); the web process waits at most
# MOOD_INFERENCE_TIMEOUT seconds for the answer, else 503. The selfie travels through
# MOOD_INFERENCE_REDIS_URL (default: the broker), which should be a Redis without persistence: the
# picture is held there in memory only, deleted when read and expiring at the deadline.
MOOD_INFERENCE = env.str("MOOD_INFERENCE", default="inline").strip().lower()
MOOD_INFERENCE_TIMEOUT = env.float("MOOD_INFERENCE_TIMEOUT", default=10.0)
MOOD_INFERENCE_REDIS_URL = env.str("MOOD_INFERENCE_REDIS_URL", default="") or CELERY_BROKER_URL
if MOOD_INFERENCE not in ("inline", "worker"):
    raise ImproperlyConfigured(f"MOOD_INFERENCE must be inline or worker, not {MOOD_INFERENCE!r}")
_TRANSIT_IS_REDIS = MOOD_INFERENCE_REDIS_URL.startswith(("redis://", "rediss://", "unix://"))
if MOOD_INFERENCE == "worker" and not (CELERY_BROKER_URL and _TRANSIT_IS_REDIS):
    raise ImproperlyConfigured("MOOD_INFERENCE=worker needs CELERY_BROKER_URL and a Redis for the selfies in "
                               "transit (MOOD_INFERENCE_REDIS_URL, default: the broker when it is a Redis)")

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "name", "email")},  # our User has one `name`
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log in with the username or the email address, both case-insensitive (API, pages and admin).
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/home/"
LOGOUT_REDIRECT_URL = "/"

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": JWT_SIGNING_KEY or SECRET_KEY,
    "USER_ID_FIELD": "uuid",
    "USER_ID_CLAIM": "user_uuid",
    "AUTH_HEADER_TYPES": ("Bearer",),
}

OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=300)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_RESEND_SECONDS = env.int("OTP_RESEND_SECONDS", default=60)

# --- API ------------------------------------------------------------------------------------
THROTTLE_RATES = {
    "login": env.str("THROTTLE_LOGIN", default="10/min"),
    "register": env.str("THROTTLE_REGISTER", default="5/min"),
    "otp_send": env.str("THROTTLE_OTP_SEND", default="5/min"),
    "otp_verify": env.str("THROTTLE_OTP_VERIFY", default="10/min"),
    "mood_detect": env.str("THROTTLE_MOOD_DETECT", default="30/min"),
    "password_change": env.str("THROTTLE_PASSWORD_CHANGE", default="5/min"),
    "data_export": env.str("THROTTLE_DATA_EXPORT", default="10/hour"),
    "user": env.str("THROTTLE_USER", default="600/min"),
    "anon": env.str("THROTTLE_ANON", default="120/min"),
}

# Maps a typed username or email to its account's throttle key, so both names share one bucket.
THROTTLE_ACCOUNT_KEY = "accounts.selectors.user_throttle_key"
# Scopes whose per-account bucket is the account's (register names an account that does not exist yet).
THROTTLE_ACCOUNT_SCOPES = ("login", "otp_send", "otp_verify", "password_change")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.RevocableJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "vexora.api.SafeJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "vexora.api.ResilientAnonRateThrottle",
        "vexora.api.ResilientUserRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "vexora.api.EnvelopePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    # Proxies in front of the app whose X-Forwarded-For is trusted for the client IP (throttles);
    # 0 uses REMOTE_ADDR, so a client cannot dodge the per-IP limits with a forged header.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "vexora.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "vexora.schema.VexoraAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Vexora API",
    "DESCRIPTION": "Mood-based music recommendations from a selfie. Every response is the envelope "
    '{"success", "shouldNotify", "message", "data"}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "vexora.schema.envelope_responses"],
    "ENUM_NAME_OVERRIDES": {"MoodEnum": "history.models.MOOD_CHOICES"},  # one name for the mood choices
}

# --- Uploads --------------------------------------------------------------------------------
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
MOOD_UPLOAD_MAX_BYTES = env.int("MOOD_UPLOAD_MAX_BYTES", default=8 * 1024 * 1024)
# Django refuses bodies above this with a 413 before any view runs (a little above the caps).
DATA_UPLOAD_MAX_MEMORY_SIZE = max(UPLOAD_MAX_BYTES, MOOD_UPLOAD_MAX_BYTES) + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# Pixels: what a picture may cost to decode (about 4 bytes a pixel; a JPEG bigger than needed is
# decoded at 1/2, 1/4 or 1/8 scale and counts at that scale, unless it is progressive). The default
# is a 12-megapixel phone photo (4032x3024, 4080x3072) with a little room. IMAGE_MAX_PIXELS: the most
# any picture may declare (decompression bombs), and the cap of uploads without their own.
SELFIE_MAX_PIXELS = env.int("SELFIE_MAX_PIXELS", default=12_600_000)
PICTURE_MAX_PIXELS = env.int("PICTURE_MAX_PIXELS", default=12_600_000)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
# Pixels one process decodes at once (counted as above); more uploads wait their turn.
IMAGE_DECODE_PIXELS = env.int("IMAGE_DECODE_PIXELS", default=16_000_000)

IMAGEKIT_PRIVATE_KEY = env.str("IMAGEKIT_PRIVATE_KEY", default="")
IMAGEKIT_BASE_URL = env.str("IMAGEKIT_BASE_URL", default="")  # API endpoint override (tests, proxies)
IMAGEKIT_FOLDER = env.str("IMAGEKIT_FOLDER", default="/vexora/profile-pictures")
IMAGEKIT_TIMEOUT = env.float("IMAGEKIT_TIMEOUT", default=10.0)
IMAGEKIT_MAX_RETRIES = env.int("IMAGEKIT_MAX_RETRIES", default=1)

SPOTIFY_CLIENT_ID = env.str("SPOTIFY_CLIENT_ID", default="")
SPOTIFY_CLIENT_SECRET = env.str("SPOTIFY_CLIENT_SECRET", default="")
SPOTIFY_API_PREFIX = env.str("SPOTIFY_API_PREFIX", default="https://api.spotify.com/v1/")
SPOTIFY_TOKEN_URL = env.str("SPOTIFY_TOKEN_URL", default="https://accounts.spotify.com/api/token")
SPOTIFY_TIMEOUT = env.float("SPOTIFY_TIMEOUT", default=3.0)
SPOTIFY_CACHE_SECONDS = env.int("SPOTIFY_CACHE_SECONDS", default=3600)
# After a Spotify fault, skip Spotify (catalog only) for this long: an outage costs one timeout.
SPOTIFY_FAILURE_COOLDOWN = env.int("SPOTIFY_FAILURE_COOLDOWN", default=30)
# Covers without credentials: Spotify's public oEmbed endpoint, asked in the background (never while
# a page waits). Empty: off (offline deployments); tracks then keep their generated artwork.
SPOTIFY_OEMBED_URL = env.str("SPOTIFY_OEMBED_URL", default="https://open.spotify.com/oembed")
SPOTIFY_OEMBED_TIMEOUT = env.float("SPOTIFY_OEMBED_TIMEOUT", default=3.0)
# Fill missing covers in the background (a Celery task; without a broker, a thread of the web
# process), from Spotify's Web API when configured, else oEmbed. false: generated artwork stays.
COVERS_FILL = env.bool("COVERS_FILL", default=True)
# Seconds between two cover look-ups of one process (oEmbed or the Web API), in the background.
COVERS_LOOKUP_INTERVAL = env.float("COVERS_LOOKUP_INTERVAL", default=0.25)

MOOD_WEIGHTS_PATH = env.path("MOOD_WEIGHTS_PATH", default=BASE_DIR / "ml_weights" / "mood_cnn.pt")
TORCH_THREADS = env.int("TORCH_THREADS", default=0)  # 0: torch's default
MOOD_BF16 = env.bool("MOOD_BF16", default=None)  # None: bfloat16 when the CPU supports it
# Load the mood model in the background as the web process starts (vexora/wsgi.py), so the first
# scan does not wait for it. `make run` turns it on for runserver; off for tests and commands.
MOOD_WARMUP = env.bool("MOOD_WARMUP", default=False)
# A detection whose (calibrated) confidence is below this is flagged "uncertain": ask the person
# to confirm. Chosen with calibrate_mood_model's threshold table (docs/mood-model.md, Calibration).
MOOD_CONFIDENCE_THRESHOLD = env.float("MOOD_CONFIDENCE_THRESHOLD", default=0.6)

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Vexora <no-reply@vexora.local>")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes hashed names (app.3f1c2b.css), gzip copies and a manifest;
    # WhiteNoise serves hashed files with a year-long immutable cache (vexora/staticfiles.py).
    "staticfiles": {"BACKEND": "vexora.staticfiles.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve static/ without collectstatic too (DEBUG, tests)
WHITENOISE_AUTOREFRESH = DEBUG
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- I18N -----------------------------------------------------------------------------------
# Pages speak English or Bahasa Indonesia: the switcher's cookie, else the browser's
# Accept-Language; a signed-in person's stored choice wins (vexora/i18n.py). Catalogues live in
# locale/ and are compiled at set-up (make messages). The API answers in English (API_LANGUAGE).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
API_LANGUAGE = "en"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Logging --------------------------------------------------------------------------------
# json (default): one JSON object per line with the request id (vexora/logs.py); plain: for people.
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "vexora.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "vexora.logs.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain" if LOG_FORMAT == "plain" else "json",
                    "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # spotipy logs request headers (client secret, tokens) at DEBUG: never let them through.
        "spotipy": {"level": "WARNING"},
    },
}
