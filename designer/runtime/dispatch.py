"""Hand work to a worker: Celery on the Redis broker, or the embedded in-process pool.

``RuntimeDispatcher`` is what ``designer.services.dispatcher`` delegates to
(registered in ``designer.apps``). Scaled out, each kind of work is a Celery
task (``designer.tasks``); embedded (no ``REDIS_URL``), it is the in-process
pool (``designer.runtime.embedded``). Every piece of work is idempotent.

When the broker cannot take a message (Redis is down or restarting), the
dispatch logs a warning and returns: the work was committed with the moment it
is due before it was dispatched, and the sweeper dispatches it once the broker
is back. A request that started an execution never fails for that.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from kombu.exceptions import OperationalError

from designer.runtime.live import publish

log = logging.getLogger(__name__)

BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, OSError)


def _deliver(what: str, ident: Any, send: Callable[[], Any]) -> bool:
    try:
        send()
    except BROKER_ERRORS as err:
        log.warning("could not dispatch %s %s (the sweeper will): %s", what, ident, err)
        return False
    return True


def execution_dispatch(execution_id: Any, at: datetime | None = None) -> bool:
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit(str(execution_id), at)
        return True
    from designer.tasks import execution_advance_task

    task, args = execution_advance_task, [str(execution_id)]
    return _deliver("execution", execution_id, lambda: task.apply_async(args, eta=at))


def express_dispatch(execution_id: Any) -> bool:
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit_express(str(execution_id))
        return True
    from designer.tasks import express_run_task

    args = [str(execution_id)]
    return _deliver("express execution", execution_id, lambda: express_run_task.apply_async(args))


def invocation_dispatch(invocation_id: int) -> bool:
    """Run a worker Task's call (HTTP, Python function) in the background."""
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit_invocation(invocation_id)
        return True
    from designer.tasks import task_invoke_task

    return _deliver("invocation", invocation_id, lambda: task_invoke_task.delay(invocation_id))


class StartBatches:
    """The first advances of started executions, one broker message for those that meet.

    A start hands its execution over after its commit. If no other request of this
    process is sending at that moment, it sends its own message at once (one id, as
    ``execution_dispatch`` does); otherwise it leaves the id to the request that is
    sending, which sends everything that queued up meanwhile as one message (a list
    of ids, at most ``MAX_BATCH``) before it answers. Nothing waits for a timer, and
    under load one message and one worker task carry several executions instead of
    one each. A refused message is logged and left to the sweeper, like any dispatch.
    """

    MAX_BATCH = 16

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._queue: deque[str] = deque()
        self._sending = threading.Lock()

    def add(self, execution_id: Any) -> None:
        if self._pid != os.getpid():  # a forked child starts afresh
            self._reset()
        self._queue.append(str(execution_id))
        while self._queue:  # re-checked after each release: nothing is left behind
            if not self._sending.acquire(blocking=False):
                return  # the request that is sending will send this one too
            try:
                batch = self._take()
                if batch:  # another request may have sent it all since the check
                    self._send(batch)
            finally:
                self._sending.release()

    def _take(self) -> list[str]:
        batch: list[str] = []
        while self._queue and len(batch) < self.MAX_BATCH:
            batch.append(self._queue.popleft())
        return batch

    def _send(self, batch: list[str]) -> None:
        from designer.tasks import execution_advance_task

        payload: str | list[str] = batch[0] if len(batch) == 1 else batch
        _deliver("execution", payload, lambda: execution_advance_task.apply_async([payload]))


def executions_dispatch(execution_ids: list[Any]) -> bool:
    """Advance a group of executions in one task (a Map Run's children, started together)."""
    if settings.EMBEDDED:
        for execution_id in execution_ids:
            execution_dispatch(execution_id)
        return True
    from designer.tasks import executions_advance_task

    args = [[str(i) for i in execution_ids]]
    return _deliver(
        "executions", len(execution_ids), lambda: executions_advance_task.apply_async(args)
    )


def map_run_chunk_dispatch(run_id: Any, token: str) -> bool:
    """A chunk of Express children (``services.map_runs.map_run_chunk_work``)."""
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit_map_run_chunk(str(run_id), token)
        return True
    from designer.tasks import map_run_chunk_task

    args = [str(run_id), token]
    return _deliver("map run chunk", run_id, lambda: map_run_chunk_task.apply_async(args))


def map_run_dispatch(run_id: Any, at: datetime | None = None) -> bool:
    """Coordinate a Distributed Map's run (``services.map_runs.map_run_work``)."""
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit_map_run(str(run_id), at)
        return True
    from designer.tasks import map_run_task

    args = [str(run_id)]
    return _deliver("map run", run_id, lambda: map_run_task.apply_async(args, eta=at))


class RuntimeDispatcher:
    """The dispatcher the services use (``designer.services.dispatcher``)."""

    def __init__(self) -> None:
        self._starts = StartBatches()

    def started(self, execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None:
        publish(execution_id, workflow_id, [], status)
        if settings.EMBEDDED:
            execution_dispatch(execution_id)
        else:
            self._starts.add(execution_id)

    def execution(self, execution_id: Any, at: datetime | None = None) -> None:
        execution_dispatch(execution_id, at)

    def express(self, execution_id: Any) -> None:
        express_dispatch(execution_id)

    def invocation(self, invocation_id: int) -> None:
        invocation_dispatch(invocation_id)

    def map_run(self, run_id: Any, at: datetime | None = None) -> None:
        map_run_dispatch(run_id, at)

    def executions(self, execution_ids: list[Any]) -> None:
        executions_dispatch(execution_ids)

    def map_run_chunk(self, run_id: Any, token: str) -> None:
        map_run_chunk_dispatch(run_id, token)
