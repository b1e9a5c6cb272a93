"""The Celery app is set up to outlive broker outages (``stateyard.celery``).

The outages themselves are real in ``test_runtime_chaos``; this checks the
configuration and the kombu failure that used to kill a worker.
"""

from __future__ import annotations

from typing import Any

import pytest
from celery.worker.consumer import Consumer
from redis.exceptions import ConnectionError as RedisConnectionError

from stateyard.celery import ReconnectingConsumer, RedisTransport, app


def test_workers_reconnect_for_ever_with_the_reconnecting_consumer() -> None:
    assert app.conf.worker_consumer == "stateyard.celery:ReconnectingConsumer"
    assert issubclass(ReconnectingConsumer, Consumer)
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True


def test_a_lost_connections_channel_fails_as_a_connection_error() -> None:
    """kombu raised AttributeError here (restoring or acking after a loss); Celery then exited."""
    assert app.conf.broker_transport == "stateyard.celery:RedisTransport"
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, RedisTransport)
        channel: Any = connection.default_channel
        channel.connection.client = None  # what kombu leaves after collecting a lost connection
        with pytest.raises(RedisConnectionError):
            channel._connparams()
        assert RedisConnectionError in connection.transport.connection_errors
