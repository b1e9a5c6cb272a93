"""Hand newly started Standard executions to the workers in batches, off the request path.

A start commits its row with ``wake_at`` = now; after the commit the web
process queues the execution here and answers at once. One daemon thread per
process drains the queue: it tells the workflow's watchers that the execution
is running and sends the ``execution_advance`` messages over one broker
connection, as many as have queued up since its last round. A process that
dies between the commit and the send loses nothing: the sweeper dispatches
every running execution whose ``wake_at`` is overdue.

Embedded mode (no Celery) dispatches directly: the in-process pool's queue
is already cheap. ``BatchedStarts`` wraps the runtime's dispatcher (the one
``designer.services.dispatcher`` delegates to, registered in
``designer.apps``): its ``started`` goes through here, the rest passes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

BATCH = 500

_queue: queue.SimpleQueue[tuple[str, str, dict[str, Any]]] = queue.SimpleQueue()
_lock = threading.Lock()
_owner_pid: int | None = None


class BatchedStarts:
    """A dispatcher whose ``started`` is batched here; everything else goes to ``inner``."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def started(self, execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None:
        if settings.EMBEDDED:
            self.inner.started(execution_id, workflow_id, status)
        else:
            start_dispatch(execution_id, workflow_id, status)

    def execution(self, execution_id: Any, at: Any = None) -> None:
        self.inner.execution(execution_id, at)

    def express(self, execution_id: Any) -> None:
        self.inner.express(execution_id)

    def invocation(self, invocation_id: int) -> None:
        self.inner.invocation(invocation_id)


def start_dispatch(execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None:
    """Announce a committed start and dispatch its first advance (soon, in a batch)."""
    if settings.EMBEDDED:
        from designer.runtime.dispatch import execution_dispatch
        from designer.runtime.live import publish

        publish(execution_id, workflow_id, [], status)
        execution_dispatch(execution_id)
        return
    _ensure_thread()
    _queue.put((str(execution_id), str(workflow_id), status))


def _ensure_thread() -> None:
    global _owner_pid
    if _owner_pid == os.getpid():
        return
    with _lock:
        if _owner_pid != os.getpid():  # first use in this process (or after a fork)
            threading.Thread(target=_run, name="start-dispatch", daemon=True).start()
            _owner_pid = os.getpid()


def _take() -> list[tuple[str, str, dict[str, Any]]]:
    batch = [_queue.get()]
    while len(batch) < BATCH:
        try:
            batch.append(_queue.get_nowait())
        except queue.Empty:
            break
    return batch


def _run() -> None:
    loop = asyncio.new_event_loop()  # one loop for the thread: the channel layer keeps its pool
    while True:
        batch = _take()
        starts = [item for item in batch if item[0]]
        try:
            if starts:
                _send(loop, starts)
        except Exception:  # the sweeper dispatches whatever this round could not send
            log.exception("could not dispatch %d started executions", len(starts))
        for item in batch:
            if not item[0]:  # a flush marker
                item[2]["done"].set()


def _send(loop: asyncio.AbstractEventLoop, batch: list[tuple[str, str, dict[str, Any]]]) -> None:
    from channels.layers import get_channel_layer

    from designer.runtime.live import workflow_group
    from designer.tasks import execution_advance_task

    with execution_advance_task.app.producer_or_acquire() as producer:
        for execution_id, _, _ in batch:
            execution_advance_task.apply_async(args=[execution_id], producer=producer)
    layer = get_channel_layer()
    if layer is None:
        return

    async def announce() -> None:
        for _, workflow_id, status in batch:
            await layer.group_send(
                workflow_group(workflow_id), {"type": "execution.status", "execution": status}
            )

    try:
        loop.run_until_complete(announce())
    except Exception:  # a broken channel layer must not hold back the dispatch
        log.exception("could not announce %d started executions", len(batch))


def start_dispatch_flush(timeout: float = 5.0) -> bool:
    """Wait until everything queued so far was handed over (tests, shutdown)."""
    if settings.EMBEDDED or _owner_pid != os.getpid():
        return True
    done = threading.Event()
    _queue.put(("", "", {"done": done}))
    return done.wait(timeout)
