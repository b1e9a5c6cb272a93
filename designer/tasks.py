"""Celery tasks: small, idempotent, taking ids; ``acks_late`` so a lost worker's task comes back."""

from __future__ import annotations

from celery import shared_task

from designer.services.execution_runtime import execution_advance
from designer.services.executions import express_run
from designer.services.sweeper import executions_sweep
from designer.services.task_invocations import invocation_run


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def execution_advance_task(execution_id: str | list[str]) -> None:
    """Advance a Standard execution as far as it can go now (a no-op when nothing is due).

    A list (started executions dispatched together, ``runtime.dispatch.StartBatches``)
    advances each in turn, each in its own transaction; one that fails does not hold
    back the others, and the first failure is raised at the end (the sweeper
    dispatches that execution again, as it would a single one).
    """
    if isinstance(execution_id, str):
        execution_advance(execution_id)
        return
    failure: Exception | None = None
    for one in execution_id:
        try:
            execution_advance(one)
        except Exception as exc:  # raised below, after the others
            failure = failure or exc
    if failure is not None:
        raise failure


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def executions_advance_task(execution_ids: list[str]) -> None:
    """Advance a group of executions (a Map Run's children), each in its own transaction."""
    for execution_id in execution_ids:
        execution_advance(execution_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def express_run_task(execution_id: str) -> None:
    """Run an asynchronous Express execution to the end (at least once)."""
    express_run(execution_id)


@shared_task(ignore_result=True)
def execution_sweep() -> int:
    """Dispatch executions whose work is overdue (lost messages, dead workers)."""
    return executions_sweep()


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def task_invoke_task(invocation_id: int) -> None:
    """Make a Task's call (HTTP, Python function) and signal the answer (at least once)."""
    invocation_run(invocation_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def map_run_task(run_id: str) -> None:
    """Coordinate a Distributed Map's run: read items, start children, end it (idempotent)."""
    from designer.services.map_runs import map_run_work

    map_run_work(run_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def map_run_chunk_task(run_id: str, token: str) -> None:
    """Run a chunk of a Map Run's Express children in memory (on the call workers' threads)."""
    from designer.services.map_runs import map_run_chunk_work

    map_run_chunk_work(run_id, token)


@shared_task(ignore_result=True)
def executions_expire_task() -> int:
    """Delete finished executions past their workflow's retention (with their history)."""
    from designer.services.retention import executions_expire

    return executions_expire()
