"""The step loop: run frames until each is blocked or done, recording history.

``Step`` is one application of the transition function: it owns the execution
state for the duration of the step, collects the history events and effects
the step produces, and runs every ready frame as far as it can go without
waiting on the outside world. The per-state behaviour lives in ``flow``,
``task`` and ``containers``; this module holds what they share: entering a
state, emitting events with AWS's ``previousEventId`` links, settling an
outcome (go to Next, end, block, fail) and finishing frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from engine import errors
from engine.errors import StatesError
from engine.history import Event, details_key
from engine.interpreter.data import (
    ABORTED,
    CHILDREN,
    ENTER,
    FAILED,
    RUNNING,
    SUCCEEDED,
    TIMED_OUT,
    ExecutionState,
    Frame,
    frame_to_dict,
)
from engine.interpreter.effects import CancelTask, CancelTimer, Effect
from engine.interrupts import Interrupted
from engine.jsonvalue import (
    escaped,
    exceeds_payload_limit,
    unencodable_cause,
    unencodable_pointer,
)
from engine.model import State, StateMachine

# Outcome kinds
NEXT = "next"
END = "end"
BLOCK = "block"
FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    next: str | None = None
    output: Any = None
    error: str | None = None
    cause: str | None = None


BLOCKED = Outcome(BLOCK)


Handler = Callable[["Step", Frame, State], Outcome]


def _unregistered(*_: Any) -> Any:
    raise RuntimeError("engine.interpreter has not registered its hooks")


@dataclass(slots=True)
class Hooks:
    """What the loop calls in the modules above it, registered by ``engine.interpreter``.

    The step loop sits below the state kinds in the import graph: it never
    imports them, it calls these instead (state type -> enter handler; Retry and
    Catch; a child frame of a Parallel/Map that finished, failed or blocked).
    """

    handlers: dict[str, Handler] = field(default_factory=dict)
    recover: Callable[..., Outcome] = _unregistered
    child_succeeded: Callable[[Step, Frame, Any], None] = _unregistered
    child_failed: Callable[[Step, Frame, str | None, str | None], None] = _unregistered
    child_blocked: Callable[[Step, Frame], None] = _unregistered


class Step:
    """One transition of an execution: mutate ``ex`` in place, collect events and effects."""

    hooks = Hooks()  # filled by engine.interpreter

    def __init__(self, machine: StateMachine, ex: ExecutionState, now: float) -> None:
        self.machine = machine
        self.ex = ex
        self.now = now
        self.events: list[Event] = []
        self.effects: list[Effect] = []

    # ---- events ----------------------------------------------------------

    def emit(
        self,
        frame: Frame | None,
        event_type: str,
        details: dict[str, Any] | None = None,
        prev: int | None = None,
        advance: bool = True,
    ) -> int:
        """Record one event. Its previousEventId is ``prev`` or the frame's cursor."""
        if frame is not None and frame.silent:
            return 0
        ex = self.ex
        if (
            ex.max_events
            and ex.event_count + 1 >= ex.max_events
            and event_type not in _FINAL_EVENTS
            and ex.status == RUNNING
        ):
            raise _HistoryFull  # the last event the history can hold must end the execution
        ex.event_count += 1
        eid = ex.event_count
        if prev is None:
            prev = frame.cursor if frame is not None else eid - 1
        event: Event = {
            "timestamp": self.now,
            "type": event_type,
            "id": eid,
            "previousEventId": prev,
        }
        if details is not None:
            event[details_key(event_type)] = details
        self.events.append(event)
        if advance and frame is not None:
            self._advance_cursor(frame, eid)
        return eid

    def _advance_cursor(self, frame: Frame, eid: int) -> None:
        frame.cursor = eid
        parent_id = frame.parent
        frames = self.ex.frames
        while parent_id is not None:
            parent = frames.get(parent_id)
            if parent is None or parent.container is None:
                return
            parent.container.cursor = eid
            parent_id = parent.parent

    # ---- the loop --------------------------------------------------------

    def drain(self) -> None:
        """Run every ready frame until it blocks or finishes."""
        ex = self.ex
        ready = ex.ready
        frames = ex.frames
        with self.history_bound():
            while ready and ex.status == RUNNING:
                frame = frames.get(ready.popleft())
                if frame is not None and frame.phase == ENTER:
                    self.run_frame(frame)

    @contextmanager
    def history_bound(self) -> Iterator[None]:
        """End the execution as AWS does when its history is full, or when it is interrupted.

        AWS keeps at most ``max_events`` events (25,000): when the event with the
        last id would not end the execution, ExecutionFailed takes its place. The
        work in progress is abandoned (``emit`` raised), which is safe: the
        execution ends here and every frame, task and timer goes with it.
        The same holds for an evaluation the runtime interrupted
        (``engine.interrupts``: the execution's deadline passed, or it was stopped).
        """
        try:
            yield
        except _HistoryFull:
            ex = self.ex
            cause = f"The execution reached the maximum number of history events ({ex.max_events})."
            self.emit(None, "ExecutionFailed", {"error": errors.RUNTIME, "cause": cause})
            self.end_execution(FAILED, error=errors.RUNTIME, cause=cause)
        except Interrupted as interrupt:
            if interrupt.stop is None:
                self.time_out()
            else:
                self.abort(interrupt.stop.error, interrupt.stop.cause)

    def time_out(self) -> None:
        """End the execution TIMED_OUT (its TimeoutSeconds or the runtime's cap passed)."""
        self.emit(None, "ExecutionTimedOut", {"error": errors.TIMEOUT})
        self.end_execution(TIMED_OUT, error=errors.TIMEOUT)

    def abort(self, error: str | None, cause: str | None) -> None:
        """End the execution ABORTED (StopExecution)."""
        error, cause = recordable_text(error), recordable_text(cause)
        details = {k: v for k, v in (("error", error), ("cause", cause)) if v}
        self.emit(None, "ExecutionAborted", details)
        self.end_execution(ABORTED, error=error, cause=cause)

    def run_frame(self, frame: Frame) -> None:
        states = self.machine.programs[frame.program].states
        handlers = self.hooks.handlers
        while self.ex.status == RUNNING:
            state = states[frame.state]
            self.enter_state(frame, state)
            outcome = self.guarded(frame, state, handlers[state.type], self, frame, state)
            if not self.settle(frame, state, outcome):
                return

    def guarded(
        self, frame: Frame, state: State, work: Callable[..., Outcome], *args: Any
    ) -> Outcome:
        """Run ``work``; an ASL error it raises becomes the state's error (Retry/Catch apply)."""
        try:
            return work(*args)
        except StatesError as err:
            return self.state_error(frame, state, err)

    def enter_state(self, frame: Frame, state: State) -> None:
        frame.pre_enter_cursor = frame.cursor
        frame.entered_time = self.now
        frame.attempts = []
        frame.retry_count = 0
        frame.entered_id = self.emit(
            frame, state.type + "StateEntered", {"name": state.name, "input": frame.input}
        )

    def settle(self, frame: Frame, state: State, outcome: Outcome) -> bool:
        """Apply an outcome; True when the frame should go on to its next state now."""
        kind = outcome.kind
        if kind == NEXT:
            frame.state = outcome.next  # type: ignore[assignment]
            frame.input = outcome.output
            frame.phase = ENTER
            return True
        if kind == END:
            self.finish_frame(frame, outcome.output)
        elif kind == FAIL:
            self.fail_frame(frame, outcome.error, outcome.cause)
        elif frame.phase != CHILDREN:
            self.on_blocked(frame)
        return False

    def resume(self, frame: Frame, state: State, outcome: Outcome) -> None:
        """Settle an outcome reached outside the loop (a task result, a timer, children done)."""
        if self.settle(frame, state, outcome):
            self.ex.ready.append(frame.id)

    # ---- errors ----------------------------------------------------------

    def state_error(self, frame: Frame, state: State, err: StatesError) -> Outcome:
        """An error inside a state: AWS's prefix on the cause, EvaluationFailed for JSONata."""
        if getattr(err, "unprefixed", False):
            return Outcome(FAIL, error=err.error, cause=err.cause)
        cause = self.prefixed_cause(frame, state, err.cause)
        location = getattr(err, "location", None)
        if err.error == errors.QUERY_EVALUATION_ERROR:
            details = {"error": err.error, "cause": cause, "state": state.name}
            if location:
                details["location"] = location
            frame.cursor = self.emit(
                frame, "EvaluationFailed", details, prev=frame.pre_enter_cursor
            )
            if state.type in ("Map", "Parallel"):
                self.emit(frame, state.type + "StateFailed")
        if getattr(state, "handling", None) is not None:
            return self.hooks.recover(self, frame, state, err.error, cause)
        return Outcome(FAIL, error=err.error, cause=cause)

    def prefixed_cause(self, frame: Frame, state: State, detail: str | None) -> str:
        return (
            f"An error occurred while executing the state '{state.name}' "
            f"(entered at the event id #{frame.entered_id}). {detail or ''}"
        )

    def check_payload(self, state: State, value: Any) -> None:
        """Raise States.DataLimitExceeded when ``value`` exceeds the 256 KiB payload quota,
        States.Runtime when it holds text that cannot be recorded (``check_text``)."""
        if exceeds_payload_limit(value):
            raise _DataLimit(state.name)
        self.check_text(state, value)

    def check_text(self, state: State, value: Any) -> None:
        """Raise States.Runtime when a string in ``value`` holds a lone UTF-16 surrogate.

        JSONata, ``States.StringToJson`` or a task can make one (``"\\ud800"``);
        UTF-8 cannot encode it, so no history, database or client could record it.
        """
        where = unencodable_pointer(value)
        if where is not None:
            raise StatesError(errors.RUNTIME, unencodable_cause(f"state '{state.name}'", where))

    # ---- finishing -------------------------------------------------------

    def finish_frame(self, frame: Frame, output: Any) -> None:
        del self.ex.frames[frame.id]
        if frame.parent is None:
            self.emit(frame, "ExecutionSucceeded", {"output": output})
            self.end_execution(SUCCEEDED, output=output)
        else:
            self.hooks.child_succeeded(self, frame, output)

    def fail_frame(self, frame: Frame, error: str | None, cause: str | None) -> None:
        self.ex.fallen.append(frame_to_dict(frame))  # a redrive resumes it
        self.ex.frames.pop(frame.id, None)
        if frame.parent is None:
            error, cause = recordable_text(error), recordable_text(cause)
            details = {k: v for k, v in (("error", error), ("cause", cause)) if v is not None}
            self.emit(frame, "ExecutionFailed", details)
            self.end_execution(FAILED, error=error, cause=cause)
        else:
            self.hooks.child_failed(self, frame, error, cause)

    def end_execution(
        self, status: str, output: Any = None, error: str | None = None, cause: str | None = None
    ) -> None:
        ex = self.ex
        ex.status = status
        ex.output = output
        ex.error = recordable_text(error)  # an execution's error and cause are text columns
        ex.cause = recordable_text(cause)
        if status != SUCCEEDED:  # what was still running is what a redrive resumes
            ex.fallen.extend(frame_to_dict(f) for f in ex.frames.values())
        self.cancel_everything()
        ex.frames.clear()
        ex.ready.clear()

    def cancel_everything(self) -> None:
        ex = self.ex
        self.effects.extend(CancelTask(t) for t in ex.tasks)
        self.effects.extend(CancelTimer(t) for t in ex.timers)
        ex.tasks.clear()
        ex.timers.clear()

    def forget_fallen(self, frame: Frame) -> None:
        """``frame``'s children are over (it succeeded, caught or retries): drop their wrecks."""
        fallen = self.ex.fallen
        if not fallen:
            return
        gone = {frame.id}
        changed = True
        while changed:
            keep = [f for f in fallen if f["parent"] not in gone]
            changed = len(keep) != len(fallen)
            gone.update(f["id"] for f in fallen if f["parent"] in gone)
            fallen = keep
        self.ex.fallen = fallen

    def on_blocked(self, frame: Frame) -> None:
        if frame.parent is not None:
            self.hooks.child_blocked(self, frame)


def recordable_text(text: str | None) -> str | None:
    """An error or cause as any text column stores it (NUL, lone surrogates escaped)."""
    return None if text is None else escaped(text)


class _HistoryFull(Exception):
    """The history cannot take another event that does not end the execution."""


_FINAL_EVENTS = frozenset(
    {"ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"}
)


class _DataLimit(StatesError):
    def __init__(self, state_name: str) -> None:
        super().__init__(
            errors.DATA_LIMIT_EXCEEDED,
            f"The state/task '{state_name}' returned a result with a size exceeding "
            "the maximum number of bytes service limit.",
        )
        self.unprefixed = True
