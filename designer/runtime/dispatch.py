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

    def started(self, execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None:
        publish(execution_id, workflow_id, [], status)
        execution_dispatch(execution_id)

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
