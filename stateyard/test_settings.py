"""Settings for the test suite: real PostgreSQL and Redis (``make test`` starts them)."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stateyard")
# one Redis database per pytest-xdist worker, so their Celery queues never mix;
# STATEYARD_TEST_REDIS_BASE moves the range so two checkouts can run their suites at once
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
_redis_base = int(os.environ.get("STATEYARD_TEST_REDIS_BASE", "2"))
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{_redis_base + int(_worker)}")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
# The suite steps Standard executions by hand (execution_advance) after their start, so
# a start leaves its first slice to a worker here; the tests of the start itself
# (tests/designer/test_start_first_slice.py, the chaos test) run it as production does.
os.environ.setdefault("STATEYARD_START_SLICE_SECONDS", "0")

from stateyard.settings import *  # noqa: E402,F403

# stateyard.localhost: the AWS API tests reach the server by a host name (and its sync- name)
ALLOWED_HOSTS = with_sync_hosts(  # noqa: F405
    ["testserver", "127.0.0.1", "localhost", "stateyard.localhost"]
)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The suite renders pages without running collectstatic: plain names, straight from
# static/. tests/designer/test_production_assets.py collects with the production storage.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test starts with empty throttle counters (tests/designer/conftest.py clears this cache);
# test_throttle.py checks the same counters on the Redis cache production uses.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
