"""Database connections of Celery workers: handed back to the pool after each task, the
pool kept.

Celery's Django fixup closes the database connection before and after every
task and, in a prefork child, Django's connection pool with it, so every task
opened a new PostgreSQL connection (a new server process), started the pool's
threads again, and cost more CPU, in the worker and in PostgreSQL, than
advancing a small execution (``bench/runtime.py --only-starts`` prints the CPU
per start of each part). Here the fixup renews connections only every
``CELERY_DB_REUSE_MAX`` tasks (settings), and each task begins and ends with
``close_old_connections``, as a Django request does: the connection goes back
to the pool, which checks it before handing it out again
(``CONN_HEALTH_CHECKS``: one empty round trip), so a PostgreSQL restart still
costs no more than the tasks running at that moment. Without a pool
(``DB_POOL_SIZE=0``) ``DB_CONN_MAX_AGE`` says how long a connection is kept.
"""

from __future__ import annotations

from typing import Any

from celery import signals
from django.db import close_old_connections


def _recycle(sender: Any = None, **_: Any) -> None:
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # run in the caller's thread (and transaction): not a worker's task
    close_old_connections()


def install() -> None:
    signals.task_prerun.connect(_recycle, weak=False, dispatch_uid="stateyard-db-prerun")
    signals.task_postrun.connect(_recycle, weak=False, dispatch_uid="stateyard-db-postrun")
