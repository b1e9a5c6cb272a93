"""Retry and Catch: what a Task, Parallel or Map state does with an error.

The first Retrier whose ErrorEquals matches decides: while it has attempts
left, the state runs again after ``IntervalSeconds * BackoffRate ** n``
(capped by MaxDelaySeconds, FULL jitter draws from the execution's seeded
random source); once it is exhausted, or when no Retrier matches, the first
matching Catcher sends the error output to its Next. Otherwise the state fails.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from engine import dataflow, errors
from engine.interpreter import processing as proc
from engine.interpreter.core import BLOCKED, FAIL, NEXT, Outcome, Step
from engine.interpreter.data import RETRY, Frame, Timer
from engine.interpreter.effects import StartTimer
from engine.model import ABSENT, Catcher, ErrorHandling, Retrier, State


def error_matches(error_equals: tuple[str, ...], error: str | None, state_type: str) -> bool:
    """Does an ErrorEquals list match ``error``? (States.ALL, States.TaskFailed are wildcards.)"""
    name = error or ""
    if name in error_equals:
        return True
    if name in errors.NOT_MATCHED_BY_ALL:
        return False
    if errors.ALL in error_equals:
        return True
    return state_type == "Task" and errors.TASK_FAILED in error_equals and name != errors.TIMEOUT


def handle_error(
    step: Step,
    frame: Frame,
    state: State,
    error: str | None,
    cause: str | None,
    on_give_up: Callable[[], None] | None = None,
) -> Outcome:
    """Retry, catch or fail; ``on_give_up`` runs first when no retry is chosen."""
    handling: ErrorHandling = state.handling  # type: ignore[attr-defined]
    for index, retrier in enumerate(handling.retry):
        if error_matches(retrier.error_equals, error, state.type):
            if _attempts(frame, index) < retrier.max_attempts:
                return _schedule_retry(step, frame, index, retrier)
            break
    if on_give_up is not None:
        on_give_up()
    for catcher in handling.catch:
        if error_matches(catcher.error_equals, error, state.type):
            return _catch(step, frame, state, catcher, error, cause)
    return Outcome(FAIL, error=error, cause=cause)


def _attempts(frame: Frame, index: int) -> int:
    while len(frame.attempts) <= index:
        frame.attempts.append(0)
    return frame.attempts[index]


def retry_delay(retrier: Retrier, attempt: int, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry number ``attempt + 1``."""
    delay = retrier.interval_seconds * retrier.backoff_rate**attempt
    if retrier.max_delay_seconds is not None:
        delay = min(delay, retrier.max_delay_seconds)
    if retrier.jitter == "FULL" and rng is not None:
        delay = rng.uniform(0, delay)
    return float(delay)


def _schedule_retry(step: Step, frame: Frame, index: int, retrier: Retrier) -> Outcome:
    ex = step.ex
    attempt = frame.attempts[index]
    ex.random_calls += 1
    rng = random.Random(ex.random_seed * 1_000_003 + ex.random_calls)
    fire_at = step.now + retry_delay(retrier, attempt, rng)
    frame.attempts[index] = attempt + 1
    frame.retry_count += 1
    timer_id = ex.new_effect_id()
    ex.timers[timer_id] = Timer(frame=frame.id, kind="retry", fire_at=fire_at)
    step.effects.append(StartTimer(timer_id, fire_at))
    frame.phase = RETRY
    frame.pending = timer_id
    return BLOCKED


def _catch(
    step: Step, frame: Frame, state: State, catcher: Catcher, error: str | None, cause: str | None
) -> Outcome:
    error_output: dict[str, Any] = {"Error": error, "Cause": cause}
    if error is None:
        error_output.pop("Error")
    if cause is None:
        error_output.pop("Cause")
    if state.is_jsonata:
        scope = proc.make_scope(step, frame, state, frame.input, error_output=error_output)
        assigned = catcher.assign.evaluate(scope) if catcher.assign is not None else None
        output = catcher.output.evaluate(scope) if catcher.output is not None else error_output
    else:
        scope = proc.make_scope(step, frame, state, error_output)
        assigned = catcher.assign.evaluate(scope) if catcher.assign is not None else None
        output = error_output
        if catcher.result_path is not ABSENT:
            output = dataflow.result_path(frame.input, catcher.result_path, error_output)
    proc.exit_state(step, frame, state, output, assigned)
    return Outcome(NEXT, next=catcher.next, output=output)
