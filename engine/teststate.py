"""TestState: run one state on one input, as AWS's TestState API does.

``test_state(state_definition, input)`` validates the state on its own, wraps
it in a one-state machine (each ``Next`` it names becomes a placeholder Wait
that is never run) and drives ``engine.interpreter`` until the state is done:
it exited (``SUCCEEDED``, or ``CAUGHT_ERROR`` when a Catcher took an error),
it failed (``FAILED``) or it is waiting for a retry (``RETRIABLE``). A Task's
work is the ``mock`` (``{"result": value}`` or ``{"errorOutput": {"error",
"cause"}}``) or, without one, the adapters; a Wait fires at once.

``inspectionData`` (inspection levels DEBUG and TRACE) shows the data flow.
The status, output, next state, a Task's effective input and its result are
the ones the interpreter run produced. The stages in between (after InputPath,
after a Pass state's Parameters, after ResultSelector, after ResultPath) are
computed by the interpreter's own processing functions on the same input with
the later stages switched off, so they can differ from the run only where an
expression is random (``States.UUID``, ``$uuid()``, unseeded ``$random()``).
"""

from __future__ import annotations

import contextvars
import importlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from typing import Any

from engine import errors, interpreter, limits
from engine.adapters import AdapterRegistry, TaskResponse
from engine.diagnostics import Diagnostic
from engine.errors import DefinitionError, StatesError
from engine.history import Event
from engine.history import details as _details
from engine.interpreter import processing as proc
from engine.interpreter import recovery
from engine.interpreter.core import Step
from engine.interpreter.data import RETRY, RUNNING, Frame
from engine.interpreter.effects import (
    CancelTask,
    CancelTimer,
    InvokeTask,
    Signal,
    StartTimer,
    TaskFailed,
    TaskSucceeded,
    TimerFired,
)
from engine.jsonvalue import (
    PAYLOAD_LIMIT_BYTES,
    definition_too_large,
    exceeds_payload_limit,
    input_too_large,
)
from engine.model import ABSENT, State, StateMachine, TaskState
from engine.parser import parse
from engine.teststate_containers import (
    CONTAINER_TYPES,
    ContainerView,
    as_mocked_task,
    check_configuration,
    check_failure_count,
    container_view,
    effective_mock,
)
from engine.validation import validate

SUPPORTED_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", *CONTAINER_TYPES)
INSPECTION_LEVELS = ("INFO", "DEBUG", "TRACE")
QUERY_LANGUAGES = ("JSONPath", "JSONata")
DEFAULT_STATE_NAME = "TestState"
START_TIME = 1_700_000_000.0
MAX_EVENTS = limits.TEST_STATE_MAX_EVENTS  # ends a state that loops to itself without blocking
_PLACEHOLDER = {"Type": "Wait", "Seconds": 1, "End": True}

_FAMILIES = ("Task", "LambdaFunction", "Activity")  # how AWS names a task's events
_SCHEDULED = frozenset(f + "Scheduled" for f in _FAMILIES)
_SUCCEEDED = frozenset(f + "Succeeded" for f in _FAMILIES)
_ERROR_EVENTS = frozenset(
    [*(f + "Failed" for f in _FAMILIES), *(f + "TimedOut" for f in _FAMILIES), "EvaluationFailed"]
)

# Validation codes about a whole machine's graph, which a single tested state (maybe a
# state that loops to itself) is not.
_WHOLE_MACHINE = frozenset({"NO_TERMINAL_STATE"})

SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
RETRIABLE = "RETRIABLE"
CAUGHT_ERROR = "CAUGHT_ERROR"


