"""What goes into a step (signals) and what comes out of it (effects).

The interpreter never calls a task or sleeps: it asks for that with an effect,
and the runtime that drives it answers later with a signal carrying the
effect's id. Both are small frozen records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# ---- effects: asked of the runtime ------------------------------------------


@dataclass(frozen=True, slots=True)
class InvokeTask:
    task_id: int
    resource: str
    input: Any  # the effective input (Parameters / Arguments)
    state_name: str
    context: dict[str, Any] = field(default_factory=dict)  # the context object
    timeout_seconds: float | None = None
    heartbeat_seconds: float | None = None
    attempt: int = 0
    token: str = ""  # the task token (callbacks and activities answer with it)


@dataclass(frozen=True, slots=True)
class StartTimer:
    timer_id: int
    fire_at: float  # epoch seconds on the runtime's clock


@dataclass(frozen=True, slots=True)
class CancelTask:
    task_id: int


@dataclass(frozen=True, slots=True)
class CancelTimer:
    timer_id: int


@dataclass(frozen=True, slots=True)
class StartMapRun:
    """Run a Distributed Map's items as child executions (``engine.interpreter.map_runs``).

    The runtime answers with ``TaskSucceeded(run_id, output)`` (the results, or
    the ResultWriter's details) or ``TaskFailed``; ``CancelTask(run_id)`` stops
    the run. ``redrive_of`` is the id of the failed run that this one redrives.
    """

    run_id: int
    spec: dict[str, Any]
    redrive_of: int = 0


Effect = InvokeTask | StartTimer | CancelTask | CancelTimer | StartMapRun

# ---- signals: the runtime's answers ------------------------------------------


@dataclass(frozen=True, slots=True)
class TaskSucceeded:
    task_id: int
    output: Any


@dataclass(frozen=True, slots=True)
class TaskFailed:
    task_id: int
    error: str | None
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class TaskHeartbeat:
    task_id: int


@dataclass(frozen=True, slots=True)
class TimerFired:
    timer_id: int


@dataclass(frozen=True, slots=True)
class StopExecution:
    error: str | None = None
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class ExecutionTimeout:
    """The runtime's cap on an execution's life passed (a Standard one's year): TIMED_OUT."""


Signal = TaskSucceeded | TaskFailed | TaskHeartbeat | TimerFired | StopExecution | ExecutionTimeout
