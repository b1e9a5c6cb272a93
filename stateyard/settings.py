"""Django settings, read from the environment.

Production is the default: ``SECRET_KEY`` must be set, ``DEBUG`` is off.
``STATEYARD_DEV=1`` is the explicit development mode (``make run`` sets it):
a generated secret, DEBUG on, console e-mail.

Two runtime shapes share all code:

* embedded (no ``REDIS_URL``): SQLite (unless ``DATABASE_URL``), the
  in-memory channel layer and an in-process worker pool;
* scaled out (``REDIS_URL`` set): Redis channel layer and Celery broker,
  PostgreSQL via ``DATABASE_URL``, as many ``make worker`` processes as needed.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEV = env_bool("STATEYARD_DEV")
DEBUG = env_bool("DEBUG", DEV)
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "dev-only-insecure-secret-key-change-me" if DEV else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it, or set STATEYARD_DEV=1 for local development."
    )
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEV else "").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "designer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "stateyard.static_middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "stateyard.urls"
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
WSGI_APPLICATION = "stateyard.wsgi.application"
ASGI_APPLICATION = "stateyard.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'stateyard.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL connections come from a small pool per process (psycopg_pool): opening one per
# request (a new server backend each time) cost more than the rest of a small API request.
# DB_POOL_SIZE=0 turns the pool off (then DB_CONN_MAX_AGE applies); Celery's prefork workers
# close the pool inherited from the parent in each child.
DB_POOL_SIZE = int(os.environ.get("DB_POOL_SIZE", "4"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django must not
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_SIZE,
        "timeout": 30,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 30, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEV  # serve static files straight from the source folders in dev

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEV
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "stateyard@localhost")

REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED = not REDIS_URL

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Celery: the broker is Redis when configured; embedded mode never calls Celery.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "sweep-executions": {
        "task": "designer.tasks.execution_sweep",
        "schedule": float(os.environ.get("STATEYARD_SWEEP_SECONDS", "10")),
    },
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Task calls (HTTP, Python functions) wait on I/O: they go to their own queue, served by a
# thread pool (``scripts/worker.sh``), so a Map with MaxConcurrency 20 has 20 calls in flight.
CELERY_TASK_ROUTES = {"designer.tasks.task_invoke_task": {"queue": "calls"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Runtime knobs
STATEYARD = {
    # how long one advance may run before it commits and hands over (seconds)
    "SLICE_SECONDS": float(os.environ.get("STATEYARD_SLICE_SECONDS", "2.0")),
    # a worker's claim on an execution lapses after this long without renewal
    "LEASE_SECONDS": float(os.environ.get("STATEYARD_LEASE_SECONDS", "30")),
    # run synchronous Express executions inside the web process
    "EXPRESS_IN_WEB": env_bool("STATEYARD_EXPRESS_IN_WEB", True),
    "EMBEDDED_WORKERS": int(os.environ.get("STATEYARD_EMBEDDED_WORKERS", "4")),
}

API_RENDERERS = ["rest_framework.renderers.JSONRenderer"]
if DEBUG:
    API_RENDERERS.append("rest_framework.renderers.BrowsableAPIRenderer")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "designer.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "designer.api.schema.StateyardAutoSchema",
    "EXCEPTION_HANDLER": "designer.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": API_RENDERERS,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stateyard API",
    "DESCRIPTION": "Design, run and watch AWS Step Functions state machines.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # a PATCH body is documented with the fields its view requires (e.g. the revision)
    "COMPONENT_SPLIT_PATCH": False,
    "ENUM_NAME_OVERRIDES": {"ExecutionStatusEnum": "designer.models.ExecutionStatus"},
    # the docs page's assets are served from this server, never from a CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"designer": {"handlers": ["console"], "level": "INFO"}},
}
