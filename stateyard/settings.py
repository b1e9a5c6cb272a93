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

from stateyard.static_cache import immutable_file_test

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
# previous SECRET_KEYs (comma separated): after a rotation, sessions signed and secrets
# encrypted (access keys, connection secrets) under them keep working
SECRET_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEV else "").split(",")
    if h.strip()
]


def with_sync_hosts(hosts: list[str]) -> list[str]:
    """The hosts plus their ``sync-`` names: AWS SDKs send StartSyncExecution and TestState
    to ``sync-<host>`` (the operations' host prefix), see docs/aws-api.md."""
    extra = [f"sync-{h}" for h in hosts if h != "*" and not h.startswith((".", "sync-"))]
    return hosts + [h for h in extra if h not in hosts]


ALLOWED_HOSTS = with_sync_hosts(ALLOWED_HOSTS)
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
    # first: the browser protections go on every response, the API's JSON errors included
    "django.middleware.security.SecurityMiddleware",
    # every /aws answer is AWS JSON: outside the CSP middleware, whose Host check (a Host
    # outside ALLOWED_HOSTS) is one of the HTML pages it rewrites
    "designer.aws.middleware.AwsErrorMiddleware",
    "designer.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "designer.api.middleware.ApiErrorMiddleware",  # then: every /api/ answer is JSON
    "stateyard.static_middleware.StaticFilesMiddleware",  # WhiteNoise on the async path
    "designer.slash.MissingSlashMiddleware",  # before CommonMiddleware: no 500 for a POST
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
                "designer.context_processors.signup",
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
        # a kept connection that PostgreSQL dropped (a restart) is replaced, not used
        conn_health_checks=True,
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
AUTHENTICATION_BACKENDS = ["designer.auth_backends.ThrottledModelBackend"]
# Who may sign up: open | invite (only with a pending invitation) | closed
STATEYARD_SIGNUP = os.environ.get("STATEYARD_SIGNUP", "open").strip().lower()
# New accounts stay inactive until the link mailed to their address is opened
STATEYARD_SIGNUP_VERIFY_EMAIL = env_bool("STATEYARD_SIGNUP_VERIFY_EMAIL", True)
# Failed log-ins and API tokens (designer.services.throttle); counted in the cache below
STATEYARD_THROTTLE = {
    "LOGIN_FAILURES": int(os.environ.get("STATEYARD_LOGIN_FAILURES", "10")),
    "LOGIN_IP_FAILURES": int(os.environ.get("STATEYARD_LOGIN_IP_FAILURES", "50")),
    "TOKEN_IP_FAILURES": int(os.environ.get("STATEYARD_TOKEN_IP_FAILURES", "50")),
    "SIGNUP_IP_REQUESTS": int(os.environ.get("STATEYARD_SIGNUP_IP_REQUESTS", "10")),
    "SIGNUP_EMAIL_REQUESTS": int(os.environ.get("STATEYARD_SIGNUP_EMAIL_REQUESTS", "3")),
    "RESET_IP_REQUESTS": int(os.environ.get("STATEYARD_RESET_IP_REQUESTS", "10")),
    "RESET_EMAIL_REQUESTS": int(os.environ.get("STATEYARD_RESET_EMAIL_REQUESTS", "3")),
    "WINDOW_SECONDS": int(os.environ.get("STATEYARD_THROTTLE_WINDOW_SECONDS", "900")),
}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `make serve` collects the static files here (collectstatic); WhiteNoise serves them
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEV  # serve static files straight from the source folders in dev
# Production: content-hashed names (cached for a year, immutable) with gzip and brotli
# copies, written by collectstatic; development serves the source folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEV
        else "stateyard.static_storage.StudioStaticFilesStorage"
    },
}
WHITENOISE_IMMUTABLE_FILE_TEST = immutable_file_test

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEV
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "stateyard@localhost")

REDIS_URL = os.environ.get("REDIS_URL", "")
EMBEDDED = not REDIS_URL