def test_state(
    state_definition: Any,
    input: Any = None,
    *,
    query_language: str = "JSONPath",
    variables: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
    mock: Mapping[str, Any] | None = None,
    inspection_level: str = "DEBUG",
    state_name: str = DEFAULT_STATE_NAME,
    retrier_retry_count: int = 0,
    error_caused_by_state: str | None = None,
    map_iteration_failure_count: int | None = None,
    map_reader_items: list[Any] | None = None,
    adapters: AdapterRegistry | None = None,
    max_seconds: float = limits.TEST_STATE_MAX_SECONDS,
) -> dict[str, Any]:
    """Run one state; ``DefinitionError`` (with diagnostics) when it or the request is invalid.

    Returns ``{"status", "output", "error", "cause", "nextState"}`` (``None``
    where a field does not apply) plus ``"inspectionData"`` unless the level
    is INFO. ``retrier_retry_count`` says how many retries the Retrier that
    matches the error have already happened (AWS's ``retrierRetryCount``).

    A Task that runs for real gets the shorter of its ``TimeoutSeconds`` and
    ``max_seconds`` (5 minutes) of wall-clock time: then the call is abandoned
    and the state times out (``States.Timeout``), whatever the adapter does.

    Map and Parallel states need a mock; ``error_caused_by_state``,
    ``map_iteration_failure_count`` and ``map_reader_items`` (the items of
    AWS's ``mapItemReaderData``) are theirs (``engine.teststate_containers``).
    """
    _check_request(query_language, inspection_level, mock, variables, context, state_name)
    _check_sizes(state_definition, input, variables, context, mock)
    definition = _one_state_machine(state_definition, state_name, query_language)
    problems = [
        d for d in validate(definition) if d.severity == "error" and d.code not in _WHOLE_MACHINE
    ]
    if problems:
        raise DefinitionError([_relative(d, state_name) for d in problems])
    _check_supported(state_definition, mock, state_name)
    check_configuration(
        state_definition, mock, error_caused_by_state, map_iteration_failure_count, map_reader_items
    )
    machine = parse(definition, tolerate=_WHOLE_MACHINE)
    state = machine.root.states[state_name]
    view: ContainerView | None = None
    if state.type in CONTAINER_TYPES:
        assert mock is not None  # _check_supported
        probe = _Run(machine, state, input, dict(variables or {}), context, None, adapters)
        view = container_view(probe.step(), probe.entry_frame(), state, map_reader_items)
        check_failure_count(view, map_iteration_failure_count)
        mock = effective_mock(mock, view, map_iteration_failure_count)
        machine = parse(as_mocked_task(definition, state_name), tolerate=_WHOLE_MACHINE)
        state = machine.root.states[state_name]
    run = _Run(machine, state, input, dict(variables or {}), context, mock, adapters)
    run.container = view
    run.deadline = time.monotonic() + max_seconds
    run.drive(retrier_retry_count)
    result = run.result()
    if inspection_level != "INFO":
        result["inspectionData"] = run.inspection()
    return result


test_state.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


# ---- the request -------------------------------------------------------------


def _problem(code: str, message: str, location: str = "") -> DefinitionError:
    return DefinitionError([Diagnostic(code, message, location)])


def _check_request(
    query_language: str,
    inspection_level: str,
    mock: Any,
    variables: Any,
    context: Any,
    state_name: Any,
) -> None:
    if query_language not in QUERY_LANGUAGES:
        raise _problem("TEST_STATE_QUERY_LANGUAGE", "queryLanguage is JSONPath or JSONata.")
    if inspection_level not in INSPECTION_LEVELS:
        raise _problem("TEST_STATE_INSPECTION_LEVEL", "inspectionLevel is INFO, DEBUG or TRACE.")
    if variables is not None and not isinstance(variables, Mapping):
        raise _problem("TEST_STATE_VARIABLES", "variables must be a JSON object.")
    if context is not None and not isinstance(context, Mapping):
        raise _problem("TEST_STATE_CONTEXT", "context must be a JSON object.")
    if not isinstance(state_name, str) or not 1 <= len(state_name) <= 80:
        raise _problem("TEST_STATE_NAME", "The state name must be 1 to 80 characters.")
    if mock is None:
        return
    if not isinstance(mock, Mapping) or ("result" in mock) == ("errorOutput" in mock):
        raise _problem(
            "TEST_STATE_MOCK",
            'A mock is {"result": value} or {"errorOutput": {"error": ..., "cause": ...}}.',
        )
    error_output = mock.get("errorOutput")
    if "errorOutput" in mock and not (
        isinstance(error_output, Mapping)
        and all(isinstance(error_output.get(k), str | None) for k in ("error", "cause"))
    ):
        raise _problem("TEST_STATE_MOCK", "errorOutput has string fields error and cause.")


