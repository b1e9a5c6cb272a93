"""The port through which services hand work to workers, without knowing who the workers are.

Services decide *that* an execution must be advanced (now or at a time), that
an Express execution must run, or that a Task's call must be made; the
runtime (``designer.runtime.dispatch``: Celery or the embedded pool) decides
*how*. The app registers the runtime's dispatcher when it is ready
(``designer.apps.DesignerConfig.ready``), so the dependency points one way:
the runtime imports the services, never the reverse.

A dispatcher may fail to deliver (the broker is away). That is never the
caller's error: everything dispatched is first committed with the moment it
is due (an execution's ``wake_at``, an invocation's ``SCHEDULED`` row), and
the sweeper dispatches what is overdue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class Dispatcher(Protocol):
    def started(self, execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None: ...

    def execution(self, execution_id: Any, at: datetime | None = None) -> None: ...

    def express(self, execution_id: Any) -> None: ...

    def invocation(self, invocation_id: int) -> None: ...

    def map_run(self, run_id: Any, at: datetime | None = None) -> None: ...

    def executions(self, execution_ids: list[Any]) -> None: ...

    def map_run_chunk(self, run_id: Any, token: str) -> None: ...


_dispatcher: Dispatcher | None = None


def dispatcher_register(dispatcher: Dispatcher | None) -> Dispatcher | None:
    """Install the runtime's dispatcher; returns the one it replaces (tests put it back)."""
    global _dispatcher
    previous, _dispatcher = _dispatcher, dispatcher
    return previous


def _current() -> Dispatcher:
    if _dispatcher is None:
        raise RuntimeError("No dispatcher registered: the designer app is not ready.")
    return _dispatcher


def execution_started(execution_id: Any, workflow_id: Any, status: dict[str, Any]) -> None:
    """A Standard execution was committed: announce it (``status``) and advance it."""
    _current().started(execution_id, workflow_id, status)


def execution_dispatch(execution_id: Any, at: datetime | None = None) -> None:
    """Advance a Standard execution now, or at ``at``."""
    _current().execution(execution_id, at)


def express_dispatch(execution_id: Any) -> None:
    """Run an asynchronous Express execution in a worker."""
    _current().express(execution_id)


def invocation_dispatch(invocation_id: int) -> None:
    """Make a worker Task's call (HTTP, Python function) in the background."""
    _current().invocation(invocation_id)


def executions_dispatch(execution_ids: list[Any]) -> None:
    """Advance several Standard executions now, one after another in one worker's task."""
    _current().executions(execution_ids)


def map_run_chunk_dispatch(run_id: Any, token: str) -> None:
    """Run a chunk of a Map Run's Express children (on the call workers)."""
    _current().map_run_chunk(run_id, token)


def map_run_dispatch(run_id: Any, at: datetime | None = None) -> None:
    """Coordinate a Distributed Map's run (read items, start children, end it), now or at ``at``."""
    _current().map_run(run_id, at)
