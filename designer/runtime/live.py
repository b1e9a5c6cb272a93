"""Publish what an advance committed to every websocket that watches it.

Called after the transaction commits, so a viewer never sees an event that
could still roll back. Groups: ``execution.<uuid>`` gets the events,
``workflow.<uuid>.executions`` gets status changes.

With the Redis channel layer (scaled out) a publish does not wait for Redis:
it is queued to one thread per process that runs an event loop of its own and
sends the queued messages in order, over connections it keeps. Sending from
the calling thread instead (``async_to_sync``) cost a new event loop, a new
thread and a new Redis connection per message in a Celery worker, and two
thread switches and two Redis round trips inside every start request in the
web server. A message that cannot be sent (Redis is away, or more than
``MAX_QUEUED`` wait) is logged and dropped: viewers catch up from the history,
as they do today when Redis is away. The in-memory layer (embedded mode, most
tests) is sent to directly, as before: it lives on the caller's event loop.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

MAX_QUEUED = 10_000
"""Publishes waiting for Redis beyond this are dropped (and logged)."""

Messages = list[tuple[str, dict[str, Any]]]


def execution_group(execution_id: Any) -> str:
    return f"execution.{execution_id}"


def workflow_group(workflow_id: Any) -> str:
    return f"workflow.{workflow_id}.executions"


def publish(
    execution_id: Any, workflow_id: Any, events: list[dict[str, Any]], status: dict[str, Any] | None
) -> None:
    """Send new events (AWS-shaped) and, if the status changed, the new status."""
    layer = get_channel_layer()
    if layer is None:
        return
    messages: Messages = []
    if events:
        messages.append(
            (execution_group(execution_id), {"type": "execution.events", "events": events})
        )
    if status is not None:
        messages.append(
            (workflow_group(workflow_id), {"type": "execution.status", "execution": status})
        )
    if not messages:
        return
    if isinstance(layer, InMemoryChannelLayer):
        _send_now(layer, messages, execution_id)
    else:
        _publisher(layer).put(messages, execution_id)


def publish_flush(timeout: float = 5.0) -> bool:
    """Wait until every message queued so far in this process was sent (tests, shutdown)."""
    publisher = _current
    if publisher is None or publisher.pid != os.getpid():
        return True
    return publisher.flush(timeout)


def _send_now(layer: Any, messages: Messages, execution_id: Any) -> None:
    try:
        for group, message in messages:
            async_to_sync(layer.group_send)(group, message)
    except Exception:  # a broken channel layer must not fail an execution
        log.exception("could not publish events of execution %s", execution_id)


class _Publisher:
    """A daemon thread with an event loop that sends queued messages one after the other."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.queue: asyncio.Queue[tuple[Messages, Any]] = asyncio.Queue()
        self.thread = threading.Thread(target=self._run, name="channel-publisher", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._drain())

    async def _drain(self) -> None:
        while True:
            messages, execution_id = await self.queue.get()
            try:
                for group, message in messages:
                    await self.layer.group_send(group, message)
            except (OSError, RedisError) as err:  # Redis is away: viewers catch up later
                log.warning("could not publish events of execution %s: %s", execution_id, err)
            except Exception:  # a broken channel layer must not stop the publisher
                log.exception("could not publish events of execution %s", execution_id)
            finally:
                self.queue.task_done()

    def put(self, messages: Messages, execution_id: Any) -> None:
        self.loop.call_soon_threadsafe(self._put, messages, execution_id)

    def _put(self, messages: Messages, execution_id: Any) -> None:
        if self.queue.qsize() >= MAX_QUEUED:
            log.warning("dropped the events of execution %s: Redis is behind", execution_id)
            return
        self.queue.put_nowait((messages, execution_id))

    def flush(self, timeout: float) -> bool:
        async def joined() -> None:
            await self.queue.join()

        done = asyncio.run_coroutine_threadsafe(joined(), self.loop)
        try:
            done.result(timeout)
        except TimeoutError:
            return False
        return True


_current: _Publisher | None = None
_lock = threading.Lock()


def _publisher(layer: Any) -> _Publisher:
    """This process's publisher (a forked child starts its own)."""
    global _current
    publisher = _current
    if publisher is not None and publisher.pid == os.getpid() and publisher.layer is layer:
        return publisher
    with _lock:
        if _current is None or _current.pid != os.getpid() or _current.layer is not layer:
            _current = _Publisher(layer)
        return _current


atexit.register(publish_flush, 2.0)  # what a short-lived process (a command) queued goes out