# The cache holds the throttle's counters: Redis (shared by every process) when configured
CACHES = {
    "default": (
        # one connection pool per process (stateyard.redis_cache), not one per request
        {"BACKEND": "stateyard.redis_cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# how often the sweeper looks for work nobody holds (Celery beat, the embedded pool)
SWEEP_SECONDS = float(os.environ.get("STATEYARD_SWEEP_SECONDS", "5"))

# Celery: the broker is Redis when configured; embedded mode never calls Celery.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes a prefork worker's connection pool only every this many
# tasks (not around each one); each task gives its connection back (stateyard.celery_db)
CELERY_DB_REUSE_MAX = int(os.environ.get("STATEYARD_WORKER_DB_REUSE_TASKS", "1000"))
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = {
    "sweep-executions": {
        "task": "designer.tasks.execution_sweep",
        "schedule": SWEEP_SECONDS,
        "options": {"expires": 30.0},  # a sweep queued through an outage is stale
    },
    "expire-executions": {  # execution retention (designer.services.retention)
        "task": "designer.tasks.executions_expire_task",
        "schedule": float(os.environ.get("STATEYARD_RETENTION_SWEEP_SECONDS", "3600")),
    },
}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 4}
# Task calls (HTTP, Python functions) wait on I/O: they go to their own queue, served by a
# thread pool (``scripts/worker.sh``), so a Map with MaxConcurrency 20 has 20 calls in flight.
# Express children of a Distributed Map run in memory there too (Python functions fork).
CELERY_TASK_ROUTES = {
    "designer.tasks.task_invoke_task": {"queue": "calls"},
    "designer.tasks.map_run_chunk_task": {"queue": "calls"},
}
# Survive a broker outage: reconnect for ever, a few seconds apart at most
# (``stateyard.celery.ReconnectingConsumer``); tasks running when the connection goes are
# cancelled (their messages come back; every task is idempotent). A publish that still
# fails gives up quickly: the work is committed with its due time and the sweeper sends it.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CONNECTION_TIMEOUT = 4.0
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_CONSUMER = "stateyard.celery:ReconnectingConsumer"
if REDIS_URL:  # kombu's Redis transport with a fix for lost connections (stateyard.celery)
    CELERY_BROKER_TRANSPORT = "stateyard.celery:RedisTransport"
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.3,
    "interval_max": 0.5,
}

# Files teams upload to feed Distributed Maps (designer.services.item_files); every worker
# must see this folder (one machine, or a shared volume)
STATEYARD_ITEM_FILES_DIR = os.environ.get(
    "STATEYARD_ITEM_FILES_DIR", str(BASE_DIR / "var" / "item-files")
)

# Runtime knobs
STATEYARD = {
    # how long one advance may run before it commits and hands over (seconds)
    "SLICE_SECONDS": float(os.environ.get("STATEYARD_SLICE_SECONDS", "2.0")),
    # how long a start may run its Standard execution's first slice itself before it
    # commits and hands the rest to a worker (designer.services.execution_first_slice);
    # 0: a worker runs every first slice
    "START_SLICE_SECONDS": float(os.environ.get("STATEYARD_START_SLICE_SECONDS", "0.02")),
    # a call worker's claim on a Task call (HTTP, Python function) lapses this long after
    # its last renewal; the worker renews it every CALL_RENEW_SECONDS while the call runs,
    # so a long call is never started twice and a dead worker's call is retried soon
    "CALL_LEASE_SECONDS": float(os.environ.get("STATEYARD_CALL_LEASE_SECONDS", "20")),
    "CALL_RENEW_SECONDS": float(os.environ.get("STATEYARD_CALL_RENEW_SECONDS", "5")),
    # a Task call still SCHEDULED (never claimed) this long is dispatched again
    "CALL_START_GRACE_SECONDS": float(os.environ.get("STATEYARD_CALL_START_GRACE_SECONDS", "10")),
    # the sweeper dispatches a Standard execution again once its work is this overdue
    "SWEEP_GRACE_SECONDS": float(os.environ.get("STATEYARD_SWEEP_GRACE_SECONDS", "2")),
    # an asynchronous Express execution still running this long is run again (at least once)
    "EXPRESS_REDISPATCH_SECONDS": float(
        os.environ.get("STATEYARD_EXPRESS_REDISPATCH_SECONDS", "360")
    ),
    "SWEEP_SECONDS": SWEEP_SECONDS,
    # a worker that lost the broker tries again at most this many seconds apart
    "RECONNECT_MAX_SECONDS": float(os.environ.get("STATEYARD_RECONNECT_MAX_SECONDS", "2")),
    # run synchronous Express executions inside the web process
    "EXPRESS_IN_WEB": env_bool("STATEYARD_EXPRESS_IN_WEB", True),
    "EMBEDDED_WORKERS": int(os.environ.get("STATEYARD_EMBEDDED_WORKERS", "4")),
    # Distributed Map runs (designer.services.map_runs): children started per tick and
    # per second, items staged per transaction, how long a reader's claim lasts unrenewed
    "MAP_RUN_START_BATCH": int(os.environ.get("STATEYARD_MAP_RUN_START_BATCH", "500")),
    "MAP_RUN_START_RATE": float(os.environ.get("STATEYARD_MAP_RUN_START_RATE", "2000")),
    "MAP_RUN_STAGE_BATCH": int(os.environ.get("STATEYARD_MAP_RUN_STAGE_BATCH", "1000")),
    # Express children run in memory in chunks of this many; a chunk's claim lapses after
    "MAP_RUN_CHUNK": int(os.environ.get("STATEYARD_MAP_RUN_CHUNK", "25")),
    "MAP_RUN_CHUNK_LEASE_SECONDS": float(
        os.environ.get("STATEYARD_MAP_RUN_CHUNK_LEASE_SECONDS", "360")
    ),
    # children started together go to the workers in groups of this many (one message each)
    "MAP_RUN_DISPATCH_GROUP": int(os.environ.get("STATEYARD_MAP_RUN_DISPATCH_GROUP", "10")),
    "MAP_RUN_READER_LEASE_SECONDS": float(
        os.environ.get("STATEYARD_MAP_RUN_READER_LEASE_SECONDS", "30")
    ),
    # a ResultWriter file is cut at this size (AWS cuts at 5 GB; this bounds memory)
    "RESULT_FILE_BYTES": int(os.environ.get("STATEYARD_RESULT_FILE_BYTES", str(16 << 20))),
    # how long the AWS API's GetActivityTask waits for a task (AWS: 60 seconds)
    "AWS_POLL_SECONDS": float(os.environ.get("STATEYARD_AWS_POLL_SECONDS", "60")),
}

# Limits (``designer.limits``, ``docs/limits.md``): each may be overridden with
# STATEYARD_LIMIT_<NAME>, e.g. STATEYARD_LIMIT_REQUEST_MAX_BYTES=8388608.
# the region every ARN names (docs/aws-api.md); each team is an account of its own
STATEYARD_AWS_REGION = os.environ.get("STATEYARD_AWS_REGION", "us-east-1").strip() or "us-east-1"

STATEYARD_LIMITS = {
    name[len("STATEYARD_LIMIT_") :]: int(value)
    for name, value in os.environ.items()
    if name.startswith("STATEYARD_LIMIT_")
}
DATA_UPLOAD_MAX_MEMORY_SIZE = STATEYARD_LIMITS.get("REQUEST_MAX_BYTES", 4 * 1024 * 1024)

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
    "DEFAULT_PARSER_CLASSES": [
        "designer.api.parsers.JSONParser",  # bounded size and depth, storable text only
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
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
if not DEV:  # HSTS: browsers keep to https for this host (sent on https responses only)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (needed for HSTS to be sent)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Everything to stderr: the app's own INFO and up, and Django's warnings and errors, which
# include every 500 with its traceback (django.request; Django's default would e-mail
# them to ADMINS and print nothing when DEBUG is off).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
        }
    },
    "loggers": {
        "designer": {"handlers": ["console"], "level": "INFO"},
        "django": {
            "handlers": ["console"],
            "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
        },
    },
}
