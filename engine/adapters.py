"""Task resources behind one registry of small adapters.

An adapter turns a Task invocation (resource ARN, effective input, context
object) into a ``TaskResponse``: an output, or an error and cause, plus how
long the work took on the runtime's clock. The in-memory runner calls adapters
directly; durable runtimes call the same adapters from their workers.

This module ships the registry and the mock adapter (scripted results per state
and per attempt, the way AWS Step Functions Local's mock configuration
describes them), so Retry, Catch, timeouts and heartbeats are testable without
any backend. Real resources (HTTP, Python functions, activities, callbacks,
child executions) register themselves here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from engine.errors import RUNTIME
from engine.interpreter.effects import InvokeTask
from engine.jsonvalue import escaped, unencodable_cause, unencodable_pointer


@dataclass(frozen=True, slots=True)
class TaskResponse:
    output: Any = None
    error: str | None = None
    cause: str | None = None
    failed: bool = False
    duration: float = 0.0  # seconds the work takes on the runtime's clock
    heartbeats: tuple[float, ...] = ()  # offsets (seconds) at which the task heartbeats
    pending: bool = False  # the answer comes later, from outside (a callback, an activity)


class TaskAdapter(Protocol):
    def invoke(self, request: InvokeTask) -> TaskResponse: ...


class NoAdapter(LookupError):
    """No adapter is registered for a resource."""


@dataclass
class AdapterRegistry:
    """Adapters by resource prefix (the longest match wins); a mock, if set, comes first."""

    adapters: dict[str, TaskAdapter] = field(default_factory=dict)
    mock: MockTasks | None = None

    def register(self, prefix: str, adapter: TaskAdapter) -> None:
        self.adapters[prefix] = adapter

    def invoke(self, request: InvokeTask) -> TaskResponse:
        if self.mock is not None and self.mock.handles(request):
            return self.mock.invoke(request)
        best = max(
            (p for p in self.adapters if request.resource.startswith(p)), key=len, default=None
        )
        if best is None:
            return TaskResponse(
                failed=True,
                error="States.TaskFailed",
                cause=f"No task adapter is registered for the resource '{request.resource}'.",
            )
        return recordable(self.adapters[best].invoke(request))


def recordable(response: TaskResponse) -> TaskResponse:
    """``response`` as the runtime can record it: a result holding text UTF-8 cannot encode
    (a lone surrogate, say from an HTTP body's ``"\\ud800"``) fails with States.Runtime, and
    such text in an error or cause is written as escapes."""
    if response.failed:
        error = None if response.error is None else escaped(response.error)
        cause = None if response.cause is None else escaped(response.cause)
        if (error, cause) == (response.error, response.cause):
            return response
        return replace(response, error=error, cause=cause)
    if response.pending:
        return response
    where = unencodable_pointer(response.output)
    if where is None:
        return response
    return replace(
        response,
        output=None,
        failed=True,
        error=RUNTIME,
        cause=unencodable_cause("task", where),
    )


def _response(spec: Mapping[str, Any]) -> TaskResponse:
    delay = float(spec.get("Delay", 0))
    beats = tuple(float(b) for b in spec.get("Heartbeats", ()))
    if "Throw" in spec:
        throw = spec["Throw"]
        return TaskResponse(
            failed=True,
            error=throw.get("Error"),
            cause=throw.get("Cause"),
            duration=delay,
            heartbeats=beats,
        )
    return TaskResponse(output=spec.get("Return"), duration=delay, heartbeats=beats)


def _expand_attempts(responses: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """AWS's keys "0", "1-2", ... into one response per attempt."""
    table: dict[int, Mapping[str, Any]] = {}
    for key, spec in responses.items():
        first, _, last = str(key).partition("-")
        for attempt in range(int(first), int(last or first) + 1):
            table[attempt] = spec
    return [table[i] for i in sorted(table)]


@dataclass
class MockTasks:
    """Scripted task results: ``{state name: [response for attempt 0, attempt 1, ...]}``.

    A response is ``{"Return": value}`` or ``{"Throw": {"Error": e, "Cause": c}}``,
    optionally with ``"Delay"`` seconds and ``"Heartbeats"`` offsets. The last
    response repeats for later attempts. A callable may stand instead of a list.
    """

    by_state: dict[str, list[Mapping[str, Any]] | Callable[[InvokeTask], Any]]
    calls: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_aws_config(cls, config: Mapping[str, Any], machine: str, case: str) -> MockTasks:
        """Read AWS Step Functions Local's mock configuration (StateMachines / MockedResponses)."""
        tests = config["StateMachines"][machine]["TestCases"][case]
        responses = config["MockedResponses"]
        return cls({state: _expand_attempts(responses[name]) for state, name in tests.items()})

    def handles(self, request: InvokeTask) -> bool:
        return request.state_name in self.by_state

    def invoke(self, request: InvokeTask) -> TaskResponse:
        script = self.by_state[request.state_name]
        count = self.calls.get(request.state_name, 0)
        self.calls[request.state_name] = count + 1
        if callable(script):
            return TaskResponse(output=script(request))
        spec = script[min(count, len(script) - 1)]
        return _response(spec)
