"""The Celery app is set up to outlive broker outages (``stateyard.celery``).

The outages themselves are real in ``test_runtime_chaos``; this checks the
configuration and the one kombu failure that used to kill a worker.
"""

from __future__ import annotations

from celery.worker.consumer import Consumer

from stateyard.celery import ReconnectingConsumer, app, close_quietly


def test_workers_reconnect_for_ever_with_the_reconnecting_consumer() -> None:
    assert app.conf.worker_consumer == "stateyard.celery:ReconnectingConsumer"
    assert issubclass(ReconnectingConsumer, Consumer)
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True


def test_closing_a_lost_connection_survives_kombus_attribute_error() -> None:
    """Redis went away with messages unacknowledged: Celery called this "unrecoverable"."""

    class Lost:
        closed = 0

        def close(self) -> None:
            self.closed += 1
            raise AttributeError("'NoneType' object has no attribute 'hostname'")

    lost = Lost()
    close_quietly(lost)
    lost.close()
    assert lost.closed == 1