def _check_sizes(state: Any, input: Any, variables: Any, context: Any, mock: Any) -> None:
    """AWS's quotas: a definition of at most 1 MB, the rest at most 256 KiB each."""
    too_large = definition_too_large(state)
    if too_large is not None:
        raise _problem("TEST_STATE_TOO_LARGE", too_large)
    too_large = input_too_large(input) if input is not None else None
    if too_large is not None:
        raise _problem("TEST_STATE_TOO_LARGE", too_large)
    for name, value in (("variables", variables), ("context", context), ("mock", mock)):
        if value is not None and exceeds_payload_limit(value):
            verb = "are" if name == "variables" else "is"
            quota = PAYLOAD_LIMIT_BYTES // 1024
            message = f"The {name} {verb} larger than the {quota} KiB payload quota."
            raise _problem("TEST_STATE_TOO_LARGE", message)


def _targets(state: Mapping[str, Any]) -> list[str]:
    """Every state name ``state`` can go to."""
    found = [state.get("Next"), state.get("Default")]
    for key in ("Choices", "Catch"):
        items = state.get(key)
        if isinstance(items, list):
            found.extend(item.get("Next") for item in items if isinstance(item, dict))
    return [t for t in found if isinstance(t, str)]


def _one_state_machine(state: Any, name: str, query_language: str) -> dict[str, Any]:
    if not isinstance(state, dict):
        raise _problem("SCHEMA_WRONG_TYPE", "A state definition must be a JSON object.")
    states: dict[str, Any] = {name: state}
    for target in _targets(state):
        states.setdefault(target, dict(_PLACEHOLDER))
    return {"QueryLanguage": query_language, "StartAt": name, "States": states}


def _relative(diagnostic: Diagnostic, name: str) -> Diagnostic:
    """A machine-level diagnostic located within the tested state."""
    prefix = "/States/" + name.replace("~", "~0").replace("/", "~1")
    location = diagnostic.location
    if location == prefix or location.startswith(prefix + "/"):
        location = location[len(prefix) :]
    return replace(diagnostic, location=location)


def _check_supported(state: dict[str, Any], mock: Any, name: str) -> None:
    kind = state.get("Type")
    if kind not in SUPPORTED_TYPES:
        raise _problem(
            "TEST_STATE_UNSUPPORTED",
            f"TestState runs {', '.join(SUPPORTED_TYPES)} states.",
            "/Type",
        )
    if mock is not None and kind not in ("Task", *CONTAINER_TYPES):
        raise _problem(
            "TEST_STATE_MOCK", f"State type '{kind}' is not supported when a mock is specified."
        )
    if mock is None and kind in CONTAINER_TYPES:
        raise _problem(
            "TEST_STATE_NEEDS_MOCK",
            f"A {kind} state is tested with a mock: its result (the array of its "
            f"{'iterations' if kind == 'Map' else 'branches'}' outputs) or an errorOutput.",
        )
    resource = str(state.get("Resource", ""))
    waits = resource.endswith((".waitForTaskToken", ".sync", ":2")) or ":activity:" in resource
    if kind == "Task" and mock is None and waits:
        raise _problem(
            "TEST_STATE_NEEDS_MOCK",
            "Activities, .sync and .waitForTaskToken tasks answer later; test them with a mock.",
            "/Resource",
        )


# ---- the run -----------------------------------------------------------------


