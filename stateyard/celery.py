"""The Celery application (used only when REDIS_URL is set; embedded mode runs in-process).

Workers outlive broker and database outages on their own:

* ``ReconnectingConsumer``: after the broker connection is lost the worker
  tries again for ever (``broker_connection_max_retries = None``) and never
  waits more than ``STATEYARD["RECONNECT_MAX_SECONDS"]`` between attempts
  (Celery's default backs off to 30 s, so a worker could stay idle half a
  minute after Redis came back);
* a kombu bug no longer kills a worker when Redis goes away while messages
  are unacknowledged: closing the broken connection raised ``AttributeError``
  (``'NoneType' object has no attribute 'hostname'``, the channel's client is
  gone after ``collect()``), which Celery treats as unrecoverable. The broken
  connection is now closed quietly; its unacknowledged messages are swept;
* database: Celery's Django fixup gives every task a connection of its own
  (closed when the task ends), so a PostgreSQL restart costs only the tasks
  running at that moment; their work stays committed as due and the sweeper
  dispatches it again (a call's answer is retried, see ``task_invocations``).

A worker that dies anyway is restarted by ``stateyard_worker.supervisor``
(``scripts/worker.sh``).
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any

from celery import Celery
from celery.worker.consumer import Consumer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stateyard.settings")

log = logging.getLogger(__name__)

app = Celery("stateyard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["designer"])


def close_quietly(connection: Any) -> None:
    """Make ``connection.close()`` survive kombu's AttributeError on a broken Redis connection."""
    close = connection.close

    def quiet(*args: Any, **kwargs: Any) -> Any:
        try:
            return close(*args, **kwargs)
        except AttributeError as err:
            log.warning("closing the lost broker connection failed: %r", err)
            return None

    connection.close = quiet


class ReconnectingConsumer(Consumer):  # type: ignore[misc]
    """Celery's consumer, retrying a lost broker connection a few seconds apart at most."""

    def on_connection_error_after_connected(self, exc: Exception) -> None:
        if self.connection is not None:
            close_quietly(self.connection)
        super().on_connection_error_after_connected(exc)

    def ensure_connected(self, conn: Any) -> Any:
        from django.conf import settings

        most = float(settings.STATEYARD["RECONNECT_MAX_SECONDS"])
        conn.ensure_connection = functools.partial(
            conn.ensure_connection,
            interval_start=min(0.5, most),
            interval_step=min(0.5, most),
            interval_max=most,
        )
        return super().ensure_connected(conn)
