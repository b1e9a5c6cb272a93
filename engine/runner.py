"""Run an execution in memory from start to end: the Express runtime and the test harness.

The runner drives the functional core: it carries out effects (invoking task
adapters, keeping timers) and feeds the answers back as signals, in time order.
With the default virtual clock, time jumps straight to the next timer, so a
Wait of a day or a retry backoff costs nothing; with ``real_time=True`` it
sleeps until the timer is due.

In real time the steps run under an ``engine.interrupts.Watch``: an expression
still evaluating at the execution's deadline ends it TIMED_OUT. ``stopped``
(a probe the runtime gives, polled between steps, at least every
``STOP_POLL_SECONDS`` while waiting, and inside long evaluations) ends it
ABORTED once it answers a ``Stop``.
"""

from __future__ import annotations

import contextvars
import heapq
import itertools
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import Any

from engine import interpreter, limits
from engine.adapters import AdapterRegistry, MockTasks, TaskResponse
from engine.history import Event, render_event
from engine.interpreter.data import ExecutionState
from engine.interpreter.effects import (
    CancelTask,
    CancelTimer,
    Effect,
    InvokeTask,
    Signal,
    StartTimer,
    StopExecution,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    TimerFired,
)
from engine.interrupts import Stop, Watch, watching
from engine.model import StateMachine

DEFAULT_START = 1_700_000_000.0  # the virtual clock's epoch second when none is given
MAX_PARALLEL_CALLS = 256  # task invocations in flight at once in real time
STOP_POLL_SECONDS = 0.5  # in real time, how long a wait goes without asking ``stopped``


@dataclass
class ExecutionResult:
    status: str
    output: Any
    error: str | None
    cause: str | None
    events: list[Event]
    state: ExecutionState = field(repr=False)

    def history(self) -> list[dict[str, Any]]:
        """The events exactly as AWS's GetExecutionHistory shows them."""
        return [render_event(e) for e in self.events]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status}
        if self.status == "SUCCEEDED":
            out["output"] = self.output
        else:
            if self.error is not None:
                out["error"] = self.error
            if self.cause is not None:
                out["cause"] = self.cause
        return out