class _Run:
    """One execution of the one-state machine, driven until the tested state is done."""

    def __init__(
        self,
        machine: StateMachine,
        state: State,
        raw_input: Any,
        variables: dict[str, Any],
        context: Mapping[str, Any] | None,
        mock: Mapping[str, Any] | None,
        adapters: AdapterRegistry | None,
    ) -> None:
        self.machine = machine
        self.state = state
        self.input = {} if raw_input is None else raw_input
        self.entry_variables = variables
        self.mock = mock
        self.adapters = adapters
        self.now = START_TIME
        self.ex = interpreter.new_execution(
            machine, self.input, self.now, name="test-state", max_events=MAX_EVENTS
        )
        for part in ("Execution", "StateMachine"):
            given = (context or {}).get(part)
            if isinstance(given, Mapping):
                self.ex.context[part] = {**self.ex.context[part], **given}
        self.frame = Frame(
            id=self.ex.new_frame_id(),
            program="",
            state=state.name,
            input=self.input,
            variables=dict(variables),
        )
        self.events: list[Event] = []
        self.container: ContainerView | None = None
        self.deadline = time.monotonic() + limits.TEST_STATE_MAX_SECONDS
        self.agenda: list[tuple[float, int, Signal]] = []
        self.cancelled: set[tuple[str, int]] = set()

    # -- driving

    def drive(self, retrier_retry_count: int) -> None:
        step = Step(self.machine, self.ex, self.now)
        step.emit(None, "ExecutionStarted", {"input": self.input, "roleArn": ""}, prev=0)
        self.ex.frames[self.frame.id] = self.frame
        self.ex.ready.append(self.frame.id)
        step.drain()
        self._took(step.events, step.effects, retrier_retry_count)
        while not self._done() and self.agenda:
            self.agenda.sort(key=lambda item: (item[0], item[1]))
            at, _, signal = self.agenda.pop(0)
            if self._is_cancelled(signal):
                continue
            self.now = max(self.now, at)
            result = interpreter.advance(self.machine, self.ex, signal, self.now)
            self._took(result.events, result.effects, 0)

    def _took(self, events: list[Event], effects: list[Any], retry_count: int) -> None:
        self.events.extend(events)
        for effect in effects:
            if isinstance(effect, InvokeTask):
                self._prepare_retry_count(effect, retry_count)
                answered = self._answer(effect)
                if answered is None:  # out of time: the Task's timeout timer (if any) ends it
                    if not effect.timeout_seconds:
                        self.agenda.append((self.now, 0, self._over_time(effect)))
                    continue
                response = answered
                signal: Signal
                if response.failed:
                    signal = TaskFailed(effect.task_id, response.error, response.cause)
                else:
                    signal = TaskSucceeded(effect.task_id, response.output)
                if not response.pending:
                    self.agenda.append((self.now + response.duration, 0, signal))
            elif isinstance(effect, StartTimer):
                self.agenda.append((effect.fire_at, 1, TimerFired(effect.timer_id)))
            elif isinstance(effect, CancelTimer):
                self.cancelled.add(("timer", effect.timer_id))
            elif isinstance(effect, CancelTask):
                self.cancelled.add(("task", effect.task_id))

    def _is_cancelled(self, signal: Signal) -> bool:
        if isinstance(signal, TimerFired):
            return ("timer", signal.timer_id) in self.cancelled
        task_id = getattr(signal, "task_id", None)
        return task_id is not None and ("task", task_id) in self.cancelled

    def _prepare_retry_count(self, effect: InvokeTask, count: int) -> None:
        """AWS's retrierRetryCount: the matching Retrier has already used ``count`` attempts."""
        state = self.state
        if count <= 0 or not isinstance(state, TaskState) or self.mock is None:
            return
        error = (self.mock.get("errorOutput") or {}).get("error")
        for index, retrier in enumerate(state.handling.retry):
            if recovery.error_matches(retrier.error_equals, error, state.type):
                while len(self.frame.attempts) <= index:
                    self.frame.attempts.append(0)
                self.frame.attempts[index] = count
                self.frame.retry_count = count
                return

    def _over_time(self, effect: InvokeTask) -> Signal:
        cause = "TestState stopped the task: it ran longer than TestState's time limit."
        return TaskFailed(effect.task_id, errors.TIMEOUT, cause)

    def _invoke(self, registry: AdapterRegistry, effect: InvokeTask) -> TaskResponse | None:
        """The adapter's answer, or None when the Task's time (or TestState's) ran out first.

        The call runs on its own thread so this one can stop waiting; an abandoned
        call ends by its own means (a Python function's process is killed at the
        same deadline, an HTTP request has its own timeout).
        """
        seconds = max(0.0, self.deadline - time.monotonic())
        if effect.timeout_seconds:
            seconds = min(seconds, float(effect.timeout_seconds))
        bounded = replace(effect, timeout_seconds=seconds)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="teststate-task")
        future = pool.submit(contextvars.copy_context().run, registry.invoke, bounded)
        try:
            return future.result(timeout=seconds + 0.5)  # the adapter's own deadline first
        except FutureTimeout:
            return None
        finally:
            pool.shutdown(wait=False, cancel_futures=True)

    def _answer(self, effect: InvokeTask) -> TaskResponse | None:
        if self.mock is not None:
            if "errorOutput" in self.mock:
                error_output = self.mock["errorOutput"]
                return TaskResponse(
                    failed=True, error=error_output.get("error"), cause=error_output.get("cause")
                )
            return TaskResponse(output=self.mock.get("result"))
        registry = self.adapters if self.adapters is not None else default_adapters()
        try:
            response = self._invoke(registry, effect)
        except Exception as exc:  # an adapter's bug is the task's failure, as in the runner
            return TaskResponse(
                failed=True, error="States.TaskFailed", cause=f"{type(exc).__name__}: {exc}"
            )
        if response is None:
            return None
        if response.pending:
            return TaskResponse(
                failed=True,
                error="States.Runtime",
                cause="The task answers later (a callback or an activity); test it with a mock.",
            )
        return response

    def _done(self) -> bool:
        return (
            self.ex.status != RUNNING
            or self._exit_index() is not None
            or (self.frame.phase == RETRY and self.frame.state == self.state.name)
        )

    # -- reading the outcome

    def _exit_index(self) -> int | None:
        exited = self.state.type + "StateExited"
        for index, event in enumerate(self.events):
            details = _details(event)
            if event["type"] == exited and details.get("name") == self.state.name:
                return index
        return None

    def _next_state(self, exit_index: int) -> str | None:
        for event in self.events[exit_index + 1 :]:
            if event["type"].endswith("StateEntered"):
                name = _details(event).get("name")
                return name if isinstance(name, str) else None
            if event["type"].startswith("Execution"):
                return None
        return None

    def _last_error(self) -> tuple[str | None, str | None] | None:
        """The error of the last task failure, task time-out or failed evaluation, if any."""
        for event in reversed(self.events):
            if event["type"] in _ERROR_EVENTS:
                details = _details(event)
                return details.get("error"), details.get("cause")
        return None

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": FAILED,
            "output": None,
            "error": None,
            "cause": None,
            "nextState": None,
        }
        exit_index = self._exit_index()
        if exit_index is not None:
            out["output"] = _details(self.events[exit_index]).get("output")
            out["nextState"] = self._next_state(exit_index)
            caught = self._last_error() or self._processing_error()
            if caught is not None:
                out.update(status=CAUGHT_ERROR, error=caught[0], cause=caught[1])
            else:
                out["status"] = SUCCEEDED
        elif self.ex.status == RUNNING and self.frame.phase == RETRY:
            error = self._last_error() or self._processing_error() or (None, None)
            out.update(status=RETRIABLE, error=error[0], cause=error[1])
        else:
            out.update(error=self.ex.error, cause=self.ex.cause)
        return out

    def _processing_error(self) -> tuple[str | None, str | None] | None:
        """The error the state's own data processing raises (a Catcher took it), if any."""
        _, error = self._stages()
        if error is None:
            return None
        step = Step(self.machine, self.ex, self.now)
        return error.error, step.prefixed_cause(self._stage_frame(), self.state, error.cause)

    # -- inspection data

    def _task_events(self) -> tuple[Any, Any]:
        """(effective input, result) of the tested Task's last attempt, from the history."""
        effective: Any = ABSENT
        result: Any = ABSENT
        for event in self.events:
            details = _details(event)
            if event["type"] in _SCHEDULED:
                effective = details.get("parameters", details.get("input"))
                result = ABSENT
            elif event["type"] in _SUCCEEDED:
                result = details.get("output")
        return effective, result

    def _stage_frame(self) -> Frame:
        """The tested state's frame as it was on entry."""
        entered_id = next(
            (
                e["id"]
                for e in self.events
                if e["type"].endswith("StateEntered") and _details(e).get("name") == self.state.name
            ),
            0,
        )
        return Frame(
            id=self.frame.id,
            program="",
            state=self.state.name,
            input=self.input,
            variables=dict(self.entry_variables),
            entered_time=START_TIME,
            entered_id=entered_id,
        )

    def step(self) -> Step:
        """A step on a fresh execution with this run's context object, for evaluating stages."""
        step = Step(
            self.machine,
            interpreter.new_execution(self.machine, self.input, START_TIME),
            START_TIME,
        )
        step.ex.context = self.ex.context
        return step

    def entry_frame(self) -> Frame:
        return self._stage_frame()

    def _stages(self) -> tuple[dict[str, Any], StatesError | None]:
        """The data-flow stages, computed by the interpreter's processing functions."""
        state = self.state
        stages: dict[str, Any] = {"input": self.input}
        frame = self._stage_frame()
        step = self.step()
        effective, result = self._task_events() if state.type == "Task" else (ABSENT, ABSENT)
        try:
            _fill_stages(stages, step, frame, state, effective, result)
        except StatesError as error:
            return stages, error
        return stages, None

    def inspection(self) -> dict[str, Any]:
        stages, _ = self._stages()
        if self.container is not None:  # before the iterations: the container's own stages
            after = ("result", "afterResultSelector", "afterResultPath")
            stages = {**self.container.stages, **{k: stages[k] for k in after if k in stages}}
        variables = dict(self.entry_variables)
        exit_index = self._exit_index()
        if exit_index is not None:
            assigned = _details(self.events[exit_index]).get("assignedVariables")
            if isinstance(assigned, dict):
                variables.update(assigned)
        if variables:
            stages["variables"] = variables
        return stages


