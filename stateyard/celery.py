"""The Celery application (used only when REDIS_URL is set; embedded mode runs in-process).

Workers outlive broker and database outages on their own:

* ``ReconnectingConsumer``: after the broker connection is lost the worker
  tries again for ever (``broker_connection_max_retries = None``) and never
  waits more than ``STATEYARD["RECONNECT_MAX_SECONDS"]`` between attempts
  (Celery's default backs off to 30 s, so a worker could stay idle half a
  minute after Redis came back);
* ``RedisTransport``: a kombu bug no longer kills a worker when Redis goes
  away while messages are unacknowledged. Closing the lost connection, or
  acknowledging a message that arrived on it, reached for the connection's
  parameters after kombu had dropped them and raised ``AttributeError``
  (``'NoneType' object has no attribute 'hostname'``), which Celery treats as
  unrecoverable: the worker exited. It is now the connection error it is
  (logged, the consumer reconnects); the messages concerned are swept;
* database: every task takes a connection from the process's pool and gives
  it back when it ends; the pool checks a connection before handing it out
  (``stateyard.celery_db``), so a PostgreSQL restart costs only the tasks
  running at that moment; their work stays committed as due and the sweeper
  dispatches it again (a call's answer is retried, see ``task_invocations``).

A worker that dies anyway is restarted by ``stateyard_worker.supervisor``
(``scripts/worker.sh``).
"""

from __future__ import annotations

import functools
import os
from typing import Any

from celery import Celery
from celery.worker.consumer import Consumer
from kombu.transport import redis as redis_transport
from redis.exceptions import ConnectionError as RedisConnectionError

from stateyard import celery_db

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stateyard.settings")

app = Celery("stateyard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["designer"])
celery_db.install()


class _RedisChannel(redis_transport.Channel):
    def _connparams(self, asynchronous: bool = False) -> Any:
        if self.connection.client is None:  # the connection was lost and closed
            raise RedisConnectionError("The broker connection is closed.")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(redis_transport.Transport):
    """kombu's Redis transport, with a lost connection's channel failing as a connection error."""

    Channel = _RedisChannel


class ReconnectingConsumer(Consumer):  # type: ignore[misc]
    """Celery's consumer, retrying a lost broker connection a few seconds apart at most."""

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
