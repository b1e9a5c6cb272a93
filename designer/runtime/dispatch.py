"""Hand an execution to a worker: now, or when its next timer is due.

Scaled out, that is a Celery task on the Redis broker (``designer.tasks``);
embedded, it is the in-process pool (``designer.runtime.embedded``). Either
way the work is ``execution_advance(execution_id)``, which is idempotent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings


def execution_dispatch(execution_id: Any, at: datetime | None = None) -> None:
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit(str(execution_id), at)
        return
    from designer.tasks import execution_advance_task

    if at is None:
        execution_advance_task.delay(str(execution_id))
    else:
        execution_advance_task.apply_async(args=[str(execution_id)], eta=at)


def express_dispatch(execution_id: Any) -> None:
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit_express(str(execution_id))
        return
    from designer.tasks import express_run_task

    express_run_task.delay(str(execution_id))


def invocation_dispatch(invocation_id: int) -> None:
    """Run a worker Task's call (HTTP, Python function) in the background."""
    if settings.EMBEDDED:
        from designer.runtime import embedded

        embedded.pool().submit_invocation(invocation_id)
        return
    from designer.tasks import task_invoke_task

    task_invoke_task.delay(invocation_id)
