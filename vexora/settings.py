"""Vexora settings: one file, everything from the environment (django-environ) with embedded
defaults that run offline on one machine (SQLite, local-memory cache, console email, local media).
Every variable is listed with its default in `.env.example` and the README.
"""

from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -----------------------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = [o for o in env.list("CSRF_TRUSTED_ORIGINS", default=[]) if o]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "vexora",
    "accounts",
    "music",
    "history",
    "moods",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vexora.api.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
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
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
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
    "user": env.str("THROTTLE_USER", default="600/min"),
    "anon": env.str("THROTTLE_ANON", default="120/min"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.RevocableJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "vexora.api.EnvelopePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_RATES": THROTTLE_RATES,
    # Proxies in front of the app whose X-Forwarded-For is trusted for the client IP (throttles);
    # 0 uses REMOTE_ADDR, so a client cannot dodge the per-IP limits with a forged header.
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "vexora.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
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

MOOD_WEIGHTS_PATH = env.path("MOOD_WEIGHTS_PATH", default=BASE_DIR / "ml_weights" / "mood_cnn.pt")
TORCH_THREADS = env.int("TORCH_THREADS", default=0)  # 0: torch's default
MOOD_BF16 = env.bool("MOOD_BF16", default=None)  # None: bfloat16 when the CPU supports it

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
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve static/ without collectstatic too (make run, tests)
WHITENOISE_AUTOREFRESH = DEBUG
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # spotipy logs request headers (client secret, tokens) at DEBUG: never let them through.
        "spotipy": {"level": "WARNING"},
    },
}