class _Agenda:
    """Signals due at points in time; cancelled ones are skipped."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Signal]] = []
        self._order = itertools.count()
        self.cancelled_tasks: set[int] = set()
        self.cancelled_timers: set[int] = set()

    def add(self, at: float, signal: Signal) -> None:
        heapq.heappush(self._heap, (at, next(self._order), signal))

    def peek(self) -> tuple[float, Signal] | None:
        """The earliest live signal without removing it."""
        while self._heap:
            at, _, signal = self._heap[0]
            if not self._is_cancelled(signal):
                return at, signal
            heapq.heappop(self._heap)
        return None

    def pop(self) -> tuple[float, Signal] | None:
        while self._heap:
            at, _, signal = heapq.heappop(self._heap)
            if not self._is_cancelled(signal):
                return at, signal
        return None

    def _is_cancelled(self, signal: Signal) -> bool:
        if isinstance(signal, TimerFired):
            return signal.timer_id in self.cancelled_timers
        task_id = getattr(signal, "task_id", None)
        return task_id is not None and task_id in self.cancelled_tasks


def run(
    machine: StateMachine,
    execution_input: Any = None,
    *,
    adapters: AdapterRegistry | None = None,
    mocks: dict[str, Any] | MockTasks | None = None,
    start_time: float | None = None,
    real_time: bool = False,
    max_events: int | None = interpreter.STANDARD_MAX_EVENTS,
    max_seconds: float | None = None,
    name: str = "execution",
    on_events: Callable[[list[Event]], None] | None = None,
    stopped: Callable[[], Stop | None] | None = None,
    jsonata_seconds: float = limits.JSONATA_MAX_SECONDS,
    start_at: str | None = None,
    execution_arn: str | None = None,
    state_machine_arn: str | None = None,
    role_arn: str | None = None,
) -> ExecutionResult:
    """Run ``machine`` on ``execution_input`` to the end and return its result and history.

    ``max_events`` bounds the history (the execution fails with States.Runtime past it) and
    ``max_seconds`` its duration on the runtime's clock (it ends TIMED_OUT, as an Express
    execution does after 5 minutes); ``None`` means no bound. ``stopped`` answers a
    ``Stop`` once the execution must be aborted; ``jsonata_seconds`` bounds each JSONata
    evaluation (the state fails with States.QueryEvaluationError past it). ``start_at``
    starts at another top-level state than ``StartAt``. ``execution_arn`` and
    ``state_machine_arn`` are the context object's ``Execution.Id`` and ``StateMachine.Id``;
    ``role_arn`` its ``Execution.RoleArn`` (and ExecutionStarted's ``roleArn``).
    """
    registry = adapters or AdapterRegistry()
    if mocks is not None:
        registry.mock = mocks if isinstance(mocks, MockTasks) else MockTasks(dict(mocks))
    clock = time.time() if real_time else (start_time or DEFAULT_START)
    ex = interpreter.new_execution(
        machine,
        {} if execution_input is None else execution_input,
        clock,
        name=name,
        max_events=max_events,
        max_seconds=max_seconds,
        execution_arn=execution_arn,
        state_machine_arn=state_machine_arn,
        role_arn=role_arn or interpreter.DEFAULT_ROLE_ARN,
    )
    agenda = _Agenda()
    events: list[Event] = []
    calls = _Calls(registry, concurrent=real_time)
    deadline = _deadline(machine, clock, max_seconds) if real_time else None
    watch = Watch(deadline=deadline, stopped=stopped, jsonata_seconds=jsonata_seconds)
    try:
        with watching(watch):
            step = interpreter.start(machine, ex, clock, start_at=start_at)
            while True:
                events.extend(step.events)
                if on_events is not None and step.events:
                    on_events(step.events)
                if step.finished:
                    break
                _carry_out(step.effects, calls, agenda, clock)
                due = _stop_due(stopped) or _next_signal(agenda, calls, real_time, stopped)
                if due is None:
                    break
                at, signal = due
                clock = max(clock, time.time()) if real_time else max(clock, at)
                step = interpreter.advance(machine, ex, signal, clock)
    finally:
        calls.close()
    return ExecutionResult(ex.status, ex.output, ex.error, ex.cause, events, ex)


def _deadline(machine: StateMachine, now: float, max_seconds: float | None) -> float | None:
    """When the execution times out (the execution timer ``interpreter.start`` sets)."""
    seconds = interpreter.time_limit(machine.timeout_seconds, max_seconds)
    return now + seconds if seconds else None


def _stop_due(stopped: Callable[[], Stop | None] | None) -> tuple[float, Signal] | None:
    stop = stopped() if stopped is not None else None
    if stop is None:
        return None
    return time.time(), StopExecution(stop.error, stop.cause)


class _Calls:
    """Task invocations: inline on the virtual clock, on a thread pool in real time.

    In real time every invocation runs at once on its own thread, so a Map with
    MaxConcurrency 20 over HTTP really has 20 requests in flight.
    """

    def __init__(self, registry: AdapterRegistry, concurrent: bool) -> None:
        self.registry = registry
        self.pool = ThreadPoolExecutor(max_workers=MAX_PARALLEL_CALLS) if concurrent else None
        self.running: dict[Future[TaskResponse], InvokeTask] = {}

    def start(self, request: InvokeTask, agenda: _Agenda, now: float) -> None:
        if self.pool is None:
            _schedule_answer(request, self.registry.invoke(request), agenda, now)
        else:
            call = contextvars.copy_context().run  # the caller's context goes with the call
            self.running[self.pool.submit(call, self.registry.invoke, request)] = request

    def collect(self, agenda: _Agenda, timeout: float | None) -> bool:
        """Wait up to ``timeout`` for calls to finish; put their answers on the agenda."""
        if not self.running:
            return False
        done, _ = wait(list(self.running), timeout=timeout, return_when=FIRST_COMPLETED)
        for future in done:
            request = self.running.pop(future)
            response = _response_of(future)
            _schedule_answer(request, replace(response, duration=0.0), agenda, time.time())
        return bool(done)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


def _response_of(future: Future[TaskResponse]) -> TaskResponse:
    error = future.exception()
    if error is None:
        return future.result()
    return TaskResponse(
        failed=True, error="States.TaskFailed", cause=f"{type(error).__name__}: {error}"
    )


def _next_signal(
    agenda: _Agenda,
    calls: _Calls,
    real_time: bool,
    stopped: Callable[[], Stop | None] | None = None,
) -> tuple[float, Signal] | None:
    """The next signal in time order; in real time, waits for calls or the next timer.

    With ``stopped``, no wait lasts longer than ``STOP_POLL_SECONDS`` without asking it.
    """
    if not real_time:
        return agenda.pop()
    poll = STOP_POLL_SECONDS if stopped is not None else None
    while True:
        calls.collect(agenda, timeout=0)
        head = agenda.peek()
        if head is not None and head[0] <= time.time():
            return agenda.pop()
        if head is None and not calls.running:
            return None
        wait_for = None if head is None else max(0.0, head[0] - time.time())
        if poll is not None:
            wait_for = poll if wait_for is None else min(wait_for, poll)
        if not calls.collect(agenda, timeout=wait_for) and head is not None:
            delay = head[0] - time.time()
            if delay > 0:
                time.sleep(delay if poll is None else min(delay, poll))
        stop = _stop_due(stopped)
        if stop is not None:
            return stop


def _carry_out(effects: list[Effect], calls: _Calls, agenda: _Agenda, now: float) -> None:
    for effect in effects:
        if isinstance(effect, InvokeTask):
            calls.start(effect, agenda, now)
        elif isinstance(effect, StartTimer):
            agenda.add(effect.fire_at, TimerFired(effect.timer_id))
        elif isinstance(effect, CancelTimer):
            agenda.cancelled_timers.add(effect.timer_id)
        elif isinstance(effect, CancelTask):
            agenda.cancelled_tasks.add(effect.task_id)


def _schedule_answer(
    request: InvokeTask, response: TaskResponse, agenda: _Agenda, now: float
) -> None:
    if response.pending:
        return  # only a timeout (or nothing) can end it in memory
    for offset in response.heartbeats:
        agenda.add(now + offset, TaskHeartbeat(request.task_id))
    answer: Signal
    if response.failed:
        answer = TaskFailed(request.task_id, response.error, response.cause)
    else:
        answer = TaskSucceeded(request.task_id, response.output)
    agenda.add(now + response.duration, answer)