def _fill_stages(
    stages: dict[str, Any], step: Step, frame: Frame, state: State, effective: Any, result: Any
) -> None:
    """Add each stage to ``stages`` in order; a StatesError stops at the failing one."""
    kind = state.type
    if state.is_jsonata:
        if kind == "Task":
            if effective is not ABSENT:
                stages["afterArguments"] = effective
            if result is not ABSENT:
                stages["result"] = result
        return
    if kind == "Fail":
        return
    stages["afterInputPath"] = proc.jsonpath_effective_input(step, frame, state, None)
    if kind not in ("Pass", "Task"):
        return
    parameters = getattr(state, "parameters", None)
    if effective is ABSENT:
        effective = proc.jsonpath_effective_input(step, frame, state, parameters)
    stages["afterParameters"] = effective
    if kind == "Pass":
        pass_result = getattr(state, "result", ABSENT)
        result = effective if pass_result is ABSENT else pass_result
    if result is ABSENT:
        return
    stages["result"] = result
    selector = getattr(state, "result_selector", None)
    plain: Callable[..., State] = replace
    if kind == "Task":
        selected = plain(state, assign=None, result_path=ABSENT, output_path=ABSENT)
        stages["afterResultSelector"] = proc.jsonpath_output(
            step, frame, selected, result, selector
        )[0]
    placed = plain(state, assign=None, output_path=ABSENT)
    stages["afterResultPath"] = proc.jsonpath_output(step, frame, placed, result, selector)[0]


def default_adapters() -> AdapterRegistry:
    """The adapters ``engine.tasks`` provides (HTTP, Python functions), when present."""
    registry = AdapterRegistry()
    for name in ("engine.tasks.http", "engine.tasks.functions"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name is None or not name.startswith(missing.name):
                raise
            continue
        module.register(registry)
    return registry
